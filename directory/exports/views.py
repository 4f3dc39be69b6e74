"""Download pages that are also API endpoints: one view per export, streamed as it is built.

Each export answers GET with the whole file (Content-Disposition: attachment) and accepts the
directory's filters in the query string (?region=84&department=69&commune=69123
&competence=sante&competence=asile&kind=maison-des-langues), checked by a form first: an
unknown value is a 400 that says which one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from directory.models import Competence, Kind, Place
from directory.selectors import PlaceFilters, competences, filter_places, kinds, published_places
from geodata.models import Commune, Department, Region

from . import csv_geojson, data_inclusion, export_places, hsds, json_array
from .mapping import competence_mapping, kind_mapping

JSON = "application/json"
MAX_AGE = 300  # seconds: exports are read far more often than places change
UNKNOWN_CODE = {"invalid_choice": _("Code inconnu : %(value)s.")}
UNKNOWN_SLUG = {"invalid_choice": _("Identifiant inconnu : %(value)s.")}


class ExportFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        Region.objects.all(), to_field_name="code", required=False, error_messages=UNKNOWN_CODE
    )
    department = forms.ModelChoiceField(
        Department.objects.all(), to_field_name="code", required=False, error_messages=UNKNOWN_CODE
    )
    commune = forms.ModelChoiceField(
        Commune.objects.all(), to_field_name="code", required=False, error_messages=UNKNOWN_CODE
    )
    competence = forms.ModelMultipleChoiceField(
        Competence.objects.all(), to_field_name="slug", required=False, error_messages=UNKNOWN_SLUG
    )
    kind = forms.ModelMultipleChoiceField(
        Kind.objects.all(), to_field_name="slug", required=False, error_messages=UNKNOWN_SLUG
    )

    def filters(self) -> PlaceFilters:
        data = self.cleaned_data
        return PlaceFilters(
            region=data["region"].code if data["region"] else "",
            department=data["department"].code if data["department"] else "",
            commune=data["commune"].code if data["commune"] else "",
            competences=[c.slug for c in data["competence"]],
            kinds=[k.slug for k in data["kind"]],
        )


@dataclass(frozen=True)
class Export:
    path: str  # under /exports/
    name: str  # URL name
    title: str
    standard: str
    filename: str
    content_type: str
    build: Callable[[QuerySet[Place], str], Iterable[str]]


def _json(records: Callable[[QuerySet[Place], str], Iterable[dict]]):
    return lambda places, base_url: json_array(records(places, base_url))


EXPORTS = [
    Export(
        "places.csv",
        "places_csv",
        _("Lieux (CSV)"),
        _("une ligne par lieu, UTF-8 avec BOM, séparateur virgule"),
        "reperes-lieux.csv",
        "text/csv; charset=utf-8",
        csv_geojson.iter_csv,
    ),
    Export(
        "places.geojson",
        "places_geojson",
        _("Lieux (GeoJSON)"),
        _("FeatureCollection RFC 7946, longitude/latitude WGS84"),
        "reperes-lieux.geojson",
        "application/geo+json",
        csv_geojson.iter_geojson,
    ),
    Export(
        "data-inclusion/structures.json",
        "data_inclusion_structures",
        _("Structures data·inclusion"),
        _("schéma data·inclusion v1 : une structure par lieu d'accueil"),
        "reperes-data-inclusion-structures.json",
        JSON,
        _json(data_inclusion.iter_structures),
    ),
    Export(
        "data-inclusion/services.json",
        "data_inclusion_services",
        _("Services data·inclusion"),
        _("schéma data·inclusion v1 : un service par lieu et par compétence"),
        "reperes-data-inclusion-services.json",
        JSON,
        _json(data_inclusion.iter_services),
    ),
    Export(
        "hsds/organizations.json",
        "hsds_organizations",
        _("Organisations HSDS"),
        _("Open Referral HSDS 3.0, organisations avec lieux et services imbriqués"),
        "reperes-hsds-organizations.json",
        JSON,
        _json(hsds.iter_organizations),
    ),
    Export(
        "hsds/services.json",
        "hsds_services",
        _("Services HSDS"),
        _("HSDS 3.0 : un service par organisation et par compétence"),
        "reperes-hsds-services.json",
        JSON,
        _json(hsds.iter_services),
    ),
    Export(
        "hsds/locations.json",
        "hsds_locations",
        _("Lieux HSDS"),
        _("HSDS 3.0 : un lieu (location) par lieu d'accueil"),
        "reperes-hsds-locations.json",
        JSON,
        _json(hsds.iter_locations),
    ),
    Export(
        "hsds/service_at_locations.json",
        "hsds_service_at_locations",
        _("Services par lieu HSDS"),
        _("HSDS 3.0 : un service_at_location par lieu et par compétence"),
        "reperes-hsds-service-at-locations.json",
        JSON,
        _json(hsds.iter_service_at_locations),
    ),
    # Vocabularies: the filters do not apply to them.
    Export(
        "hsds/taxonomies.json",
        "hsds_taxonomies",
        _("Taxonomies HSDS"),
        _("HSDS 3.0 : nos compétences, nos types de lieu, les thématiques data·inclusion"),
        "reperes-hsds-taxonomies.json",
        JSON,
        lambda places, base_url: json_array(hsds.taxonomies(base_url)),
    ),
    Export(
        "hsds/taxonomy_terms.json",
        "hsds_taxonomy_terms",
        _("Termes des taxonomies HSDS"),
        _("HSDS 3.0 : taxonomy_term, dont les correspondances data·inclusion"),
        "reperes-hsds-taxonomy-terms.json",
        JSON,
        lambda places, base_url: json_array(hsds.taxonomy_terms(competences(), kinds())),
    ),
]
EXPORTS_BY_NAME = {export.name: export for export in EXPORTS}


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _encoded(chunks: Iterable[str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8")


@require_safe
@cache_control(public=True, max_age=MAX_AGE)
def export(request: HttpRequest, name: str) -> HttpResponse:
    spec = EXPORTS_BY_NAME[name]
    form = ExportFilterForm(request.GET)
    if not form.is_valid():
        return JsonResponse(
            {"errors": form.errors.get_json_data()},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    places = export_places(filter_places(published_places(), form.filters()))
    response = StreamingHttpResponse(
        _encoded(spec.build(places, _base_url(request))), content_type=spec.content_type
    )
    return _attachment(response, spec.filename)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    links = [(export, reverse(f"exports:{export.name}")) for export in EXPORTS]
    competence_rows = [
        (competence, competence_mapping(competence.slug, competence.data_inclusion_code))
        for competence in competences()
    ]
    kind_rows = [(k, kind_mapping(k.slug)) for k in kinds()]
    return render(
        request,
        "exports/index.html",
        {
            "links": links,
            "place_count": published_places().count(),
            "competence_rows": competence_rows,
            "kind_rows": kind_rows,
            "base_url": _base_url(request),
        },
    )
