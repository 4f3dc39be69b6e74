"""One geocoding budget per client address (GEOCODING_RATE), on every path where a typed
text reaches the geocoder chain: the API's `address=` and `/geocode/`, the search page and
the embed. An address already cached costs nothing.

The BAN is stubbed at geopy's HTTP adapter and answers every query, as in production when
it is up (its answers are cached; the gazetteer's fallback answers during an outage are not).
"""

from urllib.parse import parse_qs, urlsplit

import geopy.geocoders
import pytest
from geopy.adapters import BaseSyncAdapter
from rest_framework.test import APIClient

from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

RATE = 30
LIMITED = "momentanément limitée"
PLACE = "Relais Hippolyte Kahn"


class HealthyBan(BaseSyncAdapter):
    """The BAN, answering a house number in Villeurbanne for any query, and counting calls."""

    calls: list[str] = []

    def get_json(self, url, *, timeout, headers):
        query = parse_qs(urlsplit(url).query)["q"][0]
        HealthyBan.calls.append(query)
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [4.8799, 45.7667]},
                    "properties": {
                        "label": query,
                        "score": 0.9,
                        "citycode": "69266",
                        "type": "housenumber",
                    },
                }
            ],
        }

    get_text = get_json


@pytest.fixture
def ban(monkeypatch, settings):
    settings.GEOCODING_RATE = f"{RATE}/min"
    HealthyBan.calls = []
    monkeypatch.setattr(geopy.geocoders.options, "default_adapter_factory", HealthyBan)
    PlaceFactory(name=PLACE, lon=4.8799, lat=45.7667)
    return HealthyBan


def address(i: int) -> str:
    return f"{i + 1} rue Hippolyte Kahn 69100 Villeurbanne"


def api_places(client, text, **extra):
    return client.get("/api/v1/places/", {"address": text}, **extra)


def api_geocode(client, text, **extra):
    return client.get("/api/v1/geocode/", {"q": text}, **extra)


def search_page(client, text, **extra):
    return client.get("/annuaire/", {"q": text}, **extra)


def embed(client, text, **extra):
    return client.get("/embed/", {"search": "1", "q": text}, **extra)


API_PATHS = [api_places, api_geocode]
PAGE_PATHS = [search_page, embed]


def assert_api_limited(response):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert LIMITED in response.json()["detail"]


def assert_page_limited(response):
    assert response.status_code == 200
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert LIMITED in response.content.decode()


@pytest.mark.parametrize("path", API_PATHS, ids=lambda p: p.__name__)
def test_api_answers_429_past_the_budget(ban, path):
    client = APIClient()
    assert [path(client, address(i)).status_code for i in range(RATE)] == [200] * RATE
    assert len(ban.calls) == RATE
    assert_api_limited(path(client, address(RATE)))
    assert len(ban.calls) == RATE  # the geocoder was not asked
    # What is cached still answers; another client has its own budget.
    assert path(client, address(0)).status_code == 200
    assert path(client, address(RATE), REMOTE_ADDR="192.0.2.9").status_code == 200


@pytest.mark.parametrize("path", PAGE_PATHS, ids=lambda p: p.__name__)
def test_pages_still_answer_with_a_message_past_the_budget(ban, client, path):
    for i in range(RATE):
        response = path(client, address(i))
        assert response.status_code == 200
        assert LIMITED not in response.content.decode()
        assert PLACE in response.content.decode()
    limited = path(client, address(RATE))
    assert_page_limited(limited)
    assert len(ban.calls) == RATE
    if path is search_page:
        # Not every place listed as if no address had been typed: no result at all.
        assert PLACE not in limited.content.decode()
    again = path(client, address(0))
    assert again.status_code == 200 and LIMITED not in again.content.decode()


@pytest.mark.parametrize("path", API_PATHS + PAGE_PATHS, ids=lambda p: p.__name__)
def test_the_same_address_repeated_is_not_counted(ban, client, path):
    for _ in range(RATE * 2):
        response = path(client, address(0))
        assert response.status_code == 200
        assert LIMITED not in response.content.decode()
    assert len(ban.calls) == 1
    # The rest of the budget is still there for new addresses.
    for i in range(1, RATE):
        assert path(client, address(i)).status_code == 200
    assert len(ban.calls) == RATE


def test_one_budget_across_the_paths(ban, client):
    for i in range(RATE):
        path = [api_places, api_geocode, search_page, embed][i % 4]
        assert path(client, address(i)).status_code == 200
    assert_api_limited(api_places(client, address(RATE)))
    assert_api_limited(api_geocode(client, address(RATE + 1)))
    assert_page_limited(search_page(client, address(RATE + 2)))
    assert_page_limited(embed(client, address(RATE + 3)))


def test_fallback_answers_count_while_the_geocoder_is_down(client, settings):
    # The autouse offline adapter: every query reaches the BAN (in vain), then the gazetteer.
    settings.GEOCODING_RATE = "3/min"
    assert [api_geocode(client, "Villeurbanne").status_code for _ in range(3)] == [200] * 3
    assert_api_limited(api_geocode(client, "Villeurbanne"))


def test_rate_is_read_from_the_settings(ban, client, settings):
    settings.GEOCODING_RATE = "2/hour"
    assert api_geocode(client, address(0)).status_code == 200
    assert api_geocode(client, address(1)).status_code == 200
    refused = api_geocode(client, address(2))
    assert refused.status_code == 429
    assert 3000 < int(refused["Retry-After"]) <= 3600
