from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def distance(metres: float | None) -> str:
    """350 m, 2,4 km, 35 km — localised."""
    if metres is None:
        return ""
    if metres < 1000:
        return f"{round(metres / 10) * 10:.0f} m"
    km = metres / 1000
    return f"{number_format(km, 1 if km < 10 else 0)} km"
