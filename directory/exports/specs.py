"""The catalogue of exports: address, file name, type, format family and writer of each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from directory.models import Place

from . import writers

JSON = "application/json"
# The --format families of `manage.py build_exports`.
FORMATS = ("csv", "geojson", "data-inclusion", "hsds")


@dataclass(frozen=True)
class Export:
    path: str  # under /exports/
    name: str  # URL name, and the build's manifest name
    title: str | Promise
    standard: str | Promise
    filename: str  # of the download
    content_type: str
    format: str  # one of FORMATS
    write: Callable[[writers.Sink, QuerySet[Place], str], int]
    filtered: bool = True  # the directory's filters apply (False for the vocabularies)


EXPORTS = [
    Export(
        "places.csv",
        "places_csv",
        _("Lieux (CSV)"),
        _("une ligne par lieu, UTF-8 avec BOM, séparateur virgule"),
        "reperes-lieux.csv",
        "text/csv; charset=utf-8",
        "csv",
        writers.write_csv,
    ),
    Export(
        "places.geojson",
        "places_geojson",
        _("Lieux (GeoJSON)"),
        _("FeatureCollection RFC 7946, longitude/latitude WGS84"),
        "reperes-lieux.geojson",
        "application/geo+json",
        "geojson",
        writers.write_geojson,
    ),
    Export(
        "data-inclusion/structures.json",
        "data_inclusion_structures",
        _("Structures data·inclusion"),
        _("schéma data·inclusion v1 : une structure par lieu d'accueil"),
        "reperes-data-inclusion-structures.json",
        JSON,
        "data-inclusion",
        writers.write_structures,
    ),
    Export(
        "data-inclusion/services.json",
        "data_inclusion_services",
        _("Services data·inclusion"),
        _("schéma data·inclusion v1 : un service par lieu et par compétence"),
        "reperes-data-inclusion-services.json",
        JSON,
        "data-inclusion",
        writers.write_services,
    ),
    Export(
        "hsds/organizations.json",
        "hsds_organizations",
        _("Organisations HSDS"),
        _("Open Referral HSDS 3.0, organisations avec lieux et services imbriqués"),
        "reperes-hsds-organizations.json",
        JSON,
        "hsds",
        writers.write_organizations,
    ),
    Export(
        "hsds/services.json",
        "hsds_services",
        _("Services HSDS"),
        _("HSDS 3.0 : un service par organisation et par compétence"),
        "reperes-hsds-services.json",
        JSON,
        "hsds",
        writers.write_services_hsds,
    ),
    Export(
        "hsds/locations.json",
        "hsds_locations",
        _("Lieux HSDS"),
        _("HSDS 3.0 : un lieu (location) par lieu d'accueil"),
        "reperes-hsds-locations.json",
        JSON,
        "hsds",
        writers.write_locations,
    ),
    Export(
        "hsds/service_at_locations.json",
        "hsds_service_at_locations",
        _("Services par lieu HSDS"),
        _("HSDS 3.0 : un service_at_location par lieu et par compétence"),
        "reperes-hsds-service-at-locations.json",
        JSON,
        "hsds",
        writers.write_service_at_locations,
    ),
    Export(
        "hsds/taxonomies.json",
        "hsds_taxonomies",
        _("Taxonomies HSDS"),
        _("HSDS 3.0 : nos compétences, nos types de lieu, les thématiques data·inclusion"),
        "reperes-hsds-taxonomies.json",
        JSON,
        "hsds",
        writers.write_taxonomies,
        filtered=False,
    ),
    Export(
        "hsds/taxonomy_terms.json",
        "hsds_taxonomy_terms",
        _("Termes des taxonomies HSDS"),
        _("HSDS 3.0 : taxonomy_term, dont les correspondances data·inclusion"),
        "reperes-hsds-taxonomy-terms.json",
        JSON,
        "hsds",
        writers.write_taxonomy_terms,
        filtered=False,
    ),
]
EXPORTS_BY_NAME = {export.name: export for export in EXPORTS}


def exports_of(formats: list[str]) -> list[Export]:
    return [export for export in EXPORTS if export.format in formats]
