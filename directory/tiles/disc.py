"""Counting the places of a disc from the cluster tables, exact up to a limit.

Why: "how many places within 10 km offer this competence" is the total beside every
nearest-places page. Counted on the places themselves it probes every place of the
disc (35 ms at 1M places for a 10 km disc holding a few hundred matches; docs/spatial-notes.md).
The cluster tables already hold the answer for most of the disc:

* the cells lying wholly inside the disc: their pre-aggregated counts (PlaceCluster),
  one indexed read;
* the cells on its edge: their places' precomputed rows (PlaceCell: point and
  dimensions, one Morton code each), read by ranges of codes and kept when within
  the radius (ST_DWithin on the spheroid, as the places' own search).

Only the four cluster dimensions (all places, one competence, région, département)
can be counted so; the caller keeps its own count for other filters. Exact as long
as the cluster tables are current: signals keep them so, `rebuild_place_clusters`
after bulk loads (directory/tiles/__init__.py).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from itertools import pairwise

import mercantile
from django.db import connection

from geodata.geometry import EARTH_RADIUS_M

from ..models import ClusterDimension, PlaceCell, PlaceCluster
from . import grid

METRES_PER_DEGREE = 111_195.0  # a degree of the mean-radius sphere
FRAME_MARGIN = 1.01  # a degree of latitude is 110.6 km at the equator: frames get 1 % more
# Cells are picked about this fraction of the radius wide: ~130 inside a disc.
CELLS_PER_RADIUS = 8
# Sphere (haversine) against spheroid (geography) distances: within 0.5 % in France.
SPHERE_MARGIN = 0.995
# Past this many places (of any kind) in the edge cells, reading them costs more than
# the caller's own count (for a rare filter, it reads that filter's few places).
EDGE_SCAN_MAX = 20_000
EQUATOR_M = 2 * math.pi * 6_378_137.0
COUNT = '"count"'  # PlaceCluster's column (a keyword in SQL)


@dataclass
class DiscCells:
    zoom: int  # the cluster zoom of the cells
    inside: list[int]  # Morton codes of the cells wholly inside the disc
    edge: list[int]  # of the cells the disc's edge crosses (or may cross)


def disc_cells(lon: float, lat: float, radius_m: float) -> DiscCells:
    """The cluster cells of a disc: wholly inside it, or on its edge.

    A cell is a lon/lat rectangle. The distance from the centre is greatest at one of
    its corners: a cell whose corners are all within the radius lies inside. Its
    nearest point is the centre clamped to the rectangle: a cell whose nearest point is
    beyond the radius lies outside. The margins keep every place of the disc in one or
    the other, whatever the sphere/spheroid gap.

    Distances are compared as haversines (h = sin²(d / 2R), which grows with d): h is
    a part per row of cells plus a part per row times a part per column, so each row
    and column is computed once and each corner of the grid once (~130 cells: a few
    hundred multiplications instead of ~650 trigonometric distances).
    """
    cos_lat = max(math.cos(math.radians(lat)), 0.01)
    zoom = math.floor(math.log2(EQUATOR_M * cos_lat * CELLS_PER_RADIUS / radius_m))
    zoom = max(0, min(grid.PRE_AGGREGATED_MAX_ZOOM, zoom - grid.CELL_LEVELS))
    half_lat = radius_m / METRES_PER_DEGREE * FRAME_MARGIN
    half_lon = half_lat / cos_lat
    level = zoom + grid.CELL_LEVELS
    # The tiles of the frame, as mercantile.tiles finds them (same clamps, same epsilon).
    west, east = max(-180.0, lon - half_lon), min(180.0, lon + half_lon)
    south = max(-85.051129, lat - half_lat, -grid.MAX_LATITUDE)
    north = min(85.051129, lat + half_lat, grid.MAX_LATITUDE)
    first = mercantile.tile(west, north, level)
    last = mercantile.tile(east - mercantile.LL_EPSILON, south + mercantile.LL_EPSILON, level)
    xs = range(first.x, last.x + 1)
    ys = range(first.y, last.y + 1)
    # Cell edges as mercantile.bounds computes them: column i spans lons[i]..lons[i + 1],
    # row j spans lats[j + 1] (south)..lats[j] (north).
    n = 2.0**level
    lons = [x / n * 360.0 - 180.0 for x in range(first.x, last.x + 2)]
    lats = [
        math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))
        for y in range(first.y, last.y + 2)
    ]
    lat0 = math.radians(lat)
    cos0 = math.cos(lat0)

    def lon_part(value: float) -> float:
        return math.sin(math.radians(value - lon) / 2) ** 2

    def lat_parts(value: float) -> tuple[float, float]:
        return math.sin((math.radians(value) - lat0) / 2) ** 2, cos0 * math.cos(math.radians(value))

    def threshold(metres: float) -> float:
        return math.sin(min(metres / (2 * EARTH_RADIUS_M), math.pi / 2)) ** 2

    inner, outer = threshold(radius_m * SPHERE_MARGIN), threshold(radius_m / SPHERE_MARGIN)
    corner_lon = [lon_part(value) for value in lons]
    corner_lat = [lat_parts(value) for value in lats]
    corner_in = [[a + c * b <= inner for b in corner_lon] for a, c in corner_lat]
    near_lon = [lon_part(min(max(lon, w), e)) for w, e in pairwise(lons)]
    near_lat = [lat_parts(min(max(lat, s), n_)) for n_, s in pairwise(lats)]
    spread_x = [grid.spread(x) for x in xs]
    cells = DiscCells(zoom, [], [])
    for j, y in enumerate(ys):
        a, c = near_lat[j]
        above, below = corner_in[j], corner_in[j + 1]
        spread_y = grid.spread(y) << 1
        for i, b in enumerate(near_lon):
            if a + c * b > outer:
                continue
            code = spread_x[i] | spread_y
            if above[i] and above[i + 1] and below[i] and below[i + 1]:
                cells.inside.append(code)
            else:
                cells.edge.append(code)
    return cells


def _ranges(codes: list[int], shift: int) -> tuple[list[int], list[int]]:
    """The finest codes of cells `codes`, as merged [low, high] ranges."""
    lows: list[int] = []
    highs: list[int] = []
    for code in sorted(codes):
        low, high = code << shift, ((code + 1) << shift) - 1
        if highs and highs[-1] + 1 == low:
            highs[-1] = high
        else:
            lows.append(low)
            highs.append(high)
    return lows, highs


def count_in_disc(
    lon: float, lat: float, radius_m: float, dimension: tuple[str, int], limit: int
) -> int | None:
    """`min(places of `dimension` within `radius_m`, limit)`, or None if not counted here.

    None on SpatiaLite when the inside cells do not already pass `limit` (the edge
    scan is PostGIS SQL), and when the edge cells hold more than EDGE_SCAN_MAX places.
    """
    cells = disc_cells(lon, lat, radius_m)
    inside, edge = _sums(cells, dimension)
    if inside >= limit:
        return limit
    if connection.vendor != "postgresql" or edge > EDGE_SCAN_MAX:
        return None
    if not cells.edge:
        return inside
    return inside + _count_edge(lon, lat, radius_m, cells, dimension, limit - inside)


def _cell_set(codes: list[int]) -> tuple[str, str, object]:
    """Cell codes as a table to join (FROM text, its column, the one parameter): hundreds of
    codes, one parameter each, cost more to compile than the query takes to run; and
    `cell = ANY(…)` made PostgreSQL estimate each code against the column's statistics
    (3 ms of planning for 1 ms of work at 1M places), where an unnest() it takes as it is."""
    if connection.vendor == "postgresql":
        return "unnest(%s::bigint[]) AS k(cell)", "k.cell", list(codes)
    return "json_each(%s) AS k", "k.value", json.dumps(list(codes))


def _sums(cells: DiscCells, dimension: tuple[str, int]) -> tuple[int, int]:
    """The dimension's places in the inside cells, and all places in the edge cells."""
    table = PlaceCluster._meta.db_table
    parts, params = [], []
    # Each sum walks the primary key (dimension, value, zoom, cell) once per cell.
    for codes, (name, value) in (
        (cells.inside, dimension),
        (cells.edge, (ClusterDimension.ALL, 0)),
    ):
        source, column, codes_param = _cell_set(codes)
        parts.append(
            f"(SELECT COALESCE(SUM(c.{COUNT}), 0) FROM {source} JOIN {table} c "
            f"ON c.dimension = %s AND c.value = %s AND c.zoom = %s AND c.cell = {column})"
        )
        params += [codes_param, str(name), value, cells.zoom]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        inside_sum, edge_sum = cursor.fetchone()
    return int(inside_sum), int(edge_sum)


def _count_edge(
    lon: float, lat: float, radius_m: float, cells: DiscCells, dimension, limit: int
) -> int:
    lows, highs = _ranges(cells.edge, grid.cell_shift(cells.zoom))
    name, value = dimension
    if name == ClusterDimension.COMPETENCE:
        # competence_pks is "3,5": the id between commas.
        matches, params = "(',' || c.competence_pks || ',') LIKE %s", [f"%,{value},%"]
    elif name == ClusterDimension.REGION:
        matches, params = "c.region_pk = %s", [value]
    elif name == ClusterDimension.DEPARTMENT:
        matches, params = "c.department_pk = %s", [value]
    else:
        matches, params = "TRUE", []
    table = PlaceCell._meta.db_table
    # LATERAL … OFFSET 0: each range is an index range scan of PlaceCell's `cell` index
    # (flattened, the planner misjudged ST_DWithin on computed points and read the
    # whole table: 185 ms instead of ~2 at 1M places).
    sql = (
        "SELECT count(*) FROM (SELECT 1 FROM unnest(%s::bigint[], %s::bigint[]) AS r(low, high) "
        f"CROSS JOIN LATERAL (SELECT c.lon, c.lat FROM {table} c "
        f"WHERE c.cell BETWEEN r.low AND r.high AND {matches} OFFSET 0) AS c "
        "WHERE ST_DWithin(ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326)::geography, "
        "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s) LIMIT %s) AS edge"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [lows, highs, *params, lon, lat, radius_m, limit])
        return cursor.fetchone()[0]
