import pytest
from data_inclusion.schema.v1 import Service, Structure
from django.urls import reverse

from directory.exports import data_inclusion, export_places

from .conftest import BASE_URL, LYON, SAINT_ETIENNE, streamed_json

pytestmark = pytest.mark.django_db

STRICT = {"ignore_warnings": False}  # the schema's warnings (e.g. a name ending in ".") fail too


def test_structures_validate_one_per_published_place(client, directory):
    response = client.get(reverse("exports:data_inclusion_structures"))

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        'attachment; filename="reperes-data-inclusion-structures.json"'
    )
    records = streamed_json(response)
    for record in records:
        Structure.model_validate(record, context=STRICT)
    expected = {f"reperes--{p.pk}" for p in directory["published"]}
    assert {r["id"] for r in records} == expected
    assert {r["source"] for r in records} == {"reperes"}


def test_structure_carries_the_place_address_hours_and_network(directory):
    lyon, _marseille, saint_etienne = directory["published"]

    record = data_inclusion.structure(export_places().get(pk=lyon.pk), BASE_URL)
    assert (record["longitude"], record["latitude"]) == pytest.approx(LYON, abs=1e-6)
    assert (record["code_insee"], record["code_postal"], record["commune"]) == (
        "69123",
        "69007",
        "Lyon",
    )
    assert record["adresse"] == "12 rue de Marseille"
    assert record["horaires_accueil"] == "Mo-Fr 09:00-12:00,14:00-17:00; We 09:00-12:00"
    assert record["courriel"] == "lyon@passerelles.example.org"
    assert record["lien_source"] == "http://testserver/annuaire/lieux/plateforme-lyon/"
    assert record["siret"] is None

    pad = data_inclusion.structure(export_places().get(pk=saint_etienne.pk), BASE_URL)
    assert (pad["longitude"], pad["latitude"]) == pytest.approx(SAINT_ETIENNE, abs=1e-6)
    assert pad["reseaux_porteurs"] == ["points-justice"]
    assert pad["code_postal"] is None  # not entered: null rather than guessed
    assert pad["horaires_accueil"] is None


def test_services_validate_one_per_published_place_and_competence(client, directory):
    response = client.get(reverse("exports:data_inclusion_services"))

    records = streamed_json(response)
    for record in records:
        Service.model_validate(record, context=STRICT)
    expected = {
        f"reperes--{place.pk}--{competence.slug}"
        for place in directory["published"]
        for competence in place.competences.all()
    }
    assert {r["id"] for r in records} == expected
    structures = {f"reperes--{p.pk}" for p in directory["published"]}
    assert {r["structure_id"] for r in records} <= structures


def test_service_maps_the_competence_and_says_how_to_get_there(directory):
    lyon, marseille, saint_etienne = directory["published"]
    services = {
        s["id"]: s
        for place in export_places()
        for s in data_inclusion.iter_services(export_places().filter(pk=place.pk), BASE_URL)
    }

    french = services[f"reperes--{lyon.pk}--apprentissage-francais"]
    assert french["thematiques"] == ["lecture-ecriture-calcul--maitriser-le-francais"]
    assert french["type"] == "formation"
    assert french["publics"] == ["personnes-exilees"]
    assert french["modes_mobilisation"] == ["se-presenter", "telephoner", "envoyer-un-courriel"]
    assert french["mobilisation_precisions"] == (
        "Langues parlées : français, anglais, arabe. Interprétariat possible."
    )
    assert (french["longitude"], french["latitude"]) == pytest.approx(LYON, abs=1e-6)

    housing = services[f"reperes--{marseille.pk}--logement-hebergement"]
    assert housing["conditions_acces"] == "Sur rendez-vous uniquement."
    assert "se-presenter" not in housing["modes_mobilisation"]  # by appointment only
    assert housing["telephone"] == "04 00 00 00 16"  # the organisation's, the place has none

    interpreting = services[f"reperes--{saint_etienne.pk}--interpretariat-mediation"]
    assert interpreting["thematiques"] is None  # no equivalent: none rather than a wrong one
    # No contact at all and no walk-in ban: still reachable by going there.
    assert interpreting["modes_mobilisation"] == ["se-presenter"]
