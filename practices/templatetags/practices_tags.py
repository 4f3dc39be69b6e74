"""Template helpers of the practice sheets, and their place on directory pages.

`{% practices_for_place place %}` and `{% practices_for_organisation organisation %}`
let the directory's templates show the sheets linked to a place or an organisation
without the directory importing anything from this app.
"""

from __future__ import annotations

import html

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from directory.models import Organisation, Place

from ..models import PracticeSheet
from ..rendering import render_markdown
from ..selectors import published_sheets, sheets_of_organisation, sheets_of_place

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Author's Markdown as sanitised HTML (see rendering.py)."""
    return render_markdown(text)


@register.filter
def excerpt(text: str, length: int = 240) -> str:
    """Plain text of a Markdown field, shortened; the template escapes it as any text."""
    plain = html.unescape(strip_tags(render_markdown(text)))
    return Truncator(" ".join(plain.split())).chars(int(length))


@register.filter
def period(sheet: PracticeSheet) -> str:
    """ "Depuis 2003", "2015 – 2018", "2012 – service pérenne" … or "" when no date is known."""
    start = sheet.start_date.year if sheet.start_date else None
    end = sheet.end_date.year if sheet.end_date else None
    if sheet.became_regular_service:
        if start:
            return _("depuis %(start)s, devenue un service pérenne") % {"start": start}
        return _("devenue un service pérenne")
    if start and end:
        return f"{start} – {end}" if end != start else str(start)
    if start:
        return _("depuis %(start)s") % {"start": start}
    if end:
        return _("jusqu'en %(end)s") % {"end": end}
    return ""


@register.inclusion_tag("practices/_linked_sheets.html")
def practices_for_place(place: Place) -> dict:
    return {
        "sheets": list(sheets_of_place(place).select_related("region")),
        "heading_id": f"practices-place-{place.pk}",
    }


@register.inclusion_tag("practices/_linked_sheets.html")
def practices_for_organisation(organisation: Organisation) -> dict:
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
