from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmbedsConfig(AppConfig):
    name = "embeds"
    verbose_name = _("Cartes intégrables")

    def ready(self) -> None:
        # The embed code under the press watch's panorama (core/sections.py).
        from . import sections

        sections.register_sections()
