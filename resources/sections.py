"""What the documentary base adds to other apps' pages (core/sections.py): the notices
linked to a practice sheet, and those about a région."""

from __future__ import annotations

from django.http import HttpRequest

from core import sections

from .selectors import notices_of_organisation, notices_of_region, notices_of_sheet

LINKED_NOTICES = "resources/_linked_notices.html"


def _fragment(notices, heading_id: str, **extra) -> sections.Fragment | None:
    notices = list(notices)
    if not notices:
        return None
    return sections.Fragment(
        LINKED_NOTICES, {"notices": notices, "heading_id": heading_id, **extra}
    )


def register_sections() -> None:
    def for_sheet(sheet, request: HttpRequest | None):
        return _fragment(notices_of_sheet(sheet), f"notices-sheet-{sheet.pk}")

    def for_region(region, request: HttpRequest | None):
        return _fragment(notices_of_region(region), f"notices-region-{region.pk}", region=region)

    def for_organisation(organisation, request: HttpRequest | None):
        return _fragment(
            notices_of_organisation(organisation), f"notices-organisation-{organisation.pk}"
        )

    sections.register("practice_sheet", "resources.linked_notices", for_sheet)
    sections.register("region", "resources.linked_notices", for_region)
    sections.register("organisation", "resources.linked_notices", for_organisation)
