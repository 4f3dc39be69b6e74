"""A commune name shared by several communes offers the choice instead of picking one.

In production "Saint-Denis" is a commune of Seine-Saint-Denis (93066) and of La Réunion
(97411, more populous); the test geography has the same case with Montagny (42145 in
the Loire, 69136 in the Rhône) and Bully (42027, 69032). Online geocoders are
unreachable (tests/conftest.py) unless a test hands its own BAN answer.
"""

from typing import Any

import pytest
from django.urls import reverse
from geopy.adapters import BaseSyncAdapter

from geodata.geocoding import Precision, commune_chosen, geocode, homonyms
from geodata.models import Commune
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db


def search(client, **params):
    return client.get(reverse("directory:search"), params)


@pytest.mark.parametrize(
    ("name", "codes"), [("Montagny", {"42145", "69136"}), ("bully", {"42027", "69032"})]
)
def test_gazetteer_homonyms(name, codes):
    choices = homonyms(geocode(name, limit=8))
    assert {c.commune.code for c in choices} == codes
    assert all(c.precision == Precision.COMMUNE for c in choices)


@pytest.mark.parametrize("name", ["Villeurbanne", "Lyon 3e", "69100", "Saint-Étienne"])
def test_one_place_is_no_choice(name):
    assert geocode(name, limit=8)
    assert homonyms(geocode(name, limit=8)) == []


def test_address_in_a_homonym_commune_offline_offers_the_communes():
    # Offline, a street address falls back to its commune: which Montagny is unknown.
    choices = homonyms(geocode("3 rue du Stade, Montagny", limit=8))
    assert {c.commune.code for c in choices} == {"42145", "69136"}


def test_address_with_postal_code_is_no_choice():
    # 69700 serves Montagny (Rhône) only.
    [result] = geocode("3 rue du Stade 69700 Montagny", limit=8)[:1]
    assert result.commune.code == "69136"
    assert homonyms(geocode("3 rue du Stade 69700 Montagny", limit=8)) == []


def ban_municipality(code: str, name: str, lon: float, lat: float, context: str) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "label": name,
            "score": 0.95,
            "id": code,
            "name": name,
            "postcode": "",
            "citycode": code,
            "city": name,
            "context": context,
            "type": "municipality",
            "importance": 0.5,
        },
    }


class BanMontagny(BaseSyncAdapter):
    """The BAN's answer for "Montagny": both municipalities, the Rhône's first."""

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        return {
            "type": "FeatureCollection",
            "features": [
                ban_municipality("69136", "Montagny", 4.7489, 45.6254, "69, Rhône"),
                ban_municipality("42145", "Montagny", 4.2342, 46.0353, "42, Loire"),
            ],
        }

    get_text = get_json


def test_online_homonyms(settings):
    settings.GEOCODERS = ["ban", "gazetteer"]
    results = geocode("Montagny", limit=8, adapter_factory=BanMontagny)
    assert [r.source for r in results] == ["ban", "ban"]
    assert [c.commune.code for c in homonyms(results)] == ["69136", "42145"]


def test_commune_chosen_only_while_the_text_names_it():
    assert commune_chosen("Montagny", "42145").commune.code == "42145"
    assert commune_chosen("  montagny ", "42145").point == Commune.objects.get(code="42145").centre
    assert commune_chosen("3 rue du Stade, Montagny", "42145").commune.code == "42145"
    assert commune_chosen("Villeurbanne", "42145") is None  # the text moved on
    assert commune_chosen("Montagny", "99999") is None
    assert commune_chosen("Montagny", "x' OR 1=1") is None


def test_search_page_offers_the_choice_then_searches_the_chosen_commune(client):
    loire = Commune.objects.get(code="42145")
    near_loire = PlaceFactory(
        name="Permanence de Montagny (Loire)", lon=loire.centre.x, lat=loire.centre.y
    )
    page = search(client, q="Montagny", radius=5)
    assert page.status_code == 200
    choices = page.context["homonyms"]
    assert [c["commune"].department.code for c in choices] == ["69", "42"]
    assert page.context.get("results") is None  # no place listed before the choice
    html = page.content.decode()
    assert "Plusieurs communes s’appellent « Montagny »" in html
    assert "Loire (42)" in html and "Rhône (69)" in html

    chosen = client.get(reverse("directory:search") + choices[1]["url"].split("#")[0])
    assert chosen.status_code == 200
    assert "homonyms" not in chosen.context
    assert chosen.context["origin_label"] == str(loire)
    assert [p.pk for p in chosen.context["results"]] == [near_loire.pk]
    # The choice rides along in the form, so changing a filter keeps it…
    assert 'name="commune" value="42145"' in chosen.content.decode()
    # …until the text names another place.
    moved = search(client, q="Villeurbanne", commune="42145", radius=5)
    assert moved.context["origin_label"].startswith("Villeurbanne")


@pytest.mark.parametrize("code", ["", "abc", "99999", "6913666"])
def test_bad_commune_code_is_never_a_500(client, code):
    page = search(client, q="Montagny", commune=code)
    assert page.status_code == 200
