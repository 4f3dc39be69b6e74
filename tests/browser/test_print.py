"""On paper: a place page, a search and the orientation sheet as a printer gets them.

Chromium prints each page (print media, A4); the screenshots are written to /tmp/shots/
(print_*.png), with the first page of the sheet's WeasyPrint PDF when poppler's pdftoppm
is installed.
"""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from django.conf import settings
from django.test import Client
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from directory.models import Competence
from tests.factories import PlaceFactory

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
SEARCH = "/annuaire/?q=Villeurbanne&radius=20"
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def places(geography):
    competences = list(Competence.objects.all()[:2])
    return [
        PlaceFactory(
            name=f"Point d’accueil n° {n}",
            slug=f"point-accueil-{n}",
            lon=4.8805 + 0.004 * n,
            lat=45.7670,
            street=f"{n} rue Anatole France",
            postal_code="69100",
            phone=f"04 78 00 00 {n:02d}",
            website="https://accueil.example.org",
            opening_hours="Mo-Fr 09:00-12:30,13:30-17:00",
            competences=competences,
        )
        for n in range(1, 10)
    ]


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"print_{name}.png"), full_page=True)


def decoded_qr_codes(png: Path) -> list[str]:
    """The texts of the QR codes in an image, from top to bottom."""
    found = zxingcpp.read_barcodes(Image.open(png), formats=zxingcpp.BarcodeFormat.QRCode)
    return [code.text for code in sorted(found, key=lambda code: code.position.top_left.y)]


def serious_axe_violations(page) -> list[str]:
    # Evaluated through DevTools: the page's Content-Security-Policy refuses injected scripts.
    page.evaluate(AXE_SCRIPT.read_text() + "\n;undefined")
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", "))"""
    )


def printed_pages(page) -> int:
    return len(PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True))).pages)


def assert_screen_parts_hidden(page) -> None:
    for selector in (".site-header", ".site-nav", ".lang-switch", ".skip-link", ".site-footer"):
        expect(page.locator(selector)).to_be_hidden()
    for button in page.locator("button:not([hidden]), .button").all():
        expect(button).to_be_hidden()


def test_a_place_page_on_paper(visit_with, places):
    place = places[0]
    visit = visit_with("desktop")
    page = visit.page
    visit.goto(place.get_absolute_url())
    expect(page.locator(".print-url")).to_be_hidden()  # on screen: the address bar says it
    page.emulate_media(media="print")
    assert_screen_parts_hidden(page)
    expect(page.get_by_role("navigation", name="Actions")).to_be_hidden()
    expect(page.locator("#place-map")).to_be_hidden()
    expect(page.get_by_role("link", name="Signaler une erreur")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text(place.name)
    expect(page.get_by_text(place.address)).to_be_visible()
    expect(page.get_by_role("heading", name="Horaires", exact=True)).to_be_visible()
    url = page.locator(".print-url")
    expect(url).to_be_visible()
    expect(url).to_have_text(f"Adresse de cette page : {visit.base_url}{place.get_absolute_url()}")
    shot(page, "place")
    assert printed_pages(page) == 1  # it printed over two A4 pages with its header and map
    assert visit.errors == []


def test_a_search_on_paper(visit_with, places):
    visit = visit_with("desktop")
    page = visit.page
    visit.goto(SEARCH)
    expect(page.locator("#results-title")).to_contain_text("9 lieux trouvés")
    expect(page.get_by_role("link", name="Imprimer une fiche d’orientation")).to_be_visible()
    shot(page, "search_screen")
    page.emulate_media(media="print")
    assert_screen_parts_hidden(page)
    expect(page.locator("form.search-form")).to_be_hidden()
    expect(page.locator("#results-map")).to_be_hidden()
    expect(page.get_by_role("link", name="Imprimer une fiche d’orientation")).to_be_hidden()
    expect(page.locator("#results-list li")).to_have_count(9)
    expect(page.locator("#results-list li").first).to_be_visible()
    url = page.locator(".print-url")
    expect(url).to_be_visible()
    expect(url).to_contain_text(
        f"Adresse de cette page : {visit.base_url}/annuaire/?q=Villeurbanne"
    )
    shot(page, "search")
    assert visit.errors == []


def test_the_orientation_sheet_from_a_search(visit_with, places):
    visit = visit_with("desktop")
    page = visit.page
    visit.goto(SEARCH)
    page.get_by_role("link", name="Imprimer une fiche d’orientation").click()
    page.wait_for_url(re.compile(r"/annuaire/fiche/\?"))
    visit.blocked.clear()  # the search page's map tiles; the sheet asks nothing outside
    expect(page.locator(".sheet-place")).to_have_count(8)
    expect(page.get_by_role("button", name="Imprimer")).to_be_visible()
    page.get_by_role("link", name="العربية").click()
    expect(page.locator('td[lang="ar"][dir="rtl"]')).to_have_count(8)
    shot(page, "sheet_screen")
    assert serious_axe_violations(page) == []
    page.emulate_media(media="print")
    expect(page.locator(".sheet-toolbar")).to_be_hidden()
    expect(page.get_by_role("button", name="Imprimer")).to_be_hidden()
    shot(page, "sheet")
    # Each QR code, read back from the printed page, opens its place's page.
    assert decoded_qr_codes(SHOTS / "print_sheet.png") == [
        f"{visit.base_url}{place.get_absolute_url()}" for place in places[:8]
    ]
    assert printed_pages(page) == 1  # Chromium's print of the page, too
    assert visit.errors == []
    assert visit.blocked == []  # QR codes and styles: all from the site


def test_the_sheet_pdf_looks_like_a_sheet(places):
    """The PDF's first page as an image (poppler-utils' pdftoppm): for the eye, and for a
    QR reader."""
    response = Client().get("/annuaire/fiche.pdf?q=Villeurbanne&radius=20&langue=ar")
    assert response.status_code == 200
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    SHOTS.mkdir(exist_ok=True)
    pdf = SHOTS / "print_sheet_pdf.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-r", "120", "-png", "-singlefile", str(pdf), str(SHOTS / "print_sheet_pdf")],
        check=True,
        timeout=60,
    )
    assert decoded_qr_codes(SHOTS / "print_sheet_pdf.png") == [
        f"http://testserver{place.get_absolute_url()}" for place in places[:8]
    ]
