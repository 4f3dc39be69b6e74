"""The maps read the place vector tiles: clusters to zoom into, places with a popup.

Screenshots land in test-artifacts/ for a human to look at.
"""

import re

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from directory.models import Competence, Organisation, Place, Status
from directory.tiles.clusters import rebuild
from geodata.models import Commune
from tests.factories import OrganisationFactory, PlaceFactory

pytestmark = pytest.mark.browser

AREA_COUNT = 230  # more than the 200 a région's page once showed at most


@pytest.fixture
def france(geography):
    """A few named places over France, and a dense crowd in Lyon and Villeurbanne."""
    sejour = Competence.objects.get(slug="sejour")
    named = {
        "lyon": PlaceFactory(
            name="Point droits Gratte-Ciel", lon=4.8805, lat=45.7670, competences=[sejour]
        ),
        "marseille": PlaceFactory(
            name="Accueil Vieux-Port", lon=5.3698, lat=43.2965, competences=[sejour]
        ),
        "cergy": PlaceFactory(name="Maison des langues Cergy", lon=2.0760, lat=49.0364),
    }
    # Bulk-created like an import (no signals), then counted by the rebuild.
    organisation = OrganisationFactory(name="Réseau lyonnais")
    villeurbanne = Commune.objects.get(code="69266")
    crowd = Place.objects.bulk_create(
        Place(
            name=f"Permanence {n:03d}",
            slug=f"permanence-{n:03d}",
            organisation=organisation,
            location=Point(4.84 + (n % 23) * 0.0021, 45.75 + (n // 23) * 0.0027, srid=4326),
            commune=villeurbanne,
            status=Status.PUBLISHED,
        )
        for n in range(AREA_COUNT - 1)  # with Gratte-Ciel: AREA_COUNT in the région
    )
    rebuild()
    return named, crowd


def topmost(page, selector: str, biggest: bool = False):
    """A feature of the national map that no other covers (the biggest cluster if asked)."""
    index = page.evaluate(
        """([selector, biggest]) => {
            const all = [...document.querySelectorAll('#france-places-map ' + selector)];
            const free = all.map((el, i) => [el, i]).filter(([el]) => {
                const r = el.getBoundingClientRect();
                return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === el;
            });
            const size = (el) => parseInt(el.getAttribute('aria-label'), 10) || 0;
            if (biggest) free.sort((a, b) => size(b[0]) - size(a[0]));
            return free.length ? free[0][1] : -1;
        }""",
        [selector, biggest],
    )
    assert index >= 0, f"no {selector} in view"
    return page.locator(f"#france-places-map {selector}").nth(index)


def click_topmost(page, selector: str, biggest: bool = False) -> None:
    """Click what `topmost` finds; tiles redrawn meanwhile may cover it: look again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(5):
        try:
            topmost(page, selector, biggest).click(timeout=3_000)
            return
        except PlaywrightTimeout:
            if attempt == 4:
                raise
            page.wait_for_timeout(300)


def test_national_map_clusters_lead_to_a_place(visit_with, france):
    named, crowd = france
    visit = visit_with("desktop")
    visit.goto("/")
    page = visit.page
    page.wait_for_selector("#france-places-map.map--tiles-ready", timeout=15_000)
    container = page.locator("#france-places-map")
    total = Place.objects.filter(status=Status.PUBLISHED).count()
    assert container.get_attribute("data-tiles-places") == str(total)
    clusters = page.locator("#france-places-map .place-tiles__cluster")
    assert clusters.count() >= 1
    expect(page.locator("#france-places-map .place-tiles__count").first).to_be_visible()
    # The list beside the map: the same places, région by région.
    expect(page.locator("#france-places-list")).to_contain_text("Auvergne-Rhône-Alpes")
    expect(page.locator("#france-places-list")).to_contain_text(f"{AREA_COUNT} lieux")
    page.locator("#france-places-map").scroll_into_view_if_needed()
    visit.screenshot("home-places-desktop")

    # Into Lyon's crowd, a click on its cluster at a time, until its places show.
    markers = page.locator("#france-places-map .place-tiles__place")
    for _ in range(8):
        # Done when the places show (tiles of the zoom left behind may still hold clusters).
        if not clusters.count() or markers.count() > 10:
            break
        click_topmost(page, ".place-tiles__cluster", biggest=True)
        page.wait_for_function(
            "() => !document.querySelector('#france-places-map .leaflet-zoom-anim')"
        )
        page.wait_for_timeout(300)
        page.wait_for_selector("#france-places-map.map--tiles-ready")
    assert markers.count() > 10
    visit.screenshot("home-places-zoomed-desktop")

    click_topmost(page, ".place-tiles__place")
    link = page.locator("#france-places-map .place-tiles__popup a")
    expect(link).to_have_attribute("href", re.compile(r"^/annuaire/lieux/[\w-]+/$"))
    name = link.inner_text()
    visit.screenshot("home-places-popup-desktop")
    link.click()
    page.wait_for_url(re.compile(r"/annuaire/lieux/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    assert visit.errors == []
    assert set(visit.blocked) <= {"tile.openstreetmap.org"}


def test_a_place_marker_opens_with_the_keyboard(visit_with, france):
    named, _crowd = france
    visit = visit_with("desktop")
    # Marseille's page, zoomed on the place by the département map's bounds.
    visit.goto("/departements/bouches-du-rhone-13/")
    page = visit.page
    page.wait_for_selector("#area-places-map.map--tiles-ready", timeout=15_000)
    place = page.locator("#area-places-map .place-tiles__place")
    expect(place).to_have_count(1)
    place.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#area-places-map .place-tiles__popup a")).to_have_text(
        "Accueil Vieux-Port"
    )
    assert visit.errors == []


def test_region_page_shows_all_its_places(visit_with, france):
    named, crowd = france
    visit = visit_with("desktop")
    visit.goto("/regions/auvergne-rhone-alpes/")
    page = visit.page
    expect(page.locator("#area-places-title")).to_have_text(f"{AREA_COUNT} lieux d'accueil")
    page.wait_for_selector("#area-places-map.map--tiles-ready", timeout=15_000)
    assert page.locator("#area-places-map").get_attribute("data-tiles-places") == str(AREA_COUNT)
    page.locator("#area-places-map").scroll_into_view_if_needed()
    visit.screenshot("region-places-desktop")

    # The list, page after page, holds every place of the région once.
    seen: list[str] = []
    for _ in range(10):
        seen += page.locator("#area-places-list li a").all_inner_texts()
        following = page.locator(".area-places nav a[rel=next]")
        if not following.count():
            break
        following.click()
        page.wait_for_load_state()
    assert len(seen) == len(set(seen)) == AREA_COUNT
    assert "Point droits Gratte-Ciel" in seen and "Accueil Vieux-Port" not in seen
    assert visit.errors == []


def test_region_list_without_javascript(chromium, live_server, france):
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    page.goto(live_server.url + "/regions/auvergne-rhone-alpes/?lieux=5")
    items = page.locator("#area-places-list li")
    assert items.count() == AREA_COUNT - 4 * 50
    context.close()
    assert Organisation.objects.exists()
