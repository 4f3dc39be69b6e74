"""A bibliography as a PDF: its citations in order, cached, and a budget per client."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from resources.models import Bibliography, NoticeStatus

from .factories import make_bibliography, make_notice

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def pdf_url(bibliography: Bibliography) -> str:
    return reverse("resources:bibliography-pdf", args=[bibliography.slug])


def test_the_pdf_holds_the_published_citations_in_order(client):
    first = make_notice("Apprendre le français au travail", year=2019, publisher="Éditions A")
    second = make_notice("Laïcité et services publics", year=2021)
    hidden = make_notice("Brouillon interne", status=NoticeStatus.DRAFT)
    bibliography = make_bibliography(
        "Langue et emploi", [second, hidden, first], introduction="Une sélection commentée."
    )
    page = client.get(bibliography.get_absolute_url()).content.decode()
    assert pdf_url(bibliography) in page

    response = client.get(pdf_url(bibliography))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{bibliography.slug}.pdf"' in response["Content-Disposition"]
    pages, text = pdf_text(response.content)
    assert pages == 1
    assert "Langue et emploi" in text and "Une sélection commentée." in text
    assert text.index("Laïcité et services publics") < text.index("Apprendre le français")
    assert "Brouillon interne" not in text
    assert "2 documents" in text
    assert second.get_absolute_url() in text.replace("\n", "")


def test_a_draft_bibliography_has_no_pdf(client):
    bibliography = make_bibliography(
        "Pas prête", [make_notice("Un document")], status=NoticeStatus.DRAFT
    )
    assert client.get(pdf_url(bibliography)).status_code == 404


def test_the_pdf_is_built_once_and_rebuilt_when_a_notice_changes(client, settings):
    settings.BIBLIOGRAPHY_PDF_RATE = "1/hour"
    notice = make_notice("Accès aux droits des personnes âgées immigrées")
    bibliography = make_bibliography("Vieillir ici", [notice])
    first = client.get(pdf_url(bibliography))
    assert first.status_code == 200
    # The second download comes from the cache: it does not spend the budget.
    assert client.get(pdf_url(bibliography)).content == first.content

    notice.title = "Accès aux droits des aînés immigrés"
    notice.save()
    refused = client.get(pdf_url(bibliography))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    body = refused.content.decode()
    assert "Trop de PDF demandés" in body and 'role="alert"' in body
    # The page itself still lists the documents, so nothing is lost.
    assert "Accès aux droits des aînés immigrés" in body


def test_a_weasyprint_failure_is_a_503_with_the_page(client, monkeypatch):
    bibliography = make_bibliography("Mixité", [make_notice("Logement et mixité")])

    def broken(html, *, base_url):
        raise RuntimeError("no fonts")

    monkeypatch.setattr("resources.printing.render_pdf", broken)
    response = client.get(pdf_url(bibliography))
    assert response.status_code == 503
    assert "Le PDF n’a pas pu être produit" in response.content.decode()


def test_a_pdf_download_is_counted_as_a_download(client):
    from core.usage.models import UsageCounter

    bibliography = make_bibliography("Laïcité", [make_notice("La laïcité expliquée")])
    agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
    assert client.get(pdf_url(bibliography), HTTP_USER_AGENT=agent).status_code == 200
    downloads = UsageCounter.objects.filter(metric="download")
    assert list(downloads.values_list("key", "count")) == [(pdf_url(bibliography).lstrip("/"), 1)]
