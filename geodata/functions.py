"""Database functions on the WGS84 point columns, the same on SpatiaLite and PostGIS."""

from __future__ import annotations

from django.db import connections
from django.db.models import FloatField, Func, QuerySet

from .spatialite import in_rtree


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


def in_lonlat_box(
    queryset: QuerySet, field: str, bbox: tuple[float, float, float, float]
) -> QuerySet:
    """Rows whose point `field` lies in the lon/lat rectangle, edges included.

    A planar box in lon/lat, the same on both backends: a polygon on the geography
    column would have great-circle edges, which bulge away from the parallels of a
    wide map view. The spatial index picks the candidates — on PostGIS the GiST
    index on `field::geometry` (`&&` is exact for points against a box), on
    SpatiaLite the R*Tree, whose single-precision boxes are then checked exactly.
    """
    min_lon, min_lat, max_lon, max_lat = bbox
    table = queryset.model._meta.db_table
    column = queryset.model._meta.get_field(field).column
    if connections[queryset.db].vendor == "postgresql":
        return queryset.extra(
            where=[f'"{table}"."{column}"::geometry && ST_MakeEnvelope(%s, %s, %s, %s, 4326)'],
            params=[min_lon, min_lat, max_lon, max_lat],
        )
    return (
        in_rtree(queryset, column, bbox)
        .alias(bbox_lon=Longitude(field), bbox_lat=Latitude(field))
        .filter(
            bbox_lon__gte=min_lon,
            bbox_lon__lte=max_lon,
            bbox_lat__gte=min_lat,
            bbox_lat__lte=max_lat,
        )
    )
