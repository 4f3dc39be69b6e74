from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The groups are declared once, in core.roles; named here too for the code that imports them.
from core.roles import (
    EDITORS_GROUP,
    MODERATORS_GROUP,
    connect_group_grants,
    grant_group_permissions,
)

__all__ = ["EDITORS_GROUP", "MODERATORS_GROUP", "DirectoryConfig", "grant_group_permissions"]


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Annuaire")

    def ready(self) -> None:
        # rules: registers the directory's rules; sections: the places on geodata's pages
        # (core/sections.py).
        from django.db.models.signals import post_delete, post_save

        from . import rules, sections
        from .models import Competence, Kind
        from .selectors import forget_vocabulary_ids
        from .tiles import signals as tile_signals

        for model in (Competence, Kind):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_vocabulary_ids, sender=model, dispatch_uid=f"vocabulary-{model.__name__}"
                )

        connect_group_grants(self, editor_permissions=rules.EDITOR_PERMISSIONS)
        sections.register_sections()
        # Cluster counts and cached tiles follow the places (directory/tiles/).
        tile_signals.connect()
        register_review()


def register_review() -> None:
    """Edits of published places wait for a moderator (core/review.py)."""
    from core import review

    from .admin_forms import PlaceAdminForm
    from .models import Place, Status
    from .services import place_save

    relations = ("kinds", "competences")

    review.register(
        Place,
        review.Reviewed(
            is_live=lambda place: place.status == Status.PUBLISHED,
            may_publish=lambda user, place: user.has_perm("directory.publish_place", place),
            trusted=lambda place: place.organisation.trusted_editors,
            save=lambda place, relations: place_save(
                place=place,
                kinds=relations.get("kinds"),
                competences=relations.get("competences"),
            ),
            # What an editor's form changes (commune, slug and stamps follow from it).
            fields=tuple(
                name
                for name in PlaceAdminForm.Meta.fields
                if name not in relations and name != "status"
            ),
            relations=relations,
        ),
    )
