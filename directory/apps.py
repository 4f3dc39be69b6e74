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
