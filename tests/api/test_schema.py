"""The OpenAPI schema: valid, without warnings, in step with the router and the parameters."""

import pytest
import yaml
from django.core.management import call_command

from config.api_urls import router
from directory.api.params import PlaceQuerySerializer

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker):
    path = tmp_path_factory.mktemp("openapi") / "schema.yaml"
    with django_db_blocker.unblock():
        # Raises (SchemaGenerationError / SystemExit) on an invalid schema or any warning.
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_every_router_endpoint_is_documented(schema):
    paths = schema["paths"]
    for prefix, viewset, _basename in router.registry:
        assert f"/api/v1/{prefix}/" in paths, prefix
        if hasattr(viewset, "retrieve"):
            assert any(p.startswith(f"/api/v1/{prefix}/{{") for p in paths), prefix
    documented = {p.split("/")[3] for p in paths}
    assert documented == {prefix for prefix, _, _ in router.registry}


def test_only_reads_are_documented(schema):
    methods = {method for item in schema["paths"].values() for method in item}
    assert methods == {"get"}


def test_places_parameters_are_documented(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/places/"]["get"]["parameters"]}
    expected = set(PlaceQuerySerializer().fields)
    assert expected <= set(parameters)
    assert {"competence", "competence_match", "kind", "region", "department", "commune", "bbox",
            "near", "address", "radius", "open_now", "language", "q", "page",
            "page_size"} <= expected  # fmt: skip
    assert parameters["competence"]["schema"]["type"] == "array"
    assert parameters["radius"]["schema"]["minimum"] == 0.1
    assert parameters["radius"]["schema"]["maximum"] == 200
    assert parameters["page_size"]["schema"]["maximum"] == 200
    assert "ar" in parameters["language"]["schema"]["enum"]


def test_places_answer_is_a_feature_collection(schema):
    response = schema["paths"]["/api/v1/places/"]["get"]["responses"]["200"]
    assert "application/geo+json" in response["content"]
    page = schema["components"]["schemas"]["PaginatedPlaceFeatureList"]
    assert {"type", "count", "next", "previous", "features"} <= set(page["properties"])


def test_schema_views_are_public(api):
    assert api.get("/api/v1/schema/").status_code == 200
    json_schema = api.get("/api/v1/schema/?format=json")
    assert json_schema.status_code == 200 and "/api/v1/places/" in json_schema.json()["paths"]


@pytest.mark.parametrize(
    ("url", "asset"), [("/api/v1/docs/", "redoc"), ("/api/v1/redoc/", "redoc")]
)
def test_documentation_pages_use_local_assets(api, url, asset):
    response = api.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/static/drf_spectacular_sidecar/{asset}" in html
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html


def test_place_properties_in_step_with_the_answers(schema, api, directory):
    documented = schema["components"]["schemas"]["PlaceFeature"]["properties"]["properties"]
    answered = api.get("/api/v1/places/", {"near": "4.88,45.77"}).json()["features"][0]
    assert set(documented["properties"]) == set(answered["properties"])
