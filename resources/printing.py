"""A bibliography or dossier as a PDF: its print template rendered by WeasyPrint.

The PDF is kept in the cache under a key that changes when the bibliography or any of its
notices changes, so a document downloaded many times is built once; only the builds spend
the client's budget (BIBLIOGRAPHY_PDF_RATE), since each takes about a second of CPU.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation

from core.pdf import render_pdf
from core.ratelimit import client_ip, spend

from .citation import citation_html
from .models import Bibliography, Notice

logger = logging.getLogger(__name__)
CACHE_SECONDS = 24 * 3600


class PdfRefused(Exception):
    def __init__(self, status: int, retry_after: int | None = None):
        super().__init__(status)
        self.status = status
        self.retry_after = retry_after


def cache_key(bibliography: Bibliography, notices: list[Notice], base_url: str) -> str:
    stamps = [bibliography.updated_at.isoformat(), translation.get_language() or "", base_url]
    stamps += [f"{n.pk}:{n.updated_at.isoformat()}:{getattr(n, 'comment', '')}" for n in notices]
    digest = hashlib.sha256("|".join(stamps).encode()).hexdigest()[:32]
    return f"resources:bibliography-pdf:{bibliography.pk}:{digest}"


def bibliography_pdf(request: HttpRequest, bibliography: Bibliography, notices: list[Notice]):
    """The PDF's bytes, from the cache or built now; PdfRefused when it cannot be had."""
    base_url = request.build_absolute_uri("/")
    key = cache_key(bibliography, notices, base_url)
    pdf = cache.get(key)
    if pdf is not None:
        return pdf
    wait = spend("bibliography-pdf", client_ip(request), settings.BIBLIOGRAPHY_PDF_RATE)
    if wait:
        raise PdfRefused(429, retry_after=wait)
    entries = [
        (n, citation_html(n), request.build_absolute_uri(n.get_absolute_url())) for n in notices
    ]
    html = render_to_string(
        "resources/bibliography_pdf.html",
        {
            "bibliography": bibliography,
            "entries": entries,
            "page_url": request.build_absolute_uri(bibliography.get_absolute_url()),
        },
        request,
    )
    try:
        pdf = render_pdf(html, base_url=base_url)
    except Exception:  # WeasyPrint's own failures: say so rather than a 500
        logger.exception("Bibliography PDF failed")
        raise PdfRefused(503) from None
    cache.set(key, pdf, CACHE_SECONDS)
    return pdf
