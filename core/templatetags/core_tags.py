"""Tags of the shared kernel: the slots other apps fill on a page (see core/sections.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

from core import sections

register = template.Library()


@register.simple_tag(takes_context=True)
def page_sections(context: Context, slot: str, subject: Any) -> SafeString:
    """Every section registered for `slot`, rendered for `subject`, in order.

    Each fragment is rendered as an inclusion tag would render it: its own context
    only (plus the CSRF token), with the page's engine and escaping settings.
    """
    engine = context.template.engine
    parts = []
    for fragment in sections.fragments(slot, subject, context.get("request")):
        own = context.new(fragment.context)
        csrf_token = context.get("csrf_token")
        if csrf_token is not None:
            own["csrf_token"] = csrf_token
        parts.append(engine.get_template(fragment.template).render(own))
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def page_section_assets(context: Context, slot: str, kind: sections.AssetKind) -> SafeString:
    """The stylesheets ("head") or scripts ("js") the sections of `slot` need.

    Rendered as `{% include %}` would render them, with the page's context.
    """
    engine = context.template.engine
    parts = []
    for name in sections.asset_templates(slot, kind):
        with context.push():
            parts.append(engine.get_template(name).render(context))
    return mark_safe("".join(parts))
