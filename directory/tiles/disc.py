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
    On PostGIS, one statement: the sums, then the edge scan only if they leave it to do.
    """
    cells = disc_cells(lon, lat, radius_m)
    if connection.vendor == "postgresql":
        return _count_postgis(lon, lat, radius_m, cells, dimension, limit)
    return limit if _inside_sum_sqlite(cells, dimension) >= limit else None


def _inside_sum_sqlite(cells: DiscCells, dimension: tuple[str, int]) -> int:
    """SpatiaLite: the dimension's places in the inside cells. The codes come as one JSON
    parameter (json_each walks the primary key per cell): hundreds of parameters cost
    more to compile than the query takes to run."""
    name, value = dimension
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(SUM(c.{COUNT}), 0) FROM json_each(%s) AS k "
            f"JOIN {PlaceCluster._meta.db_table} c ON c.dimension = %s AND c.value = %s "
            "AND c.zoom = %s AND c.cell = k.value",
            [json.dumps(cells.inside), str(name), value, cells.zoom],
        )
        return int(cursor.fetchone()[0])


def _matches(dimension: tuple[str, int]) -> tuple[str, list]:
    """The condition on a PlaceCell `c` that it counts in `dimension`."""
    name, value = dimension
    if name == ClusterDimension.COMPETENCE:
        # competence_pks is "3,5": the id between commas.
        return "(',' || c.competence_pks || ',') LIKE %s", [f"%,{value},%"]
    if name == ClusterDimension.REGION:
        return "c.region_pk = %s", [value]
    if name == ClusterDimension.DEPARTMENT:
        return "c.department_pk = %s", [value]
    return "TRUE", []


def _codes(codes: list[int]) -> str:
    """Codes as one text parameter ("1,2,3"): psycopg writes an int list element by
    element, a tenth of a millisecond for the ~130 cells of a disc."""
    return ",".join(map(str, codes))


def _count_postgis(
    lon: float, lat: float, radius_m: float, cells: DiscCells, dimension, limit: int
) -> int | None:
    """The sums and the edge scan in one statement: the CASE reads the edge places only
    when the inside cells stay under `limit` and the edge cells hold at most
    EDGE_SCAN_MAX places (PostgreSQL runs a subquery of a CASE branch only when the
    branch is taken)."""
    table = PlaceCluster._meta.db_table
    name, value = dimension
    lows, highs = _ranges(cells.edge, grid.cell_shift(cells.zoom))
    matches, match_params = _matches(dimension)

    def cell_sum(alias: str) -> str:
        # Each sum walks the primary key (dimension, value, zoom, cell) once per cell. The
        # codes come as a table: `cell = ANY(…)` made PostgreSQL estimate each code against
        # the column's statistics (3 ms of planning for 1 ms of work at 1M places).
        return (
            f"(SELECT COALESCE(SUM({alias}.{COUNT}), 0) FROM "
            f"unnest(string_to_array(%s, ',')::bigint[]) AS k(cell) JOIN {table} {alias} "
            f"ON {alias}.dimension = %s AND {alias}.value = %s AND {alias}.zoom = %s "
            f"AND {alias}.cell = k.cell)"
        )

    # LATERAL … OFFSET 0: each range is an index range scan of PlaceCell's `cell` index
    # (flattened, the planner misjudged ST_DWithin on computed points and read the
    # whole table: 185 ms instead of ~2 at 1M places).
    edge_scan = (
        "(SELECT count(*) FROM (SELECT 1 FROM unnest(string_to_array(%s, ',')::bigint[], "
        "string_to_array(%s, ',')::bigint[]) AS r(low, high) "
        f"CROSS JOIN LATERAL (SELECT c.lon, c.lat FROM {PlaceCell._meta.db_table} c "
        f"WHERE c.cell BETWEEN r.low AND r.high AND {matches} OFFSET 0) AS c "
        "WHERE ST_DWithin(ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326)::geography, "
        "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s) "
        "LIMIT GREATEST(%s - s.inside, 0)) AS edge)"
    )
    sql = (
        "SELECT CASE WHEN s.inside >= %s THEN %s WHEN s.edge > %s THEN NULL "
        f"ELSE s.inside + {edge_scan} END "
        # OFFSET 0: `s` is computed once; flattened, each mention of s.inside was a
        # subquery of its own, the inside cells summed three times.
        f"FROM (SELECT {cell_sum('i')} AS inside, {cell_sum('e')} AS edge OFFSET 0) AS s"
    )
    params = [
        limit,
        limit,
        EDGE_SCAN_MAX,
        _codes(lows),
        _codes(highs),
        *match_params,
        lon,
        lat,
        radius_m,
        limit,
        _codes(cells.inside),
        str(name),
        value,
        cells.zoom,
        _codes(cells.edge),
        str(ClusterDimension.ALL),
        0,
        cells.zoom,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        counted = cursor.fetchone()[0]
    return None if counted is None else int(counted)
