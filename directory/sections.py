"""What the directory adds to geodata's pages: its places in France, a région, a département.

Registered from DirectoryConfig.ready() into the slots of core/sections.py. Each map
reads the vector tiles (directory/tiles/) with the same filters as the list beside
it; the list is paginated, so every place of an area can be reached without JS.
"""

from __future__ import annotations

import json

from django.contrib.gis.db.models import Extent
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpRequest
from django.utils.functional import cached_property

from core import sections
from geodata.models import Department, Region
from geodata.selectors import regions as french_ordered_regions

from .models import ClusterDimension, Competence, PlaceCluster
from .selectors import PlaceFilters, published_places
from .tiles.views import place_tiles_url

AREA_PAGE_SIZE = 50
PAGE_PARAMETER = "lieux"
BOUNDS_CACHE_SECONDS = 24 * 3600
# Metropolitan France, [[south, west], [north, east]]: the home map's first view.
METRO_BOUNDS = [[41.3, -5.2], [51.1, 9.6]]
ASSETS = {"head": "directory/_tiles_assets_head.html", "js": "directory/_tiles_assets_js.html"}


def _page_number(request: HttpRequest | None) -> str:
    return request.GET.get(PAGE_PARAMETER, "1") if request is not None else "1"


def area_bounds(area: Region | Department) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the area's boundary, cached (it changes with a reload)."""
    key = f"directory:area-bounds:{area._meta.model_name}:{area.pk}"
    bounds = cache.get(key)
    if bounds is None:
        extent = type(area).objects.filter(pk=area.pk).aggregate(e=Extent("boundary"))["e"]
        bounds = [[extent[1], extent[0]], [extent[3], extent[2]]] if extent else []
        cache.set(key, bounds, BOUNDS_CACHE_SECONDS)
    return bounds or None


class CountedPaginator(Paginator):
    """A paginator told its count (the places of an area, counted in advance)."""

    def __init__(self, object_list, per_page, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def clustered_count(dimension: tuple[str, int]) -> int:
    """The published places of a cluster dimension (PlaceCluster at zoom 0: a few rows)."""
    name, value = dimension
    rows = PlaceCluster.objects.filter(dimension=name, value=value, zoom=0)
    return rows.aggregate(n=Sum("count"))["n"] or 0


def area_places(
    request: HttpRequest | None,
    *,
    region: Region | None = None,
    department: Department | None = None,
) -> sections.Fragment:
    """The published places of a région or département: a tile map and the same list, paged."""
    filters = PlaceFilters(
        region=region.code if region else "", department=department.code if department else ""
    )
    # The same places as `filter_places(…, filters)`, on the commune's own columns, in the
    # order of the communes' (area, name, id) index: the page reads its communes in order
    # and sorts each one's places, never the whole area (510 ms → a few ms at 1M places).
    area_filter = {"commune__region": region} if region else {"commune__department": department}
    queryset = (
        published_places()
        .filter(**area_filter)
        .select_related("organisation", "commune")
        .defer("commune__boundary", "commune__centre", "organisation__description")
        .order_by("commune__name", "commune_id", "name", "pk")
    )
    dimension = (
        (ClusterDimension.REGION, region.pk)
        if region
        else (ClusterDimension.DEPARTMENT, department.pk)
    )
    paginator = CountedPaginator(queryset, AREA_PAGE_SIZE, count=clustered_count(dimension))
    page = paginator.get_page(_page_number(request))
    query = request.GET.copy() if request is not None else None
    if query is not None:
        query.pop(PAGE_PARAMETER, None)
    area = region or department
    search_query = f"region={region.code}" if region else f"department={department.code}"
    bounds = area_bounds(area)
    return sections.Fragment(
        "directory/_area_places.html",
        {
            "request": request,
            "area": area,
            "page": page,
            "places": page.object_list,
            "total": page.paginator.count,
            "page_parameter": PAGE_PARAMETER,
            "query_string": query.urlencode() if query is not None else "",
            "tiles_url": place_tiles_url(filters),
            "bounds": json.dumps(bounds) if bounds else "",
            "search_query": search_query,
        },
    )


def region_places(region: Region, request: HttpRequest | None) -> sections.Fragment:
    return area_places(request, region=region)


def department_places(department: Department, request: HttpRequest | None) -> sections.Fragment:
    return area_places(request, department=department)


def france_places(subject: None, request: HttpRequest | None) -> sections.Fragment:
    """Every published place on a map of France, and the same count région by région.

    The counts come from the clusters counted in advance (zoom 0): a few rows.
    """
    by_region = dict(
        PlaceCluster.objects.filter(dimension=ClusterDimension.REGION, zoom=0)
        .values("value")
        .annotate(n=Sum("count"))
        .values_list("value", "n")
    )
    regions = [(region, by_region.get(region.pk, 0)) for region in french_ordered_regions()]
    total = clustered_count((ClusterDimension.ALL, 0))
    return sections.Fragment(
        "directory/_france_places.html",
        {
            "request": request,
            "total": total,
            "regions": [(region, count) for region, count in regions if count],
            "tiles_url": place_tiles_url(PlaceFilters()),
            "bounds": json.dumps(METRO_BOUNDS),
        },
    )


HOME_COMPETENCES = 6


def home_search(subject: None, request: HttpRequest | None) -> sections.Fragment:
    """The search first: an address (or « my position ») and the most offered competences as
    large toggles — three taps from the home page to the nearest places."""
    offered = dict(
        PlaceCluster.objects.filter(dimension=ClusterDimension.COMPETENCE, zoom=0)
        .values("value")
        .annotate(n=Sum("count"))
        .values_list("value", "n")
    )
    competences = sorted(
        Competence.objects.filter(pk__in=offered), key=lambda c: (-offered[c.pk], c.position)
    )[:HOME_COMPETENCES]
    return sections.Fragment("directory/_home_search.html", {"competences": competences})


def register_sections() -> None:
    sections.register(
        "home_search", "directory.search", home_search, js="directory/_home_search_js.html"
    )
    sections.register("home", "directory.places", france_places, **ASSETS)
    sections.register("region", "directory.places", region_places, **ASSETS)
    sections.register("department", "directory.places", department_places, **ASSETS)
