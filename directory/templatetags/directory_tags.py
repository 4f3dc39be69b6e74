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


AREA_PLACES_LIMIT = 200


@register.inclusion_tag("directory/_area_places.html", takes_context=True)
def places_in_area(context, *, region=None, department=None):
    """The published places of a région or département: a map and the same list."""
    from directory.selectors import PlaceFilters, filter_places, published_places
    from directory.views import map_features

    filters = PlaceFilters(
        region=region.code if region else "", department=department.code if department else ""
    )
    queryset = (
        filter_places(published_places(), filters)
        .select_related("organisation", "commune")
        .defer("commune__boundary")
        .order_by("commune__name", "name")
    )
    total = queryset.count()
    places = list(queryset[:AREA_PLACES_LIMIT])
    area = region or department
    return {
        "request": context.get("request"),
        "area": area,
        "places": places,
        "total": total,
        "capped": total > len(places),
        "map_data": map_features(places),
        "search_query": f"region={region.code}" if region else f"department={department.code}",
    }
