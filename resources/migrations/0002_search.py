"""Full-text search of notices (resources/search.py): an FTS5 table of French stems on
SQLite; on PostgreSQL, unaccent and pg_trgm (created by practices' migrations; here again
in case, which needs a superuser or the extensions already there)."""

from django.db import migrations

FTS_TABLE = "resources_notice_fts"


def create_search(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "title, authors, abstract, tokenize = 'unicode61 remove_diacritics 2')"
        )
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0001_initial"),
        ("practices", "0003_search_stems_and_trigrams"),
    ]

    operations = [migrations.RunPython(create_search, drop_search)]
