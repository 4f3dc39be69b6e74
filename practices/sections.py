"""What the practices add to the directory's pages: the sheets linked to a place or an
organisation.

Registered from PracticesConfig.ready() into the slots of core/sections.py; the
`practices_for_place` and `practices_for_organisation` tags render the same fragments.
"""

from __future__ import annotations

from django.http import HttpRequest

from core import sections
from directory.models import Organisation, Place

from .selectors import published_sheets, sheets_of_organisation, sheets_of_place

LINKED_SHEETS = "practices/_linked_sheets.html"


def place_sheets(place: Place) -> dict:
    return {
        "sheets": list(sheets_of_place(place).select_related("region")),
        "heading_id": f"practices-place-{place.pk}",
    }


def organisation_sheets(organisation: Organisation) -> dict:
    sheets = list(sheets_of_organisation(organisation).select_related("region"))
    written = []
    if organisation.is_member_centre:
        # Those it wrote without taking part: the others are in the first list already.
        written = list(
            published_sheets()
            .filter(author_centre=organisation)
            .exclude(pk__in=[s.pk for s in sheets])
            .select_related("region")
            .order_by("title")
        )
    return {
        "sheets": sheets,
        "written": written,
        "heading_id": f"practices-organisation-{organisation.pk}",
    }


def register_sections() -> None:
    def for_place(place: Place, request: HttpRequest | None) -> sections.Fragment:
        return sections.Fragment(LINKED_SHEETS, place_sheets(place))

    def for_organisation(organisation: Organisation, request: HttpRequest | None):
        return sections.Fragment(LINKED_SHEETS, organisation_sheets(organisation))

    sections.register("place", "practices.linked_sheets", for_place)
    sections.register("organisation", "practices.linked_sheets", for_organisation)
