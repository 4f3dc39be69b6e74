import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.exports import rows, writers
from directory.exports.views import EXPORTS
from directory.selectors import published_places

from .conftest import streamed, streamed_json

pytestmark = pytest.mark.django_db


def test_index_lists_every_export_with_the_licences(client, directory):
    response = client.get(reverse("exports:index"))

    assert response.status_code == 200
    html = response.content.decode()
    for export in EXPORTS:
        assert f'href="{reverse(f"exports:{export.name}")}"' in html
    assert "Licence Ouverte 2.0" in html
    assert "INSEE" in html and "IGN" in html
    assert "lecture-ecriture-calcul--maitriser-le-francais" in html  # the mapping table
    assert "3 lieux d’accueil publiés" in html


def test_urls_are_the_documented_ones():
    assert [reverse(f"exports:{e.name}") for e in EXPORTS] == [
        "/exports/places.csv",
        "/exports/places.geojson",
        "/exports/data-inclusion/structures.json",
        "/exports/data-inclusion/services.json",
        "/exports/hsds/organizations.json",
        "/exports/hsds/services.json",
        "/exports/hsds/locations.json",
        "/exports/hsds/service_at_locations.json",
        "/exports/hsds/taxonomies.json",
        "/exports/hsds/taxonomy_terms.json",
    ]


@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: e.name)
def test_every_export_is_an_attachment_and_parses(client, directory, export):
    response = client.get(reverse(f"exports:{export.name}"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{export.filename}"'
    assert "max-age=" in response["Cache-Control"]
    body = streamed(response)
    if export.content_type.endswith("json"):
        assert json.loads(body.decode("utf-8"))
    else:
        assert body.count(b"\r\n") == 1 + len(directory["published"])


@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: e.name)
def test_exports_hold_published_places_only(client, directory, export):
    body = streamed(client.get(reverse(f"exports:{export.name}"))).decode()

    for place in directory["hidden"]:
        assert place.slug not in body and place.name not in body
    assert directory["hidden_organisation"].name not in body


def test_filters_narrow_every_place_export(client, directory):
    url = reverse("exports:places_geojson")

    by_department = streamed_json(client.get(url, {"department": "13"}))
    assert [f["properties"]["slug"] for f in by_department["features"]] == ["plateforme-marseille"]
    by_competence = streamed_json(
        client.get(url, {"competence": ["conseil-juridique", "apprentissage-francais"]})
    )
    assert {f["properties"]["slug"] for f in by_competence["features"]} == {
        "plateforme-lyon",
        "pad-saint-etienne",
    }
    by_region = streamed_json(
        client.get(reverse("exports:data_inclusion_structures"), {"region": "84"})
    )
    assert len(by_region) == 2  # Lyon and Saint-Étienne, not Marseille


def test_unknown_filter_value_is_a_400_that_names_it(client, db):
    response = client.get(reverse("exports:places_csv"), {"department": "99", "kind": "nope"})

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"department", "kind"}
    assert "99" in errors["department"][0]["message"]
    assert "nope" in errors["kind"][0]["message"]


def test_post_is_not_allowed(client, db):
    assert client.post(reverse("exports:places_csv")).status_code == 405


def _queries_to_write(export) -> int:
    sink = writers.Sink(io.BytesIO())
    with CaptureQueriesContext(connection) as queries, rows.snapshot():
        export.write(sink, published_places(), "http://testserver")
    return len(queries)


@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: e.name)
def test_query_count_does_not_grow_with_the_places(many_places, export):
    """A chunk of places costs a fixed number of queries (no query per place)."""
    before = _queries_to_write(export)
    for place in many_places:  # twice the places, with their kinds and competences
        competences, kinds = list(place.competences.all()), list(place.kinds.all())
        place.pk, place.slug = None, f"{place.slug}-bis"
        place.save()
        place.competences.set(competences)
        place.kinds.set(kinds)

    assert _queries_to_write(export) == before
