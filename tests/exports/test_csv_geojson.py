import csv
import io

import pytest
from django.urls import reverse

from directory.exports.csv_geojson import CSV_COLUMNS

from .conftest import LYON, MARSEILLE, SAINT_ETIENNE, streamed, streamed_json

pytestmark = pytest.mark.django_db


def _rows(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_csv_is_excel_friendly_utf8_with_bom_and_header(client, directory):
    response = client.get(reverse("exports:places_csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="reperes-lieux.csv"'
    body = streamed(response)
    assert body.startswith("\ufeff".encode())
    header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header == CSV_COLUMNS


def test_csv_has_one_row_per_published_place_with_its_values(client, directory):
    rows = {r["slug"]: r for r in _rows(streamed(client.get(reverse("exports:places_csv"))))}

    assert set(rows) == {"plateforme-lyon", "plateforme-marseille", "pad-saint-etienne"}
    lyon = rows["plateforme-lyon"]
    assert (float(lyon["lon"]), float(lyon["lat"])) == pytest.approx(LYON, abs=1e-6)
    assert lyon["organisation"] == "Passerelles Accueil"
    assert (
        lyon["competences"] == "accueil-orientation|sejour|apprentissage-francais"
    )  # taxonomy order
    assert lyon["kinds"] == "accueil-primo-arrivants|maison-des-langues"
    assert lyon["languages"] == "fr|en|ar"
    assert (lyon["commune_code"], lyon["department_code"], lyon["region_code"]) == (
        "69123",
        "69",
        "84",
    )
    assert lyon["postal_code"] == "69007"
    assert lyon["name"] == "Plateforme d'accueil — Lyon 7e"  # accents survive the round trip
    assert lyon["opening_hours"] == "Mo-Fr 09:00-12:00,14:00-17:00; We 09:00-12:00"
    assert lyon["last_verified"] == "2025-03-01"
    assert lyon["url"] == "http://testserver/annuaire/lieux/plateforme-lyon/"
    marseille = rows["plateforme-marseille"]
    assert (float(marseille["lon"]), float(marseille["lat"])) == pytest.approx(MARSEILLE, abs=1e-6)
    assert marseille["department"] == "Bouches-du-Rhône"
    assert marseille["appointment_only"] == "true"


def test_geojson_is_a_feature_collection_of_published_places_in_lon_lat(client, directory):
    response = client.get(reverse("exports:places_geojson"))

    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Disposition"] == 'attachment; filename="reperes-lieux.geojson"'
    data = streamed_json(response)
    assert data["type"] == "FeatureCollection"
    by_slug = {f["properties"]["slug"]: f for f in data["features"]}
    assert set(by_slug) == {"plateforme-lyon", "plateforme-marseille", "pad-saint-etienne"}
    for slug, (lon, lat) in {
        "plateforme-lyon": LYON,
        "plateforme-marseille": MARSEILLE,
        "pad-saint-etienne": SAINT_ETIENNE,
    }.items():
        geometry = by_slug[slug]["geometry"]
        assert geometry["type"] == "Point"
        assert geometry["coordinates"] == pytest.approx([lon, lat], abs=1e-6)
    lyon = by_slug["plateforme-lyon"]["properties"]
    assert lyon["competences"] == ["accueil-orientation", "sejour", "apprentissage-francais"]
    assert lyon["commune"] == "Lyon"


def test_empty_directory_gives_valid_empty_files(client, db):
    assert streamed_json(client.get(reverse("exports:places_geojson")))["features"] == []
    assert _rows(streamed(client.get(reverse("exports:places_csv")))) == []
