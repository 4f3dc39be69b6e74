"""Map markers: what the page, embed and list maps draw for each object, as plain dicts.

Handed to the map JS as JSON (`json_script`); one shape everywhere: id, name,
lat, lon, url, and whatever a map adds (distance, number, address…).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

POINT_DIGITS = 6  # ~0.1 m: the precision of every point the site sends out


def map_marker(
    obj: Any,
    *,
    name: str | None = None,
    point: Any = None,
    url: str | None = None,
    **extra: Any,
) -> dict:
    """A marker for `obj` (its `location`, `name` and `get_absolute_url()` unless given)."""
    point = obj.location if point is None else point
    marker = {
        "id": obj.pk,
        "name": obj.name if name is None else name,
        "lat": round(point.y, POINT_DIGITS),
        "lon": round(point.x, POINT_DIGITS),
        "url": obj.get_absolute_url() if url is None else url,
    }
    marker.update(extra)
    return marker


def map_features(objects: Iterable[Any]) -> list[dict]:
    """Markers of located objects, with their `distance_m` (None outside a search)."""
    return [map_marker(o, distance_m=getattr(o, "distance_m", None)) for o in objects]
