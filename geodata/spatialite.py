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
