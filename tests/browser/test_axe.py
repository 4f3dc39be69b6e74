"""axe-core on every public page, at phone and desktop sizes, in headless Chromium.

axe-core comes from npm (package.json, installed by `make setup`) and is injected into each
page once it has settled. A serious or critical violation fails the test; every violation,
whatever its impact, is counted in a per-page summary shown at the end of the run and
written to AXE_SUMMARY, test-artifacts/axe-summary.txt unless the environment names another
file (with the details beside it, .json): the figures the accessibility statement's
« Résultats » must agree with (core/templates/core/accessibility.html).

A page is one line of PAGES: a name, its path ({place}, {organisation}, {sheet}, {region},
{department} stand for the slugs of the demo data) and, where the page draws something after
loading, the selector that says it is ready.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from core.demo import load_demo
from directory.models import Place
from geodata.models import Department, Region
from practices.models import PracticeSheet, SheetStatus
from resources.models import Bibliography, Notice
from tests.browser.conftest import ARTIFACTS, VIEWPORTS

pytestmark = pytest.mark.browser

AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_VERSION = json.loads((AXE_SCRIPT.parent / "package.json").read_text())["version"]
AXE_SUMMARY = Path(os.environ.get("AXE_SUMMARY") or ARTIFACTS / "axe-summary.txt")
FAILING_IMPACTS = {"serious", "critical"}
IMPACTS = ("critical", "serious", "moderate", "minor")

# (name, path, selector that appears once the page is ready, or None)
PAGES = [
    ("home", "/", "#regions-map.map--ready"),
    ("search", "/annuaire/", None),
    (
        "search-results",
        "/annuaire/?q=10+place+Lazare+Goujon%2C+Villeurbanne&radius=20",
        "#results-list li.place-card",  # the address found places
    ),
    ("place", "/annuaire/lieux/{place}/", "#place-map.leaflet-container"),
    ("organisation", "/annuaire/organisations/{organisation}/", None),
    ("region", "/regions/{region}/", "#area-places-map.map--tiles-ready"),
    ("department", "/departements/{department}/", None),
    ("practices", "/pratiques/", ".sheet-filters"),
    ("sheet", "/pratiques/{sheet}/", None),
    ("embed-builder", "/integrer/", "iframe"),
    ("embed-map", "/embed/?region=84", "#embed-map.embed-map--ready"),
    ("exports", "/exports/", None),
    ("api-docs", "/api/v1/docs/", ".api-content"),  # also at /api/v1/redoc/, the same view
    ("accessibility", "/accessibilite/", None),
    ("not-found", "/cette-page-n-existe-pas/", None),
    ("admin-login", "/admin/login/", "#login-form"),
    (
        "orientation",
        "/annuaire/fiche/?q=10+place+Lazare+Goujon%2C+Villeurbanne&radius=20",
        ".sheet-place",
    ),
    ("documentation", "/documentation/", None),
    ("notice", "/documentation/{notice}/", None),
    ("bibliographies", "/documentation/bibliographies/", None),
    ("organisation-request", "/documentation/demandes/structure-ressource/", None),
    ("bibliography", "/documentation/bibliographies/{bibliography}/", None),
    ("watch", "/documentation/veille/?theme=logement", None),
    ("watch-embed", "/embed/veille/?limite=5", None),
]
NOT_FOUND = {"not-found"}
# Right to left: the pages a newcomer reads most, again in Arabic (the browser asks for it).
RTL_PAGES = {"home", "search-results", "place", "orientation", "documentation", "accessibility"}

_summary: dict[tuple[str, str], list[dict]] = {}


@pytest.fixture
def demo_data(geography):
    """The demo directory and practices, where the test départements have them."""
    load_demo(write=True)
    place = Place.objects.filter(commune__code="69266").order_by("slug").first()
    return {
        "place": place.slug,
        "organisation": place.organisation.slug,
        "sheet": PracticeSheet.objects.filter(status=SheetStatus.PUBLISHED)
        .order_by("slug")
        .first()
        .slug,
        "region": Region.objects.get(code="84").slug,
        "department": Department.objects.get(code="69").slug,
        "notice": Notice.objects.filter(status=SheetStatus.PUBLISHED).order_by("slug").first().slug,
        "bibliography": Bibliography.objects.filter(status=SheetStatus.PUBLISHED)
        .order_by("slug")
        .first()
        .slug,
    }


def run_axe(page) -> list[dict]:
    # Evaluated through the DevTools protocol: the pages' Content-Security-Policy (scripts
    # from this site or with the request's nonce) would refuse an injected <script>.
    page.evaluate(AXE_SCRIPT.read_text() + "\n;undefined")
    return page.evaluate(
        """async () => {
          const results = await axe.run(document, {resultTypes: ["violations"]});
          return results.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5), count: v.nodes.length,
          }));
        }"""
    )


def _write_summary(terminal) -> None:
    header = f"{'page':<16} {'size':<8}" + "".join(f"{i:>9}" for i in IMPACTS) + "  rules"
    lines = ["axe-core " + AXE_VERSION + ": violations (elements) by impact", header]
    for (name, size), violations in sorted(_summary.items()):
        counts = Counter()
        for violation in violations:
            counts[violation["impact"]] += violation["count"]
        rules = ", ".join(f"{v['id']} ({v['impact']}, {v['count']})" for v in violations)
        lines.append(
            f"{name:<16} {size:<8}" + "".join(f"{counts[i]:>9}" for i in IMPACTS) + f"  {rules}"
        )
    text = "\n".join(lines) + "\n"
    AXE_SUMMARY.parent.mkdir(parents=True, exist_ok=True)
    AXE_SUMMARY.write_text(text)
    details = {
        f"{name} {size}": violations for (name, size), violations in sorted(_summary.items())
    }
    AXE_SUMMARY.with_suffix(".json").write_text(json.dumps(details, indent=1, ensure_ascii=False))
    if terminal is not None:  # shown even when pytest captures the tests' output
        terminal.write_line("")
        for line in lines:
            terminal.write_line(line)


@pytest.fixture(scope="module", autouse=True)
def _summary_at_the_end(request):
    yield
    if _summary:
        _write_summary(request.config.pluginmanager.get_plugin("terminalreporter"))


def _check(visit, demo_data, name, path, ready, size, language) -> list[str]:
    """axe on one page: its serious and critical violations, as lines of the failure."""
    response = visit.goto(path.format(**demo_data))
    problems = []
    if response.status != (404 if name in NOT_FOUND else 200):
        problems.append(f"{name}: HTTP {response.status}")
    if 'nonce="None"' in response.text():
        problems.append(f'{name}: nonce="None"')
    if ready:
        visit.page.wait_for_selector(ready, timeout=15_000)
    visit.page.wait_for_load_state("networkidle")
    violations = run_axe(visit.page)
    label = name if language == "fr" else f"{name} ({language})"
    _summary[(label, size)] = violations
    problems += [
        f"{label} {size}: {v['impact']} {v['id']} ({v['count']}): {v['help']} — {v['nodes']}"
        for v in violations
        if v["impact"] in FAILING_IMPACTS
    ]
    return problems


# One test per size and language, every page in turn: the demo data is loaded once for all
# its pages (a browser test's database is emptied after each test), and the failure lists
# every page's violations, not the first one's.
@pytest.mark.parametrize(("size", "language"), [(s, "fr") for s in VIEWPORTS] + [("phone", "ar")])
def test_no_serious_accessibility_violation(visit_with, demo_data, size, language):
    visit = visit_with(size, {"fr": "fr-FR", "ar": "ar"}[language])
    pages = [p for p in PAGES if language == "fr" or p[0] in RTL_PAGES]
    problems = []
    for name, path, ready in pages:
        problems += _check(visit, demo_data, name, path, ready, size, language)
    if language == "ar":
        assert visit.page.evaluate("document.documentElement.dir") == "rtl"
    assert problems == [], "\n".join(problems)
