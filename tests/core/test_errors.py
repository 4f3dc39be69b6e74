"""Errors under /api/ answer JSON, as the API's own views do; the site's pages answer HTML."""

import pytest

pytestmark = pytest.mark.django_db


def assert_json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    detail = response.json()["detail"]
    assert detail and isinstance(detail, str)
    return detail


@pytest.mark.parametrize("url", ["/api/v1/xyz", "/api/v1/xyz/", "/api/v2/places/", "/api/"])
def test_unknown_api_url_is_a_json_404(client, url):
    detail = assert_json_error(client.get(url), 404)
    assert "n’existe pas dans l’API" in detail


def test_api_views_still_answer_their_own_404(client):
    assert_json_error(client.get("/api/v1/places/no-such-place/"), 404)


def test_unknown_page_is_the_html_404(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Page introuvable" in response.content.decode()


@pytest.mark.urls("tests.core.boom_urls")
def test_server_error_under_api_is_json(client):
    client.raise_request_exception = False
    detail = assert_json_error(client.get("/api/v1/boom/"), 500)
    assert "a bug" not in detail


@pytest.mark.urls("tests.core.boom_urls")
def test_server_error_elsewhere_is_html(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_health_check_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
