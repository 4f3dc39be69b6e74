"""The documentary base's pages, and what it adds to practice sheet and région pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.demo import load_demo
from resources.models import Bibliography, Notice, NoticeStatus
from tests.factories import OrganisationFactory, UserFactory
from tests.practices.factories import make_sheet

from .factories import make_bibliography, make_notice

pytestmark = pytest.mark.django_db

LIST_URL = reverse("resources:list")


def test_list_searches_and_counts_facets(client):
    make_notice("Apprendre la langue", themes=["langue"], region="84", year=2019, type="study")
    make_notice("Se loger", themes=["logement"], year=2020, type="guide")
    make_notice("Brouillon caché", status=NoticeStatus.DRAFT)
    response = client.get(LIST_URL, {"q": "langues"})
    assert response.status_code == 200
    assert [n.title for n in response.context["notices"]] == ["Apprendre la langue"]
    groups = {key: values for key, _label, values in response.context["facet_groups"]}
    assert [(v[0], v[2]) for v in groups["type"]] == [("study", 1)]
    assert [(v[0], v[2]) for v in groups["region"]] == [("84", 1)]
    response = client.get(LIST_URL, {"type": ["guide", "pas-un-type"], "year": ["2020", "x"]})
    assert [n.title for n in response.context["notices"]] == ["Se loger"]
    assert "Brouillon caché" not in response.content.decode()


def test_a_control_character_is_a_400_in_french(client):
    response = client.get(LIST_URL, {"q": "langue\x00"})
    assert response.status_code == 400
    assert "caractère de contrôle interdit" in response.content.decode()


def test_notice_page_shows_citation_and_links(client):
    sheet = make_sheet("Cafés des langues", communes=["69266"])
    notice = make_notice(
        "Les cafés des langues",
        authors=[("person", "Martin, Léa")],
        region="84",
        year=2021,
        publisher="Éditions du Réseau",
    )
    notice.practice_sheets.add(sheet)
    response = client.get(notice.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "MARTIN, Léa, 2021. <i>Les cafés des langues</i>. Éditions du Réseau." in body
    assert sheet.get_absolute_url() in body
    assert notice.region.get_absolute_url() in body
    assert reverse("resources:notice-export", args=[notice.slug, "ris"]) in body


def test_drafts_are_hidden_from_the_public_and_shown_to_their_centre(client):
    draft = make_notice("Notice en cours", status=NoticeStatus.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    editor = UserFactory(username="documentaliste")
    draft.author_centre.editors.add(editor)
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Aperçu : cette notice n'est pas publiée" in response.content.decode()


def test_the_pdf_is_served_for_a_published_notice_only(client):
    notice = make_notice("Avec PDF")
    notice.file = SimpleUploadedFile("x.pdf", b"%PDF-1.7\n%%EOF", "application/pdf")
    notice.save()
    url = reverse("resources:notice-file", args=[notice.slug])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.DRAFT)
    assert client.get(url).status_code == 404


def test_bibliography_page_is_ordered_printable_and_hides_drafts(client):
    first = make_notice("Premier", year=2020)
    second = make_notice("Second", year=2021)
    hidden = make_notice("Pas encore publiée", status=NoticeStatus.DRAFT)
    bibliography = make_bibliography(
        "Mixité sociale et logement", [second, hidden, first], kind="dossier"
    )
    response = client.get(bibliography.get_absolute_url())
    body = response.content.decode()
    assert [n.title for n, _citation in response.context["entries"]] == ["Second", "Premier"]
    assert "Pas encore publiée" not in body
    assert "Dossier documentaire" in body and "data-print" in body
    assert "resources/print.js" in body
    assert client.get(reverse("resources:bibliographies")).status_code == 200
    Bibliography.objects.filter(pk=bibliography.pk).update(status=NoticeStatus.DRAFT)
    assert client.get(bibliography.get_absolute_url()).status_code == 404


def test_bibliography_queries_do_not_grow_with_its_entries(client):
    notices = [make_notice(f"Document {i}", themes=["langue", "logement"]) for i in range(12)]
    small = make_bibliography("Trois documents", notices[:3])
    large = make_bibliography("Douze documents", notices)

    def queries(bibliography, fmt=None) -> int:
        url = (
            reverse("resources:bibliography-export", args=[bibliography.slug, fmt])
            if fmt
            else bibliography.get_absolute_url()
        )
        client.get(url)  # warm whatever is cached
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for fmt in (None, "ris", "bibtex"):
        assert queries(large, fmt) == queries(small, fmt), fmt


def test_year_parameters_that_only_look_like_digits_are_dropped(client):
    make_notice("Apprendre la langue", year=2019)
    for value in ("²", "٣", "２０１９"):
        response = client.get(LIST_URL, {"year": value})
        assert response.status_code == 200, value
        assert [n.title for n in response.context["notices"]] == ["Apprendre la langue"]
        export = client.get(reverse("resources:search-export", args=["ris"]), {"year": value})
        assert export.status_code == 200, value


def test_practice_sheet_and_region_pages_list_their_notices(client):
    sheet = make_sheet("Maison des langues", communes=["69123"])
    linked = make_notice("Bilan de la maison des langues")
    linked.practice_sheets.add(sheet)
    about_region = make_notice("Étude régionale", region="84")
    make_notice("Ailleurs", region="93")
    body = client.get(sheet.get_absolute_url()).content.decode()
    assert linked.get_absolute_url() in body
    assert about_region.get_absolute_url() not in body
    body = client.get(about_region.region.get_absolute_url()).content.decode()
    assert about_region.get_absolute_url() in body
    assert "Ailleurs" not in body
    organisation = OrganisationFactory(name="Association des langues")
    linked.organisations.add(organisation)
    body = client.get(organisation.get_absolute_url()).content.decode()
    assert linked.get_absolute_url() in body and about_region.get_absolute_url() not in body


def test_demo_loads_twice_and_its_pages_render(client):
    load_demo(write=True)
    report = load_demo(write=True)["resources.demo"]
    assert report["notices créées"] == 0
    published = Notice.objects.filter(status=NoticeStatus.PUBLISHED)
    assert published.count() >= 10  # those whose région the test database holds
    for notice in published[:5]:
        assert client.get(notice.get_absolute_url()).status_code == 200
    for bibliography in Bibliography.objects.all():
        assert client.get(bibliography.get_absolute_url()).status_code == 200
    assert client.get(LIST_URL).status_code == 200
