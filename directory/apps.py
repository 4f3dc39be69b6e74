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
        from . import rules, sections

        connect_group_grants(self, editor_permissions=rules.EDITOR_PERMISSIONS)
        sections.register_sections()
