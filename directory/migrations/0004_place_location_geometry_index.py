"""A GiST index on `location::geometry` (PostGIS only), for lon/lat rectangles (`bbox`).

The column is a geography (distances in metres); a map's rectangle follows the
parallels and meridians, which is a planar box in lon/lat, so `bbox` is answered
with `location::geometry && ST_MakeEnvelope(…)` — this index. SpatiaLite has no
geography type: its R*Tree on the column already serves boxes.
"""

from django.db import migrations

INDEX = "directory_place_location_geom_gist"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON directory_place "
            "USING GIST ((location::geometry))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_organisation_embed_domains")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
