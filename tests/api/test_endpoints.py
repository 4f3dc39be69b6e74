"""Organisations, practice sheets, régions, départements, vocabularies and the geocoder."""

from datetime import date

import pytest
from django.utils import timezone

from directory.models import Competence, Kind
from geodata.models import Commune, Department
from practices.models import PracticeSheet, Scope, SheetStatus, Theme
from practices.services import sheet_save
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


# --- organisations --------------------------------------------------------------------


def test_organisations_with_their_published_place_count(api, directory):
    body = api.get("/api/v1/organisations/").json()
    by_slug = {o["slug"]: o for o in body["results"]}
    assert by_slug["forum-refugies"]["place_count"] == 2
    assert by_slug["centre-rhone"]["place_count"] == 1
    assert (
        by_slug["forum-refugies"]["url"]
        == "http://testserver/annuaire/organisations/forum-refugies/"
    )
    assert body["count"] == len(body["results"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("member_centre=true", {"centre-rhone"}),
        ("q=forum", {"forum-refugies"}),
        ("q=RESSOURCES%20rhône&member_centre=true", {"centre-rhone"}),
        ("q=forum&member_centre=true", set()),
    ],
)
def test_organisation_filters(api, directory, query, expected):
    body = api.get(f"/api/v1/organisations/?{query}").json()
    assert {o["slug"] for o in body["results"]} == expected


def test_organisations_not_member_centres(api, directory):
    slugs = {
        o["slug"]
        for o in api.get("/api/v1/organisations/?member_centre=false&page_size=200").json()[
            "results"
        ]
    }
    assert "forum-refugies" in slugs and "centre-rhone" not in slugs


# --- practice sheets ------------------------------------------------------------------


@pytest.fixture
def sheets():
    centre = OrganisationFactory(name="Centre ressources", slug="centre", is_member_centre=True)
    theme = {t.slug: t for t in Theme.objects.all()}
    villeurbanne = Commune.objects.get(code="69266")
    marseille = Commune.objects.get(code="13055")

    def make(title, *, themes, communes=None, status=SheetStatus.PUBLISHED, **fields):
        return sheet_save(
            sheet=PracticeSheet(
                title=title,
                summary=f"Résumé de « {title} ».",
                author_centre=centre,
                status=status,
                **fields,
            ),
            themes=[theme[t] for t in themes],
            communes=communes,
        )

    return {
        "ateliers": make(
            "Ateliers sociolinguistiques",
            themes=["langue"],
            communes=[villeurbanne],
            start_date=date(2018, 9, 1),
            how_it_works="Des bénévoles animent des ateliers de conversation.",
        ),
        "logement": make(
            "Colocations solidaires",
            themes=["logement", "accueil-primo-arrivants"],
            communes=[marseille],
            start_date=date(2015, 1, 1),
            end_date=date(2019, 12, 31),
        ),
        "national": make(
            "Plateforme nationale",
            themes=["emploi"],
            scope=Scope.DEPARTMENT,
            department=Department.objects.get(code="95"),
            start_date=date(2022, 3, 1),
            became_regular_service=True,
            end_date=date(2023, 1, 1),
        ),
        "draft": make(
            "Brouillon", themes=["langue"], communes=[villeurbanne], status=SheetStatus.DRAFT
        ),  # fmt: skip
    }


def titles(response) -> set[str]:
    return {f["properties"]["title"] for f in response.json()["features"]}


ALL_SHEETS = {"Ateliers sociolinguistiques", "Colocations solidaires", "Plateforme nationale"}


def test_practices_as_geojson_at_their_location(api, sheets):
    response = api.get("/api/v1/practices/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["count"] == 3 and titles(response) == ALL_SHEETS
    feature = next(f for f in body["features"] if f["id"] == sheets["ateliers"].pk)
    villeurbanne = Commune.objects.get(code="69266").centre
    assert feature["geometry"]["type"] == "Point"
    assert feature["geometry"]["coordinates"] == pytest.approx([villeurbanne.x, villeurbanne.y])
    props = feature["properties"]
    assert props["themes"] == ["langue"] and props["communes"] == ["69266"]
    assert props["region"] == "84" and props["running"] is True
    assert props["author_centre"]["slug"] == "centre"
    assert response["Last-Modified"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=langue", {"Ateliers sociolinguistiques"}),
        ("theme=langue,logement", {"Ateliers sociolinguistiques", "Colocations solidaires"}),
        ("theme=langue&theme=emploi", {"Ateliers sociolinguistiques", "Plateforme nationale"}),
        ("region=93", {"Colocations solidaires"}),
        ("region=11", {"Plateforme nationale"}),
        ("running=true", {"Ateliers sociolinguistiques", "Plateforme nationale"}),
        ("running=false", {"Colocations solidaires"}),
        ("year_from=2020", {"Ateliers sociolinguistiques", "Plateforme nationale"}),
        ("year_to=2016", {"Colocations solidaires"}),
        ("year_from=2016&year_to=2017", {"Colocations solidaires"}),
        ("q=bénévoles conversation", {"Ateliers sociolinguistiques"}),
        ("q=colocations", {"Colocations solidaires"}),
        ("q=colocations&region=84", set()),
        ("theme=langue&running=true&region=84&q=ateliers", {"Ateliers sociolinguistiques"}),
    ],
)
def test_practice_filters(api, sheets, query, expected):
    response = api.get(f"/api/v1/practices/?{query}")
    assert response.status_code == 200, response.content
    assert titles(response) == expected


def test_practice_detail_published_only(api, sheets):
    assert api.get(f"/api/v1/practices/{sheets['ateliers'].pk}/").status_code == 200
    assert api.get(f"/api/v1/practices/{sheets['draft'].pk}/").status_code == 404


# --- régions and départements ---------------------------------------------------------


def vertex_count(geometry) -> int:
    return sum(len(ring) for polygon in geometry["coordinates"] for ring in polygon)


def test_regions_as_simplified_boundaries(api):
    response = api.get("/api/v1/regions/")
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert {f["id"] for f in body["features"]} == {"11", "84", "93"}
    aura = next(f for f in body["features"] if f["id"] == "84")
    assert aura["properties"]["name"] == "Auvergne-Rhône-Alpes"
    assert aura["properties"]["url"].endswith("/auvergne-rhone-alpes/")
    assert aura["geometry"]["type"] == "MultiPolygon"
    coarse = api.get("/api/v1/regions/84/", {"simplify": "0.1"}).json()
    default = api.get("/api/v1/regions/84/").json()
    fine = api.get("/api/v1/regions/84/", {"simplify": "0"}).json()
    assert vertex_count(coarse["geometry"]) < vertex_count(default["geometry"])
    assert vertex_count(default["geometry"]) < vertex_count(fine["geometry"])


def test_departments_of_a_region(api):
    body = api.get("/api/v1/departments/", {"region": "84"}).json()
    assert [f["id"] for f in body["features"]] == ["01", "42", "69"]
    assert all(f["properties"]["region"] == "84" for f in body["features"])
    everything = api.get("/api/v1/departments/").json()
    assert [f["id"] for f in everything["features"]] == ["01", "13", "42", "69", "95"]
    assert api.get("/api/v1/departments/69/").json()["properties"]["name"] == "Rhône"
    assert api.get("/api/v1/departments/77/").status_code == 404


# --- vocabularies ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "model"), [("competences", Competence), ("kinds", Kind), ("themes", Theme)]
)
def test_vocabularies_are_whole_lists(api, endpoint, model):
    body = api.get(f"/api/v1/{endpoint}/").json()
    assert isinstance(body, list)
    assert [row["slug"] for row in body] == list(model.objects.values_list("slug", flat=True))
    assert {"slug", "name", "name_en"} <= set(body[0])
    first = body[0]["slug"]
    assert api.get(f"/api/v1/{endpoint}/{first}/").json()["slug"] == first


# --- geocoder -------------------------------------------------------------------------


def test_geocode_offline_through_the_gazetteer(api):
    response = api.get("/api/v1/geocode/", {"q": "Villeurbanne"})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "Villeurbanne"
    best = body["results"][0]
    assert best["source"] == "gazetteer" and best["precision"] == "commune"
    assert best["commune"] == {"code": "69266", "name": "Villeurbanne"}
    assert best["lon"] == pytest.approx(4.88, abs=0.03)
    assert best["lat"] == pytest.approx(45.77, abs=0.03)


def test_geocode_postal_code_and_limit(api):
    body = api.get("/api/v1/geocode/", {"q": "69100", "limit": 1}).json()
    assert len(body["results"]) == 1
    assert body["results"][0]["precision"] == "postal_code"
    assert body["results"][0]["commune"]["code"] == "69266"


def test_geocode_nothing_found_is_an_empty_list(api):
    body = api.get("/api/v1/geocode/", {"q": "Zzyqxw Introuvable"}).json()
    assert body["results"] == []


def test_open_now_uses_the_current_time(api, directory, monkeypatch):
    # "Mo-Fr 09:00-12:00" is closed on a Sunday: the flag follows the request time.
    place = directory["villeurbanne"]
    place.opening_hours = "Mo-Fr 09:00-12:00"
    place.save()
    sunday = timezone.make_aware(timezone.datetime(2026, 11, 29, 10, 0))
    monkeypatch.setattr("django.utils.timezone.now", lambda: sunday)
    assert api.get(f"/api/v1/places/{place.pk}/").json()["properties"]["open_now"] is False
    monday = timezone.make_aware(timezone.datetime(2026, 11, 30, 10, 0))
    monkeypatch.setattr("django.utils.timezone.now", lambda: monday)
    assert api.get(f"/api/v1/places/{place.pk}/").json()["properties"]["open_now"] is True


def test_open_now_filter_follows_the_current_time(api, directory, monkeypatch):
    place = directory["lyon"]
    place.opening_hours = "Mo-Fr 09:00-12:00"
    place.save()
    query = {"open_now": "true", "department": "69"}
    sunday = timezone.make_aware(timezone.datetime(2026, 11, 29, 10, 0))
    monkeypatch.setattr("django.utils.timezone.now", lambda: sunday)
    names = {f["properties"]["name"] for f in api.get("/api/v1/places/", query).json()["features"]}
    assert names == {"Maison des langues de Villeurbanne"}  # 24/7
    monday = timezone.make_aware(timezone.datetime(2026, 11, 30, 10, 0))
    monkeypatch.setattr("django.utils.timezone.now", lambda: monday)
    near = api.get("/api/v1/places/", {**query, "near": "4.8357,45.7640"}).json()
    assert [f["properties"]["name"] for f in near["features"]] == [
        "Permanence juridique",
        "Maison des langues de Villeurbanne",
    ]
    assert near["count"] == 2
