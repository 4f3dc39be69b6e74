from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Pratiques d'intégration")

    def ready(self) -> None:
        from . import search  # noqa: F401  (keeps the SQLite full-text index in step)
