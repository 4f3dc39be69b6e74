"""Serving the built files: gzip, ETag and Last-Modified, 304, on-demand builds and 503s."""

import gzip
import json

import pytest
from django.urls import reverse
from django.utils.http import http_date

from directory.exports import builds, rows, views
from directory.exports.specs import EXPORTS_BY_NAME

from .conftest import BASE_URL, database_down, database_fails_after, streamed

pytestmark = pytest.mark.django_db

CSV_URL = "/exports/places.csv"
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def built(directory):
    """The CSV built in advance, as the nightly command leaves it."""
    return builds.build(EXPORTS_BY_NAME["places_csv"], base_url=BASE_URL)


def test_built_file_is_sent_gzip_encoded_to_clients_that_accept_it(client, built):
    response = client.get(CSV_URL, **GZIP)

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="reperes-lieux.csv"'
    assert "Accept-Encoding" in response["Vary"]
    assert response["ETag"] == f'"{built.sha256}"'
    assert response["Last-Modified"] == http_date(built.built.timestamp())
    assert int(response["Content-Length"]) == built.bytes
    assert "max-age=300" in response["Cache-Control"]
    raw = b"".join(response.streaming_content)
    assert raw == built.path().read_bytes()
    assert gzip.decompress(raw).startswith("\ufeffid,slug,".encode())


@pytest.mark.parametrize("accept", [None, "identity", "gzip;q=0, deflate", "br"])
def test_other_clients_get_the_file_decompressed(client, built, accept):
    headers = {"HTTP_ACCEPT_ENCODING": accept} if accept else {}
    response = client.get(CSV_URL, **headers)

    assert response.status_code == 200
    assert "Content-Encoding" not in response
    body = b"".join(response.streaming_content)
    assert body == gzip.decompress(built.path().read_bytes())
    assert int(response["Content-Length"]) == built.content_bytes == len(body)
    assert response["ETag"] == f'"{built.content_sha256}"'


def test_conditional_requests_get_a_304(client, built):
    etag = client.get(CSV_URL, **GZIP)["ETag"]

    again = client.get(CSV_URL, HTTP_IF_NONE_MATCH=etag, **GZIP)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    since = client.get(CSV_URL, HTTP_IF_MODIFIED_SINCE=http_date(built.built.timestamp()), **GZIP)
    assert since.status_code == 304
    other = client.get(CSV_URL, HTTP_IF_NONE_MATCH='"autre"', **GZIP)
    assert other.status_code == 200


def test_new_build_changes_etag_and_date(client, built, directory):
    old = client.get(CSV_URL, **GZIP)
    lyon = directory["published"][0]
    lyon.name = "Nouveau nom"
    lyon.save()
    builds.build(EXPORTS_BY_NAME["places_csv"], base_url=BASE_URL)

    response = client.get(CSV_URL, HTTP_IF_NONE_MATCH=old["ETag"], **GZIP)
    assert response.status_code == 200
    assert response["ETag"] != old["ETag"]
    assert "Nouveau nom" in streamed(response).decode()


def test_small_directory_gets_its_file_built_once_on_first_download(client, directory):
    assert builds.latest("places_geojson") is None

    first = client.get("/exports/places.geojson", **GZIP)
    build = builds.latest("places_geojson")
    assert first.status_code == 200 and build is not None
    assert len(json.loads(streamed(first))["features"]) == 3
    second = client.get("/exports/places.geojson", **GZIP)
    assert builds.latest("places_geojson") == build  # served, not built again
    assert second["ETag"] == first["ETag"]


def test_large_directory_without_a_build_gets_a_503_page(client, directory, monkeypatch):
    monkeypatch.setattr(views, "ON_DEMAND_MAX_PLACES", 2)

    response = client.get(CSV_URL)

    assert response.status_code == 503
    assert response["Retry-After"] == str(views.RETRY_AFTER)
    assert "no-store" in response["Cache-Control"]
    assert "en cours de préparation" in response.content.decode()
    assert builds.latest("places_csv") is None  # not built in the request


def test_database_down_without_a_build_is_a_503_never_cached(client, directory):
    with database_down():
        response = client.get(CSV_URL)

    assert response.status_code == 503
    assert "no-store" in response["Cache-Control"]
    assert "max-age" not in response["Cache-Control"]
    assert "base de l’annuaire ne répond pas" in response.content.decode()


def test_database_down_with_a_build_still_serves_the_file(client, built):
    with database_down():
        response = client.get(CSV_URL, **GZIP)
        body = b"".join(response.streaming_content)

    assert response.status_code == 200
    assert body == built.path().read_bytes()


def test_filtered_export_with_the_database_down_is_a_503(client, directory):
    with database_down():
        response = client.get(CSV_URL, {"department": "69"})

    assert response.status_code == 503
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["places_geojson", "data_inclusion_services", "hsds_services"])
def test_filtered_export_losing_the_database_half_way_is_a_503_not_a_cut_file(
    client, directory, monkeypatch, name
):
    url = reverse(f"exports:{name}")
    monkeypatch.setattr(rows, "CHUNK_SIZE", 1)
    with database_fails_after(None) as queries:
        whole = client.get(url, {"region": "84"})
    assert whole.status_code == 200

    with database_fails_after(len(queries) - 1):  # the last query fails
        response = client.get(url, {"region": "84"})

    assert response.status_code == 503
    assert "no-store" in response["Cache-Control"]


def test_filtered_export_is_whole_and_cacheable(client, directory):
    response = client.get(CSV_URL, {"department": "13"})

    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert int(response["Content-Length"]) == len(streamed(response))
    assert "max-age=300" in response["Cache-Control"]
    assert builds.latest("places_csv") is None  # a filtered export is not a build


def test_empty_filters_serve_the_whole_file(client, built):
    response = client.get(CSV_URL, {"region": "", "utm_source": "x"}, **GZIP)

    assert response["ETag"] == f'"{built.sha256}"'


def test_index_shows_each_file_date_and_size(client, built, exports_root):
    manifest = exports_root / "places_csv.json"
    data = json.loads(manifest.read_text())
    data.update(built_at="2026-12-01T11:00:00+00:00", content_bytes=12_345_678)
    manifest.write_text(json.dumps(data))

    html = client.get(reverse("exports:index")).content.decode()

    assert "mis à jour le 1er décembre 2026, 12,3 Mo" in html
    assert "en préparation" in html  # the files not built yet: the index builds none
    assert builds.latest("places_geojson") is None


def test_index_gives_small_sizes_in_kilobytes(client, built):
    html = client.get(reverse("exports:index")).content.decode()

    size = views.file_size(built.content_bytes)
    assert size.endswith(" ko") or size.endswith(" octets")
    assert f", {size}" in html
