"""A place page on a phone, as a newcomer uses it: call or get directions without scrolling."""

import pytest
from playwright.sync_api import expect

from directory.models import Competence
from tests.factories import PlaceFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def place(geography):
    return PlaceFactory(
        name="Permanence Gratte-Ciel",
        lon=4.8805,
        lat=45.7670,
        phone="04 72 00 00 00",
        website="https://forum.example.org",
        opening_hours="Mo-Fr 09:00-12:00",
        competences=[Competence.objects.get(slug="sejour")],
    )


def test_actions_come_first_on_a_phone(visit_with, place):
    visit = visit_with("phone")
    page = visit.page
    visit.goto(place.get_absolute_url())
    actions = page.get_by_role("navigation", name="Actions")
    call = actions.get_by_role("link", name="Appeler 04 72 00 00 00")
    route = actions.get_by_role("link", name="Itinéraire OpenStreetMap")
    for link in (call, route, actions.get_by_role("link", name="Site web")):
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44  # a real tap target
        assert box["y"] + box["height"] <= 844  # on the first screen, no scrolling
    assert call.get_attribute("href") == "tel:0472000000"
    assert route.get_attribute("href").startswith("https://www.openstreetmap.org/directions?to=")
    # The geo: link is for Android phones only (this one says it is not).
    expect(
        actions.get_by_role("link", name="Application de cartes sur ce téléphone")
    ).to_be_hidden()
    # Then the address and hours, and the map after them.
    address = page.get_by_role("heading", name="Adresse et contact").bounding_box()
    hours = page.get_by_role("heading", name="Horaires", exact=True).bounding_box()
    map_box = page.locator("#place-map").bounding_box()
    assert address["y"] < hours["y"] < map_box["y"]
    visit.screenshot("place-page-phone")
    assert visit.errors == []


def test_android_gets_the_geo_link(chromium, live_server, geography, place):
    context = chromium.new_context(
        viewport={"width": 390, "height": 844},
        locale="fr-FR",
        user_agent="Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120 Mobile",
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + place.get_absolute_url())
        link = page.get_by_role("link", name="Application de cartes sur ce téléphone")
        expect(link).to_be_visible()
        assert link.get_attribute("href") == "geo:45.767000,4.880500"
    finally:
        context.close()
