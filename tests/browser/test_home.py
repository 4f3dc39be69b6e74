"""The home page in a real browser: the régions map, its list, and the way to a région.

Screenshots land in test-artifacts/ (one per viewport) for a human to look at.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Régions of the test data (tests/conftest.py).
REGION_CODES = {"11", "84", "93"}


def wait_for_map(page, map_id: str) -> None:
    page.wait_for_selector(f"#{map_id}.leaflet-container")
    # maps.js adds map--ready once the GeoJSON is drawn.
    page.wait_for_selector(f"#{map_id}.map--ready", timeout=10_000)


def test_home_draws_the_regions_and_leads_to_a_region(visit_with, viewport):
    visit = visit_with(viewport)
    response = visit.goto("/")
    assert response.status == 200
    page = visit.page
    wait_for_map(page, "regions-map")

    shapes = page.locator("#regions-map path.leaflet-interactive")
    expect(shapes).to_have_count(len(REGION_CODES))
    for code in REGION_CODES:
        expect(page.locator(f"#regions-map path.map-area--{code}")).to_have_count(1)
    # Fitted on metropolitan France: the shapes are drawn inside the map, not as dots.
    box = page.locator("#regions-map path.map-area--84").bounding_box()
    assert box["width"] > 30 and box["height"] > 30

    region_list = page.locator("#regions-list")
    expect(region_list).to_contain_text("Auvergne-Rhône-Alpes")
    expect(region_list).to_contain_text("3 départements")
    visit.screenshot(f"home-{viewport}")

    region_list.get_by_role("link", name="Auvergne-Rhône-Alpes").click()
    page.wait_for_url(re.compile(r"/regions/auvergne-rhone-alpes/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Auvergne-Rhône-Alpes")
    wait_for_map(page, "region-map")
    expect(page.locator("#region-map path.leaflet-interactive")).to_have_count(3)
    expect(page.get_by_role("table")).to_contain_text("Rhône")
    visit.screenshot(f"region-{viewport}")

    assert visit.errors == []
    # Tiles were asked for, and stopped at the door; nothing else left the server.
    assert set(visit.blocked) <= {"tile.openstreetmap.org"}


def test_map_tooltips_highlight_and_click(visit_with):
    visit = visit_with("desktop")
    visit.goto("/")
    page = visit.page
    wait_for_map(page, "regions-map")

    # Hovering a région in the list highlights it on the map and names it.
    page.locator('#regions-list a[data-feature-code="93"]').hover()
    expect(page.locator(".leaflet-tooltip")).to_have_text("Provence-Alpes-Côte d'Azur")
    expect(page.locator("#regions-map path.map-area--93")).to_have_attribute(
        "fill", re.compile("#e07b00", re.I)
    )

    # Clicking a shape opens its région.
    page.locator("#regions-map path.map-area--11").click()
    page.wait_for_url(re.compile(r"/regions/ile-de-france/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Île-de-France")
    wait_for_map(page, "region-map")
    page.locator("#region-map path.map-area--95").click()
    page.wait_for_url(re.compile(r"/departements/val-doise-95/$"))
    assert visit.errors == []


def test_department_page_and_404_on_a_phone(visit_with):
    visit = visit_with("phone")
    visit.goto("/departements/rhone-69/")
    page = visit.page
    wait_for_map(page, "department-map")
    expect(page.locator("#department-map path.map-area--69")).to_have_count(1)
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(10)
    expect(rows.first).to_contain_text("Lyon")
    visit.screenshot("department-phone")

    response = visit.goto("/regions/atlantide/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    visit.screenshot("not-found-phone")
    page.get_by_role("link", name=re.compile("Retour à l’accueil")).click()
    page.wait_for_url(re.compile(r"/$"))
    wait_for_map(page, "regions-map")
    assert visit.errors == []


def test_language_switch_to_english(visit_with):
    visit = visit_with("desktop")
    visit.goto("/regions/auvergne-rhone-alpes/")
    page = visit.page
    page.get_by_role("button", name="English").click()
    page.wait_for_url(re.compile(r"/regions/auvergne-rhone-alpes/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="Home")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    wait_for_map(page, "region-map")
    visit.screenshot("region-desktop-en")
