import pytest
from django.db import connection

from geodata.spatialite import repair_spatial_indexes, wanted_spatial_indexes

pytestmark = pytest.mark.django_db


def test_every_geometry_column_has_a_working_spatial_index():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT lower(f_table_name), lower(f_geometry_column) FROM geometry_columns "
                "WHERE spatial_index_enabled = 1"
            )
            assert wanted_spatial_indexes() <= set(cursor.fetchall())
            cursor.execute("SELECT count(*) FROM idx_geodata_commune_boundary")
            cursor_count = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM geodata_commune WHERE boundary IS NOT NULL")
            assert cursor_count == cursor.fetchone()[0] > 0
        else:
            cursor.execute(
                "SELECT tablename || '.' || indexdef FROM pg_indexes WHERE indexdef LIKE '%%gist%%'"
            )
            gist = " ".join(row[0] for row in cursor.fetchall())
            for table, column in wanted_spatial_indexes():
                assert f"{table}." in gist and f"({column})" in gist


def test_repair_is_a_no_op_when_indexes_are_enabled():
    assert repair_spatial_indexes(connection.alias) == []
