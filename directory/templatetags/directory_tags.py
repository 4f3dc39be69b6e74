from babel import UnknownLocaleError
from babel.units import get_unit_name
from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import get_language, to_locale

from .. import freshness

register = template.Library()


@register.filter
def distance(metres: float | None) -> str:
    """350 m, 2,4 km, 35 km — rounded (4,199.6 m is 4,2 km, not 4,1), localised."""
    if metres is None:
        return ""
    if metres < 995:  # 994 m → 990 m; 995 m → 1,0 km
        return f"{round(metres / 10) * 10:.0f} {_unit('length-meter', 'm')}"
    km = metres / 1000
    # number_format cuts decimals rather than rounding them: round first.
    rounded = round(km, 1) if km < 9.95 else round(km)
    return f"{number_format(rounded, 1 if rounded < 10 else 0)} {_unit('length-kilometer', 'km')}"


def _unit(unit: str, default: str) -> str:
    """The unit's short name in the interface language (CLDR): km, км, كم, کیلومتر."""
    try:
        name = get_unit_name(unit, length="short", locale=to_locale(get_language() or "fr"))
    except (UnknownLocaleError, ValueError, LookupError):
        return default
    return name or default


@register.filter
def bdi(value) -> str:
    """The value, escaped, in its own <bdi>: an address or a name keeps its own direction
    inside a sentence of the other (« 69100 Villeurbanne » in Arabic). For values passed
    into {% blocktranslate %}, whose message must not change."""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def stale_notice(place) -> str:
    """« Informations vérifiées il y a plus de 6 mois », or nothing (directory/freshness.py)."""
    return freshness.stale_notice(place)


@register.simple_tag
def freshness_months() -> int:
    return freshness.freshness_months()
