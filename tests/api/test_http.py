"""HTTP behaviour shared by every endpoint: conditional GET, CORS, throttling, access."""

import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils.http import http_date

from .support import PLACES

pytestmark = pytest.mark.django_db


# --- conditional requests -------------------------------------------------------------


def test_list_carries_etag_and_last_modified(api, directory):
    response = api.get(PLACES)
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    newest = max(p.updated_at for k, p in directory.items() if k != "draft")
    assert response["Last-Modified"] == http_date(int(newest.timestamp()))
    assert "no-cache" in response["Cache-Control"]


def test_if_none_match_gives_304(api, directory):
    first = api.get(PLACES, {"competence": "sejour"})
    again = api.get(PLACES, {"competence": "sejour"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    other = api.get(PLACES, {"competence": "sejour"}, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_if_modified_since_gives_304(api, directory):
    first = api.get(PLACES)
    again = api.get(PLACES, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304
    older = http_date(time.time() - 3 * 24 * 3600)
    assert api.get(PLACES, HTTP_IF_MODIFIED_SINCE=older).status_code == 200


def test_a_change_changes_the_etag(api, directory):
    first = api.get(PLACES)
    place = directory["lyon"]
    place.name = "Permanence juridique (nouveau nom)"
    place.save()
    again = api.get(PLACES, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_detail_and_unpaginated_lists_are_conditional_too(api, directory):
    place = directory["villeurbanne"]
    detail = api.get(f"{PLACES}{place.pk}/")
    assert detail["Last-Modified"] == http_date(int(place.updated_at.timestamp()))
    assert api.get(f"{PLACES}{place.pk}/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304
    regions = api.get("/api/v1/regions/")
    assert "Last-Modified" not in regions  # no modification date to give
    again = api.get("/api/v1/regions/", HTTP_IF_NONE_MATCH=regions["ETag"])
    assert again.status_code == 304


def test_errors_carry_no_etag(api):
    response = api.get(PLACES, {"bbox": "nope"})
    assert response.status_code == 400 and "ETag" not in response


# --- CORS -----------------------------------------------------------------------------


def test_cors_header_on_a_get_with_origin(api, directory):
    response = api.get(PLACES, HTTP_ORIGIN="https://carte.example.org")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    exposed = response["Access-Control-Expose-Headers"].lower()
    assert "etag" in exposed and "last-modified" in exposed


def test_cors_preflight_allows_conditional_headers(api):
    response = api.options(
        PLACES,
        HTTP_ORIGIN="https://carte.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 200
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "POST" not in response["Access-Control-Allow-Methods"]
    assert "if-none-match" in response["Access-Control-Allow-Headers"]


def test_no_cors_outside_the_api(client):
    response = client.get("/annuaire/", HTTP_ORIGIN="https://carte.example.org")
    assert "Access-Control-Allow-Origin" not in response


# --- throttling -----------------------------------------------------------------------


def test_anonymous_clients_are_throttled(api):
    rates = {"anon": "3/min"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        cache.clear()
        statuses = [api.get("/api/v1/competences/").status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
        refused = api.get("/api/v1/kinds/")  # the budget is per client, for every endpoint
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0
        assert "detail" in refused.json()
        # Another address has its own budget.
        assert api.get("/api/v1/kinds/", REMOTE_ADDR="10.1.2.3").status_code == 200


def test_geocoder_has_its_own_tighter_budget(api):
    # Offline in tests: each "Lyon" falls back to the gazetteer, is not cached, and counts
    # (tests/geodata/test_geocoding_budget.py covers every path and the cache).
    rates = {"anon": "100/min"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates},
        GEOCODING_RATE="2/min",
    ):
        cache.clear()
        assert [api.get("/api/v1/geocode/", {"q": "Lyon"}).status_code for _ in range(2)] == [
            200,
            200,
        ]
        assert api.get("/api/v1/geocode/", {"q": "Lyon"}).status_code == 429
        assert api.get("/api/v1/kinds/").status_code == 200


# --- access ---------------------------------------------------------------------------


def test_api_root_lists_the_endpoints_anonymously(api):
    response = api.get("/api/v1/")
    assert response.status_code == 200
    assert {"places", "organisations", "practices", "regions", "departments", "competences",
            "themes", "kinds", "geocode"} <= set(response.json())  # fmt: skip


def test_the_default_permission_stays_admin_only():
    assert settings.REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] == [
        "rest_framework.permissions.IsAdminUser"
    ]
