"""Reads: what one place tile holds, for the filters asked.

Up to CLUSTER_MAX_ZOOM a tile is a grid of 8 × 8 cells: a cell holding several
places is a cluster (count and mean point), a cell holding one place shows that
place. Beyond, every place is shown.

Where the cells' counts come from:

* PlaceCluster, counted in advance, up to PRE_AGGREGATED_MAX_ZOOM, when the filters
  are one of its dimensions: no filter, one competence, one région or one département
  (the home map, a région's or département's page, an embed or a search by one
  competence). One index range of at most 64 rows.
* Otherwise (kind, language, open now, several competences, a radius, or two of
  the dimensions together; and every filter at zooms 12-13), a GROUP BY of the
  matching places' cells (PlaceCell, an index range on the tile) — as costly as
  the tile holds matching places, so cheap for narrow filters and high zooms, and
  up to about a second for a broad filter over France at 1M places (cached after).
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field
from functools import reduce

import mercantile
from django.contrib.gis.db.models import PointField
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.db import connections
from django.db.models import CharField, Count, F, Func, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Concat

from geodata.functions import in_lonlat_box
from geodata.models import WGS84
from geodata.spatialite import in_rtree

from ..models import Place, PlaceCluster, place_url_parts
from ..selectors import (
    FRAME_MARGIN,
    METRES_PER_DEGREE,
    cluster_dimension,
    filter_places,
    places_open_at,
    published_places,
)
from . import grid
from .params import TileQuery


@dataclass(frozen=True)
class Cluster:
    lon: float
    lat: float
    count: int


@dataclass
class TileContent:
    clusters: list[Cluster] = field(default_factory=list)
    places: QuerySet[Place] = field(default_factory=Place.objects.none)


def within_radius(queryset: QuerySet[Place], point, radius_m: float) -> QuerySet[Place]:
    """Places within `radius_m` metres of `point` (index-backed on both backends)."""
    if connections[queryset.db].vendor == "postgresql":
        # On the geography column: metres, and the GiST index.
        return queryset.filter(location__dwithin=(point, D(m=radius_m)))
    # SpatiaLite: Django's lookups skip the R*Tree (docs/spatial-notes.md); a square
    # frame picks the candidates, then exact metres.
    half_lat = radius_m / METRES_PER_DEGREE * FRAME_MARGIN
    half_lon = half_lat / max(math.cos(math.radians(point.y)), 0.01)
    frame = (point.x - half_lon, point.y - half_lat, point.x + half_lon, point.y + half_lat)
    return (
        in_rtree(queryset, "location", frame)
        .alias(tile_distance=Distance("location", point))
        .filter(tile_distance__lte=D(m=radius_m))
    )


def matching_places(query: TileQuery) -> QuerySet[Place]:
    """The published places the query selects, as the search page and the API select them."""
    queryset = filter_places(published_places(), query.filters)
    if query.open_at is not None:
        queryset = places_open_at(queryset, query.open_at)
    if query.origin is not None:
        queryset = within_radius(queryset, query.origin, query.radius_km * 1000)
    return queryset


def pre_aggregated(query: TileQuery) -> tuple[str, int] | None:
    """The PlaceCluster dimension and value holding exactly this query's places, if any."""
    if query.origin is not None or query.open_at is not None:
        return None
    return cluster_dimension(query.filters)


def _cell_codes(cell: int, zoom: int) -> Q:
    """The places whose finest code lies in cluster cell `cell` at `zoom`."""
    shift = grid.cell_shift(zoom)
    return Q(tile_cell__cell__gte=cell << shift, tile_cell__cell__lte=((cell + 1) << shift) - 1)


def tile_content(query: TileQuery, z: int, x: int, y: int) -> TileContent:
    places = matching_places(query)
    if z > grid.CLUSTER_MAX_ZOOM:
        west, south, east, north = mercantile.bounds(x, y, z)
        return TileContent(places=in_lonlat_box(places, "location", (west, south, east, north)))

    dimension = pre_aggregated(query) if z <= grid.PRE_AGGREGATED_MAX_ZOOM else None
    if dimension is not None:
        first, last = grid.code_range(z, x, y, z + grid.CELL_LEVELS)
        rows = PlaceCluster.objects.filter(
            dimension=dimension[0],
            value=dimension[1],
            zoom=z,
            cell__gte=first,
            cell__lte=last,
            count__gt=0,
        ).values_list("cell", "count", "lon_sum", "lat_sum")
        content = TileContent()
        lone = []
        for cell, count, lon_sum, lat_sum in rows:
            if count == 1:
                lone.append(cell)
            else:
                content.clusters.append(Cluster(lon_sum / count, lat_sum / count, count))
        if lone:
            # Ids first: the tile layer then reads ≤ 64 rows by key, whatever the
            # planner thinks of the tile's box (the library filters on it too).
            in_lone_cells = reduce(operator.or_, (_cell_codes(c, z) for c in lone))
            ids = list(places.filter(in_lone_cells).values_list("pk", flat=True).order_by())
            content.places = Place.objects.filter(pk__in=ids)
        return content

    first, last = grid.code_range(z, x, y, grid.FINEST_LEVEL)
    # From the places' side, not `PlaceCell … place__in=(subquery)`: SpatiaLite's R*Tree
    # pre-filter (a radius) names the places table, which a subquery would alias.
    rows = (
        places.filter(tile_cell__cell__gte=first, tile_cell__cell__lte=last)
        .values(key=F("tile_cell__cell").bitrightshift(grid.cell_shift(z)))
        .annotate(
            n=Count("pk"), lon=Sum("tile_cell__lon"), lat=Sum("tile_cell__lat"), sample=Min("pk")
        )
        .order_by()
    )
    content = TileContent()
    lone = []
    for row in rows:
        if row["n"] == 1:
            lone.append(row["sample"])
        else:
            n = row["n"]
            content.clusters.append(Cluster(row["lon"] / n, row["lat"] / n, n))
    if lone:
        content.places = Place.objects.filter(pk__in=lone)
    return content


class AsGeometry(Func):
    """The point column as a geometry: PostGIS casts the geography (its `::geometry`
    GiST index then serves the tile's box); SpatiaLite's column already is one."""

    template = "%(expressions)s"
    output_field = PointField(srid=WGS84)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="%(expressions)s::geometry")


def with_tile_fields(places: QuerySet[Place]) -> QuerySet[Place]:
    """What a place feature carries: id, name, url (its page) and town, and its point."""
    prefix, suffix = place_url_parts()
    return (
        places.annotate(
            tile_geom=AsGeometry("location"),
            url=Concat(Value(prefix), "slug", Value(suffix), output_field=CharField()),
            town=Coalesce("commune__name", "city"),
        )
        .only("pk", "name")
        .order_by("pk")
    )
