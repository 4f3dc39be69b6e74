"""Reads for the embedded map: the directory's and the practices' selectors, capped."""

from __future__ import annotations

from datetime import datetime

from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from directory.models import Organisation, Place
from directory.selectors import PlaceFilters, haversine_m, search_places
from geodata.models import Department, Region
from geodata.selectors import regions
from practices.models import PracticeSheet
from practices.selectors import SheetFilters, filter_sheets, published_sheets

from .forms import EmbedConfig

# A map of a whole région stays readable and light (~300 kB of JSON) up to here.
MAX_ITEMS = 2000
# An address search shows the nearest places, not the whole région sorted.
SEARCH_LIMIT = 50
BOUNDS_CACHE_SECONDS = 24 * 3600


def _place_filters(config: EmbedConfig) -> PlaceFilters:
    return PlaceFilters(
        competences=[c.slug for c in config.competences],
        kinds=[k.slug for k in config.kinds],
        region=config.region.code if config.region and not config.department else "",
        department=config.department.code if config.department else "",
        fresh=config.fresh,
    )


def embed_places(
    config: EmbedConfig, *, origin: Point | None = None, now: datetime | None = None
) -> tuple[list[Place], bool]:
    """The map's places, and whether some were left out.

    The directory's one search (`search_places`): around `origin`, the SEARCH_LIMIT
    nearest within the configured radius (each with `distance_m`); otherwise up to
    MAX_ITEMS by name.
    """
    result = search_places(
        _place_filters(config),
        origin=origin,
        radius_km=config.radius_km,
        open_at=(now or timezone.now()) if config.open_now else None,
        page_size=SEARCH_LIMIT if origin is not None else MAX_ITEMS,
        count_cap=MAX_ITEMS,
    )
    if config.chips:
        prefetch_related_objects(result.places, "competences")
    capped = origin is None and result.capped
    return result.places, capped


def embed_sheets(config: EmbedConfig) -> tuple[list[PracticeSheet], bool]:
    """Published practice sheets placed on the map, in the région or département asked for.

    Competences and kinds describe places, not practices: they do not filter sheets.
    """
    region = config.region.code if config.region else ""
    queryset = filter_sheets(published_sheets(), SheetFilters(region=region))
    if config.department:
        covered = Q(department=config.department) | Q(communes__department=config.department)
        queryset = queryset.filter(pk__in=PracticeSheet.objects.filter(covered).values("pk"))
    queryset = queryset.exclude(location__isnull=True).select_related("region", "department")
    rows = list(queryset[: MAX_ITEMS + 1])
    return rows[:MAX_ITEMS], len(rows) > MAX_ITEMS


def sort_by_distance(sheets: list[PracticeSheet], point: Point) -> list[PracticeSheet]:
    for sheet in sheets:
        sheet.distance_m = round(haversine_m(point, sheet.location), 1)
    return sorted(sheets, key=lambda sheet: (sheet.distance_m, sheet.title))


def area_bounds(area: Region | Department) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the area's boundary, as Leaflet wants it.

    Computed by the database (no boundary crosses the wire) and cached: boundaries
    change only when the geography is reloaded.
    """
    key = f"embeds:bounds:{area._meta.model_name}:{area.code}"
    bounds = cache.get(key)
    if bounds is None:
        extent = (
            type(area).objects.filter(pk=area.pk).aggregate(extent=Extent("boundary"))["extent"]
        )
        if extent:
            west, south, east, north = extent
            bounds = [[round(south, 5), round(west, 5)], [round(north, 5), round(east, 5)]]
        else:
            bounds = []
        cache.set(key, bounds, BOUNDS_CACHE_SECONDS)
    return bounds or None


def area_choices() -> list[tuple[Region, list[Department]]]:
    """Régions by name, each with its départements by code, for the builder's select."""
    by_region: dict[int, list[Department]] = {}
    for department in Department.objects.defer("boundary", "centre").order_by("code"):
        by_region.setdefault(department.region_id, []).append(department)
    return [(region, by_region.get(region.pk, [])) for region in regions()]


def member_centres() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_member_centre=True).order_by("name")
