"""A fuzz catalogue: hostile parameter values over every public URL, on both databases.

Every public URL (config/urls.py and the apps' urls) gets, for each of its parameters (the
fields of its query serializer or form, read from the code, plus the paging parameters and
one the URL does not know), every value of HOSTILE: NUL and other control characters,
broken UTF-8, 10,000-character strings, NaN and infinities, huge integers, unicode tricks,
and the parameter repeated. What must hold: never a 5xx; a 400 names the parameter.
A NUL in a parameter an API endpoint declares is a 400 naming it (it was a PostgreSQL
DataError, a 500).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from core.api.params import NoQuerySerializer, PageQuerySerializer
from directory.api.params import OrganisationQuerySerializer, PlaceQuerySerializer
from directory.exports.specs import EXPORTS
from directory.exports.views import ExportFilterForm
from directory.forms import SearchForm
from directory.models import Competence
from directory.tiles.params import TileQuerySerializer
from embeds.forms import EmbedForm
from geodata.api.params import (
    BoundaryQuerySerializer,
    DepartmentQuerySerializer,
    GeocodeQuerySerializer,
)
from geodata.models import Department, Region
from practices.api.params import SheetQuerySerializer
from practices.forms import SheetFilterForm
from practices.models import PracticeSheet, Scope, SheetStatus
from practices.services import sheet_save
from tests.factories import OrganisationFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def _raw(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


# Percent-encoded as sent on the wire, so that bytes no str holds (broken UTF-8) go too.
HOSTILE = {
    "nul": "%00",
    "nul-inside": "69%00x",
    "control": "a%01b",
    "unit-separator": "%1F",
    "escape": "%1B%5B31m",
    "delete": "%7F",
    "c1-control": "%C2%85",
    "line-feed": "a%0Ab",
    "tab": "%09",
    "lone-surrogate": "%ED%A0%80",
    "broken-utf8": "%FF%FE",
    "long-text": "a" * 10_000,
    "long-digits": "9" * 10_000,
    "nan": "nan",
    "infinity": "inf",
    "minus-infinity": "-inf",
    "overflow-float": "1e309",
    "huge-integer": "9" * 40,
    "huge-negative": "-" + "9" * 40,
    "zero": "0",
    "negative": "-1",
    "empty": "",
    "spaces": "%20%20",
    "commas": ",,,",
    "percent": "%25",
    "markup": _raw("'\"<script>&"),
    "right-to-left": _raw("\u202e48"),
    "byte-order-mark": _raw("\ufeff84"),
    "fullwidth-digits": _raw("８４"),
    "zero-width-space": _raw("6\u200b9"),
    "combining-accent": _raw("e\u0301"),
    "arabic-digits": _raw("٦٩"),
    "emoji": _raw("🙂"),
    "homoglyph": _raw("sejоur"),  # a Cyrillic о
}
# The parameter given twice: a good value then a bad one, and two good ones.
REPEATED = {"repeated-nul": ["84", "%00"], "repeated-values": ["84", "13"]}
CONTROL = {"nul", "nul-inside", "control", "unit-separator", "escape", "delete", "c1-control"}

# Read on every URL: paging (the API's and the pages'), and a name no URL knows.
COMMON = ["page", "page_size", "lieux", "format", "zz"]


def _fields(source) -> list[str]:
    if hasattr(source, "base_fields"):  # a Django form
        return list(source.base_fields)
    return list(source().fields)  # a DRF serializer


def _with(*sources, extra=()) -> list[str]:
    names = [name for source in sources for name in _fields(source)]
    return list(dict.fromkeys([*names, *extra, *COMMON]))


@pytest.fixture
def world(db):
    """One of each thing a public URL shows."""
    centre = OrganisationFactory(name="Centre ressources", slug="centre", is_member_centre=True)
    place = PlaceFactory(
        name="Point droits",
        slug="point-droits",
        organisation=centre,
        competences=[Competence.objects.get(slug="sejour")],
    )
    sheet = sheet_save(
        sheet=PracticeSheet(
            title="Ateliers du Rhône",
            summary="Des ateliers.",
            scope=Scope.DEPARTMENT,
            department=Department.objects.get(code="69"),
            author_centre=centre,
            status=SheetStatus.PUBLISHED,
        )
    )
    return {
        "place": place,
        "organisation": centre,
        "sheet": sheet,
        "region": Region.objects.get(code="84"),
        "department": Department.objects.get(code="69"),
    }


def catalogue(world) -> list[tuple[str, list[str]]]:
    """(path, parameters) of every public URL (those whose input is in the path: PATHS)."""
    place, sheet = world["place"], world["sheet"]
    region, department = world["region"], world["department"]
    api = "/api/v1/"
    urls = [
        # Pages
        ("/", _with()),
        (reverse("directory:search"), _with(SearchForm)),
        (place.get_absolute_url(), _with()),
        (reverse("directory:place-report", args=[place.slug]), _with()),
        (reverse("directory:organisation", args=[world["organisation"].slug]), _with()),
        (reverse("practices:list"), _with(SheetFilterForm)),
        (sheet.get_absolute_url(), _with()),
        (region.get_absolute_url(), _with()),
        (department.get_absolute_url(), _with()),
        (reverse("geodata:regions-geojson"), _with()),
        (reverse("geodata:region-geojson", args=[region.slug]), _with()),
        (reverse("geodata:department-geojson", args=[department.slug]), _with()),
        # Embeds
        (reverse("embeds:map"), _with(EmbedForm)),
        (reverse("embeds:script"), _with()),
        (reverse("embeds:oembed"), _with(extra=["url", "maxwidth", "maxheight"])),
        (reverse("embeds:builder"), _with(EmbedForm, extra=["area"])),
        # Exports
        (reverse("exports:index"), _with()),
        *((reverse(f"exports:{e.name}"), _with(ExportFilterForm)) for e in EXPORTS),
        # Tiles
        (reverse("tiles:places-tilejson"), _with(TileQuerySerializer)),
        (reverse("tiles:place-tile", args=[12, 2104, 1459]), _with(TileQuerySerializer)),
        # API: lists with each of their parameters, details, the schema
        (api, _with()),
        (f"{api}places/", _with(PlaceQuerySerializer)),
        (f"{api}places/{place.pk}/", _with()),
        (f"{api}organisations/", _with(OrganisationQuerySerializer)),
        (f"{api}organisations/{world['organisation'].slug}/", _with()),
        (f"{api}practices/", _with(SheetQuerySerializer)),
        (f"{api}practices/{sheet.slug}/", _with()),
        (f"{api}regions/", _with(BoundaryQuerySerializer)),
        (f"{api}regions/84/", _with(BoundaryQuerySerializer)),
        (f"{api}departments/", _with(DepartmentQuerySerializer)),
        (f"{api}departments/69/", _with(BoundaryQuerySerializer)),
        (f"{api}competences/", _with(PageQuerySerializer)),
        (f"{api}themes/", _with(PageQuerySerializer)),
        (f"{api}kinds/", _with(NoQuerySerializer)),
        (f"{api}geocode/", _with(GeocodeQuerySerializer)),
    ]
    return urls


# What a URL needs to answer at all (its required parameters), fuzzed one other at a time.
BASE = {
    "/oembed": {"url": quote("http://testserver/embed/?region=84", safe=""), "format": "json"},
    "/api/v1/geocode/": {"q": "Lyon"},
}
# URLs whose input is a path segment (a signed link's token): the hostile value goes there.
PATHS = ["directory:confirm-place", "practices:confirm-running"]


def _query(path: str, parameter: str, values: list[str]) -> str:
    base = {k: v for k, v in BASE.get(path, {}).items() if k != parameter}
    return "&".join([*(f"{k}={v}" for k, v in base.items()), *(f"{parameter}={v}" for v in values)])


def _get(client, path: str, query: str):
    return client.get(f"{path}?{query}", HTTP_ACCEPT_ENCODING="identity")


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _check(response, path: str, parameter: str, label: str) -> list[str]:
    """What is wrong with this answer (nothing: [])."""
    where = f"{path} ?{parameter}= {label}: {response.status_code}"
    if response.status_code >= 500:
        return [where]
    if response.status_code == 400 and parameter not in _body(response):
        return [f"{where} without naming {parameter}"]
    return []


def test_no_hostile_value_gets_a_5xx_and_every_400_names_its_parameter(
    client, world, settings, tmp_path
):
    settings.EXPORTS_ROOT = tmp_path / "exports"
    settings.EXPORTS_BASE_URL = ""
    # Budgets are not what is tested here: a 429 would hide what the value does.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            scope: "1000000/minute"
            for scope in settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
        },
    }
    problems: list[str] = []
    requests = 0
    for path, parameters in catalogue(world):
        for parameter in parameters:
            cases = [(label, [value]) for label, value in HOSTILE.items()]
            cases += list(REPEATED.items())
            for label, values in cases:
                response = _get(client, path, _query(path, parameter, values))
                requests += 1
                problems += _check(response, path, parameter, label)
    for name in PATHS:
        for label, value in HOSTILE.items():
            path = reverse(name, args=["x"]).replace("/x/", f"/{value or 'x'}/")
            response = client.get(path)
            requests += 1
            if response.status_code >= 500:
                problems.append(f"{path[:80]} {label}: {response.status_code}")
    assert requests > 3000
    assert not problems, "\n".join(problems[:50])


API_DECLARED = [
    ("/api/v1/places/", PlaceQuerySerializer),
    ("/api/v1/organisations/", OrganisationQuerySerializer),
    ("/api/v1/practices/", SheetQuerySerializer),
    ("/api/v1/regions/", BoundaryQuerySerializer),
    ("/api/v1/departments/", DepartmentQuerySerializer),
    ("/api/v1/geocode/", GeocodeQuerySerializer),
    ("/tiles/places.json", TileQuerySerializer),
]


@pytest.mark.parametrize(("path", "serializer"), API_DECLARED)
@pytest.mark.parametrize("label", sorted(CONTROL))
def test_control_characters_in_a_declared_api_parameter_are_a_400_naming_it(
    api_client, world, path, serializer, label
):
    for parameter in _fields(serializer):
        response = _get(api_client, path, f"{parameter}={HOSTILE[label]}")
        assert response.status_code == 400, (parameter, response.content[:300])
        body = response.json()
        errors = body.get("errors", body) if isinstance(body, dict) else body
        assert parameter in errors, body
        assert f"« {parameter} »" in " ".join(errors[parameter]), body


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


# The issue's reproductions, one by one: each was a 500 (DataError) on PostgreSQL.
ISSUE_CASES = [
    ("/api/v1/places/?region=x%00y", "region"),
    ("/api/v1/places/?department=x%00y", "department"),
    ("/api/v1/places/?commune=x%00y", "commune"),
    ("/api/v1/practices/?region=%00", "region"),
    ("/api/v1/departments/?region=%00", "region"),
    ("/embed/?competence=%00", "competence"),
    ("/embed/?kind=a%00", "kind"),
    ("/exports/places.csv?region=%00", "region"),
    ("/oembed?format=%00", "format"),
]


@pytest.mark.parametrize(("url", "parameter"), ISSUE_CASES)
def test_nul_byte_is_a_400_naming_the_parameter(client, world, url, parameter):
    response = client.get(url)

    assert response.status_code == 400
    body = _body(response)
    assert parameter in body and "caractère de contrôle" in body


@pytest.mark.parametrize(
    ("url", "form_class", "parameter"),
    [
        ("/annuaire/?q=Lyon%00", "form", "q"),
        ("/annuaire/?region=84%00", "form", "region"),
        ("/pratiques/?q=%00", "form", "q"),
        ("/pratiques/?region=%01", "form", "region"),
        ("/integrer/?competence=%00", "errors", "competence"),
    ],
)
def test_pages_tell_the_refused_parameter_in_their_form(client, world, url, form_class, parameter):
    response = client.get(url)

    assert response.status_code == 200
    body = _body(response)
    assert f"« {parameter} »" in body and "caractère de contrôle" in body


def test_admin_lookup_refuses_a_nul_term(admin_client, world):
    url = reverse("admin:practices_sheet_lookup", args=["places"])

    response = admin_client.get(url, {"term": "Point\x00"})

    assert response.status_code == 400
    assert "term" in response.json()["errors"]
    assert admin_client.get(url, {"term": "Point"}).status_code == 200


def test_empty_oembed_format_is_the_default_json(client, world):
    embed_url = "http://testserver" + reverse("embeds:map") + "?region=84"

    response = client.get(reverse("embeds:oembed"), {"url": embed_url, "format": ""})

    assert response.status_code == 200
    assert response.json()["type"] == "rich"
    other = client.get(reverse("embeds:oembed"), {"url": embed_url, "format": "xml"})
    assert other.status_code == 501
    assert "format" in other.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"status__exact": "\x00"},
        {"q": "abc\x00"},
        {"organisation__id__exact": "1\x01"},
        {"o": "\x7f"},
    ],
)
def test_admin_lists_refuse_control_characters(admin_client, world, query):
    response = admin_client.get(reverse("admin:directory_place_changelist"), query)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == list(query)
    assert admin_client.get(reverse("admin:directory_place_changelist")).status_code == 200
