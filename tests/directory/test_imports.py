"""Imports of places (directory/imports/): round trips, idempotence, every bad row told."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from directory.exports import export_places
from directory.exports.csv_geojson import iter_csv, iter_geojson
from directory.imports.readers import ImportFileError, read
from directory.imports.service import import_places
from directory.models import Competence, Kind, Organisation, Place, Status
from tests.factories import OrganisationFactory, PlaceFactory

pytestmark = pytest.mark.django_db
BASE = "https://reperes.example.org"
HEADER = (
    "id,name,organisation_slug,organisation,lon,lat,competences,kinds,postal_code,opening_hours"
)


@pytest.fixture
def exported():
    """Five published places with every kind of value an export writes, and a draft."""
    competence = {c.slug: c for c in Competence.objects.all()}
    kind = {k.slug: k for k in Kind.objects.all()}
    centre = OrganisationFactory(name="Centre ressources Rhône", slug="centre-rhone")
    forum = OrganisationFactory(name="Forum d'accueil", slug="forum-accueil")
    places = [
        PlaceFactory(
            name="Maison des langues",
            organisation=centre,
            lon=4.8799,
            lat=45.7667,
            street="12 rue Francis de Pressensé",
            postal_code="69100",
            competences=[competence["apprentissage-francais"], competence["sejour"]],
            kinds=[kind["maison-des-langues"]],
            languages="fr,ar,uk",
            interpreting=True,
            wheelchair="yes",
            phone="04 78 00 00 00",
            email="accueil@example.org",
            website="https://example.org/langues",
            description="Cours ; ateliers, « conversation ».\nDeuxième ligne.",
            last_verified=date(2026, 10, 1),
        ),
        PlaceFactory(
            name="=Formule piège",
            organisation=forum,
            lon=5.3698,
            lat=43.2965,
            competences=[competence["conseil-juridique"]],
            opening_hours="",
            appointment_only=True,
        ),
        PlaceFactory(name="Accueil Cergy", organisation=forum, lon=2.0760, lat=49.0364),
        PlaceFactory(name="Point droits Bourg", organisation=centre, lon=5.2258, lat=46.2052),
        PlaceFactory(name="Sans compétence", organisation=centre, lon=4.39, lat=45.43),
    ]
    PlaceFactory(name="Brouillon", organisation=centre, status=Status.DRAFT)
    return places


def _shape(place: Place) -> tuple:
    return (
        place.name,
        place.organisation.slug,
        place.organisation.name,
        round(place.location.x, 6),
        round(place.location.y, 6),
        place.commune.code if place.commune else None,
        sorted(place.competences.values_list("slug", flat=True)),
        sorted(place.kinds.values_list("slug", flat=True)),
        place.street,
        place.postal_code,
        place.opening_hours,
        place.appointment_only,
        place.languages,
        place.interpreting,
        place.wheelchair,
        place.phone,
        place.email,
        place.website,
        place.description,
        place.last_verified,
        place.status,
    )


def _export(kind: str) -> bytes:
    writer = iter_csv if kind == "csv" else iter_geojson
    return "".join(writer(export_places(), BASE)).encode()


def _empty_directory() -> None:
    Place.objects.all().delete()
    Organisation.objects.all().delete()


def _import(data: bytes, kind: str = "csv", **options):
    options.setdefault("source", "test")
    return import_places(read(io.BytesIO(data), kind), **options)


@pytest.mark.parametrize("kind", ["csv", "geojson"])
def test_an_export_imported_into_an_empty_directory_gives_back_its_places(exported, kind):
    before = sorted(_shape(p) for p in export_places())
    slugs = sorted(p.slug for p in export_places())
    data = _export(kind)
    _empty_directory()
    report = _import(data, kind, wet_run=True)
    assert (report.created, report.updated, report.rejected) == (5, 0, [])
    assert report.written and report.organisations_created == 2
    assert sorted(_shape(p) for p in Place.objects.all()) == before
    assert sorted(Place.objects.values_list("slug", flat=True)) == slugs  # links still work
    assert set(Place.objects.values_list("source", flat=True)) == {"test"}


def test_importing_the_same_file_again_changes_nothing(exported):
    data = _export("csv")
    _empty_directory()
    _import(data, wet_run=True)
    stamps = dict(Place.objects.values_list("pk", "updated_at"))
    history = Place.history.count()
    again = _import(data, wet_run=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert dict(Place.objects.values_list("pk", "updated_at")) == stamps
    assert Place.history.count() == history


def test_a_changed_row_updates_its_place_with_a_history_entry(exported):
    first = _export("csv")
    changed = first.decode().replace("04 78 00 00 00", "04 72 11 22 33").encode()
    assert changed != first
    _empty_directory()
    _import(first, wet_run=True)
    report = _import(changed, wet_run=True)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    place = Place.objects.get(name="Maison des langues")
    assert place.phone == "04 72 11 22 33"
    assert place.history.first().history_change_reason.startswith("Import « test », ligne ")


def test_dry_run_writes_nothing_but_counts_what_it_would_do(exported):
    data = _export("csv")
    _empty_directory()
    report = _import(data)
    assert (report.created, report.organisations_created, report.written) == (5, 2, False)
    assert not Place.objects.exists() and not Organisation.objects.exists()


def test_organisation_given_takes_every_row(exported):
    data = _export("csv")
    _empty_directory()
    mine = OrganisationFactory(slug="mon-centre")
    report = _import(data, wet_run=True, organisation=mine)
    assert report.created == 5 and report.organisations_created == 0
    assert set(Place.objects.values_list("organisation__slug", flat=True)) == {"mon-centre"}


BAD_ROWS = [
    # (row after the header, column, reason fragment)
    (",Sans identifiant,forum,Forum,4.88,45.76,,,,", "id", "identifiant manquant"),
    ("a2,,forum,Forum,4.88,45.76,,,,", "name", "nom manquant"),
    ("a3,Lieu,forum,Forum,,45.76,,,,", "lon", "coordonnée manquante"),
    ("a4,Lieu,forum,Forum,quatre,45.76,,,,", "lon", "nombre attendu"),
    ("a5,Lieu,forum,Forum,4.88,95,,,,", "lat", "hors des bornes"),
    ("a6,Lieu,forum,Forum,-40.0,30.0,,,,", "lon", "point hors de France"),
    ("a7,Lieu,forum,Forum,4.88,45.76,cuisine,,,", "competences", "compétence inconnue"),
    ("a8,Lieu,forum,Forum,4.88,45.76,,salle-des-fetes,,", "kinds", "type de lieu inconnue"),
    ("a9,Lieu,forum,Forum,4.88,45.76,,,,Lundi matin", "opening_hours", "horaires invalides"),
    ("a10,Lieu,forum,Forum,4.88,45.76,,,13001,", "postal_code", "ne correspond pas"),
    ("a11,Lieu,,,4.88,45.76,,,,", "organisation", "organisation manquante"),
    ("a12,Premier,forum,Forum,4.88,45.76,,,,", None, None),
    ("a12,Doublon,forum,Forum,4.88,45.76,,,,", "id", "identifiant en double"),
]


def _bad_file() -> bytes:
    return ("\n".join([HEADER, *(row for row, _c, _r in BAD_ROWS)]) + "\n").encode()


def test_every_bad_row_is_told_with_its_line_column_and_reason(exported):
    before = Place.objects.count()
    report = _import(_bad_file(), wet_run=True)
    told = {(r.line, r.column) for r in report.rejected}
    for line, (_row, column, reason) in enumerate(BAD_ROWS, start=2):
        if column is None:
            assert not any(r.line == line for r in report.rejected)
            continue
        assert (line, column) in told, (line, column)
        assert any(r.line == line and reason in r.reason for r in report.rejected), reason
    assert report.rejected_rows == len(BAD_ROWS) - 1
    assert not report.written and Place.objects.count() == before  # nothing written


def test_accept_partial_writes_the_good_rows(exported):
    before = Place.objects.count()
    report = _import(_bad_file(), wet_run=True, accept_partial=True)
    assert report.written and report.created == 1
    assert Place.objects.count() == before + 1
    assert Place.objects.get(source="test", source_id="a12").name == "Premier"


MALFORMED = [
    (b"", "csv", "vide"),
    (b"id,name\n1,Lieu\n", "csv", "Colonnes de position absentes : lon et lat"),
    (b"name,lon,lat\nLieu,4.8,45.7\n", "csv", "Colonnes obligatoires absentes : id"),
    (b"id,name,lon,lat,name\n", "csv", "Colonnes en double : name"),
    ("id,name,lon,lat\n1,Caf\xe9,4.8,45.7\n".encode("latin-1"), "csv", "UTF-8"),
    (b'id,name,lon,lat\n1,"Lieu,4.8,45.7\n', "csv", "guillemet ouvert n'est jamais fermé"),
    (b"id,name,lon,lat\n1,Lieu,4.8,45.7,5,6\n", "csv", "6 valeurs pour 4 colonnes"),
    (b'{"type": "FeatureCollection", "features": [{"type": "Feature"', "geojson", "tronqué"),
    (b'{"type": "Feature"}', "geojson", "FeatureCollection"),
    (b'{"type": "FeatureCollection"}', "geojson", "features"),
]


@pytest.mark.parametrize("data, kind, message", MALFORMED)
def test_malformed_files_end_with_a_clear_message_and_nothing_written(
    exported, data, kind, message
):
    before = sorted(_shape(p) for p in Place.objects.all())
    with pytest.raises(ImportFileError) as error:
        _import(data, kind, wet_run=True, accept_partial=True)
    assert message in str(error.value)
    assert sorted(_shape(p) for p in Place.objects.all()) == before


def test_geojson_feature_without_a_point_is_rejected(exported):
    data = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": [[4.8, 45.7], [4.9, 45.8]]},
                    "properties": {"id": "x", "name": "Ligne", "organisation": "Forum"},
                }
            ],
        }
    ).encode()
    report = _import(data, "geojson", wet_run=True)
    assert [(r.line, r.column, r.reason) for r in report.rejected][0] == (
        1,
        "geometry",
        "un point est attendu",
    )


def test_semicolon_csv_from_a_french_spreadsheet(exported):
    data = "id;name;organisation;lon;lat\nb1;Permanence;Forum d'accueil;4,8799;45,7667\n"
    report = _import(data.encode("utf-8-sig"), wet_run=True)
    assert report.created == 1 and report.organisations_created == 0
    place = Place.objects.get(source_id="b1")
    assert place.organisation.slug == "forum-accueil" and place.commune.name == "Villeurbanne"


def test_command_dry_run_then_wet_run_with_a_report(exported, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_bad_file())
    report_file = tmp_path / "rejets.csv"
    out = io.StringIO()
    call_command(
        "import_places", str(bad), "--source", "cr", "--report", str(report_file), stdout=out
    )
    assert "Essai à blanc" in out.getvalue() and "12 lignes rejetées" in out.getvalue()
    lines = report_file.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "ligne,colonne,valeur,raison" and len(lines) > 12
    with pytest.raises(CommandError, match="rien n'a été écrit"):
        call_command("import_places", str(bad), "--source", "cr", "--wet-run", stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "import_places", str(bad), "--source", "cr", "--wet-run", "--accept-partial", stdout=out
    )
    assert "1 créés" in out.getvalue() and Place.objects.filter(source="cr").count() == 1
    with pytest.raises(CommandError, match="Colonnes de position absentes"):
        broken = tmp_path / "broken.csv"
        broken.write_text("id,name\n1,x\n")
        call_command("import_places", str(broken), "--source", "cr", stdout=io.StringIO())


def _spreadsheet(csv_bytes: bytes, kind: str) -> bytes:
    """The CSV as a workbook, the way a documentalist would save it from her spreadsheet."""
    import tablib

    dataset = tablib.Dataset().load(csv_bytes.decode("utf-8-sig"), format="csv")
    return dataset.export(kind)


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_spreadsheet_round_trip(exported, kind):
    before = sorted(_shape(p) for p in export_places())
    data = _spreadsheet(_export("csv"), kind)
    _empty_directory()
    report = _import(data, kind, wet_run=True)
    assert (report.created, report.rejected) == (5, [])
    assert sorted(_shape(p) for p in Place.objects.all()) == before


def test_spreadsheet_numbers_and_dates_typed_in_cells(exported):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["id", "name", "organisation", "lon", "lat", "last_verified", "competences"])
    sheet.append(
        [101, "Permanence tableur", "Forum d'accueil", 4.8799, 45.7667, date(2026, 5, 4), "sejour"]
    )
    sheet.append([102, "Sans point", "Forum d'accueil", None, None, None, "cuisine"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = _import(buffer.getvalue(), "xlsx", wet_run=True, accept_partial=True)
    assert report.created == 1
    place = Place.objects.get(source="test", source_id="101")
    assert place.last_verified == date(2026, 5, 4) and place.commune.name == "Villeurbanne"
    assert {(r.line, r.column) for r in report.rejected} == {
        (3, "lon"),
        (3, "lat"),
        (3, "competences"),
    }


def test_spreadsheet_with_merged_header_cells_is_refused(exported):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["id", "Coordonnées", None, "name"])
    sheet.merge_cells("B1:C1")
    sheet.append([1, 4.8, 45.7, "Lieu"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportFileError, match="sans nom \\(cellules fusionnées \\?\\)"):
        _import(buffer.getvalue(), "xlsx", wet_run=True)


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_damaged_workbook_is_refused(exported, kind):
    data = _spreadsheet(_export("csv"), kind)
    before = Place.objects.count()
    with pytest.raises(ImportFileError, match="illisible"):
        _import(data[: len(data) // 2], kind, wet_run=True)
    assert Place.objects.count() == before


def test_hand_edit_since_the_last_import_is_kept_and_told(exported):
    first = _export("csv")
    _empty_directory()
    _import(first, wet_run=True)
    place = Place.objects.get(name="Maison des langues")
    place.phone = "04 99 99 99 99"  # the documentalist corrects it by hand
    place.save()
    # The same file again: the source has not changed, the hand edit stays, silently.
    again = _import(first, wet_run=True)
    assert (again.unchanged, again.conflicts) == (5, [])
    assert Place.objects.get(pk=place.pk).phone == "04 99 99 99 99"
    # The source changes that place: a conflict, the hand edit kept by default.
    changed = first.decode().replace("Cours ; ateliers", "Cours du soir ; ateliers").encode()
    report = _import(changed, wet_run=True)
    assert [(c.source_id, c.fields) for c in report.conflicts] == [
        (place.source_id, ("description", "phone"))
    ]
    assert report.updated == 0 and Place.objects.get(pk=place.pk).phone == "04 99 99 99 99"
    # Asked to, the import wins.
    report = _import(changed, wet_run=True, overwrite_edits=True)
    assert report.updated == 1
    place.refresh_from_db()
    assert place.phone == "04 78 00 00 00" and place.description.startswith("Cours du soir")


def test_a_full_import_flags_the_places_it_no_longer_holds(exported):
    first = _export("csv")
    _empty_directory()
    _import(first, wet_run=True)
    lines = first.decode().splitlines(keepends=True)
    without = "".join(line for line in lines if "Accueil Cergy" not in line).encode()
    partial = _import(without, wet_run=True)  # not said to be full: nothing flagged
    assert partial.absent == 0
    report = _import(without, wet_run=True, full=True)
    assert report.absent == 1 and report.unchanged == 4
    gone = Place.objects.get(name="Accueil Cergy")
    assert gone.absent_from_import and gone.status == Status.PUBLISHED  # flagged, not deleted
    back = _import(first, wet_run=True, full=True)
    assert back.absent == 0 and not Place.objects.get(pk=gone.pk).absent_from_import


def test_admin_shows_where_an_imported_place_comes_from(exported, admin_client):
    first = _export("csv")
    _empty_directory()
    _import(first, wet_run=True, source="cr-rhone")
    lines = first.decode().splitlines(keepends=True)
    _import(
        "".join(line for line in lines if "Accueil Cergy" not in line).encode(),
        wet_run=True,
        source="cr-rhone",
        full=True,
    )
    gone = Place.objects.get(name="Accueil Cergy")
    page = admin_client.get(f"/admin/directory/place/{gone.pk}/change/").content.decode()
    assert "cr-rhone" in page and "Absent du dernier import" in page
    listed = admin_client.get("/admin/directory/place/?absent_from_import__exact=1")
    assert [p.name for p in listed.context["cl"].result_list] == ["Accueil Cergy"]


def test_bulk_created_places_are_counted_in_the_clusters_as_a_rebuild_would(exported):
    from directory.models import PlaceCell, PlaceCluster
    from directory.tiles import clusters

    data = _export("csv")
    _empty_directory()
    clusters.rebuild()  # empty tables
    # Several batches: the counts add up across them.
    from directory.imports import service

    service.BATCH_SIZE, size = 2, service.BATCH_SIZE
    try:
        _import(data, wet_run=True)
    finally:
        service.BATCH_SIZE = size

    def snapshot():
        return (
            sorted(
                (
                    c.dimension,
                    c.value,
                    c.zoom,
                    c.cell,
                    c.count,
                    round(c.lon_sum, 6),
                    round(c.lat_sum, 6),
                )
                for c in PlaceCluster.objects.all()
            ),
            sorted(PlaceCell.objects.values_list("place_id", "cell", "competence_pks")),
        )

    imported = snapshot()
    assert len(imported[1]) == 5
    clusters.rebuild()
    assert snapshot() == imported
    place = Place.objects.get(name="Maison des langues")
    entry = place.history.get()
    assert (entry.history_change_reason, entry.history_type) == ("Import « test »", "+")
    # The history keeps the links as they were written, like a save through the admin.
    assert sorted(entry.competences.values_list("competence_id", flat=True)) == sorted(
        place.competences.values_list("pk", flat=True)
    )
    assert sorted(entry.kinds.values_list("kind_id", flat=True)) == sorted(
        place.kinds.values_list("pk", flat=True)
    )
    assert place.competences.exists() and place.kinds.exists()
    # Imported as it stands: no hand edit since (a re-import is not a conflict).
    assert place.imported_at == place.updated_at == entry.history_date


def test_an_id_repeated_in_a_later_batch_is_told_with_its_first_line(exported, monkeypatch):
    from directory.imports import service

    monkeypatch.setattr(service, "BATCH_SIZE", 2)
    rows = [
        "b1,Premier,forum,Forum,4.88,45.76,,,,",
        "b2,Deuxième,forum,Forum,4.88,45.76,,,,",
        "b3,Troisième,forum,Forum,4.88,45.76,,,,",
        "b1,Encore le premier,forum,Forum,4.88,45.76,,,,",  # line 5, third batch
        "b3,Encore le troisième,forum,Forum,4.88,45.76,,,,",
    ]
    report = _import(("\n".join([HEADER, *rows]) + "\n").encode(), wet_run=True)
    assert [(r.line, r.column, r.reason) for r in report.rejected] == [
        (5, "id", "identifiant en double dans le fichier (déjà ligne 2)"),
        (6, "id", "identifiant en double dans le fichier (déjà ligne 4)"),
    ]
    assert not report.written


# --- The two standards -------------------------------------------------------------------


def _standard_shape(place: Place) -> tuple:
    """What data·inclusion and HSDS carry of a place (HSDS also its languages, access and
    hours as weekly schedules, compared by meaning: "Mo-Fr" and "Mo,Tu,We,Th,Fr" agree)."""
    from directory.exports.hsds import weekly_hours

    hours = place.opening_hours
    return (
        place.name,
        round(place.location.x, 5),
        round(place.location.y, 5),
        place.commune.code,
        sorted(place.competences.values_list("slug", flat=True)),
        place.street,
        place.postal_code,
        place.phone,
        place.email,
        sorted(weekly_hours(hours) or []) if hours else [],
        place.description,
    )


def test_data_inclusion_round_trip(exported):
    from directory.exports import json_array
    from directory.exports.data_inclusion import iter_services, iter_structures

    places = export_places()
    before = sorted(_standard_shape(p) for p in places)
    structures = "".join(json_array(iter_structures(places, BASE))).encode()
    services = "".join(json_array(iter_services(places, BASE))).encode()
    _empty_directory()
    report = import_places(
        read(io.BytesIO(structures), "data-inclusion", services=io.BytesIO(services)),
        source="data-inclusion",
        wet_run=True,
    )
    assert (report.created, report.rejected) == (5, [])
    assert sorted(_standard_shape(p) for p in Place.objects.all()) == before
    # Each structure is its own organisation (data·inclusion has no other).
    assert set(Organisation.objects.values_list("name", flat=True)) == {p[0] for p in before}


def test_hsds_round_trip(exported):
    from directory.exports import json_array
    from directory.exports.hsds import iter_organizations

    places = export_places()
    before = sorted(
        (
            *_standard_shape(p),
            p.organisation.name,
            p.language_codes,
            p.wheelchair,
            sorted(p.kinds.values_list("slug", flat=True)),
            p.appointment_only,
        )
        for p in places
    )
    organizations = "".join(json_array(iter_organizations(places, BASE))).encode()
    _empty_directory()
    report = import_places(read(io.BytesIO(organizations), "hsds"), source="hsds", wet_run=True)
    assert (report.created, report.rejected) == (5, [])
    after = sorted(
        (
            *_standard_shape(p),
            p.organisation.name,
            p.language_codes,
            p.wheelchair,
            sorted(p.kinds.values_list("slug", flat=True)),
            p.appointment_only,
        )
        for p in Place.objects.all()
    )
    assert after == before


def test_data_inclusion_service_without_a_known_thematique_is_told(exported):
    structures = json.dumps(
        [
            {
                "id": "s1",
                "nom": "Épicerie solidaire",
                "longitude": 4.8799,
                "latitude": 45.7667,
                "code_postal": "69100",
            }
        ]
    ).encode()
    services = json.dumps(
        [
            {
                "id": "v1",
                "structure_id": "s1",
                "nom": "Colis",
                "thematiques": ["alimentation--aide-alimentaire"],
            }
        ]
    ).encode()
    report = import_places(
        read(io.BytesIO(structures), "data-inclusion", services=io.BytesIO(services)),
        source="di",
        wet_run=True,
    )
    assert [(r.line, r.column, r.reason) for r in report.rejected] == [
        (1, "competences", "compétence inconnue")
    ]
    assert "alimentation--aide-alimentaire" in report.rejected[0].value
    with pytest.raises(ImportFileError, match="liste JSON"):
        list(read(io.BytesIO(b'"texte"'), "data-inclusion"))


# --- Rows with an address and no coordinates ------------------------------------------------

ADDRESSES = (
    "id,name,organisation,address,postal_code,commune\n"
    "g1,Permanence mairie,Forum,Place Lazare Goujon,69100,Villeurbanne\n"
    "g2,Accueil de quartier,Forum,,69100,Villeurbanne\n"
    "g3,Introuvable,Forum,1 rue de nulle part,,Nullepartville\n"
)


class FakeBAN:
    """The BAN's CSV endpoint: answers rows it knows, records every request."""

    def __init__(self, failures: int = 0):
        self.requests: list[bytes] = []
        self.failures = failures

    def __call__(self, url, body, headers, timeout):
        self.requests.append(body)
        if self.failures:
            self.failures -= 1
            raise OSError("connexion refusée")
        assert url == "https://api-adresse.data.gouv.fr/search/csv/" and timeout > 0
        assert headers["Content-Type"].startswith("multipart/form-data; boundary=")
        rows = [
            "key,adresse,postcode,city,latitude,longitude,result_label,result_score,"
            "result_type,result_citycode,result_status",
            "2,Place Lazare Goujon,69100,Villeurbanne,45.7668,4.8796,"
            "Place Lazare Goujon 69100 Villeurbanne,0.93,street,69266,ok",
            "3,,69100,Villeurbanne,,,,,,,not-found",
            "4,1 rue de nulle part,,Nullepartville,,,,,,,not-found",
        ]
        return ("\n".join(rows) + "\n").encode()


def test_addresses_are_geocoded_in_one_batch_request(exported, monkeypatch):
    ban = FakeBAN()
    monkeypatch.setattr("geodata.batch_geocoding.transport", ban)
    report = _import(ADDRESSES.encode(), wet_run=True, accept_partial=True)
    assert len(ban.requests) == 1 and b"Place Lazare Goujon" in ban.requests[0]
    assert report.created == 2
    street = Place.objects.get(source_id="g1")
    assert (street.geocode_precision, street.commune.name) == ("street", "Villeurbanne")
    assert round(street.location.x, 4) == 4.8796
    # The BAN did not place g2: the gazetteer gives the commune's centre, said so.
    commune = Place.objects.get(source_id="g2")
    assert commune.geocode_precision == "commune" and commune.commune.name == "Villeurbanne"
    assert [(r.line, r.column, r.reason) for r in report.rejected] == [
        (4, "address", "adresse introuvable (ni coordonnées ni commune reconnue)")
    ]


def test_batch_geocoding_retries_then_falls_back_on_the_gazetteer(exported, monkeypatch):
    flaky = FakeBAN(failures=2)
    monkeypatch.setattr("geodata.batch_geocoding.transport", flaky)
    report = _import(ADDRESSES.encode(), wet_run=True, accept_partial=True)
    assert len(flaky.requests) == 3  # two failures, then the answer
    assert Place.objects.get(source_id="g1").geocode_precision == "street"
    down = FakeBAN(failures=99)
    monkeypatch.setattr("geodata.batch_geocoding.transport", down)
    report = _import(ADDRESSES.encode(), source="autre", wet_run=True, accept_partial=True)
    assert len(down.requests) == 3 and report.created == 2  # the gazetteer placed both
    assert Place.objects.get(source="autre", source_id="g1").geocode_precision == "commune"


# A good row, and each way the other columns can be wrong (with the geocoding row above,
# the 12 of BAD_ROWS and the GeoJSON geometry: more than 25 reasons the importer knows).
WIDE = [
    "id",
    "name",
    "organisation",
    "lon",
    "lat",
    "address",
    "postal_code",
    "commune",
    "email",
    "website",
    "last_verified",
    "appointment_only",
    "interpreting",
    "wheelchair",
    "languages",
    "phone",
    "competences",
    "kinds",
    "opening_hours",
]
GOOD_ROW = {
    "id": "ok",
    "name": "Lieu correct",
    "organisation": "Forum",
    "lon": "4.8799",
    "lat": "45.7667",
    "postal_code": "69100",
    "email": "a@example.org",
    "website": "https://example.org",
    "last_verified": "2026-11-02",
    "appointment_only": "oui",
    "interpreting": "non",
    "wheelchair": "partial",
    "languages": "fr|ar",
    "phone": "04 00",
    "competences": "sejour",
    "kinds": "maison-des-langues",
    "opening_hours": "Mo 09:00-12:00",
}
WIDE_BAD = [
    ({"email": "pas-une-adresse"}, "email", "adresse courriel invalide"),
    ({"website": "example"}, "website", "adresse web invalide"),
    ({"last_verified": "02/11/2026"}, "last_verified", "AAAA-MM-JJ"),
    ({"appointment_only": "peut-être"}, "appointment_only", "true/false"),
    ({"interpreting": "2"}, "interpreting", "true/false"),
    ({"wheelchair": "oui"}, "wheelchair", "valeur attendue"),
    ({"languages": "français"}, "languages", ""),
    ({"name": "L" * 201}, "name", "trop long"),
    ({"phone": "0" * 31}, "phone", "trop long"),
    ({"postal_code": "691000"}, "postal_code", "trop long"),
    ({"lat": "-91"}, "lat", "hors des bornes"),
    ({"lon": "181"}, "lon", "hors des bornes"),
    ({"lat": "quarante-cinq"}, "lat", "nombre attendu"),
    ({"lon": "", "lat": "45.7"}, "lon", "coordonnée manquante"),
]


def test_wide_catalogue_of_bad_values(exported):
    import csv as csv_module

    buffer = io.StringIO()
    writer = csv_module.DictWriter(buffer, fieldnames=WIDE)
    writer.writeheader()
    writer.writerow(GOOD_ROW)
    for n, (overrides, _column, _reason) in enumerate(WIDE_BAD):
        writer.writerow({**GOOD_ROW, "id": f"bad{n}", **overrides})
    report = _import(buffer.getvalue().encode(), wet_run=True, accept_partial=True)
    assert report.created == 1
    place = Place.objects.get(source_id="ok")
    assert (place.appointment_only, place.wheelchair, place.languages) == (True, "partial", "fr,ar")
    for line, (_overrides, column, reason) in enumerate(WIDE_BAD, start=3):
        problems = [r for r in report.rejected if r.line == line]
        assert {p.column for p in problems} == {column}, (line, problems)
        assert any(reason in p.reason for p in problems), (line, problems)


def test_an_import_is_not_cut_by_the_web_statement_timeout(exported, monkeypatch):
    """An import confirmed in the admin runs inside a web request, whose statements are cut
    after DATABASE_STATEMENT_TIMEOUT: the import lifts it for its own transaction."""
    from django.db import connection

    from directory.imports import bulk

    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    data = _export("csv")
    _empty_directory()
    enter = bulk.Scratch.__enter__

    def slow_enter(scratch):  # a statement longer than the web's limit, inside the import
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.3)")
        return enter(scratch)

    monkeypatch.setattr(bulk.Scratch, "__enter__", slow_enter)
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = '100ms'")
    try:
        report = _import(data, wet_run=True)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")
    assert report.created == 5 and report.written
