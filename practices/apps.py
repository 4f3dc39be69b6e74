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
