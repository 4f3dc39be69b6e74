"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every request to another host than the live server (map tiles above all) is
aborted: the tests never touch the network, and they record what was blocked.

The live server needs `transactional_db`, whose teardown empties every table,
including the geography that tests/conftest.py loads once per session. So each
browser test reloads it when missing, and the package leaves it loaded behind it
for whatever test runs next.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from tests.live import ensure_geography

# Sync Playwright keeps an asyncio loop in the main thread, where the ORM also runs.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# The live server answers from one thread per browser socket, and Chromium keeps
# sockets alive: with persistent connections (CONN_MAX_AGE on PostGIS) such a thread
# may still hold a session when the test database is dropped. One per request, then.
settings.DATABASES[DEFAULT_DB_ALIAS]["CONN_MAX_AGE"] = 0

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.fixture(scope="package", autouse=True)
def _leave_geography_loaded(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        ensure_geography()


@pytest.fixture
def geography(transactional_db):
    ensure_geography()


@pytest.fixture(scope="package")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # While Playwright runs, the ORM gets other connection objects (asgiref's
        # context-local storage follows Playwright's event loop). Close them before
        # leaving: an open session would stop PostgreSQL from dropping the test database.
        connections.close_all()


class Visit:
    """A page confined to the live server, with what it tried to reach elsewhere."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.blocked: list[str] = []
        self.errors: list[str] = []
        origin = urlsplit(self.base_url)
        host = (origin.scheme, origin.netloc)

        def route(route):
            url = urlsplit(route.request.url)
            if (url.scheme, url.netloc) == host:
                route.continue_()
            else:
                self.blocked.append(url.netloc)
                route.abort()

        page.route("**/*", route)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def goto(self, path: str):
        return self.page.goto(self.base_url + path)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def visit_with(chromium, live_server, geography):
    """Open a fresh browser context: `visit_with("phone")` or `visit_with("desktop", "en-GB")`."""
    contexts = []

    def open_page(viewport: str = "desktop", locale: str = "fr-FR") -> Visit:
        context = chromium.new_context(viewport=VIEWPORTS[viewport], locale=locale)
        contexts.append(context)
        return Visit(context.new_page(), live_server.url)

    yield open_page
    for context in contexts:
        context.close()
