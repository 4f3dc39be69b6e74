from pathlib import Path

import pytest
from data_inclusion.schema.v1 import Categorie, Public, ReseauPorteur, Thematique, TypeService
from django.conf import settings

from directory.exports import mapping
from directory.models import Competence, Kind

pytestmark = pytest.mark.django_db


def test_every_competence_of_the_database_is_mapped():
    slugs = set(Competence.objects.values_list("slug", flat=True))

    assert slugs, "the seeded competences are missing"
    assert slugs - set(mapping.COMPETENCES) == set()
    assert set(mapping.COMPETENCES) - slugs == set(), "the table names unknown competences"


def test_every_kind_of_the_database_is_mapped():
    slugs = set(Kind.objects.values_list("slug", flat=True))

    assert slugs, "the seeded kinds are missing"
    assert slugs - set(mapping.KINDS) == set()
    assert set(mapping.KINDS) - slugs == set(), "the table names unknown kinds"


def test_values_belong_to_the_data_inclusion_schema():
    thematiques = {t.value for t in Thematique}
    types = {t.value for t in TypeService}
    reseaux = {r.value for r in ReseauPorteur}

    for slug, row in mapping.COMPETENCES.items():
        assert set(row.thematiques) <= thematiques, slug
        assert row.type_service in types, slug
    for slug, row in mapping.KINDS.items():
        assert set(row.reseaux_porteurs) <= reseaux, slug
    assert {Public(p) for p in mapping.DATA_INCLUSION_PUBLICS}


def test_data_inclusion_labels_are_the_schema_labels():
    expected = {c: Categorie(c).label for c in mapping.data_inclusion_categories()} | {
        t: Thematique(t).label for t in mapping.data_inclusion_thematiques()
    }

    assert mapping.DATA_INCLUSION_LABELS == expected


def test_table_agrees_with_the_codes_entered_on_competences():
    for competence in Competence.objects.exclude(data_inclusion_code=""):
        row = mapping.COMPETENCES[competence.slug]
        code = competence.data_inclusion_code
        # The code is one of the row's thématiques, or the category one of them refines.
        refined = any(t.startswith(code + "--") for t in row.thematiques)
        assert code in row.thematiques or refined, competence.slug
        assert row.thematiques, competence.slug


def test_unknown_competence_falls_back_on_its_own_subtheme_code():
    row = mapping.competence_mapping("nouvelle", "sante--sante-mentale")
    assert row.thematiques == ("sante--sante-mentale",)
    # A bare category is not a v1 thématique: better none than an invalid value.
    assert mapping.competence_mapping("nouvelle", "sante").thematiques == ()


def test_documentation_shows_the_current_table():
    docs = (Path(settings.BASE_DIR) / "docs" / "exports.md").read_text()
    table = mapping.markdown_tables(Competence.objects.all(), Kind.objects.all())

    assert table in docs, "docs/exports.md is out of date: paste mapping.markdown_tables() in"
