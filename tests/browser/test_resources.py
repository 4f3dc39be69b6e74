"""The documentary base in a real headless Chromium: from a practice sheet to a related
notice, its citation and its bibliography; the search with its facets."""

import pytest
from playwright.sync_api import expect

from resources.models import NoticeStatus
from tests.practices.factories import make_sheet
from tests.resources.factories import make_bibliography, make_notice

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots"


@pytest.fixture
def documented_sheet(geography):
    sheet = make_sheet("Maison des langues de Villeurbanne", communes=["69266"])
    notice = make_notice(
        "Maisons des langues : bilan de cinq années",
        abstract="Ce rapport fait le point sur les publics accueillis et les partenariats.",
        authors=[("person", "Petit, Nadia"), ("organisation", "Centre ressources Rhône")],
        region="84",
        year=2022,
        type="report",
        publisher="Éditions du Réseau",
    )
    notice.practice_sheets.add(sheet)
    make_notice("Brouillon lié", status=NoticeStatus.DRAFT).practice_sheets.add(sheet)
    make_bibliography("Apprendre la langue", [notice])
    return sheet, notice


def test_from_a_practice_sheet_to_its_notice(visit_with, documented_sheet, viewport):
    sheet, notice = documented_sheet
    visit = visit_with(viewport)
    visit.goto(sheet.get_absolute_url())
    section = visit.page.get_by_role("region", name="Documentation")
    expect(section).to_be_visible()
    expect(section.get_by_role("link")).to_have_count(2)  # the notice, then « toute la … »
    expect(visit.page.get_by_text("Brouillon lié")).to_have_count(0)
    section.get_by_role("link", name=notice.title).click()
    expect(visit.page.get_by_role("heading", level=1)).to_have_text(notice.title)
    expect(visit.page.locator("[data-citation]")).to_contain_text(
        "PETIT, Nadia et CENTRE RESSOURCES RHÔNE, 2022. Maisons des langues"
    )
    visit.page.screenshot(path=f"{SHOTS}/res_browser_notice_{viewport}.png", full_page=True)
    # Back to the sheet from the notice, and on to its bibliography.
    expect(visit.page.get_by_role("link", name=sheet.title)).to_be_visible()
    visit.page.get_by_role("link", name="Apprendre la langue").click()
    expect(visit.page.get_by_role("button", name="Imprimer")).to_be_visible()
    assert visit.errors == []


def test_search_and_facets(visit_with, documented_sheet):
    make_notice("Se loger en ville", themes=["logement"], year=2020, type="guide")
    visit = visit_with("desktop")
    visit.goto("/documentation/")
    visit.page.get_by_role("searchbox").fill("langues")
    visit.page.get_by_role("button", name="Rechercher").click()
    expect(visit.page.get_by_role("heading", name="1 document")).to_be_visible()
    visit.goto("/documentation/")
    expect(visit.page.get_by_role("heading", name="2 documents")).to_be_visible()
    visit.page.get_by_role("navigation", name="Type de document").get_by_role(
        "link", name="Guide"
    ).click()
    expect(visit.page.get_by_role("heading", name="1 document")).to_be_visible()
    expect(visit.page.get_by_role("link", name="Se loger en ville")).to_be_visible()
    visit.page.screenshot(path=f"{SHOTS}/res_browser_search.png", full_page=True)
    assert visit.errors == []
