"""« Demander ce document » on a phone, in a real headless Chromium: from a practice sheet to a
related lendable notice, its request form, the confirmation, and the e-mail to the centre.

The live server runs in this process, so Django's test mail outbox receives what it sends.
Screenshots land in test-artifacts/.
"""

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.practices.factories import make_sheet, member_centre
from tests.resources.factories import make_notice

pytestmark = pytest.mark.browser


@pytest.fixture
def lendable_notice(geography):
    sheet = make_sheet("Ateliers de conversation à Villeurbanne", communes=["69266"])
    centre = member_centre("Centre ressources Rhône", email="doc@centre-rhone.example.org")
    notice = make_notice(
        "Animer un atelier de conversation",
        abstract="Un guide pratique pour les bénévoles qui animent des ateliers.",
        region="84",
        year=2023,
        type="guide",
        holding_centre=centre,
        lendable=True,
    )
    notice.practice_sheets.add(sheet)
    return sheet, notice


def test_request_a_document_from_a_practice_sheet(visit_with, lendable_notice):
    sheet, notice = lendable_notice
    visit = visit_with("phone")
    page = visit.page
    visit.goto(sheet.get_absolute_url())
    page.get_by_role("region", name="Documentation").get_by_role("link", name=notice.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(notice.title)
    access = page.get_by_role("region", name="Obtenir ce document")
    expect(access).to_contain_text("Centre ressources Rhône détient ce document")
    access.get_by_role("link", name="Demander ce document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demander ce document")

    # Sent with a mistyped address: the error is listed first and tied to its field.
    page.get_by_label("Votre nom").fill("Amina Benali")
    email = page.get_by_label("Votre courriel")
    email.fill("amina@")
    page.get_by_label("Votre demande").fill("Je voudrais l'emprunter pour une formation en mars.")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(email).to_have_attribute("aria-invalid", "true")
    assert mail.outbox == []
    # The honeypot is neither seen nor reachable; nothing scrolls sideways on a phone.
    expect(page.get_by_label("Ne remplissez pas ce champ")).not_to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    email.fill("amina@example.org")
    page.get_by_label("Votre structure (facultatif)").fill("Association Lire Ensemble")
    visit.screenshot("document-request-form-phone")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est envoyée")
    expect(page.get_by_text("est partie chez Centre ressources Rhône")).to_be_visible()
    visit.screenshot("document-request-sent-phone")

    to_centre, receipt = mail.outbox
    assert to_centre.to == ["doc@centre-rhone.example.org"]
    assert to_centre.reply_to == ["amina@example.org"]
    assert to_centre.subject == f"Demande de document : {notice.title}"
    assert "Association Lire Ensemble" in to_centre.body
    assert receipt.to == ["amina@example.org"]
    assert visit.errors == []
