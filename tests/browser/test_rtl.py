"""Right-to-left pages on a phone (issue 12): Arabic and Dari mirror the layout, the maps and
the numbers stay left-to-right. Screenshots go to /tmp/shots/i18n_*.png."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from directory.models import Competence, Kind
from tests.factories import PlaceFactory

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
PHONE = "phone"  # 390×844


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"i18n_{name}.png"), full_page=True)


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


@pytest.fixture
def place(geography):
    return PlaceFactory(
        name="Maison des langues (Villeurbanne)",
        street="10 place Lazare Goujon",
        postal_code="69100",
        phone="04 78 12 34 56",
        languages="ar,uk,fa",
        kinds=[Kind.objects.get(slug="maison-des-langues")],
        competences=[Competence.objects.get(slug="apprentissage-francais")],
    )


@pytest.mark.parametrize(("locale", "lang"), [("ar", "ar"), ("fa-AF", "fa-af")])
def test_a_place_page_mirrors_and_keeps_map_and_numbers_left_to_right(
    visit_with, place, locale, lang
):
    visit = visit_with(PHONE, locale)
    assert visit.goto(place.get_absolute_url()).status == 200
    page = visit.page
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", lang)
    width = page.viewport_size["width"]

    # The header is mirrored: the brand starts at the right, the first link is rightmost.
    brand = box(page, ".brand__name")
    assert brand["x"] > width / 2 and width - (brand["x"] + brand["width"]) < 40
    links = page.locator(".site-nav__links a")
    first, second = links.nth(0).bounding_box(), links.nth(1).bounding_box()
    assert first["y"] == second["y"] and first["x"] > second["x"]
    # The breadcrumb's separators point left, the way it reads.
    separator = page.locator(".breadcrumb li + li").first.evaluate(
        "el => getComputedStyle(el, '::before').content"
    )
    assert separator == '"‹"'
    # Headings and text start at the right edge too.
    title = box(page, "h1")
    assert width - (title["x"] + title["width"]) < 40

    # The map keeps Leaflet's left-to-right layout: zoom buttons at its left, named in the
    # page's language (the container's data-zoom-in), not Leaflet's English.
    map_box = page.locator("#place-map")
    expect(map_box).to_have_attribute("dir", "ltr")
    page.wait_for_selector("#place-map .leaflet-control-zoom-in")
    assert map_box.evaluate("el => getComputedStyle(el).direction") == "ltr"
    zoom_in = page.locator("#place-map .leaflet-control-zoom-in")
    expect(zoom_in).to_have_attribute("title", map_box.get_attribute("data-zoom-in"))
    assert zoom_in.get_attribute("title") != "Zoom in"
    assert box(page, "#place-map .leaflet-control-zoom-in")["x"] - box(page, "#place-map")["x"] < 40
    credit = map_box.get_attribute("data-attribution").removeprefix("©").strip()
    expect(page.locator("#place-map .leaflet-control-attribution")).to_contain_text(credit)

    # The phone number reads 04 78 12 34 56, left to right, inside the right-to-left page.
    number = page.locator(".place-action__detail").first
    assert number.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert number.inner_text() == "04 78 12 34 56"
    # Spoken languages named in the page's language (CLDR), not in French.
    expect(page.locator("dl.facts")).not_to_contain_text("arabe")

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, f"place_{lang}")
    assert visit.errors == []


def test_search_results_and_home_in_arabic(visit_with, place):
    visit = visit_with(PHONE, "ar")
    assert visit.goto("/annuaire/?q=69100&radius=10").status == 200
    page = visit.page
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    card = page.locator(".place-card").first
    expect(card).to_be_visible()
    # The distance, a number and a unit, stays in one left-to-right piece.
    distance = card.locator(".distance bdi")
    assert distance.evaluate("el => getComputedStyle(el).direction") in ("ltr", "rtl")
    assert page.locator("#results-map").get_attribute("dir") == "ltr"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    shoot(page, "search_ar")

    assert visit.goto("/").status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    shoot(page, "home_ar")
    assert visit.errors == []


def test_french_stays_left_to_right(visit_with, place):
    visit = visit_with(PHONE, "fr-FR")
    assert visit.goto(place.get_absolute_url()).status == 200
    page = visit.page
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    assert box(page, ".brand__name")["x"] < 40
    separator = page.locator(".breadcrumb li + li").first.evaluate(
        "el => getComputedStyle(el, '::before').content"
    )
    assert separator == '"›"'
    page.wait_for_selector("#place-map .leaflet-control-zoom-in")
    expect(page.locator("#place-map .leaflet-control-zoom-in")).to_have_attribute(
        "title", "Zoom avant"
    )
    expect(page.locator("#place-map .leaflet-control-zoom-out")).to_have_attribute(
        "title", "Zoom arrière"
    )
    expect(page.locator("#place-map .leaflet-control-attribution")).to_contain_text(
        "© contributeurs OpenStreetMap"
    )
    shoot(page, "place_fr")
    assert visit.errors == []


def test_the_builder_and_its_preview_follow_the_page_language(visit_with, place):
    visit = visit_with(PHONE, "ar")
    assert visit.goto("/integrer/").status == 200
    page = visit.page
    expect(page.locator("#builder-lang")).to_have_value("ar")
    expect(page.locator("#builder-code")).to_have_value(re.compile(r'data-lang="ar"'))
    preview = page.locator("#builder-preview iframe")
    expect(preview).to_have_attribute("src", re.compile(r"lang=ar"))
    frame = preview.element_handle().content_frame()
    frame.wait_for_selector("#embed-map.embed-map--ready", timeout=15_000)
    assert frame.locator("html").get_attribute("dir") == "rtl"
    assert frame.locator("#embed-map").get_attribute("dir") == "ltr"
    # « The page's language » as a choice: the preview then takes the builder page's.
    page.locator("#builder-lang").select_option("")
    expect(page.locator("#builder-code")).not_to_have_value(re.compile(r"data-lang"))
    expect(preview).to_have_attribute("src", re.compile(r"lang=ar"))
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    shoot(page, "builder_ar")
    assert visit.errors == []
