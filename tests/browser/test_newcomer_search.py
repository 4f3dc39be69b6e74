"""The newcomer's search on a phone, from the home page: taps, what shows, and Tab presses."""

import pytest
from playwright.sync_api import expect

from directory.tiles import clusters
from tests.browser.test_search import search_places  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

BOX_OF_FIRST_SCREEN = 844


def test_home_search_in_three_taps_and_the_first_result_shows(visit_with, search_places):  # noqa: F811
    clusters.rebuild()  # the home's competences are the most offered ones
    visit = visit_with("phone")
    page = visit.page
    visit.goto("/")
    # 1: the address field; 2: a competence; 3: « Rechercher ».
    page.get_by_label("Adresse, commune ou code postal").fill("Villeurbanne")
    page.get_by_text("Titres de séjour et droit au séjour").click()
    page.get_by_role("button", name="Rechercher").click()
    heading = page.locator("#results-title")
    expect(heading).to_contain_text("4 lieux trouvés")
    expect(heading).to_contain_text("de Villeurbanne")
    first = page.locator("#results-list li").first
    expect(first).to_be_in_viewport(ratio=1)  # the page opened on the results
    box = first.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= BOX_OF_FIRST_SCREEN  # no scrolling
    visit.screenshot("newcomer-search-phone")
    assert visit.errors == []


def test_first_result_reached_in_few_tabs_after_submitting(visit_with, search_places):  # noqa: F811
    visit = visit_with("phone")
    page = visit.page
    visit.goto("/annuaire/")
    page.get_by_label("Adresse, commune ou code postal").fill("Villeurbanne")
    page.keyboard.press("Enter")
    expect(page.locator("#results-title")).to_contain_text("lieux trouvés")
    first_link = page.locator("#results-list li a").first
    expect(first_link).to_be_in_viewport()  # the page opened on the results
    presses = 0
    while not first_link.evaluate("node => node === document.activeElement"):
        assert presses < 5, "first result not reached in 5 Tab presses"
        page.keyboard.press("Tab")
        presses += 1
    assert 1 <= presses <= 5


def test_open_now_and_language_are_first_class_filters(visit_with, search_places):  # noqa: F811
    visit = visit_with("phone")
    page = visit.page
    visit.goto("/annuaire/")
    expect(page.get_by_label("Ouvert maintenant")).to_be_visible()
    expect(page.get_by_label("Langue parlée")).to_be_visible()
    # The other filters fold under « Filtres (n) » on a phone, one tap away.
    competences = page.get_by_role("group", name="Compétences")
    expect(competences).to_be_hidden()
    page.get_by_text("Filtres (0)").click()
    expect(competences).to_be_visible()
