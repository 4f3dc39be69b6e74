"""Pages of the reference geography, their GeoJSON, and the read-only admin.

The session database holds the real communes of Ain, Bouches-du-Rhône, Loire,
Rhône and Val-d'Oise (see tests/conftest.py), hence three régions.
"""

import json
import re

import pytest
from django.urls import reverse

from geodata.models import Commune, Department, Region

pytestmark = pytest.mark.django_db

REGIONS = {
    "11": ("Île-de-France", "ile-de-france"),
    "84": ("Auvergne-Rhône-Alpes", "auvergne-rhone-alpes"),
    "93": ("Provence-Alpes-Côte d'Azur", "provence-alpes-cote-dazur"),
}
NBSP = "\xa0"


def french_number(value: int) -> str:
    return f"{value:,}".replace(",", NBSP)


def text(response) -> str:
    return response.content.decode()


def words(response) -> str:
    """The page's text without tags, whitespace collapsed."""
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", text(response)))


def test_home_lists_every_region_with_links_and_figures(client):
    response = client.get("/")
    assert response.status_code == 200
    html = text(response)
    assert '<html lang="fr" dir="ltr">' in html
    for name, slug in REGIONS.values():
        assert f'href="/regions/{slug}/"' in html
        assert name.replace("'", "&#x27;") in html
    ara = Region.objects.get(code="84")
    # Ain, Loire and Rhône are the départements loaded for Auvergne-Rhône-Alpes.
    assert f"3 départements · {french_number(ara.population)} habitants" in words(response)
    # French alphabetical order, whatever the database's collation does with "Î".
    positions = [html.index(f'href="/regions/{slug}/"') for _, slug in REGIONS.values()]
    assert positions[1] < positions[0] < positions[2]


def test_home_has_the_map_and_its_data_url(client):
    html = text(client.get("/"))
    assert 'id="regions-map"' in html
    assert f'data-geojson-url="{reverse("geodata:regions-geojson")}"' in html
    assert 'data-list="regions-list"' in html and 'id="regions-list"' in html
    assert "leaflet/leaflet.js" in html and "geodata/maps.js" in html
    assert "maisons des langues" in html
    assert "Licence Ouverte 2.0" in html and "contributeurs OpenStreetMap" in html


def test_region_page_lists_its_departements(client):
    response = client.get("/regions/auvergne-rhone-alpes/")
    assert response.status_code == 200
    html = text(response)
    assert "<h1>Auvergne-Rhône-Alpes</h1>" in html
    for department in Department.objects.filter(region__code="84"):
        assert f'href="{department.get_absolute_url()}"' in html
        assert f"<td>{department.code}</td>" in html
        assert french_number(department.population) in html
    assert "Bouches-du-Rhône" not in html
    assert 'data-geojson-url="/regions/auvergne-rhone-alpes.geojson"' in html


def test_unknown_region_gives_the_french_404_page(client):
    response = client.get("/regions/atlantide/")
    assert response.status_code == 404
    html = text(response)
    assert "Page introuvable" in html
    assert 'href="/"' in html and "Retour à l’accueil" in html


def test_unknown_department_gives_404(client):
    assert client.get("/departements/atlantide-99/").status_code == 404


def test_department_page(client):
    rhone = Department.objects.get(code="69")
    response = client.get(rhone.get_absolute_url())
    assert response.status_code == 200
    html = text(response)
    assert "Rhône" in html and '<span class="code-badge">69</span>' in html
    assert 'href="/regions/auvergne-rhone-alpes/"' in html
    assert french_number(rhone.population) in html
    assert f"<dd>{rhone.communes.count()}</dd>" in html
    assert 'data-geojson-url="/departements/rhone-69.geojson"' in html
    # The ten most populated communes, biggest first: Lyon, then Villeurbanne.
    rows = re.findall(r'<th scope="row">([^<]+)</th>', html)
    expected = list(
        Commune.objects.filter(department=rhone)
        .order_by("-population", "name")
        .values_list("name", flat=True)[:10]
    )
    assert rows == expected and rows[:2] == ["Lyon", "Villeurbanne"]
    assert "Les 10 communes les plus peuplées" in html


@pytest.mark.parametrize("how", ["header", "cookie"])
def test_english_version(client, how):
    if how == "cookie":
        client.cookies["django_language"] = "en"
        response = client.get("/")
    else:
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    html = text(response)
    assert '<html lang="en" dir="ltr">' in html
    assert "Skip to content" in html and "Regions" in html and ">Home</a>" in html
    ara = Region.objects.get(code="84")
    assert f"3 départements · {ara.population:,} inhabitants" in words(response)
    assert "Les régions" not in html


def test_english_404_and_region_page(client):
    client.cookies["django_language"] = "en"
    assert "Page not found" in text(client.get("/regions/atlantide/"))
    html = text(client.get("/regions/auvergne-rhone-alpes/"))
    assert "Départements of the Auvergne-Rhône-Alpes region" in html
    assert "Metropolitan France" in html


def test_language_switcher_sets_english(client):
    html = text(client.get("/regions/auvergne-rhone-alpes/"))
    assert 'action="/i18n/setlang/"' in html and 'name="language" value="en"' in html
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/regions/auvergne-rhone-alpes/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/regions/auvergne-rhone-alpes/"
    html = text(client.get("/regions/auvergne-rhone-alpes/"))
    assert '<html lang="en" dir="ltr">' in html and "Metropolitan France" in html


def test_regions_geojson_is_a_light_feature_collection(client, django_assert_num_queries):
    response = client.get("/regions.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    by_code = {f["properties"]["code"]: f for f in data["features"]}
    assert set(by_code) == set(REGIONS)
    for code, (name, slug) in REGIONS.items():
        feature = by_code[code]
        assert feature["properties"]["name"] == name
        assert feature["properties"]["url"] == f"/regions/{slug}/"
        assert feature["properties"]["zone"] == "metro"
        assert feature["geometry"]["type"] == "MultiPolygon"
    ring = by_code["84"]["geometry"]["coordinates"][0][0]
    assert ring[0] == ring[-1]
    assert all(3.6 < lon < 7.3 and 44.1 < lat < 46.9 for lon, lat in ring)
    assert all(round(v, 4) == v for point in ring for v in point)
    stored = Region.objects.get(code="84").boundary.num_coords
    assert sum(len(r) for p in by_code["84"]["geometry"]["coordinates"] for r in p) < stored / 2

    # Built once, then served from the cache.
    with django_assert_num_queries(0):
        assert client.get("/regions.geojson").content == response.content


def test_region_geojson_has_the_outline_and_the_departements(client):
    data = json.loads(client.get("/regions/auvergne-rhone-alpes.geojson").content)
    kinds = [(f["properties"]["kind"], f["properties"]["code"]) for f in data["features"]]
    assert kinds == [
        ("outline", "84"),
        ("department", "01"),
        ("department", "42"),
        ("department", "69"),
    ]
    rhone = data["features"][3]["properties"]
    assert rhone == {
        "code": "69",
        "name": "Rhône",
        "kind": "department",
        "url": "/departements/rhone-69/",
    }
    assert "url" not in data["features"][0]["properties"]


def test_department_geojson_and_unknown_slugs(client):
    data = json.loads(client.get("/departements/rhone-69.geojson").content)
    assert [f["properties"]["name"] for f in data["features"]] == ["Rhône"]
    assert client.get("/regions/atlantide.geojson").status_code == 404
    assert client.get("/departements/atlantide-99.geojson").status_code == 404


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_admin_shows_the_geography_read_only(admin_client):
    assert admin_client.get("/admin/geodata/region/").status_code == 200
    assert admin_client.get("/admin/geodata/commune/?q=69100").status_code == 200
    ara = Region.objects.get(code="84")
    page = admin_client.get(f"/admin/geodata/region/{ara.pk}/change/")
    assert page.status_code == 200
    html = text(page)
    assert "leaflet" in html and 'name="_save"' not in html
    assert admin_client.get("/admin/geodata/region/add/").status_code == 403
    response = admin_client.post(f"/admin/geodata/region/{ara.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Region.objects.filter(pk=ara.pk).exists()
