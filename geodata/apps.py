from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class GeodataConfig(AppConfig):
    name = "geodata"
    verbose_name = _("Géographie de référence")

    def ready(self) -> None:
        from .spatialite import repair_spatial_indexes

        post_migrate.connect(repair_spatial_indexes, sender=self)
