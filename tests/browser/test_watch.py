"""The press watch's panorama in a real headless Chromium: filter by a theme, follow the
filter through the page, see the feeds offered."""

from datetime import date

import pytest
from playwright.sync_api import expect

from resources.models import NoticeStatus
from tests.resources.watch_factories import make_watch_item

pytestmark = pytest.mark.browser


@pytest.fixture
def watch(geography):
    make_watch_item(
        "À Villeurbanne, un guichet unique pour les premières démarches",
        published_on=date(2025, 11, 18),
        themes=["accueil-primo-arrivants", "acces-aux-droits"],
        regions=["84"],
        source="Le Petit Rhodanien",
        summary="La ville regroupe en un même lieu l'accueil des personnes arrivées depuis "
        "moins d'un an : ouverture des droits, cours de français, scolarisation.",
    )
    make_watch_item(
        "Logement des réfugiés : la colocation solidaire fait ses preuves",
        published_on=date(2025, 10, 14),
        themes=["logement"],
        regions=["84"],
        source="L'Écho forézien",
        summary="Un bailleur social et une association ont installé une vingtaine de "
        "colocations entre jeunes réfugiés et étudiants.",
    )
    make_watch_item(
        "Cours de français : des listes d'attente qui s'allongent",
        published_on=date(2025, 11, 6),
        themes=["langue"],
        regions=["93"],
        source="La Vigie phocéenne",
    )
    make_watch_item("Brouillon de veille", status=NoticeStatus.DRAFT)


def test_filter_the_panorama_by_theme(visit_with, watch):
    visit = visit_with("desktop")
    visit.goto("/documentation/")
    visit.page.get_by_role("link", name="La veille du réseau").click()
    expect(visit.page.get_by_role("heading", level=1)).to_have_text("La veille du réseau")
    expect(visit.page.get_by_role("heading", name="3 articles")).to_be_visible()
    expect(visit.page.get_by_text("Brouillon de veille")).to_have_count(0)
    # Newest first.
    titles = [t.strip() for t in visit.page.locator(".watch-item h3").all_text_contents()]
    assert titles[0].startswith("À Villeurbanne") and titles[-1].startswith("Logement")

    visit.page.get_by_label("Thème").select_option(label="Logement")
    visit.page.get_by_role("button", name="Filtrer").click()
    expect(visit.page.get_by_role("heading", name="1 article")).to_be_visible()
    link = visit.page.get_by_role("link", name="Logement des réfugiés : la colocation solidaire")
    expect(link).to_have_attribute("rel", "noopener")
    expect(visit.page.locator("time")).to_have_attribute("datetime", "2025-10-14")
    expect(visit.page.get_by_label("Thème")).to_have_value("logement")
    feed = visit.page.locator('link[rel="alternate"][type="application/rss+xml"]')
    expect(feed).to_have_attribute("href", "/documentation/veille/rss.xml?theme=logement")
    path = visit.screenshot("watch_panorama_logement")
    assert path.exists()
    assert visit.errors == [] and visit.blocked == []


def test_copy_the_embed_code_and_see_the_list_framed(visit_with, watch):
    visit = visit_with("desktop")
    visit.goto("/documentation/veille/?theme=logement")
    visit.page.get_by_text("Afficher cette veille sur votre site").click()
    code = visit.page.get_by_label("Code à copier")
    expect(code).to_be_visible()
    src = code.input_value().split('src="', 1)[1].split('"', 1)[0]
    assert src.endswith("/embed/veille/?theme=logement")
    visit.screenshot("watch_embed_code")
    # The code on a member centre's page: the framed list shows the same article.
    visit.page.set_content(code.input_value())
    frame = visit.page.frame_locator("iframe")
    expect(frame.get_by_text("Logement des réfugiés : la colocation solidaire")).to_be_visible()
    expect(frame.get_by_text("Cours de français")).to_have_count(0)
