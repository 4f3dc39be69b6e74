"""RIS and BibTeX downloads of a notice, a bibliography or a search."""

from __future__ import annotations

from django.http import HttpResponse

from .formats import bibtex, ris
from .formats.records import from_notice
from .models import Notice

CONTENT_TYPES = {
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib"),
}
MAX_EXPORTED = 1000


def export_text(notices: list[Notice], fmt: str) -> str:
    records = [from_notice(n) for n in notices[:MAX_EXPORTED]]
    return ris.dumps(records) if fmt == "ris" else bibtex.dumps(records)


def export_response(notices: list[Notice], fmt: str, name: str) -> HttpResponse:
    content_type, extension = CONTENT_TYPES[fmt]
    response = HttpResponse(export_text(notices, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response
