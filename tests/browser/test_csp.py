"""The Content-Security-Policy in a real browser: the maps draw, and nothing the pages load
or run is refused (Chromium reports each refusal on the console and as an event)."""

import pytest

from tests.factories import PlaceFactory

pytestmark = pytest.mark.browser

# Runs before any script of the page (Playwright injects it outside the page's policy).
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""

REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.fixture
def places(geography):
    return [PlaceFactory(name=f"Lieu {n}", lon=4.88 + n / 100, lat=45.76) for n in range(3)]


def watched(visit):
    console = []
    visit.page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    visit.page.add_init_script(WATCH)
    return console


@pytest.mark.parametrize(
    ("url", "ready"),
    [
        ("/", "#regions-map.map--ready"),
        ("/regions/auvergne-rhone-alpes/", "#area-places-map.map--tiles-ready"),
        ("/annuaire/?q=Villeurbanne&radius=20", "#results-map.map--tiles-ready"),
        ("/embed/?region=84", "#embed-map.embed-map--ready"),
        ("/integrer/", "iframe"),
        ("/pratiques/", ".sheet-filters"),
        ("/admin/login/", "#login-form"),
        ("/api/v1/docs/", "redoc [role=search], .api-content"),
        ("/api/v1/redoc/", "redoc [role=search], .api-content"),
    ],
)
def test_pages_run_under_the_policy_without_violation(visit_with, places, url, ready):
    visit = visit_with("desktop")
    console = watched(visit)
    response = visit.goto(url)
    assert response.status == 200
    assert (
        "'unsafe-inline'"
        not in response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    )
    # The maps are started by django-leaflet's inline script: they are drawn only if the
    # response's nonce let it run.
    visit.page.wait_for_selector(ready, timeout=15_000)
    visit.page.wait_for_load_state("networkidle")
    violations = visit.page.evaluate("window.__cspViolations")
    if url in ("/api/v1/docs/", "/api/v1/redoc/"):
        # Redoc's "powered by" logo comes from its CDN; it hides the image when refused.
        violations = [v for v in violations if v != f"img-src {REDOC_LOGO}"]
        console = [m for m in console if REDOC_LOGO not in m]
    assert violations == []
    assert console == []
    assert visit.errors == []


def test_a_script_without_the_nonce_is_refused(visit_with, places):
    # The policy is enforced, not only sent: what an injected inline script would meet.
    visit = visit_with("desktop")
    console = watched(visit)
    visit.goto("/")
    visit.page.wait_for_selector("#regions-map.map--ready")
    visit.page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__injected = true";
          document.body.appendChild(script);
        }"""
    )
    assert visit.page.evaluate("window.__injected") is None
    assert visit.page.evaluate("window.__cspViolations") == ["script-src-elem inline"]
    assert console
