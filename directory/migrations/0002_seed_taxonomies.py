from django.db import migrations

# slug, French name, English name, data·inclusion thématique (where one matches)
COMPETENCES = [
    ("accueil-orientation", "Accueil et orientation des primo-arrivants", "Welcome and orientation of newcomers", ""),
    ("sejour", "Titres de séjour et droit au séjour", "Residence permits and right of stay", "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"),
    ("asile", "Asile", "Asylum", "difficultes-administratives-ou-juridiques"),
    ("droits-sociaux", "Accès aux droits sociaux", "Access to social rights", "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"),
    ("logement-hebergement", "Logement et hébergement", "Housing and shelter", "logement-hebergement"),
    ("emploi-formation", "Emploi et formation", "Employment and training", "trouver-un-emploi"),
    ("sante", "Santé", "Health", "sante--acces-aux-soins"),
    ("apprentissage-francais", "Apprentissage du français", "Learning French", "lecture-ecriture-calcul--maitriser-le-francais"),
    ("scolarite-parentalite", "Scolarité et parentalité", "Schooling and parenthood", "famille--soutien-a-la-parentalite-et-a-leducation"),
    ("lutte-discriminations", "Lutte contre les discriminations", "Fighting discrimination", "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination"),
    ("conseil-juridique", "Conseil juridique", "Legal advice", "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire"),
    ("citoyennete-participation", "Citoyenneté et participation", "Citizenship and participation", "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete"),
    ("interpretariat-mediation", "Interprétariat et médiation", "Interpreting and mediation", ""),
]

KINDS = [
    ("accueil-primo-arrivants", "Service d'accueil des primo-arrivants", "Welcome service for newcomers"),
    ("point-acces-droits-etrangers", "Point d'accès aux droits des étrangers", "Rights-access point for foreigners"),
    ("maison-des-langues", "Maison des langues / cours de français", "Language house / French courses"),
    ("point-acces-droit", "Point d'accès au droit", "Legal-aid point"),
    ("relais-anti-discrimination", "Relais de lutte contre les discriminations", "Anti-discrimination relay"),
    ("accompagnement-social", "Service d'accompagnement social", "Social-support service"),
    ("hebergement-logement", "Accompagnement hébergement / logement", "Hosting and housing support"),
    ("acces-sante", "Accès à la santé", "Health access"),
    ("centre-ressources", "Centre ressources", "Resource centre"),
]


def seed(apps, schema_editor):
    Competence = apps.get_model("directory", "Competence")
    Kind = apps.get_model("directory", "Kind")
    for position, (slug, name, name_en, code) in enumerate(COMPETENCES):
        Competence.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "name_en": name_en, "data_inclusion_code": code, "position": position},
        )
    for position, (slug, name, name_en) in enumerate(KINDS):
        Kind.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
        )


def create_moderators_group(apps, schema_editor):
    # Permissions exist only after post_migrate; the group is filled by directory.apps.
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="Modérateurs du réseau")


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(create_moderators_group, migrations.RunPython.noop),
    ]
