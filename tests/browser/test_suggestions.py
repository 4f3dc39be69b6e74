"""« Signaler une erreur » on a phone, in a real headless Chromium.

Screenshots land in test-artifacts/ (the form with its errors, the thank-you page).
"""

import pytest
from playwright.sync_api import expect

from directory.models import Suggestion
from tests.factories import PlaceFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def place(geography):
    return PlaceFactory(
        name="Permanence Gratte-Ciel",
        street="10 place Lazare Goujon",
        postal_code="69100",
        city="Villeurbanne",
        lon=4.8805,
        lat=45.7670,
    )


def test_report_an_error_from_a_phone(visit_with, place):
    visit = visit_with("phone")
    page = visit.page
    visit.goto(place.get_absolute_url())
    link = page.get_by_role("link", name="Signaler une erreur")
    link.scroll_into_view_if_needed()
    visit.screenshot("report-error-place-phone")
    link.click()
    expect(page.locator("h1")).to_have_text("Signaler une erreur")

    # Sent empty: the errors are listed first, with the focus on them, and tied to the fields.
    page.get_by_role("button", name="Envoyer le signalement").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(2)
    message = page.get_by_label("La bonne information")
    expect(message).to_have_attribute("aria-invalid", "true")
    expect(message).to_have_accessible_description(
        "Écrivez ce qui est juste — par exemple les nouveaux horaires ou la nouvelle adresse — "
        "et, si vous le savez, d'où vous le tenez. Écrivez la bonne information."
    )
    # The honeypot is neither seen nor reachable.
    expect(page.get_by_label("Ne remplissez pas ce champ")).not_to_be_in_viewport()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]  # no sideways scrolling on a phone
    visit.screenshot("report-error-form-phone")

    page.get_by_role("group", name="Qu'est-ce qui est inexact ?").get_by_label(
        "Les horaires"
    ).check()
    message.fill("Fermé le vendredi après-midi depuis septembre.")
    page.get_by_label("Votre courriel (facultatif)").fill("amina@example.org")
    page.get_by_role("button", name="Envoyer le signalement").click()

    expect(page.locator("h1")).to_have_text("Merci pour votre signalement")
    visit.screenshot("report-error-thanks-phone")
    suggestion = Suggestion.objects.get()
    assert (suggestion.place, suggestion.kind, suggestion.email) == (
        place,
        "hours",
        "amina@example.org",
    )
    page.get_by_role("link", name="Revenir à la fiche du lieu").click()
    expect(page.locator("h1")).to_have_text(place.name)
    assert not visit.errors
