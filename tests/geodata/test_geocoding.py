"""The geocoder chain, with geopy stubbed at its HTTP adapter and the real test geography.

Nothing here reaches the network: an autouse fixture replaces geopy's default
adapter with one that fails the test, and each test hands `geocode()` a fake
adapter answering canned BAN / Nominatim JSON.
"""

import copy
import logging
from typing import Any
from urllib.parse import parse_qs, urlsplit

import geopy.geocoders
import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ImproperlyConfigured
from geopy.adapters import AdapterHTTPError, BaseSyncAdapter
from geopy.exc import GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable

from geodata.geocoding import (
    GeocodingInputError,
    Precision,
    geocode,
    geocode_one,
    reverse_geocode,
)

pytestmark = pytest.mark.django_db

BAN = "api-adresse.data.gouv.fr"
NOMINATIM = "nominatim.openstreetmap.org"
LAZARE_GOUJON = "10 place Lazare Goujon 69100 Villeurbanne"


def ban_answer(query: str, *features: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "version": "draft",
        "features": list(features),
        "attribution": "BAN",
        "licence": "ETALAB-2.0",
        "query": query,
        "limit": 5,
    }


BAN_LAZARE_GOUJON = ban_answer(
    LAZARE_GOUJON,
    {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [4.879921, 45.766715]},
        "properties": {
            "label": "10 Place Lazare Goujon 69100 Villeurbanne",
            "score": 0.9747,
            "housenumber": "10",
            "id": "69266_3510_00010",
            "name": "10 Place Lazare Goujon",
            "postcode": "69100",
            "citycode": "69266",
            "x": 845962.67,
            "y": 6519780.05,
            "city": "Villeurbanne",
            "context": "69, Rhône, Auvergne-Rhône-Alpes",
            "type": "housenumber",
            "importance": 0.72,
            "street": "Place Lazare Goujon",
        },
    },
)

# Lyon's addresses carry the arrondissement's code (69382), which is not a commune.
BAN_BELLECOUR = ban_answer(
    "place Bellecour Lyon",
    {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [4.832011, 45.757814]},
        "properties": {
            "label": "Place Bellecour 69002 Lyon",
            "score": 0.9321,
            "id": "69382_0560",
            "name": "Place Bellecour",
            "postcode": "69002",
            "citycode": "69382",
            "x": 842288.93,
            "y": 6519260.07,
            "city": "Lyon",
            "district": "Lyon 2e Arrondissement",
            "context": "69, Rhône, Auvergne-Rhône-Alpes",
            "type": "street",
            "importance": 0.77,
            "street": "Place Bellecour",
        },
    },
)

NOMINATIM_LAZARE_GOUJON = [
    {
        "place_id": 83018562,
        "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
        "osm_type": "node",
        "osm_id": 2496046367,
        "lat": "45.7666830",
        "lon": "4.8797853",
        "class": "place",
        "type": "house",
        "place_rank": 30,
        "importance": 0.00001,
        "addresstype": "place",
        "name": "",
        "display_name": "10, Place Lazare Goujon, Gratte-Ciel, Villeurbanne, Lyon, Rhône, "
        "Auvergne-Rhône-Alpes, France métropolitaine, 69100, France",
        "address": {
            "house_number": "10",
            "road": "Place Lazare Goujon",
            "suburb": "Gratte-Ciel",
            "city": "Villeurbanne",
            "county": "Rhône",
            "state": "Auvergne-Rhône-Alpes",
            "postcode": "69100",
            "country": "France",
            "country_code": "fr",
        },
        "boundingbox": ["45.7666330", "45.7667330", "4.8797353", "4.8798353"],
    }
]


class FakeHTTP:
    """geopy's HTTP boundary: canned answers by (host, q), every requested URL recorded.

    An answer registered with q=None stands for any query to that host; an
    exception as answer is raised, as a real adapter would.
    """

    def __init__(self) -> None:
        self.answers: dict[tuple[str, str | None], Any] = {
            (BAN, None): ban_answer(""),
            (NOMINATIM, None): [],
        }
        self.urls: list[str] = []

    def answer(self, host: str, query: str | None, payload: Any) -> None:
        self.answers[(host, query)] = payload

    def hosts(self) -> list[str]:
        return [urlsplit(url).netloc for url in self.urls]

    def respond(self, url: str) -> Any:
        self.urls.append(url)
        parts = urlsplit(url)
        query = parse_qs(parts.query).get("q", [""])[0]
        payload = self.answers.get((parts.netloc, query), self.answers[(parts.netloc, None)])
        if isinstance(payload, Exception):
            raise payload
        return payload

    def adapter_factory(self, *, proxies: Any, ssl_context: Any) -> BaseSyncAdapter:
        return _FakeAdapter(self, proxies=proxies, ssl_context=ssl_context)


class _FakeAdapter(BaseSyncAdapter):
    def __init__(self, http: FakeHTTP, *, proxies: Any, ssl_context: Any) -> None:
        super().__init__(proxies=proxies, ssl_context=ssl_context)
        self.http = http

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        return self.http.respond(url)

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        return str(self.http.respond(url))


class _NoNetwork(BaseSyncAdapter):
    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        raise AssertionError(f"A test tried to reach the network: {url}")

    get_text = get_json


@pytest.fixture(autouse=True)
def _no_network(monkeypatch, settings):
    monkeypatch.setattr(geopy.geocoders.options, "default_adapter_factory", _NoNetwork)
    settings.GEOCODERS = ["ban", "gazetteer"]


@pytest.fixture
def http() -> FakeHTTP:
    return FakeHTTP()


def run(http: FakeHTTP, text: str, **kwargs: Any):
    return geocode(text, adapter_factory=http.adapter_factory, **kwargs)


def test_ban_address_gives_point_commune_and_address_precision(http):
    http.answer(BAN, LAZARE_GOUJON, BAN_LAZARE_GOUJON)
    [result] = run(http, LAZARE_GOUJON)
    assert result.source == "ban"
    assert result.precision == Precision.ADDRESS
    assert result.precision.label == "adresse"
    assert result.label == "10 Place Lazare Goujon 69100 Villeurbanne"
    assert (result.point.x, result.point.y) == pytest.approx((4.879921, 45.766715))
    assert result.point.srid == 4326
    assert result.commune.code == "69266"
    assert result.commune.name == "Villeurbanne"
    assert result.score == pytest.approx(0.9747)
    assert http.hosts() == [BAN]
    assert "timeout" not in http.urls[0]  # the timeout goes to the adapter, not the API


@pytest.mark.parametrize(
    "ban_type, precision",
    [
        ("housenumber", Precision.ADDRESS),
        ("street", Precision.STREET),
        ("locality", Precision.STREET),
        ("municipality", Precision.COMMUNE),
    ],
)
def test_ban_type_gives_precision(http, ban_type, precision):
    answer = copy.deepcopy(BAN_LAZARE_GOUJON)
    answer["features"][0]["properties"]["type"] = ban_type
    http.answer(BAN, LAZARE_GOUJON, answer)
    assert run(http, LAZARE_GOUJON)[0].precision == precision


def test_ban_street_in_an_arrondissement_belongs_to_the_commune(http):
    http.answer(BAN, "place Bellecour Lyon", BAN_BELLECOUR)
    result = geocode_one("place Bellecour Lyon", adapter_factory=http.adapter_factory)
    assert result.precision == Precision.STREET
    assert result.commune.code == "69123"


@pytest.mark.parametrize(
    "failure",
    [
        GeocoderTimedOut("Service timed out"),
        GeocoderServiceError("HTTP Error 500: Internal Server Error"),
        GeocoderUnavailable("Service not available"),
        AdapterHTTPError("Bad request", status_code=400, headers={}, text="{}"),
        {"features": [{"geometry": None}]},  # garbled JSON
        {"features": [{"geometry": {"coordinates": [4.88, 45.77]}}]},  # no properties
        "<html>Maintenance</html>",
    ],
    ids=["timeout", "service-error", "unavailable", "http-400", "no-geometry", "no-props", "html"],
)
@pytest.mark.parametrize(
    "query, precision, label",
    [
        ("Villeurbanne", Precision.COMMUNE, "Villeurbanne (69)"),
        ("69100", Precision.POSTAL_CODE, "69100 Villeurbanne"),
    ],
)
def test_ban_failure_falls_back_to_gazetteer(http, failure, query, precision, label):
    http.answer(BAN, None, failure)
    result = run(http, query)[0]
    assert http.hosts() == [BAN]
    assert result.source == "gazetteer"
    assert result.commune.code == "69266"
    assert result.precision == precision
    assert result.label == label
    assert result.point == result.commune.centre
    assert result.score is None


def test_ban_failure_is_logged(http, caplog):
    http.answer(BAN, None, GeocoderTimedOut("Service timed out"))
    with caplog.at_level(logging.WARNING, logger="geodata.geocoding"):
        run(http, "Villeurbanne")
    assert "Geocoder ban failed" in caplog.text


def test_ban_without_match_falls_back_to_gazetteer(http):
    [first, *_] = run(http, "Saint-Étienne")
    assert http.hosts() == [BAN]
    assert (first.source, first.commune.code) == ("gazetteer", "42218")


def test_insee_code_is_not_called_a_postal_code(http):
    result = run(http, "69123")[0]  # Lyon's INSEE code; its postal codes are 69001–69009
    assert result.commune.code == "69123"
    assert result.precision == Precision.COMMUNE


def test_nominatim_when_configured(http, settings):
    settings.GEOCODERS = ["nominatim", "gazetteer"]
    query = "10 place Lazare Goujon Villeurbanne"
    http.answer(NOMINATIM, query, NOMINATIM_LAZARE_GOUJON)
    [result] = run(http, query)
    assert result.source == "nominatim"
    assert result.precision == Precision.ADDRESS
    assert (result.point.x, result.point.y) == pytest.approx((4.8797853, 45.766683))
    assert result.commune.code == "69266"  # from the point: Nominatim has no INSEE code
    assert http.hosts() == [NOMINATIM]
    params = parse_qs(urlsplit(http.urls[0]).query)
    assert params["countrycodes"] == ["fr"]


def test_nominatim_failure_falls_back(http, settings):
    settings.GEOCODERS = ["nominatim", "gazetteer"]
    http.answer(NOMINATIM, None, GeocoderTimedOut("Service timed out"))
    assert run(http, "Villeurbanne")[0].source == "gazetteer"


@pytest.mark.parametrize(
    "chain, source, hosts",
    [
        (["gazetteer", "ban"], "gazetteer", []),
        (["ban", "gazetteer"], "ban", [BAN]),
        (["nominatim", "ban", "gazetteer"], "ban", [NOMINATIM, BAN]),
        (["ban", "nominatim", "gazetteer"], "ban", [BAN]),
    ],
)
def test_chain_order_follows_settings(http, settings, chain, source, hosts):
    settings.GEOCODERS = chain
    http.answer(BAN, None, BAN_LAZARE_GOUJON)
    assert run(http, "Villeurbanne")[0].source == source
    assert http.hosts() == hosts


def test_unknown_geocoder_is_a_configuration_error(http, settings):
    settings.GEOCODERS = ["ban", "googel"]
    with pytest.raises(ImproperlyConfigured):
        run(http, "Villeurbanne")


def test_second_call_is_served_from_cache(http):
    http.answer(BAN, LAZARE_GOUJON, BAN_LAZARE_GOUJON)
    first = run(http, LAZARE_GOUJON)
    again = run(http, "  10 Place Lazare  Goujon 69100 villeurbanne ")
    assert len(http.urls) == 1
    assert again == first
    assert again[0].commune.name == "Villeurbanne"


def test_cache_depends_on_chain_and_limit(http, settings):
    http.answer(BAN, LAZARE_GOUJON, BAN_LAZARE_GOUJON)
    run(http, LAZARE_GOUJON)
    run(http, LAZARE_GOUJON, limit=1)
    settings.GEOCODERS = ["nominatim", "ban"]
    run(http, LAZARE_GOUJON)
    assert http.hosts() == [BAN, BAN, NOMINATIM, BAN]


def test_fallback_after_outage_is_not_cached(http):
    http.answer(BAN, None, GeocoderTimedOut("Service timed out"))
    assert run(http, "Villeurbanne")[0].source == "gazetteer"
    http.answer(BAN, None, BAN_LAZARE_GOUJON)
    assert run(http, "Villeurbanne")[0].source == "ban"
    assert len(http.urls) == 2


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_gives_nothing_without_asking(http, text):
    assert run(http, text) == []
    assert geocode_one(text, adapter_factory=http.adapter_factory) is None
    assert http.urls == []


def test_gibberish_gives_nothing(http):
    assert run(http, "xqzwvkjh") == []
    assert http.hosts() == [BAN]


def test_too_long_text_is_refused_in_french(http):
    with pytest.raises(GeocodingInputError, match="trop longue") as error:
        run(http, "x" * 5000)
    assert isinstance(error.value, ValueError)
    assert http.urls == []
    assert run(http, "x" * 200) == []


@pytest.mark.parametrize(
    "text", ["a\x00b", "\ud800", "🙂🙂", "%", "_", "' OR 1=1 --", "-69", "é", "<script>"]
)
def test_odd_strings_never_raise(http, text):
    assert isinstance(run(http, text), list)


def test_limit_is_passed_on_and_respected(http):
    lyon = run(http, "lyon", limit=2)
    assert len(lyon) == 2
    assert parse_qs(urlsplit(http.urls[0]).query)["limit"] == ["2"]


def test_reverse_geocode_in_lyon():
    commune = reverse_geocode(Point(4.832011, 45.757814, srid=4326))
    assert commune.code == "69123"


def test_reverse_geocode_outside_loaded_geography():
    assert reverse_geocode(Point(-30.0, 40.0, srid=4326)) is None
