"""The practice sheets in a real headless Chromium: filter, map and list, sheet, directory.

Screenshots land in test-artifacts/ (one per viewport) for a human to look at.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from core.demo import load_demo
from directory.models import Organisation
from practices.models import ActorRole
from tests.practices.factories import make_sheet

pytestmark = pytest.mark.browser

# Practices on language in Auvergne-Rhône-Alpes (84), two of them in the same commune.
LANGUAGE_IN_84 = [
    ("Ateliers sociolinguistiques au centre social", "69123"),
    ("Cafés des langues à Villeurbanne", "69266"),
    ("Parrainage linguistique à Villeurbanne", "69266"),
    ("Français à visée professionnelle à Saint-Étienne", "42218"),
    ("Cours du soir à Bourg-en-Bresse", "01053"),
]


@pytest.fixture
def practices(geography):
    load_demo(write=True)  # the six documented practices, where the test areas exist
    centre = Organisation.objects.get(slug="centre-ressources-integration-rhone")
    social_centre = Organisation.objects.get(slug="centre-social-du-pont")
    for n, (title, commune) in enumerate(LANGUAGE_IN_84):
        make_sheet(
            title,
            communes=[commune],
            themes=["langue"],
            author_centre=centre,
            start_date=date(2010 + n, 1, 1),
            actors=[(social_centre, ActorRole.CARRIER), (centre, ActorRole.PARTNER)],
            summary="Des **ateliers** pour pratiquer le français de tous les jours : "
            "démarches, école, santé, travail. Animés par des bénévoles formés.",
            how_it_works="1. un entretien d'accueil\n2. un groupe selon le niveau\n"
            "3. un bilan tous les trois mois",
        )
    # Not to be shown by the filter: another région, another theme.
    make_sheet("Cours de français à Marseille", communes=["13055"], themes=["langue"])
    make_sheet("Logement à Lyon", communes=["69123"], themes=["logement"])


def wait_for_sheets_map(page, map_id: str) -> None:
    page.wait_for_selector(f"#{map_id}.leaflet-container")
    page.wait_for_selector(f"#{map_id}.map--ready", timeout=10_000)


def drawn_markers(page, map_id: str) -> int:
    """Markers on the map, counting those gathered in clusters, once the zoom has settled."""
    page.wait_for_function(
        "id => !document.querySelector(`#${id} .leaflet-cluster-anim, #${id} .leaflet-zoom-anim`)",
        arg=map_id,
    )
    page.wait_for_timeout(400)  # markercluster fades markers in after the zoom
    single = page.locator(f"#{map_id} .leaflet-marker-icon.sheet-marker").count()
    clustered = sum(
        int(text) for text in page.locator(f"#{map_id} .marker-cluster span").all_inner_texts()
    )
    return single + clustered


def test_filter_by_theme_and_region_then_follow_an_actor(visit_with, viewport, practices):
    visit = visit_with(viewport)
    page = visit.page
    response = visit.goto("/pratiques/")
    assert response.status == 200
    wait_for_sheets_map(page, "sheets-map")

    page.get_by_role("checkbox", name="Langue", exact=True).check()
    page.get_by_label("Région").select_option(label="Auvergne-Rhône-Alpes")
    page.get_by_role("button", name="Afficher les fiches").click()
    page.wait_for_url(re.compile(r"region=84.*theme=langue|theme=langue.*region=84"))
    wait_for_sheets_map(page, "sheets-map")

    items = page.locator("#sheets-list > li")
    expect(items).to_have_count(len(LANGUAGE_IN_84))
    titles = set(items.locator("h3").all_inner_texts())
    assert titles == {title for title, _commune in LANGUAGE_IN_84}
    expect(
        page.get_by_role("heading", level=2, name=re.compile("5 fiches pratiques"))
    ).to_be_visible()
    # The map shows the very sheets of the list: one marker each.
    expect(page.locator("#sheets-map")).to_have_attribute("data-marker-count", "5")
    assert drawn_markers(page, "sheets-map") == 5
    visit.screenshot(f"practices-list-{viewport}")

    page.get_by_role("link", name="Cafés des langues à Villeurbanne").click()
    page.wait_for_url(re.compile(r"/pratiques/cafes-des-langues-a-villeurbanne/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cafés des langues à Villeurbanne")
    wait_for_sheets_map(page, "sheet-map")
    expect(page.locator("#sheet-map")).to_have_attribute("data-marker-count", "1")
    expect(page.locator(".sheet__main strong")).to_have_text("ateliers")
    visit.screenshot(f"practices-sheet-{viewport}")

    # Printed: the text and the facts, no map and no navigation.
    page.emulate_media(media="print")
    expect(page.locator("#sheet-map")).to_be_hidden()
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".sheet-facts")).to_be_visible()
    visit.screenshot(f"practices-sheet-print-{viewport}")
    page.emulate_media(media="screen")

    page.locator(".sheet-facts").get_by_role("link", name="Centre social du Pont").click()
    page.wait_for_url(re.compile(r"/annuaire/organisations/centre-social-du-pont/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Centre social du Pont")

    assert visit.errors == []
    assert set(visit.blocked) <= {"tile.openstreetmap.org"}


def test_a_documented_practice_leads_to_its_carrier(visit_with, practices):
    visit = visit_with("desktop")
    page = visit.page
    visit.goto("/pratiques/?theme=lutte-discriminations")
    wait_for_sheets_map(page, "sheets-map")
    page.get_by_role("link", name=re.compile("^Villeurbanne : un réseau de vigilance")).click()
    page.wait_for_url(re.compile(r"/pratiques/villeurbanne-reseau-vigilance-discriminations/$"))
    expect(page.locator(".sheet-facts")).to_contain_text("Devenue un service pérenne")
    visit.screenshot("practices-demo-sheet-desktop")
    page.get_by_role("link", name="Ville de Villeurbanne").click()
    page.wait_for_url(re.compile(r"/annuaire/organisations/ville-de-villeurbanne/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ville de Villeurbanne")
    assert visit.errors == []


def test_unknown_filters_in_a_shared_link_are_explained(visit_with, practices):
    visit = visit_with("phone")
    page = visit.page
    response = visit.goto("/pratiques/?theme=ancien-theme&region=99&q=%F0%9F%99%82")
    assert response.status == 200
    notice = page.get_by_role("status").filter(has_text="filtre ignoré")
    expect(notice).to_contain_text("Thème inconnu, filtre ignoré : « ancien-theme »")
    expect(notice).to_contain_text("Région inconnue, filtre ignoré : « 99 »")
    visit.screenshot("practices-unknown-filters-phone")
    assert visit.errors == []
