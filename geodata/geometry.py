"""Geometry helpers: area outlines made light for maps and the API, great-circle distances."""

from __future__ import annotations

import math
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, Polygon


def light_multipolygon(
    geometry: GEOSGeometry, *, tolerance: float, digits: int, min_hole_area: float = 0.0
) -> dict:
    """A (multi)polygon as a GeoJSON MultiPolygon of far fewer, shorter coordinates.

    `tolerance` (degrees; 0 keeps every vertex) simplifies without breaking the
    topology; coordinates are rounded to `digits` decimals; holes whose own area is
    under `min_hole_area` (square degrees) are dropped.
    """
    shape = geometry.simplify(tolerance, preserve_topology=True) if tolerance else geometry
    polygons = [shape] if shape.geom_type == "Polygon" else list(shape)
    return {
        "type": "MultiPolygon",
        "coordinates": [
            [rounded(polygon.exterior_ring.coords, digits)]
            + [
                rounded(ring.coords, digits)
                for ring in polygon[1:]
                if min_hole_area <= 0 or Polygon(ring).area >= min_hole_area
            ]
            for polygon in polygons
        ],
    }


def rounded(coords: Any, digits: int) -> Any:
    """Nested coordinate tuples as lists of numbers rounded to `digits` decimals."""
    if isinstance(coords[0], float | int):
        return [round(value, digits) for value in coords]
    return [rounded(part, digits) for part in coords]


EARTH_RADIUS_M = 6_371_008.8  # the mean radius: haversine distances


def haversine_m(lon_a: float, lat_a: float, lon_b: float, lat_b: float) -> float:
    """Great-circle distance in metres on the mean-radius sphere (within 0.5 % of the spheroid)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (lon_a, lat_a, lon_b, lat_b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))
