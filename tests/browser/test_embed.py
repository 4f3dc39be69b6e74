"""Embedded maps on a member centre's site, in a real browser.

The "member site" is a page served by a tiny http.server on another port of
127.0.0.1 (another origin than the live server): it embeds two maps with the
snippet (the script included twice), frames the home page (which must refuse),
and a map of a centre whose declared domains do not include it (refused too).
Screenshots land in test-artifacts/.
"""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from directory.models import Competence
from geodata.models import Commune
from practices.models import PracticeSheet, Scope, SheetStatus
from practices.services import sheet_save
from tests.browser.conftest import ARTIFACTS, VIEWPORTS
from tests.factories import OrganisationFactory, PlaceFactory

pytestmark = pytest.mark.browser

ACCENT = "#c0392b"
ACCENT_RGB = "rgb(192, 57, 43)"

MEMBER_PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Centre ressources partenaire</title>
<style>
  body {{ font-family: Georgia, serif; max-width: 56rem; margin: 0 auto; padding: 1rem; color: #222; }}
  header {{ border-bottom: 3px solid {accent}; margin-bottom: 1rem; }}
  section {{ margin: 1.5rem 0; }}
</style>
</head>
<body>
<header><h1>Centre ressources partenaire</h1><p>Notre réseau, région par région.</p></header>
<section>
  <h2>Auvergne-Rhône-Alpes : titres de séjour</h2>
  <div id="map-aura" data-reperes-map data-region="84" data-competence="sejour"
       data-layers="places" data-list="1" data-height="320" data-color="{accent}"
       data-centre="cr-partenaire"></div>
</section>
<section>
  <h2>Provence-Alpes-Côte d'Azur</h2>
  <div id="map-paca" data-reperes-map data-region="93" data-layers="places,practices"
       data-list="0" data-search="1" data-lang="en" data-height="300"></div>
</section>
<script src="{live}/embed.js" async></script>
<script src="{live}/embed.js" async></script>
<section>
  <h2>Ce qui ne doit pas s'afficher ici</h2>
  <iframe id="home-frame" src="{live}/" title="Accueil Repères" style="width:100%;height:100px"></iframe>
  <div id="map-restricted" data-reperes-map data-region="84" data-centre="cr-restreint"
       data-height="200"></div>
</section>
</body>
</html>
"""


@pytest.fixture
def member_site(live_server):
    """A page on another origin (random free port), embedding maps of the live server."""
    page = {"html": b""}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 — http.server's naming
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page["html"])

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    page["html"] = MEMBER_PAGE.format(live=live_server.url, accent=ACCENT).encode()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def embed_data(geography, member_site):
    sejour, _ = Competence.objects.get_or_create(
        slug="sejour", defaults={"name": "Titres de séjour et droit au séjour"}
    )
    francais, _ = Competence.objects.get_or_create(
        slug="apprentissage-francais", defaults={"name": "Apprentissage du français"}
    )
    partner = OrganisationFactory(
        name="Centre partenaire",
        slug="cr-partenaire",
        is_member_centre=True,
        embed_domains=member_site,  # http://127.0.0.1:<port>, written with its scheme
    )
    OrganisationFactory(
        name="Centre restreint",
        slug="cr-restreint",
        is_member_centre=True,
        embed_domains="www.exemple.fr",
    )
    for name, lon, lat in [
        ("Point droits Gratte-Ciel", 4.8805, 45.7670),
        ("Permanence Charpennes", 4.8650, 45.7700),
    ]:
        PlaceFactory(name=name, lon=lon, lat=lat, competences=[sejour])  # Villeurbanne, 84
    PlaceFactory(name="Maison des langues", lon=4.8500, lat=45.7580, competences=[francais])
    for name, lon, lat in [
        ("Accueil Vieux-Port", 5.3698, 43.2965),
        ("Permanence Belle de Mai", 5.3850, 43.3130),
    ]:
        PlaceFactory(name=name, lon=lon, lat=lat, competences=[sejour])  # Marseille, 93
    sheet_save(
        sheet=PracticeSheet(
            title="Parrainage à Marseille",
            summary="Des binômes.",
            scope=Scope.COMMUNES,
            author_centre=partner,
            status=SheetStatus.PUBLISHED,
        ),
        communes=[Commune.objects.get(code="13055")],
    )


@pytest.fixture
def member_page(chromium, live_server, member_site, embed_data):
    """A browser page allowed to reach the member site and the live server, nothing else."""
    allowed = {urlsplit(live_server.url).netloc, urlsplit(member_site).netloc}
    blocked, errors, contexts = [], [], []

    def open_page(viewport="desktop"):
        context = chromium.new_context(viewport=VIEWPORTS[viewport], locale="fr-FR")
        contexts.append(context)

        def route(route):
            netloc = urlsplit(route.request.url).netloc
            if netloc in allowed:
                route.continue_()
            else:
                blocked.append(netloc)
                route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(member_site + "/")
        return page

    yield open_page, blocked, errors
    for context in contexts:
        context.close()


def embedded_frame(page, container_id):
    iframe = page.locator(f"#{container_id} iframe")
    iframe.scroll_into_view_if_needed()
    frame = iframe.element_handle().content_frame()
    frame.wait_for_selector("#embed-map.embed-map--ready", timeout=15_000)
    return iframe, frame


def frame_height(iframe) -> int:
    return iframe.evaluate("el => Math.round(el.getBoundingClientRect().height)")


def content_height(frame) -> int:
    return frame.evaluate(
        "() => Math.ceil(document.getElementById('embed-root').getBoundingClientRect().height)"
    )


def wait_for_fit(iframe, frame):
    """The iframe takes the height its page posted (embed.js, reperes:resize)."""
    iframe.page.wait_for_function(
        "([el, h]) => Math.abs(el.getBoundingClientRect().height - h) <= 1",
        arg=[iframe.element_handle(), content_height(frame)],
        timeout=5_000,
    )


def screenshot_whole(page, name: str) -> None:
    """The whole page, taken by a viewport as tall as the page.

    A `full_page` screenshot composites cross-origin frames (other processes) at
    stale places; a tall viewport draws them where they are.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"]
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": width, "height": height})
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_two_maps_on_a_member_site(member_page):
    open_page, blocked, errors = member_page
    page = open_page("desktop")

    # The script came twice: still one iframe per map, each from the live server.
    iframes = page.locator("[data-reperes-map] iframe")
    expect(iframes).to_have_count(3)
    expect(page.locator("#map-aura iframe")).to_have_count(1)
    expect(page.locator("#map-aura iframe")).to_have_attribute("loading", "lazy")

    # --- First map: région 84, competence sejour, list, accent colour.
    aura, aura_frame = embedded_frame(page, "map-aura")
    # Places come from the vector tiles: clusters and place dots.
    assert aura_frame.locator(".place-tiles__cluster, .place-tiles__place").count() > 0
    assert aura_frame.locator("#embed-map").get_attribute("data-marker-count") == "2"
    assert aura_frame.locator(".embed-marker--practice").count() == 0
    toggle = aura_frame.locator("#embed-list-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert toggle.evaluate("el => getComputedStyle(el).backgroundColor") == ACCENT_RGB
    # Sized to its content: taller than the 320 px map it started at, as posted.
    wait_for_fit(aura, aura_frame)
    closed = frame_height(aura)
    assert closed > 320
    expect(aura).to_have_attribute("title", "Carte Repères — Auvergne-Rhône-Alpes")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    items = aura_frame.locator("#embed-list .embed-item")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Permanence Charpennes")
    expect(aura_frame.locator("#embed-list")).not_to_contain_text("Maison des langues")
    assert items.first.locator("a").get_attribute("target") == "_blank"
    wait_for_fit(aura, aura_frame)
    assert frame_height(aura) > closed + 40

    # --- Second map: région 93, places and practices, search box, no list, in English.
    paca, paca_frame = embedded_frame(page, "map-paca")
    assert paca_frame.locator("html").get_attribute("lang") == "en"
    assert paca_frame.locator(".leaflet-marker-icon").count() > 0
    expect(paca_frame.locator(".embed-marker--practice")).to_have_count(1)
    assert paca_frame.locator("#embed-list-toggle").count() == 0
    expect(paca_frame.locator(".embed-legend")).to_contain_text("Practices")
    # The default accent, not the first map's.
    button = paca_frame.locator(".embed-search button")
    assert button.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(31, 75, 143)"
    wait_for_fit(paca, paca_frame)
    assert frame_height(paca) > 300

    # Searching navigates inside the frame, keeps the parameters, and still fits.
    paca_frame.get_by_role("searchbox", name=re.compile("^Address")).fill("Marseille")
    paca_frame.get_by_role("button", name="Search").click()
    paca_frame.wait_for_url(re.compile(r"q=Marseille"))
    paca_frame.wait_for_selector("#embed-map.embed-map--ready")
    expect(paca_frame.locator("#embed-count")).to_contain_text("nearest first from")
    assert "region=93" in paca_frame.url and "lang=en" in paca_frame.url
    wait_for_fit(paca, paca_frame)

    # --- What must not be framed here.
    page.wait_for_load_state("load")
    home = page.locator("#home-frame").element_handle().content_frame()
    assert home.locator(".site-header").count() == 0
    restricted_iframe = page.locator("#map-restricted iframe")
    restricted_iframe.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    restricted = restricted_iframe.element_handle().content_frame()
    assert restricted.locator("#embed-root").count() == 0
    # Never resized: no page of ours ran in it.
    assert frame_height(restricted_iframe) == 200

    screenshot_whole(page, "embed-member-site-desktop")
    assert errors == []
    assert set(blocked) <= {"tile.openstreetmap.org"}


def test_member_site_on_a_phone(member_page):
    open_page, blocked, errors = member_page
    page = open_page("phone")
    aura, aura_frame = embedded_frame(page, "map-aura")
    paca, paca_frame = embedded_frame(page, "map-paca")
    wait_for_fit(aura, aura_frame)
    wait_for_fit(paca, paca_frame)
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
    assert aura_frame.evaluate("document.documentElement.scrollWidth") <= frame_width(aura)
    screenshot_whole(page, "embed-member-site-phone")
    assert errors == []


def frame_width(iframe) -> int:
    return iframe.evaluate("el => Math.round(el.getBoundingClientRect().width)")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_builder_preview_and_copy(visit_with, embed_data, viewport):
    visit = visit_with(viewport)
    assert visit.goto("/integrer/").status == 200
    page = visit.page
    preview = page.locator("#builder-preview iframe")
    expect(preview).to_have_count(1)

    page.get_by_label("Territoire").select_option("region:84")
    page.get_by_label("Titres de séjour et droit au séjour").check()
    page.get_by_label("Un champ pour chercher près d’une adresse").check()
    code = page.locator("#builder-code")
    expect(code).to_have_value(re.compile(r'data-region="84" data-competence="sejour"'))
    expect(code).to_have_value(re.compile(r'data-search="1"'))
    expect(code).to_have_value(re.compile(r'<script src="http://[^"]+/embed\.js" async></script>'))
    expect(preview).to_have_attribute("src", re.compile(r"region=84&competence=sejour&search=1"))

    frame = preview.element_handle().content_frame()
    frame.wait_for_selector("#embed-map.embed-map--ready", timeout=15_000)
    assert frame.locator("#embed-map").get_attribute("data-marker-count") == "2"
    expect(frame.locator(".embed-search")).to_have_count(1)
    # The builder's address keeps the choices.
    assert "area=region%3A84" in page.url

    page.get_by_role("button", name="Copier le code").click()
    expect(page.locator("#builder-copy-status")).to_contain_text("Code")
    page.wait_for_function(
        "() => { const f = document.querySelector('#builder-preview iframe');"
        " return f && parseInt(f.style.height, 10) > 420; }"
    )
    visit.screenshot(f"embed-builder-{viewport}")
    assert visit.errors == []
    assert set(visit.blocked) <= {"tile.openstreetmap.org"}
