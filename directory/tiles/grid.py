"""The grid of the place tiles: web-mercator tiles, cluster cells, and their Morton codes.

A cluster cell at zoom z is the tile of zoom z + CELL_LEVELS: 8 × 8 cells of 32 px
in a 256 px tile. Every published place is given the Morton code (bits of x and y
interleaved) of its tile at FINEST_LEVEL, the cell of the highest cluster zoom.
Morton codes nest: the cells and the finest codes inside tile (z, x, y) form one
range, and a place's cell at zoom z is its finest code shifted right. So "the
places of a tile, grouped by cell" is a range scan on one indexed integer and a
GROUP BY on a shift, the same SQL on PostGIS and SpatiaLite.
"""

from __future__ import annotations

import mercantile

CELL_LEVELS = 3  # 2**3 = 8 cells a side in a tile
# Clusters (and the lone places among them) up to this zoom; every place beyond.
# At 1M places the densest z13 tile would hold ~3,100 places, ~310 KB with their names
# and links (~100 bytes each), the densest z14 tile ~930 (~95 KB): bench/README.md.
CLUSTER_MAX_ZOOM = 13
# Cells counted in advance (PlaceCluster) up to this zoom; z12-13 tiles hold few
# enough places (≤ ~11,000 at 1M) to be grouped when asked.
PRE_AGGREGATED_MAX_ZOOM = 11
FINEST_LEVEL = CLUSTER_MAX_ZOOM + CELL_LEVELS  # 16
MAX_ZOOM = 18  # the maps' highest zoom: tiles up to it, never scaled up

MAX_LATITUDE = 85.05112877980659  # web mercator's edge


def spread(value: int) -> int:
    """The 16 low bits of `value`, one bit in two (0b1011 → 0b1000101)."""
    value &= 0xFFFF
    value = (value | (value << 8)) & 0x00FF00FF
    value = (value | (value << 4)) & 0x0F0F0F0F
    value = (value | (value << 2)) & 0x33333333
    return (value | (value << 1)) & 0x55555555


def _gather(value: int) -> int:
    value &= 0x55555555
    value = (value | (value >> 1)) & 0x33333333
    value = (value | (value >> 2)) & 0x0F0F0F0F
    value = (value | (value >> 4)) & 0x00FF00FF
    return (value | (value >> 8)) & 0x0000FFFF


def morton(x: int, y: int) -> int:
    """The Morton code of tile (x, y) at some level: x on the even bits, y on the odd."""
    return spread(x) | (spread(y) << 1)


def unmorton(code: int) -> tuple[int, int]:
    return _gather(code), _gather(code >> 1)


def finest_cell(lon: float, lat: float) -> int:
    """The Morton code of the FINEST_LEVEL tile holding the point (lon, lat)."""
    lat = max(-MAX_LATITUDE, min(MAX_LATITUDE, lat))
    tile = mercantile.tile(lon, lat, FINEST_LEVEL, truncate=True)
    return morton(tile.x, tile.y)


def cell_shift(zoom: int) -> int:
    """Bits to drop from a finest code to get the cluster cell at `zoom`."""
    return 2 * (CLUSTER_MAX_ZOOM - zoom)


def code_range(z: int, x: int, y: int, level: int) -> tuple[int, int]:
    """First and last Morton codes, at `level` (≥ z), of the tiles inside tile (z, x, y)."""
    shift = 2 * (level - z)
    first = morton(x, y) << shift
    return first, first + (1 << shift) - 1


def tile_exists(z: int, x: int, y: int) -> bool:
    return 0 <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z
