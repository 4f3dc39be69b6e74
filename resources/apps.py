from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.roles import connect_group_grants


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = _("Documentation")

    def ready(self) -> None:
        # rules: who may do what; search: the SQLite full-text index kept in step;
        # sections: the notices on practice sheet and région pages (core/sections.py).
        from . import rules, search, sections  # noqa: F401

        connect_group_grants(self, editor_permissions=rules.EDITOR_PERMISSIONS)
        sections.register_sections()
        register_review()


def register_review() -> None:
    """Edits of published notices, bibliographies and watch items wait for a moderator
    (core/review.py)."""
    from core import review

    from .models import Bibliography, Notice, NoticeStatus, WatchItem
    from .services import bibliography_save, notice_save, watch_item_save

    def save(notice: Notice, relations: dict[str, list]) -> None:
        notice_save(
            notice=notice,
            themes=relations.get("themes"),
            competences=relations.get("competences"),
            communes=relations.get("communes"),
        )
        for name in ("organisations", "practice_sheets"):
            if name in relations:
                getattr(notice, name).set(relations[name])

    review.register(
        Notice,
        review.Reviewed(
            is_live=lambda notice: notice.status == NoticeStatus.PUBLISHED,
            may_publish=lambda user, notice: user.has_perm("resources.publish_notice", notice),
            trusted=lambda notice: bool(
                notice.author_centre and notice.author_centre.trusted_editors
            ),
            save=save,
            fields=(
                "title",
                "type",
                "year",
                "month",
                "day",
                "publisher",
                "place_published",
                "container_title",
                "pages",
                "abstract",
                "scope",
                "department",
                "region",
                "language",
                "url",
                "isbn",
                "issn",
                "doi",
                "holding_centre",
                "lendable",
                "author_centre",
            ),
            relations=("themes", "competences", "communes", "organisations", "practice_sheets"),
        ),
    )
    # A published bibliography's entries are then read-only to its editors (HeldInlineMixin).
    review.register(
        Bibliography,
        review.Reviewed(
            is_live=lambda bibliography: bibliography.status == NoticeStatus.PUBLISHED,
            may_publish=lambda user, bibliography: user.has_perm(
                "resources.publish_bibliography", bibliography
            ),
            trusted=lambda bibliography: bool(
                bibliography.author_centre and bibliography.author_centre.trusted_editors
            ),
            save=lambda bibliography, relations: bibliography_save(bibliography=bibliography),
            fields=("title", "kind", "introduction", "author_centre"),
        ),
    )
    review.register(
        WatchItem,
        review.Reviewed(
            is_live=lambda item: item.status == NoticeStatus.PUBLISHED,
            may_publish=lambda user, item: user.has_perm("resources.publish_watchitem", item),
            trusted=lambda item: bool(item.author_centre and item.author_centre.trusted_editors),
            save=lambda item, relations: watch_item_save(
                item=item, themes=relations.get("themes"), regions=relations.get("regions")
            ),
            fields=("title", "url", "source", "published_on", "summary", "author_centre"),
            relations=("themes", "regions"),
        ),
    )
