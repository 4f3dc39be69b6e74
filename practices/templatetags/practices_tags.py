"""Template helpers of the practice sheets.

`{% practices_for_place place %}` and `{% practices_for_organisation organisation %}`
render the sheets linked to a place or an organisation; the directory's pages show
the same fragments through the slots of core/sections.py (see practices/sections.py).
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
from ..sections import LINKED_SHEETS, organisation_sheets, place_sheets

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


@register.inclusion_tag(LINKED_SHEETS)
def practices_for_place(place: Place) -> dict:
    return place_sheets(place)


@register.inclusion_tag(LINKED_SHEETS)
def practices_for_organisation(organisation: Organisation) -> dict:
    return organisation_sheets(organisation)
