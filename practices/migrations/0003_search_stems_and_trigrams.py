"""Search that forgives (issue 12, item 6).

SQLite: the full-text index now holds French stems (core/stemming.py), so every
sheet already indexed is indexed again. PostgreSQL: pg_trgm, for the « did you mean »
suggestions (like unaccent in 0002, it needs a superuser or the extension already there).
"""

from django.db import migrations

from core.stemming import stemmed_text

FTS_TABLE = "practices_sheet_fts"
# practices.models.TEXT_FIELDS without "summary", as they stand at this migration.
BODY_FIELDS = [
    "context",
    "goals",
    "how_it_works",
    "results",
    "evaluation",
    "beneficiaries",
    "funding",
    "transferability",
]


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    elif connection.vendor == "sqlite":
        reindex(apps, connection, stemmed_text)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        reindex(apps, schema_editor.connection, lambda text: text or "")


def reindex(apps, connection, transform):
    PracticeSheet = apps.get_model("practices", "PracticeSheet")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        for sheet in PracticeSheet.objects.all().iterator():
            body = "\n".join(getattr(sheet, f) or "" for f in BODY_FIELDS)
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, summary, body) VALUES (%s, %s, %s, %s)",
                [sheet.pk, transform(sheet.title), transform(sheet.summary), transform(body)],
            )


class Migration(migrations.Migration):
    dependencies = [("practices", "0002_search_and_themes")]

    operations = [migrations.RunPython(forward, backward)]
