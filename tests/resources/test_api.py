"""/api/v1/notices/: published notices only, filtered and searched, parameters checked."""

import pytest
from django.urls import reverse

from resources.models import NoticeStatus
from tests.practices.factories import make_sheet

from .factories import make_notice

pytestmark = pytest.mark.django_db

URL = reverse("api:notice-list")


@pytest.fixture
def notices():
    return [
        make_notice("Apprendre la langue", type="study", year=2019, region="84"),
        make_notice("Se loger", themes=["logement"], type="guide", year=2020),
        make_notice("Caché", status=NoticeStatus.DRAFT),
    ]


def test_list_and_filters(client, notices):
    body = client.get(URL).json()
    assert sorted(n["title"] for n in body["results"]) == ["Apprendre la langue", "Se loger"]
    assert [n["title"] for n in client.get(URL, {"q": "langues"}).json()["results"]] == [
        "Apprendre la langue"
    ]
    assert [n["title"] for n in client.get(URL, {"type": "guide"}).json()["results"]] == [
        "Se loger"
    ]
    assert [n["title"] for n in client.get(URL, {"region": "84"}).json()["results"]] == [
        "Apprendre la langue"
    ]
    first = client.get(URL, {"year": "2019"}).json()["results"][0]
    assert first["authors"] == [{"kind": "person", "name": "Dupont, Marie"}]
    assert first["citation"].startswith("DUPONT, Marie, 2019. Apprendre la langue.")
    assert first["url"].endswith(notices[0].get_absolute_url())


def test_drafts_are_404(client, notices):
    assert client.get(reverse("api:notice-detail", args=[notices[2].pk])).status_code == 404
    assert client.get(reverse("api:notice-detail", args=[notices[0].pk])).status_code == 200


def test_only_published_practice_sheets_are_linked(client, notices):
    published = make_sheet("Cafés des langues", slug="cafes-des-langues")
    draft = make_sheet("Brouillon secret", slug="brouillon-secret", status=NoticeStatus.DRAFT)
    notices[0].practice_sheets.add(published, draft)
    detail = client.get(reverse("api:notice-detail", args=[notices[0].pk])).json()
    assert detail["practice_sheets"] == ["cafes-des-langues"]
    listed = client.get(URL, {"year": "2019"}).json()["results"][0]
    assert listed["practice_sheets"] == ["cafes-des-langues"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"type": "roman"}, "type"), ({"year": "deux"}, "year"), ({"region": "99"}, "region")],
)
def test_bad_parameters_are_400_naming_them(client, notices, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()
