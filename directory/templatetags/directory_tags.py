from django import template
from django.utils.formats import number_format

from .. import freshness

register = template.Library()


@register.filter
def distance(metres: float | None) -> str:
    """350 m, 2,4 km, 35 km — rounded (4,199.6 m is 4,2 km, not 4,1), localised."""
    if metres is None:
        return ""
    if metres < 995:  # 994 m → 990 m; 995 m → 1,0 km
        return f"{round(metres / 10) * 10:.0f} m"
    km = metres / 1000
    # number_format cuts decimals rather than rounding them: round first.
    rounded = round(km, 1) if km < 9.95 else round(km)
    return f"{number_format(rounded, 1 if rounded < 10 else 0)} km"


@register.filter
def stale_notice(place) -> str:
    """« Informations vérifiées il y a plus de 6 mois », or nothing (directory/freshness.py)."""
    return freshness.stale_notice(place)


@register.simple_tag
def freshness_months() -> int:
    return freshness.freshness_months()
