from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The network's groups (core.roles): the same people edit the directory and write sheets.
from core.roles import EDITORS_GROUP, MODERATORS_GROUP, connect_group_grants

__all__ = ["EDITORS_GROUP", "MODERATORS_GROUP", "PracticesConfig"]


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Pratiques d'intégration")

    def ready(self) -> None:
        # rules: registers the practices rules; search: keeps the SQLite full-text index in
        # step; sections: the sheets on the directory's pages (core/sections.py).
        from . import rules, search, sections  # noqa: F401

        connect_group_grants(self, editor_permissions=rules.EDITOR_PERMISSIONS)
        sections.register_sections()
        register_review()


def register_review() -> None:
    """Edits of published sheets wait for a moderator (core/review.py)."""
    from core import review

    from .models import TEXT_FIELDS, PracticeSheet, SheetStatus
    from .services import sheet_save

    def save(sheet: PracticeSheet, relations: dict[str, list]) -> None:
        sheet_save(sheet=sheet, themes=relations.get("themes"), communes=relations.get("communes"))
        if "places" in relations:
            sheet.places.set(relations["places"])

    review.register(
        PracticeSheet,
        review.Reviewed(
            is_live=lambda sheet: sheet.status == SheetStatus.PUBLISHED,
            may_publish=lambda user, sheet: user.has_perm("practices.publish_practicesheet", sheet),
            trusted=lambda sheet: bool(sheet.author_centre and sheet.author_centre.trusted_editors),
            save=save,
            fields=(
                "title",
                "author_centre",
                *TEXT_FIELDS,
                "start_date",
                "end_date",
                "became_regular_service",
                "review_date",
                "scope",
                "department",
                "region",
                "points",
            ),
            relations=("themes", "communes", "places"),
        ),
    )
