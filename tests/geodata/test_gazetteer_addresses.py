"""The offline gazetteer reads the commune out of a full address, so that searching and
adding a place still work while the online geocoders are unreachable.

The autouse fixture of tests/conftest.py makes every online geocoder unreachable.
"""

import geopy.geocoders
import pytest
from geopy.adapters import BaseSyncAdapter
from rest_framework.test import APIClient

from directory.models import Place
from directory.services import place_save
from geodata.geocoding import Precision, geocode, geocode_one
from geodata.models import Commune
from geodata.text import address_parts
from tests.factories import OrganisationFactory, PlaceFactory

pytestmark = pytest.mark.django_db

FULL_ADDRESS = "12 rue Hippolyte Kahn 69100 Villeurbanne"


@pytest.mark.parametrize(
    ("text", "postal_code", "first_name"),
    [
        (FULL_ADDRESS, "69100", "villeurbanne"),
        ("12 rue Hippolyte Kahn, 69100 Villeurbanne, France", "69100", "villeurbanne"),
        ("12 rue Hippolyte Kahn, Villeurbanne", "", "villeurbanne"),
        ("rue Hippolyte Kahn, Villeurbanne 69100", "69100", "villeurbanne"),
        ("BP 12, 69003 Lyon Cedex 03", "69003", "lyon"),
        ("2 place de l'Église 01400 L'Abergement-Clémenciat", "01400", "abergement clemenciat"),
    ],
)
def test_address_parts(text, postal_code, first_name):
    code, names = address_parts(text)
    assert code == postal_code
    assert names[0] == first_name


def test_a_street_named_after_a_town_is_not_that_town():
    # "avenue de Lyon" in Villeurbanne: without a postal code or a comma, "Lyon" after
    # "de" is the street's name.
    assert "lyon" not in address_parts("12 avenue de Lyon")[1]


@pytest.mark.parametrize(
    "text",
    [
        FULL_ADDRESS,
        "12, rue Hippolyte Kahn 69100 VILLEURBANNE",
        "12 rue Hippolyte Kahn, Villeurbanne",
        "12 rue Hippolyte Kahn Villeurbanne",
        "12 rue Hippolyte Kahn 69100 Villeurbane",  # the name misspelt: the postal code decides
    ],
)
def test_full_address_gives_the_commune_centre_offline(text):
    result = geocode_one(text)
    villeurbanne = Commune.objects.get(code="69266")
    assert result is not None
    assert result.source == "gazetteer"
    assert result.commune == villeurbanne
    assert result.point == villeurbanne.centre
    assert result.precision in (Precision.COMMUNE, Precision.POSTAL_CODE)
    if "Villeurbane" not in text:
        assert result.precision == Precision.COMMUNE
        assert result.label == "Villeurbanne (69)"


def test_the_postal_code_decides_over_a_name_from_elsewhere():
    assert geocode_one("5 rue X 42000 Saint-Étienne").commune.code == "42218"
    # Saint-Étienne is not served by 69100: the postal code's commune, at postal code precision.
    result = geocode_one("5 rue X 69100 Saint-Étienne")
    assert result.commune.code == "69266"
    assert (result.precision, result.label) == (Precision.POSTAL_CODE, "69100 Villeurbanne")


def test_an_address_without_any_commune_finds_nothing():
    assert geocode("12 rue Imaginaire") == []
    assert geocode("12 rue Imaginaire 99999 Nulle-Part") == []


def test_api_search_by_full_address_during_an_outage():
    PlaceFactory(name="Maison des langues", lon=4.8799, lat=45.7667)
    response = APIClient().get("/api/v1/places/", {"address": FULL_ADDRESS, "radius": 5})
    assert response.status_code == 200
    assert [f["properties"]["name"] for f in response.json()["features"]] == ["Maison des langues"]


def test_adding_a_place_during_an_outage_places_it_in_its_commune():
    place = Place(
        name="Permanence Kahn",
        organisation=OrganisationFactory(),
        street="12 rue Hippolyte Kahn",
        postal_code="69100",
        city="Villeurbanne",
        opening_hours="Mo-Fr 09:00-12:00",
    )
    place_save(place=place)
    place.refresh_from_db()
    villeurbanne = Commune.objects.get(code="69266")
    assert place.commune == villeurbanne
    assert place.location == villeurbanne.centre
    assert place.geocode_precision == Precision.COMMUNE


class BanWithoutMatch(BaseSyncAdapter):
    def get_json(self, url, *, timeout, headers):
        return {"type": "FeatureCollection", "features": []}

    get_text = get_json


def test_an_address_the_ban_does_not_know_is_not_passed_off_as_its_commune(monkeypatch):
    # The BAN is up and read the whole address: its commune's centre is no answer to it.
    monkeypatch.setattr(geopy.geocoders.options, "default_adapter_factory", BanWithoutMatch)
    assert geocode("12 rue de Nulle Part 69100 Villeurbanne") == []
    assert geocode_one("69100").commune.code == "69266"  # postal codes and names still do
