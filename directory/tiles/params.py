"""The tiles' query string: the search's filters, checked by the API's own parameter fields."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.gis.geos import Point
from django.http import QueryDict
from django.utils import timezone
from django.utils.http import urlencode

from ..api.params import PlaceQuerySerializer, place_filters
from ..freshness import stale_cutoff
from ..selectors import PlaceFilters


class TileQuerySerializer(PlaceQuerySerializer):
    """The place API's filters, less what a tile has no use for.

    Paging and `bbox` (the tile is the box), `address` (no geocoding per tile: the page
    sends the point it found as `near`) and `q` (a text scan per tile).
    """

    page = None
    page_size = None
    bbox = None
    address = None
    q = None


@dataclass(frozen=True)
class TileQuery:
    filters: PlaceFilters
    origin: Point | None = None
    radius_km: float | None = None
    open_at: datetime | None = None

    @classmethod
    def from_params(cls, params: dict[str, Any], *, now: datetime | None = None) -> TileQuery:
        origin = params.get("near")
        return cls(
            filters=place_filters(params),
            origin=origin,
            radius_km=params["radius"] if origin is not None else None,
            open_at=(now or timezone.now()) if params.get("open_now") else None,
        )

    def cache_key(self) -> str:
        """Equal for equal filters however they were written; `open_now` by the minute."""
        f = self.filters
        parts = [
            sorted(f.competences),
            f.competences_all and len(f.competences) > 1,
            sorted(f.kinds),
            f.region,
            f.department,
            f.commune,
            f.language,
            (round(self.origin.x, 6), round(self.origin.y, 6)) if self.origin else None,
            self.radius_km,
            self.open_at.strftime("%Y%m%d%H%M") if self.open_at else None,
            # What counts as recently verified changes with the day.
            stale_cutoff().isoformat() if f.fresh else None,
        ]
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def parse(query: QueryDict) -> tuple[TileQuery | None, dict]:
    """The validated query, or None and the errors by parameter (for a 400)."""
    serializer = TileQuerySerializer(data=query)
    if not serializer.is_valid():
        return None, serializer.errors
    return TileQuery.from_params(serializer.validated_data), {}


def tile_query_string(
    filters: PlaceFilters,
    *,
    origin: Point | None = None,
    radius_km: float | None = None,
    open_now: bool = False,
) -> str:
    """The query string asking the tiles for what `filters` (and a search around
    `origin`) select: what the pages pass to their tile layer."""
    params: list[tuple[str, str]] = [("competence", slug) for slug in filters.competences]
    if filters.competences_all and len(filters.competences) > 1:
        params.append(("competence_match", "all"))
    params += [("kind", slug) for slug in filters.kinds]
    for name in ("region", "department", "commune", "language"):
        if value := getattr(filters, name):
            params.append((name, value))
    if origin is not None:
        params.append(("near", f"{origin.x:.6f},{origin.y:.6f}"))
        if radius_km is not None:
            params.append(("radius", f"{radius_km:g}"))
    if open_now:
        params.append(("open_now", "true"))
    if filters.fresh:
        params.append(("fresh", "true"))
    return urlencode(params)
