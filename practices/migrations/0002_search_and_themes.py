from django.db import migrations

THEMES = [
    ("accueil-primo-arrivants", "Accueil des primo-arrivants", "Welcome of newcomers"),
    ("langue", "Langue", "Language"),
    ("acces-aux-droits", "Accès aux droits", "Access to rights"),
    ("emploi", "Emploi", "Employment"),
    ("logement", "Logement", "Housing"),
    ("education", "Éducation", "Education"),
    ("sante", "Santé", "Health"),
    ("lutte-discriminations", "Lutte contre les discriminations", "Fighting discrimination"),
    ("citoyennete-participation", "Citoyenneté et participation", "Citizenship and participation"),
    ("culture-memoire", "Culture et mémoire", "Culture and memory"),
    ("laicite", "Laïcité", "Laïcité (secularism)"),
]


def seed_themes(apps, schema_editor):
    Theme = apps.get_model("practices", "Theme")
    for position, (slug, name, name_en) in enumerate(THEMES):
        Theme.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
        )


def create_search(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS practices_sheet_fts USING fts5("
            "title, summary, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
    elif vendor == "postgresql":
        # Needs a superuser (or a database where unaccent is already installed).
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS practices_sheet_fts")


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [
        migrations.RunPython(seed_themes, migrations.RunPython.noop),
        migrations.RunPython(create_search, drop_search),
    ]
