"""SpatiaLite housekeeping that Django does not do.

On SQLite, Django applies many schema changes (adding a constraint, altering a
field) by copying the table. Its SpatiaLite schema editor then re-registers the
geometry columns but leaves their R*Tree spatial index disabled and empty, so
every index-backed query silently finds nothing. After each migrate we rebuild
any spatial index that a model asks for and that is disabled.
"""

from django.apps import apps
from django.contrib.gis.db.models import GeometryField
from django.db import connections
from django.db.models import QuerySet


def wanted_spatial_indexes() -> set[tuple[str, str]]:
    return {
        (model._meta.db_table.lower(), field.column.lower())
        for model in apps.get_models()
        for field in model._meta.local_fields
        if isinstance(field, GeometryField) and field.spatial_index
    }


def repair_spatial_indexes(using: str = "default", **kwargs) -> list[tuple[str, str]]:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    repaired = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT f_table_name, f_geometry_column FROM geometry_columns "
            "WHERE spatial_index_enabled = 0"
        )
        disabled = set(cursor.fetchall())
        for table, column in sorted(disabled & wanted_spatial_indexes()):
            cursor.execute(f'DROP TABLE IF EXISTS "idx_{table}_{column}"')
            cursor.execute("SELECT CreateSpatialIndex(%s, %s)", [table, column])
            repaired.append((table, column))
    return repaired


def in_rtree(queryset: QuerySet, column: str, frame: tuple[float, float, float, float]) -> QuerySet:
    """Rows whose `column` bounding box meets `frame` (min lon, min lat, max lon, max lat).

    Django's SpatiaLite lookups never use the R*Tree, so spatial pre-filters on
    SQLite query the `SpatialIndex` virtual table themselves (see docs/spatial-notes.md).
    """
    table = queryset.model._meta.db_table
    return queryset.extra(
        where=[
            f'"{table}"."id" IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = %s '
            f"AND f_geometry_column = %s AND search_frame = BuildMbr(%s, %s, %s, %s, 4326))"
        ],
        params=[table, column, *frame],
    )
