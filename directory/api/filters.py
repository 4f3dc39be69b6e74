"""Filters of the places endpoint that `directory.selectors` does not cover."""

from __future__ import annotations

from django.db.models import FloatField, Func, QuerySet

from ..models import Place
from ..selectors import is_open, places_open_at  # noqa: F401  (re-exported)


class _Coordinate(Func):
    """ST_X / ST_Y of a point column; PostGIS wants the geography cast to geometry."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "%(function)s(%(expressions)s::geometry)"
        return self.as_sql(compiler, connection, template=template, **extra_context)


class Longitude(_Coordinate):
    function = "ST_X"


class Latitude(_Coordinate):
    function = "ST_Y"


def places_in_bbox(
    queryset: QuerySet[Place], bbox: tuple[float, float, float, float]
) -> QuerySet[Place]:
    """Places whose point lies in the lon/lat rectangle, edges included.

    Compared on plain coordinates, the same on both backends: a polygon on the
    geography column would have great-circle edges, which bulge away from the
    parallels of a wide map view. No index helps (the GiST index is on the
    geography column): ~100 ms on 100k places on PostGIS. An expression index on
    `location::geometry` would let `&&` pick the candidates.
    """
    min_lon, min_lat, max_lon, max_lat = bbox
    return queryset.alias(bbox_lon=Longitude("location"), bbox_lat=Latitude("location")).filter(
        bbox_lon__gte=min_lon,
        bbox_lon__lte=max_lon,
        bbox_lat__gte=min_lat,
        bbox_lat__lte=max_lat,
    )
