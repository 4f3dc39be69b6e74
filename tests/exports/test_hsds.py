import uuid

import pytest
from django.urls import reverse

from directory.exports import NAMESPACE, export_places, hsds

from .conftest import HSDS_DIR, LYON, MARSEILLE, load_hsds_schemas, streamed_json

pytestmark = pytest.mark.django_db


def _get(client, name):
    response = client.get(reverse(f"exports:{name}"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="reperes-hsds-')
    return streamed_json(response)


def _assert_valid(hsds_schemas, schema, records):
    assert records, "nothing to validate"
    for record in records:
        assert hsds_schemas.errors(schema, record) == [], record.get("name")


def test_absent_schemas_skip_with_a_clear_reason(tmp_path):
    missing = tmp_path / "hsds-3.0"
    with pytest.raises(pytest.skip.Exception, match=r"HSDS schemas absent: .*hsds-3.0 not found"):
        load_hsds_schemas(missing)


def test_schemas_folder_is_where_the_exports_expect_it():
    assert HSDS_DIR.parts[-3:] == ("shared", "standards", "hsds-3.0")


def test_organizations_validate_fully_nested(client, directory, hsds_schemas):
    records = _get(client, "hsds_organizations")

    _assert_valid(hsds_schemas, "compiled/organization.json", records)
    asso, city = directory["organisations"]
    by_name = {r["name"]: r for r in records}
    assert set(by_name) == {asso.name, city.name}  # not the one with an archived place only
    nested = by_name[asso.name]
    assert len(nested["locations"]) == 2  # Lyon and Marseille, not the draft
    location_ids = {loc["id"] for loc in nested["locations"]}
    links = [sal for s in nested["services"] for sal in s["service_at_locations"]]
    assert {sal["location_id"] for sal in links} == location_ids
    assert {s["name"] for s in nested["services"]} == {
        "Accueil et orientation des primo-arrivants",
        "Apprentissage du français",
        "Titres de séjour et droit au séjour",
        "Logement et hébergement",
    }


def test_services_are_organisation_competences_delivered_at_places(client, directory, hsds_schemas):
    records = _get(client, "hsds_services")

    _assert_valid(hsds_schemas, "compiled/service.json", records)
    asso = directory["organisations"][0]
    welcome = next(
        r
        for r in records
        if r["name"] == "Accueil et orientation des primo-arrivants"
        and r["organization"]["name"] == asso.name
    )
    coordinates = sorted(
        (sal["location"]["longitude"], sal["location"]["latitude"])
        for sal in welcome["service_at_locations"]
    )
    assert coordinates == pytest.approx(sorted([LYON, MARSEILLE]), abs=1e-6)
    terms = {a["link_type"]: a["taxonomy_term"]["code"] for a in welcome["attributes"]}
    assert terms["competence"] == "accueil-orientation"
    codes = {a["taxonomy_term"]["code"] for a in welcome["attributes"]}
    assert "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits" in (
        codes
    )


def test_locations_validate_with_address_schedules_and_kinds(client, directory, hsds_schemas):
    records = _get(client, "hsds_locations")

    _assert_valid(hsds_schemas, "location.json", records)
    by_name = {r["name"]: r for r in records}
    assert set(by_name) == {p.name for p in directory["published"]}
    lyon = by_name["Plateforme d'accueil — Lyon 7e"]
    assert (lyon["longitude"], lyon["latitude"]) == pytest.approx(LYON, abs=1e-6)
    assert lyon["addresses"][0]["state_province"] == "Rhône"
    assert [lang["code"] for lang in lyon["languages"]] == ["fr", "en", "ar"]
    assert {a["taxonomy_term"]["code"] for a in lyon["attributes"]} == {
        "accueil-primo-arrivants",
        "maison-des-langues",
    }
    # "Mo-Fr 09:00-12:00,14:00-17:00; We 09:00-12:00": Wednesday afternoon is closed.
    spans = {(s["byday"], s["opens_at"], s["closes_at"]) for s in lyon["schedules"]}
    assert spans == {("MO,TU,WE,TH,FR", "09:00", "12:00"), ("MO,TU,TH,FR", "14:00", "17:00")}
    # Not a plain weekly pattern: kept as written rather than half-translated.
    marseille = by_name["Plateforme d'accueil — Marseille"]
    assert [s.get("description") for s in marseille["schedules"]] == ["Mo,Th 10:00-16:00; PH off"]


def test_service_at_locations_validate_one_per_place_and_competence(
    client, directory, hsds_schemas
):
    records = _get(client, "hsds_service_at_locations")

    _assert_valid(hsds_schemas, "compiled/service_at_location.json", records)
    expected = sum(p.competences.count() for p in directory["published"])
    assert len(records) == expected
    assert len({r["id"] for r in records}) == expected
    for record in records:
        assert record["service"]["id"] == record["service_id"]
        assert record["location"]["id"] == record["location_id"]


def test_taxonomies_publish_our_terms_with_data_inclusion_cross_references(
    client, db, hsds_schemas
):
    taxonomies = _get(client, "hsds_taxonomies")
    terms = _get(client, "hsds_taxonomy_terms")

    _assert_valid(hsds_schemas, "taxonomy.json", taxonomies)
    _assert_valid(hsds_schemas, "taxonomy_term.json", terms)
    taxonomy_ids = {t["id"] for t in taxonomies}
    assert {t["taxonomy_id"] for t in terms} == taxonomy_ids
    by_code = {t["code"]: t for t in terms}
    assert by_code["apprentissage-francais"]["taxonomy"] == "Repères — compétences"
    thematique = by_code["lecture-ecriture-calcul--maitriser-le-francais"]
    assert thematique["parent_id"] == by_code["lecture-ecriture-calcul"]["id"]
    assert {t["id"] for t in terms if "parent_id" in t} <= {t["id"] for t in terms}


def test_identifiers_are_stable_uuid5(directory):
    lyon = directory["published"][0]
    place = export_places().get(pk=lyon.pk)

    record = hsds.location(place)
    assert record["id"] == str(uuid.uuid5(NAMESPACE, f"location:{lyon.pk}"))
    assert uuid.UUID(record["id"]).version == 5
    assert hsds.location(export_places().get(pk=lyon.pk)) == record  # same input, same ids


@pytest.mark.parametrize(
    "osm, expected",
    [
        ("Mo-Fr 09:00-17:00", [([0, 1, 2, 3, 4], "09:00", "17:00")]),
        ("Sa-Mo 10:00-12:00", [([0, 5, 6], "10:00", "12:00")]),
        (
            "Mo,We 09:00-12:00, 13:30-16:00",
            [([0, 2], "09:00", "12:00"), ([0, 2], "13:30", "16:00")],
        ),
        ("Mo-Fr 09:00-17:00; PH off", None),
        ("24/7", None),
        ('Mo-Fr 09:00-12:00 "sur rendez-vous"', None),
    ],
)
def test_weekly_hours_reads_the_plain_weekly_subset_only(osm, expected):
    assert hsds.weekly_hours(osm) == expected


@pytest.mark.parametrize(
    "osm, expected",
    [
        # Read as the place's page reads it: a closed day is still a weekly pattern, and so
        # is an additional rule (", "), which adds to the days rather than replacing them.
        ("Mo-Fr 09:00-17:00; Sa off", [([0, 1, 2, 3, 4], "09:00", "17:00")]),
        (
            "Mo-Fr 09:00-12:00, Tu 14:00-16:00",
            [([0, 1, 2, 3, 4], "09:00", "12:00"), ([1], "14:00", "16:00")],
        ),
        (
            "Mo-Fr 09:00-12:00; Tu 14:00-16:00",
            [([0, 2, 3, 4], "09:00", "12:00"), ([1], "14:00", "16:00")],
        ),
        # What a weekly schedule cannot say keeps the text.
        ("Fr 22:00-02:00", None),
        ("Mo-Fr 09:00-17:00; Dec 24 off", None),
        ("Mo-Fr 09:00-17:00; week 01-26 off", None),
        ("off", None),
        ("pas une syntaxe", None),
    ],
)
def test_weekly_hours_uses_the_same_reading_as_the_pages(osm, expected):
    assert hsds.weekly_hours(osm) == expected
