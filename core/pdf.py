"""PDF from the site's own HTML (WeasyPrint), with no request leaving the server.

The orientation sheet and the bibliographies render their print template and hand it here;
WeasyPrint reads the stylesheets and images it links from the static files on disk.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static


def _static_path(name: str) -> str | None:
    """A static file on disk: from the finders (development, tests), else from
    STATIC_ROOT (production, where names carry a fingerprint)."""
    try:
        found = finders.find(name)
        if found:
            return found
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
    except Exception:  # a name that escapes the static directories, a storage without paths
        return None
    return None


def static_fetcher(base_url: str):
    """WeasyPrint's fetcher for a page of `base_url`: the site's static files, read from
    disk, and nothing else (no request leaves the server, whatever the page links to)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static_prefix = base_url.rstrip("/") + static("")
    static_path = urlsplit(static_prefix).path

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(static_prefix):
                raise ValueError(f"Not a static file of the site: {url}")
            name = unquote(urlsplit(url).path[len(static_path) :])
            path = _static_path(name)
            if path is None:
                raise ValueError(f"No such static file: {name}")
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, Path(path).read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticOnlyFetcher()


def render_pdf(html: str, *, base_url: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url, url_fetcher=static_fetcher(base_url)).write_pdf()
