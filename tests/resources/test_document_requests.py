"""« Demander ce document » and « Trouver une structure ressource »: forms, e-mails, spam
guards, counting in the activity report, and nothing personal kept."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.usage import report
from core.usage.models import UsageCounter, UsageSalt, UsageVisitor
from resources.models import NoticeStatus
from tests.practices.factories import member_centre
from tests.resources.factories import make_notice

pytestmark = pytest.mark.django_db

REQUESTER = {
    "name": "Amina Benali",
    "email": "amina@example.org",
    "phone": "06 12 34 56 78",
    "organisation": "Association Lire Ensemble",
    "message": "Je voudrais l'emprunter pour une formation de bénévoles en mars.",
}
ORGANISATION_REQUEST = {
    "name": "Jules Martin",
    "email": "jules@example.org",
    "phone": "",
    "organisation": "",
    "region": "84",
    "theme": "langue",
    "message": "Un centre de documentation sur l'apprentissage du français près de Lyon.",
}
IP = "203.0.113.7"


@pytest.fixture
def centre():
    return member_centre("Centre ressources Rhône", email="doc@centre-rhone.example.org")


@pytest.fixture
def notice(centre):
    return make_notice(
        "Apprendre le français en famille",
        holding_centre=centre,
        lendable=True,
        year=2021,
        publisher="Éditions du Réseau",
    )


def request_url(notice) -> str:
    return reverse("resources:notice-request", kwargs={"slug": notice.slug})


def sent_url(notice) -> str:
    return reverse("resources:notice-request-sent", kwargs={"slug": notice.slug})


ORGANISATION_URL = reverse("resources:organisation-request")
ORGANISATION_SENT_URL = reverse("resources:organisation-request-sent")


def counters() -> dict[tuple[str, str], int]:
    return {(c.metric, c.key): c.count for c in UsageCounter.objects.all()}


# -- where the form is offered ------------------------------------------------------------


def test_lendable_notice_links_to_its_request_form(client, notice):
    html = client.get(notice.get_absolute_url()).content.decode()
    assert re.search(
        rf'<a class="button" href="{re.escape(request_url(notice))}">Demander ce document</a>',
        html,
    )
    assert "Centre ressources Rhône détient ce document et peut le prêter" in html


def test_form_page(client, notice):
    response = client.get(request_url(notice))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Demander ce document</h1>" in html
    assert notice.title in html and "Centre ressources Rhône" in html
    for label in (
        '<label for="id_name">Votre nom',
        '<label for="id_email">Votre courriel',
        '<label for="id_phone">Votre téléphone (facultatif)',
        '<label for="id_organisation">Votre structure (facultatif)',
        '<label for="id_message">Votre demande',
    ):
        assert label in html
    assert re.search(r'<input type="tel" name="phone"', html)
    assert re.search(r'<input type="text" name="website"[^>]*tabindex="-1"', html)
    assert '<div class="report-form__trap" aria-hidden="true">' in html
    # What is done with the data is said before sending.
    assert "seulement pour vous répondre" in html
    assert "nous comptons seulement le nombre de demandes" in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        ({"lendable": False}, "Ce document ne se prête pas : il est consultable sur place chez"),
        ({"lendable": True, "centre_email": ""}, "prenez contact avec le centre"),
        ({"holding_centre": None, "url": "https://example.org/doc"}, "il se consulte en ligne"),
        ({"holding_centre": None}, "demandez au réseau une structure ressource"),
    ],
    ids=["not-lendable", "centre-without-email", "online", "nowhere"],
)
def test_no_form_where_it_cannot_be_requested(client, centre, fields, sentence):
    if "centre_email" in fields:
        centre.email = fields.pop("centre_email")
        centre.save()
    fields.setdefault("holding_centre", centre)
    notice = make_notice("Guide sans prêt", **fields)
    html = client.get(notice.get_absolute_url()).content.decode()
    assert sentence in html
    assert request_url(notice) not in html
    response = client.get(request_url(notice))
    assert response.status_code == 404
    assert sentence in response.content.decode()
    assert 'name="email"' not in response.content.decode()
    posted = client.post(request_url(notice), REQUESTER)
    assert posted.status_code == 404
    assert mail.outbox == []


def test_draft_notice_cannot_be_requested(client, centre):
    draft = make_notice(
        "Brouillon prêtable", holding_centre=centre, lendable=True, status=NoticeStatus.DRAFT
    )
    assert client.get(request_url(draft)).status_code == 404
    assert client.post(request_url(draft), REQUESTER).status_code == 404
    assert client.get(sent_url(draft)).status_code == 404
    assert mail.outbox == []


# -- sending -------------------------------------------------------------------------------


def test_valid_request_mails_the_centre_and_the_requester(client, notice):
    response = client.post(request_url(notice), REQUESTER, REMOTE_ADDR=IP)
    assert response.status_code == 302
    assert response["Location"] == sent_url(notice)
    assert len(mail.outbox) == 2
    to_centre, receipt = mail.outbox

    assert to_centre.to == ["doc@centre-rhone.example.org"]
    assert to_centre.reply_to == ["amina@example.org"]
    assert to_centre.subject == "Demande de document : Apprendre le français en famille"
    body = to_centre.body
    assert "http://testserver" + notice.get_absolute_url() in body
    assert "Apprendre le français en famille" in body and "Éditions du Réseau" in body
    for value in REQUESTER.values():
        assert value in body
    assert "&#x27;" not in body  # plain text, not HTML-escaped

    assert receipt.to == ["amina@example.org"]
    assert receipt.reply_to == ["doc@centre-rhone.example.org"]
    assert receipt.subject == "Votre demande : Apprendre le français en famille"
    assert "Bonjour Amina Benali" in receipt.body
    assert "Centre ressources Rhône" in receipt.body
    assert REQUESTER["message"] in receipt.body

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Votre demande est envoyée" in html and "Centre ressources Rhône" in html


def test_subjects_are_plain_text_with_their_apostrophes(client, centre):
    notice = make_notice("L'accueil des familles", holding_centre=centre, lendable=True)
    assert client.post(request_url(notice), REQUESTER).status_code == 302
    to_centre, receipt = mail.outbox
    assert to_centre.subject == "Demande de document : L'accueil des familles"
    assert receipt.subject == "Votre demande : L'accueil des familles"
    data = {**ORGANISATION_REQUEST, "region": "93"}
    assert client.post(ORGANISATION_URL, data).status_code == 302
    assert mail.outbox[2].subject == (
        "Recherche d’une structure ressource : Provence-Alpes-Côte d'Azur"
    )


def test_optional_fields_may_stay_empty(client, notice):
    data = {**REQUESTER, "phone": "", "organisation": ""}
    assert client.post(request_url(notice), data).status_code == 302
    assert "Téléphone" not in mail.outbox[0].body and "Structure" not in mail.outbox[0].body


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({**REQUESTER, "email": "amina@"}, "email", "Cette adresse électronique n&#x27;est pas"),
        ({**REQUESTER, "email": ""}, "email", "Indiquez votre courriel"),
        ({**REQUESTER, "name": "  "}, "name", "Indiquez votre nom."),
        ({**REQUESTER, "message": ""}, "message", "Écrivez votre demande."),
        ({**REQUESTER, "message": "x" * 2001}, "message", "Ce texte est trop long"),
        ({**REQUESTER, "phone": "appelez-moi"}, "phone", "Ce numéro n&#x27;est pas valide"),
    ],
    ids=["bad-email", "no-email", "no-name", "no-message", "too-long", "bad-phone"],
)
def test_invalid_request_is_shown_again_with_its_errors(client, notice, data, field, message):
    response = client.post(request_url(notice), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'class="error-summary"' in html and "<title>Erreur —" in html
    assert f'id="id_{field}_error"' in html and f'href="#id_{field}"' in html
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error"', html)
    assert mail.outbox == []
    assert not UsageCounter.objects.filter(metric__startswith="request:").exists()
    if field != "name":
        assert 'value="Amina Benali"' in html  # what she typed is kept


def test_honeypot_looks_the_same_and_sends_nothing(client, notice):
    response = client.post(request_url(notice), {**REQUESTER, "website": "https://spam.example"})
    assert response.status_code == 302
    assert response["Location"] == sent_url(notice)
    assert mail.outbox == []
    assert not UsageCounter.objects.filter(metric__startswith="request:").exists()


def test_rate_limit_per_address(client, notice, settings):
    settings.DOCUMENT_REQUEST_RATE = "3/hour"
    for n in range(3):
        assert client.post(request_url(notice), REQUESTER, REMOTE_ADDR=IP).status_code == 302, n
    # A form to correct spends nothing.
    assert client.post(request_url(notice), {}, REMOTE_ADDR=IP).status_code == 200
    refused = client.post(request_url(notice), REQUESTER, REMOTE_ADDR=IP)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    html = refused.content.decode()
    assert "Trop de demandes envoyées" in html
    assert "réessayez dans 1\xa0heure au plus" in html
    assert len(mail.outbox) == 3 * 2
    # Both forms share the budget; another address has its own.
    assert client.post(ORGANISATION_URL, ORGANISATION_REQUEST, REMOTE_ADDR=IP).status_code == 429
    assert (
        client.post(request_url(notice), REQUESTER, REMOTE_ADDR="198.51.100.2").status_code == 302
    )


def test_a_mail_server_failure_says_so_and_counts_nothing(client, notice, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    response = client.post(request_url(notice), REQUESTER)
    assert response.status_code == 503
    html = response.content.decode()
    assert "Votre demande n&#x27;a pas pu être envoyée" in html
    assert 'value="Amina Benali"' in html
    assert not UsageCounter.objects.filter(metric__startswith="request:").exists()


# -- « Trouver une structure ressource » ---------------------------------------------------


def test_documentation_links_to_the_organisation_request(client):
    html = client.get(reverse("resources:list")).content.decode()
    assert f'href="{ORGANISATION_URL}">Trouver une structure ressource</a>' in html


def test_organisation_request_form(client):
    response = client.get(ORGANISATION_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Trouver une structure ressource</h1>" in html
    assert '<select name="region"' in html and '<option value="84">' in html
    assert '<select name="theme"' in html and '<option value="langue">' in html
    assert "réseau des centres ressources, seulement pour vous répondre" in html


def test_organisation_request_goes_to_the_network(client, settings):
    settings.CONTACT_EMAIL = "reseau@reperes.example.org"
    response = client.post(ORGANISATION_URL, ORGANISATION_REQUEST)
    assert response.status_code == 302 and response["Location"] == ORGANISATION_SENT_URL
    to_network, receipt = mail.outbox
    assert to_network.to == ["reseau@reperes.example.org"]
    assert to_network.reply_to == ["jules@example.org"]
    assert to_network.subject == "Recherche d’une structure ressource : Auvergne-Rhône-Alpes"
    assert "Jules Martin" in to_network.body and ORGANISATION_REQUEST["message"] in to_network.body
    assert "Région : Auvergne-Rhône-Alpes" in to_network.body
    assert receipt.to == ["jules@example.org"]
    assert receipt.reply_to == ["reseau@reperes.example.org"]
    assert "Votre demande est envoyée" in client.get(ORGANISATION_SENT_URL).content.decode()


def test_organisation_request_errors(client):
    data = {**ORGANISATION_REQUEST, "region": "99", "email": "jules"}
    response = client.post(ORGANISATION_URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choisissez une région de la liste." in html
    assert "Cette adresse électronique n&#x27;est pas valide" in html
    assert mail.outbox == []
    trap = client.post(ORGANISATION_URL, {**ORGANISATION_REQUEST, "website": "x"})
    assert trap.status_code == 302 and trap["Location"] == ORGANISATION_SENT_URL
    assert mail.outbox == []


# -- counted, not stored --------------------------------------------------------------------


def test_requests_are_counted_in_the_activity_report(client, notice, centre, settings):
    settings.DOCUMENT_REQUEST_RATE = "100/hour"
    other = make_notice(
        "Dictionnaire illustré",
        holding_centre=member_centre("Centre ressources Isère", email="doc@isere.example.org"),
        lendable=True,
    )
    for _n in range(3):
        assert client.post(request_url(notice), REQUESTER).status_code == 302
    assert client.post(request_url(other), REQUESTER).status_code == 302
    for _n in range(2):
        assert client.post(ORGANISATION_URL, ORGANISATION_REQUEST).status_code == 302
    # Neither a robot nor a form to correct counts.
    client.post(request_url(notice), {**REQUESTER, "website": "x"})
    client.post(ORGANISATION_URL, {**ORGANISATION_REQUEST, "email": "x"})

    today = timezone.localdate()
    figures = report.build(today.year, today.month)
    totals = {row.key: row.count for row in figures.totals}
    assert totals["request:document"] == 4
    assert totals["request:organisation"] == 2
    tables = {table.metric: table for table in figures.tables}
    by_centre = {row.label: row.count for row in tables["request:document"].rows}
    assert by_centre == {"Centre ressources Rhône": 3, "Centre ressources Isère": 1}
    by_region = {row.label: row.count for row in tables["request:organisation"].rows}
    assert by_region == {"Auvergne-Rhône-Alpes": 2}
    assert report.build(today.year - 1).totals[-1].count == 0


def test_the_report_page_shows_the_requests(client, notice, django_user_model):
    client.post(request_url(notice), REQUESTER)
    client.post(ORGANISATION_URL, ORGANISATION_REQUEST)
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    today = timezone.localdate()
    html = client.get("/admin/rapport-activite/", {"year": today.year}).content.decode()
    assert re.search(r"Demandes de documents <strong>1</strong>", html)
    assert re.search(r"Demandes de structures ressources <strong>1</strong>", html)
    assert "Demandes de documents, par centre détenteur" in html


def test_no_personal_data_is_stored(client, notice):
    client.post(request_url(notice), REQUESTER, REMOTE_ADDR=IP, HTTP_USER_AGENT="Mozilla/5.0")
    client.post(ORGANISATION_URL, ORGANISATION_REQUEST, REMOTE_ADDR=IP)
    assert len(mail.outbox) == 4
    stored = " ".join(
        str(value)
        for model in (UsageCounter, UsageVisitor, UsageSalt)
        for row in model.objects.values()
        for value in row.values()
    )
    assert "request:document" in stored  # the count itself is there
    for secret in (
        "Amina",
        "Benali",
        "amina@example.org",
        "jules@example.org",
        "Jules",
        "06 12 34 56 78",
        "Lire Ensemble",
        IP,
        "emprunter",
    ):
        assert secret not in stored


def test_counting_switched_off(client, notice, settings):
    settings.USAGE_COUNTING = False
    assert client.post(request_url(notice), REQUESTER).status_code == 302
    assert len(mail.outbox) == 2
    assert not UsageCounter.objects.filter(metric__startswith="request:").exists()
