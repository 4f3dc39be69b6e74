"""Régions in French alphabetical order wherever they are listed: « Île-de-France » among the
I's, not after « Provence » (a database's ORDER BY compares code points: "Î" comes after "P").

The test database holds three régions: Auvergne-Rhône-Alpes, Île-de-France and
Provence-Alpes-Côte d'Azur (tests/conftest.py).
"""

import re

import pytest

from directory.tiles import clusters
from geodata.selectors import french_order, region_choices, regions, regions_with_counts
from tests.factories import PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db

IN_FRENCH_ORDER = ["Auvergne-Rhône-Alpes", "Île-de-France", "Provence-Alpes-Côte d'Azur"]
REGION_OPTION = re.compile(r'<option value="(?:region:)?(\d\d)"[^>]*>([^<]+)</option>')
CODES = {"84": "Auvergne-Rhône-Alpes", "11": "Île-de-France", "93": "Provence-Alpes-Côte d'Azur"}


def test_the_key_ignores_accents_and_case():
    assert french_order("Île-de-France") == "ile-de-france"
    names = ["Provence-Alpes-Côte d'Azur", "Île-de-France", "Hauts-de-France", "Occitanie"]
    assert sorted(names, key=french_order) == [
        "Hauts-de-France",
        "Île-de-France",
        "Occitanie",
        "Provence-Alpes-Côte d'Azur",
    ]


def test_selectors_list_regions_in_french_order():
    assert [r.name for r in regions()] == IN_FRENCH_ORDER
    assert [r.name for r in regions_with_counts()] == IN_FRENCH_ORDER
    assert [name for _code, name in region_choices()] == IN_FRENCH_ORDER


def region_codes_in_selects(html: str) -> list[str]:
    return [code for code, _label in REGION_OPTION.findall(html) if code in CODES]


@pytest.mark.parametrize("url", ["/annuaire/", "/pratiques/", "/integrer/"])
def test_region_selects_in_french_order(client, url):
    response = client.get(url)
    assert response.status_code == 200
    codes = region_codes_in_selects(response.content.decode())
    assert [CODES[code] for code in codes] == IN_FRENCH_ORDER


def slugs_in(html: str, list_id: str) -> list[str]:
    """The régions linked from the list with this id, in the page's order."""
    chunk = html.split(f'id="{list_id}"', 1)[1].split("</ul>", 1)[0]
    return list(dict.fromkeys(re.findall(r'href="/regions/([\w-]+)/', chunk)))


def test_home_lists_in_french_order(client):
    for lon, lat in [(4.88, 45.77), (2.38, 49.0), (5.37, 43.30)]:  # Rhône, Val-d'Oise, Marseille
        PlaceFactory(lon=lon, lat=lat)
    clusters.rebuild()  # the home's places by région are counted from the clusters
    html = client.get("/").content.decode()
    in_order = ["auvergne-rhone-alpes", "ile-de-france", "provence-alpes-cote-dazur"]
    assert slugs_in(html, "regions-list") == in_order
    assert slugs_in(html, "france-places-list") == in_order


def test_admin_filter_in_french_order(client):
    for lon, lat in [(5.37, 43.30), (2.38, 49.0), (4.88, 45.77)]:
        PlaceFactory(lon=lon, lat=lat)
    client.force_login(UserFactory(is_superuser=True))
    html = client.get("/admin/directory/place/").content.decode()
    codes = list(dict.fromkeys(re.findall(r"[?;]region=(\d\d)\b", html)))  # the filter's links
    assert [CODES[code] for code in codes] == IN_FRENCH_ORDER
