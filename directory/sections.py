"""What the directory adds to geodata's pages: the places of a région or a département.

Registered from DirectoryConfig.ready() into the slots of core/sections.py.
"""

from __future__ import annotations

from django.http import HttpRequest

from core import sections
from core.presenters import map_features
from geodata.models import Department, Region

from .selectors import PlaceFilters, filter_places, published_places

AREA_PLACES_LIMIT = 200
ASSETS = {"head": "directory/_cluster_assets_head.html", "js": "directory/_cluster_assets_js.html"}


def area_places(
    request: HttpRequest | None,
    *,
    region: Region | None = None,
    department: Department | None = None,
) -> sections.Fragment:
    """The published places of a région or département: a map and the same list."""
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
    return sections.Fragment(
        "directory/_area_places.html",
        {
            "request": request,
            "area": region or department,
            "places": places,
            "total": total,
            "capped": total > len(places),
            "map_data": map_features(places),
            "search_query": f"region={region.code}" if region else f"department={department.code}",
        },
    )


def region_places(region: Region, request: HttpRequest | None) -> sections.Fragment:
    return area_places(request, region=region)


def department_places(department: Department, request: HttpRequest | None) -> sections.Fragment:
    return area_places(request, department=department)


def register_sections() -> None:
    sections.register("region", "directory.places", region_places, **ASSETS)
    sections.register("department", "directory.places", department_places, **ASSETS)
