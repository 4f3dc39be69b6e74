"""The directory search in a real headless Chromium, as a social worker would use it."""

import pytest
from playwright.sync_api import expect

from directory.models import Competence
from tests.factories import PlaceFactory

pytestmark = pytest.mark.browser

# Around Villeurbanne, at growing distances; the even ones offer "séjour".
SPOTS = [
    (4.8805, 45.7670),
    (4.8700, 45.7600),
    (4.9000, 45.7800),
    (4.8400, 45.7500),
    (4.9300, 45.7400),
    (4.8200, 45.7900),
    (4.9500, 45.8100),
    (4.8000, 45.7200),
]


@pytest.fixture
def search_places(geography):
    sejour = Competence.objects.get(slug="sejour")
    francais = Competence.objects.get(slug="apprentissage-francais")
    return [
        PlaceFactory(
            name=f"Lieu d'accueil {i + 1}",
            lon=lon,
            lat=lat,
            competences=[sejour] if i % 2 == 0 else [francais],
        )
        for i, (lon, lat) in enumerate(SPOTS)
    ]


def metres(text: str) -> float:
    value, unit = text.replace("\u202f", "").replace("\xa0", " ").rsplit(" ", 1)
    return float(value.replace(",", ".")) * (1000 if unit == "km" else 1)


def test_search_villeurbanne_with_one_competence(visit_with, viewport, search_places):
    visit = visit_with(viewport)
    page = visit.page
    visit.goto("/annuaire/")
    page.get_by_label("Adresse, commune ou code postal").fill("Villeurbanne")
    page.get_by_label("Rayon (km)").fill("20")
    competence = page.get_by_label("Titres de séjour et droit au séjour")
    if viewport == "phone":  # folded under « Filtres (n) » on a phone, open on a desktop
        expect(competence).to_be_hidden()
        page.get_by_text("Filtres (0)").click()
    competence.check()
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_selector("#results-list li")
    page.wait_for_selector("#results-map.map--tiles-ready")

    items = page.locator("#results-list li.place-card")
    names = [n.strip() for n in items.locator("h3").all_text_contents()]
    assert names and len(names) == 4
    assert all(int(n.rsplit(" ", 1)[1]) % 2 == 1 for n in names)  # the "séjour" ones only
    distances = [metres(t) for t in items.locator(".distance").all_inner_texts()]
    assert distances == sorted(distances)
    # The map holds every place found within the radius, from the vector tiles (here
    # the same as the list's one page): a cluster counts for its size.
    assert page.locator("#results-map").get_attribute("data-tiles-places") == str(len(names))
    drawn = page.locator("#results-map .place-tiles__cluster, #results-map .place-tiles__place")
    assert drawn.count() >= 1
    assert "competence=sejour" in page.url and "q=Villeurbanne" in page.url
    visit.screenshot(f"search-{viewport}")

    items.first.locator("h3 a").click()
    page.wait_for_selector("#place-map .leaflet-marker-icon")
    expect(page.locator("h1")).to_have_text(names[0])
    visit.screenshot(f"place-{viewport}")
    assert not visit.errors


def test_search_without_javascript_still_lists(chromium, live_server, search_places):
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    page.goto(live_server.url + "/annuaire/?q=69100&radius=20&competence=apprentissage-francais")
    names = page.locator("#results-list li.place-card h3").all_inner_texts()
    assert len(names) == 4
    context.close()


def test_region_page_maps_its_places(visit_with, search_places):
    visit = visit_with("desktop")
    page = visit.page
    visit.goto("/regions/auvergne-rhone-alpes/")
    page.wait_for_selector("#area-places-map.map--tiles-ready")
    listed = page.locator("#area-places-list li").count()
    assert listed == len(search_places)
    assert page.locator("#area-places-map").get_attribute("data-tiles-places") == str(listed)
    page.wait_for_selector("#area-places-map .place-tiles__cluster")
    visit.screenshot("region-places-desktop")
