"""A place not verified for months says so on its page and in the search results.

The screenshot lands in test-artifacts/ for a human to look at.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.dates import add_months
from directory.reminders import confirm_url
from tests.factories import PlaceFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def stale_place(geography):
    PlaceFactory(
        name="Point droits Gratte-Ciel",
        lon=4.8805,
        lat=45.7670,
        last_verified=timezone.localdate(),
    )
    return PlaceFactory(
        name="Maison des langues de Villeurbanne",
        lon=4.8700,
        lat=45.7600,
        street="10 place Lazare Goujon",
        postal_code="69100",
        last_verified=add_months(timezone.localdate(), -9),
    )


def test_stale_place_page_shows_the_notice(visit_with, stale_place):
    visit = visit_with("desktop")
    page = visit.page
    visit.goto(stale_place.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Maison des langues de Villeurbanne")
    notice = page.locator("header .stale-notice")
    expect(notice).to_have_text("Informations vérifiées il y a plus de 6 mois")
    expect(notice).to_be_visible()
    page.wait_for_selector("#place-map .leaflet-marker-icon")
    visit.screenshot("freshness-place")

    # In the results, only the stale one carries the notice; the checkbox leaves it out.
    visit.goto("/annuaire/?q=Villeurbanne&radius=5")
    cards = page.locator("#results-list li.place-card")
    expect(cards).to_have_count(2)
    expect(cards.filter(has=page.locator(".stale-notice"))).to_have_count(1)
    expect(cards.filter(has=page.locator(".stale-notice")).locator("h3")).to_have_text(
        "Maison des langues de Villeurbanne"
    )
    page.get_by_text("Plus de critères").click()
    page.get_by_label("Seulement les informations vérifiées récemment").check()
    page.get_by_role("button", name="Rechercher").click()
    expect(cards).to_have_count(1)
    expect(cards.locator("h3")).to_have_text("Point droits Gratte-Ciel")
    assert "fresh=on" in page.url
    visit.screenshot("freshness-search")
    assert not visit.errors


def test_one_click_link_confirms_through_its_button(visit_with, stale_place, settings):
    """The real form, with its CSRF token: GET shows the button, the click confirms."""
    editor = UserFactory(username="editrice", email="editrice@example.org")
    stale_place.organisation.editors.add(editor)
    visit = visit_with("phone")
    page = visit.page
    path = confirm_url(stale_place, editor.pk).removeprefix(settings.SITE_URL)
    visit.goto(path)
    expect(page.locator("h1")).to_contain_text("informations toujours exactes ?")
    visit.screenshot("freshness-confirm")
    page.get_by_role("button", name="Oui, toujours exact").click()
    expect(page.locator("h1")).to_have_text("Merci, c'est noté")
    stale_place.refresh_from_db()
    assert stale_place.last_verified == timezone.localdate()
    visit.screenshot("freshness-confirmed")
    page.get_by_role("link", name="Voir la page du lieu").click()
    expect(page.locator("h1")).to_have_text("Maison des langues de Villeurbanne")
    expect(page.locator(".stale-notice")).to_have_count(0)
    assert not visit.errors
