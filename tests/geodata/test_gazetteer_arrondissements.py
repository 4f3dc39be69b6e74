"""The offline gazetteer knows Paris, Lyon and Marseille's arrondissements by name and
number, and puts a postal code at the centre of its area, not of its main commune.

The autouse fixture of tests/conftest.py makes every online geocoder unreachable.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from rest_framework.test import APIClient

from geodata import arrondissements
from geodata.geocoding import Precision, geocode, geocode_one
from geodata.importers import load_geography
from geodata.models import Commune

pytestmark = pytest.mark.django_db


def point_of(code: str) -> Point:
    return next(a for a in arrondissements.arrondissements() if a.code == code).point


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Lyon 3e", "69383"),
        ("Lyon 3", "69383"),
        ("Lyon 3ème", "69383"),
        ("lyon 3EME arrondissement", "69383"),
        ("3e arrondissement de Lyon", "69383"),
        ("Marseille 1er", "13201"),
        ("Marseille 16e", "13216"),
        ("Paris 15e", "75115"),
        ("Paris 15ème arrondissement", "75115"),
        ("Paris 1er arr.", "75101"),
    ],
)
def test_arrondissement_names(text, code):
    assert arrondissements.by_name(text).code == code


@pytest.mark.parametrize("text", ["Lyon", "Lyon 10e", "Marseille 17e", "Paris 21", "Lyon 3 rue"])
def test_not_an_arrondissement(text):
    assert arrondissements.by_name(text) is None


@pytest.mark.parametrize("text", ["Lyon 3e", "Lyon 3", "Lyon 3ème", "Lyon 3e arrondissement"])
def test_lyon_arrondissement_offline(text):
    lyon = Commune.objects.get(code="69123")
    result = geocode_one(text)
    assert result.source == "gazetteer"
    assert result.commune == lyon
    assert result.point == point_of("69383")
    assert result.point != lyon.centre
    assert lyon.boundary.intersects(result.point)
    assert result.precision == Precision.POSTAL_CODE
    assert result.label == "Lyon 3e arrondissement (69)"


def test_marseille_first_arrondissement_offline():
    marseille = Commune.objects.get(code="13055")
    result = geocode_one("Marseille 1er")
    assert result.commune == marseille
    assert result.point == point_of("13201")
    # The Vieux-Port, not the centre of the whole commune (some 8 km away).
    assert result.point.distance(marseille.centre) > 0.03
    assert marseille.boundary.intersects(result.point)
    assert result.label == "Marseille 1er arrondissement (13)"


def test_every_arrondissement_has_its_own_point_inside_its_commune():
    for arrondissement in arrondissements.arrondissements():
        if arrondissement.commune_code == "75056":
            continue  # Paris is not in the test geography
        commune = Commune.objects.get(code=arrondissement.commune_code)
        assert commune.boundary.intersects(arrondissement.point), arrondissement
    points = {(a.lon, a.lat) for a in arrondissements.arrondissements()}
    assert len(points) == 45


@pytest.mark.parametrize(
    ("postal_code", "arrondissement", "label"),
    [
        ("69003", "69383", "69003 Lyon 3e arrondissement"),
        ("13001", "13201", "13001 Marseille 1er arrondissement"),
        ("13016", "13216", "13016 Marseille 16e arrondissement"),
    ],
)
def test_postal_code_of_an_arrondissement(postal_code, arrondissement, label):
    [result, *others] = geocode(postal_code)
    assert result.point == point_of(arrondissement)
    assert (result.precision, result.label) == (Precision.POSTAL_CODE, label)
    assert (
        result.commune.code == arrondissement[:2] + {"69": "123", "13": "055"}[arrondissement[:2]]
    )
    # 13001 is also Aix-en-Provence's INSEE code (69003, Albigny-sur-Saône's): offered
    # after, as a commune.
    assert [(r.commune.code, r.precision) for r in others] == [(postal_code, Precision.COMMUNE)]


def test_postal_code_of_several_communes_is_their_area():
    served = list(Commune.objects.filter(postal_codes__code="01210").order_by("-population"))
    assert [c.name for c in served] == ["Ferney-Voltaire", "Ornex", "Versonnex"]
    [area, *each] = geocode("01210")
    assert area.precision == Precision.POSTAL_CODE
    assert area.point.x == pytest.approx(sum(c.centre.x for c in served) / 3)
    assert area.point.y == pytest.approx(sum(c.centre.y for c in served) / 3)
    assert area.point not in [c.centre for c in served]
    assert area.label == f"01210 {area.commune.name} et 2 autres communes"
    assert area.commune in served
    # Then each commune, honestly at commune precision; then Lélex, whose INSEE code it is.
    lelex = Commune.objects.get(code="01210")
    assert [(r.commune, r.precision, r.point) for r in each] == [
        (c, Precision.COMMUNE, c.centre) for c in [*served, lelex]
    ]
    assert each[0].label == "01210 Ferney-Voltaire"


def test_postal_code_of_one_commune_is_that_commune():
    villeurbanne = Commune.objects.get(code="69266")
    result = geocode("69100")[0]
    assert (result.point, result.label) == (villeurbanne.centre, "69100 Villeurbanne")
    assert result.precision == Precision.POSTAL_CODE


def test_full_address_in_an_arrondissement_offline():
    result = geocode_one("12 rue Paul Bert 69003 Lyon")
    assert result.point == point_of("69383")
    assert result.commune.code == "69123"
    assert (result.precision, result.label) == (
        Precision.POSTAL_CODE,
        "69003 Lyon 3e arrondissement",
    )


def test_full_address_without_a_known_name_takes_the_postal_code_area():
    result = geocode_one("5 rue X 01210 Nulle-Part")
    assert result.precision == Precision.POSTAL_CODE
    assert result.label.startswith("01210 ") and result.label.endswith(" et 2 autres communes")


def test_paris_arrondissements_once_paris_is_loaded():
    assert geocode("Paris 15e") == []  # Paris is not in the test geography
    load_geography(source_dir=Path(settings.DECOUPAGE_ADMINISTRATIF_DIR), departments={"75"})
    paris = Commune.objects.get(code="75056")
    for text in ("Paris 15e", "Paris 15ème arrondissement", "75015"):
        result = geocode_one(text)
        assert result.commune == paris and result.point == point_of("75115"), text
        assert paris.boundary.intersects(result.point)
    assert geocode_one("75015").label == "75015 Paris 15e arrondissement"
    assert geocode_one("Paris 15e").label == "Paris 15e arrondissement (75)"
    assert geocode_one("75116").point == geocode_one("75016").point == point_of("75116")


def test_api_geocode_arrondissement():
    body = APIClient().get("/api/v1/geocode/", {"q": "Lyon 3ème"}).json()
    [best] = body["results"]
    assert best["precision"] == "postal_code"
    assert best["label"] == "Lyon 3e arrondissement (69)"
    assert best["commune"] == {"code": "69123", "name": "Lyon"}
    assert (best["lon"], best["lat"]) == pytest.approx((point_of("69383").x, point_of("69383").y))


def test_data_file_matches_the_sources():
    shipped = json.loads(arrondissements.DATA_FILE.read_text(encoding="utf-8"))
    assert shipped == arrondissements.build_rows(Path(settings.DECOUPAGE_ADMINISTRATIF_DIR))
    assert len(shipped) == 45
