"""Export files built in advance: gzip, atomic, with a manifest, the same content as before."""

import csv
import gzip
import hashlib
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db import OperationalError, connection

from directory.exports import (
    builds,
    csv_geojson,
    data_inclusion,
    export_places,
    hsds,
    json_array,
    rows,
    writers,
)
from directory.exports.specs import EXPORTS, EXPORTS_BY_NAME
from directory.selectors import competences, kinds, published_places

from .conftest import BASE_URL, database_down, database_fails_after

pytestmark = pytest.mark.django_db

# What each export held before the files were built in advance: the model-instance iterators.
REFERENCE = {
    "places_csv": lambda: "".join(csv_geojson.iter_csv(export_places(), BASE_URL)),
    "places_geojson": lambda: "".join(csv_geojson.iter_geojson(export_places(), BASE_URL)),
    "data_inclusion_structures": lambda: "".join(
        json_array(data_inclusion.iter_structures(export_places(), BASE_URL))
    ),
    "data_inclusion_services": lambda: "".join(
        json_array(data_inclusion.iter_services(export_places(), BASE_URL))
    ),
    "hsds_organizations": lambda: "".join(
        json_array(hsds.iter_organizations(export_places(), BASE_URL))
    ),
    "hsds_services": lambda: "".join(json_array(hsds.iter_services(export_places(), BASE_URL))),
    "hsds_locations": lambda: "".join(json_array(hsds.iter_locations(export_places(), BASE_URL))),
    "hsds_service_at_locations": lambda: "".join(
        json_array(hsds.iter_service_at_locations(export_places(), BASE_URL))
    ),
    "hsds_taxonomies": lambda: "".join(json_array(hsds.taxonomies(BASE_URL))),
    "hsds_taxonomy_terms": lambda: "".join(json_array(hsds.taxonomy_terms(competences(), kinds()))),
}


def _build(name: str, **kwargs) -> builds.Build:
    return builds.build(EXPORTS_BY_NAME[name], base_url=BASE_URL, **kwargs)


def _content(build: builds.Build) -> bytes:
    return gzip.decompress(build.path().read_bytes())


def _folder(root) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in root.iterdir()}


@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: e.name)
def test_built_file_holds_what_the_export_held_before(directory, export):
    content = _content(_build(export.name)).decode("utf-8")

    reference = REFERENCE[export.name]()
    if export.name == "places_csv":
        assert content == reference  # byte for byte, the CSV dialect included
    else:
        assert json.loads(content) == json.loads(reference)
        assert content.startswith(reference[:2])  # one record per line, as before


@pytest.mark.parametrize("chunk", [1, 2, 5])
@pytest.mark.parametrize(
    "name", ["hsds_organizations", "hsds_services", "hsds_service_at_locations", "places_csv"]
)
def test_chunks_and_kept_locations_do_not_change_the_files(
    directory, many_places, monkeypatch, chunk, name
):
    """Chunk and organisation boundaries anywhere, few locations kept: the same content."""
    monkeypatch.setattr(rows, "CHUNK_SIZE", chunk)
    monkeypatch.setattr(writers, "LOCATIONS_KEPT", 2)

    content = _content(_build(name)).decode("utf-8")

    if name == "places_csv":
        assert content == REFERENCE[name]()
    else:
        assert json.loads(content) == json.loads(REFERENCE[name]())


def test_manifest_describes_the_file(directory, exports_root):
    before = datetime.now(UTC).replace(microsecond=0)
    build = _build("places_csv")

    manifest = json.loads((exports_root / "places_csv.json").read_text())
    assert manifest == {**manifest, "export": "places_csv", "format": "csv", "rows": 3}
    assert manifest["filename"] == "reperes-lieux.csv"
    assert manifest["content_type"] == "text/csv; charset=utf-8"
    raw = (exports_root / manifest["file"]).read_bytes()
    assert manifest["file"] == f"reperes-lieux.csv.{manifest['sha256'][:16]}.gz"
    assert (manifest["bytes"], manifest["sha256"]) == (len(raw), hashlib.sha256(raw).hexdigest())
    content = gzip.decompress(raw)
    assert manifest["content_bytes"] == len(content)
    assert manifest["content_sha256"] == hashlib.sha256(content).hexdigest()
    built_at = datetime.fromisoformat(manifest["built_at"])
    assert before <= built_at <= datetime.now(UTC) + timedelta(seconds=1)
    assert manifest["base_url"] == BASE_URL
    assert builds.latest("places_csv") == build
    # Only the file and its manifest: no temporary file left, the lock file aside.
    assert sorted(p.name for p in exports_root.iterdir() if not p.name.endswith(".lock")) == [
        "places_csv.json",
        manifest["file"],
    ]


def test_same_content_gives_the_same_file(directory):
    first = _build("hsds_locations")
    second = _build("hsds_locations")

    assert (second.file, second.sha256) == (first.file, first.sha256)  # same ETag for clients


def test_previous_file_is_kept_one_build_longer(directory, exports_root):
    lyon = directory["published"][0]
    files = []
    for name in ("Premier nom", "Deuxième nom", "Troisième nom"):
        lyon.name = name
        lyon.save()
        files.append(_build("places_csv").file)

    assert len(set(files)) == 3
    on_disk = {p.name for p in exports_root.glob("reperes-lieux.csv.*.gz")}
    assert on_disk == {files[1], files[2]}


def test_failing_build_leaves_the_previous_one_as_it_was(
    directory, exports_root, tmp_path, monkeypatch
):
    previous = _build("places_geojson")
    folder = _folder(exports_root)
    directory["published"][0].delete()  # the next build would differ
    monkeypatch.setattr(rows, "CHUNK_SIZE", 1)  # a query round per place
    with database_fails_after(None) as queries:  # how many queries a whole build runs
        _build("places_geojson", root=tmp_path / "elsewhere")

    with database_fails_after(len(queries) - 2), pytest.raises(OperationalError):
        _build("places_geojson")  # the connection is lost at the last place

    assert _folder(exports_root) == folder  # no temporary file, nothing replaced
    assert builds.latest("places_geojson") == previous


def test_build_with_the_database_down_leaves_the_previous_one(directory, exports_root):
    previous = _build("places_csv")
    folder = _folder(exports_root)

    with database_down(), pytest.raises(OperationalError):
        _build("places_csv")

    assert _folder(exports_root) == folder
    assert builds.latest("places_csv") == previous


def test_one_build_of_an_export_at_a_time(directory, exports_root):
    exports_root.mkdir(parents=True)
    with builds._lock(exports_root, "places_csv", wait=False):
        with pytest.raises(builds.BuildInProgress):
            _build("places_csv", wait=False)
        _build("places_geojson", wait=False)  # another export is not held up


# --- CSV ---------------------------------------------------------------------------------------


def _csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_csv_neutralises_formulas_but_not_numbers(tricky_places):
    content = _content(_build("places_csv"))

    by_slug = {row["slug"]: row for row in _csv_rows(content)}
    first, second, far = (by_slug[p.slug] for p in tricky_places)
    assert first["name"] == '\'=1+1 "guillemets", virgule'
    assert first["organisation"] == '\'=HYPERLINK("http://evil.example")'
    assert first["address"] == "'@SUM(A1)"
    assert first["phone"] == "'+33 4 00 00 00 17"
    assert first["public"] == "'-2+3"
    assert second["name"] == "'\tTabulation"
    assert second["description"] == "'\rretour chariot"
    assert first["description"] == "Première ligne\nseconde ligne\r\ntroisième"  # kept as is
    # Numbers stay numbers, negative ones included.
    assert (far["lon"], far["lat"]) == ("-0.0", "5e-06")
    assert (second["lon"], second["lat"]) == ("5.0", "43.0")
    assert first["lon"] == repr(round(4.8357005, 6))
    assert first["languages"] == "fr|en|ar"
    assert far["commune"] == "Nulle part" and far["commune_code"] == ""


def test_csv_is_the_same_from_postgresql_copy_and_from_python(tricky_places, directory):
    if connection.vendor != "postgresql":
        pytest.skip("COPY is the PostGIS path; SpatiaLite writes the CSV in Python only")
    written = {}
    for write in (writers.write_csv, writers.write_csv_rows):
        out = io.BytesIO()
        sink = writers.Sink(out)
        with rows.snapshot():
            count = write(sink, published_places(), BASE_URL)
        sink.flush()
        written[write.__name__] = (count, out.getvalue())

    assert written["write_csv"] == written["write_csv_rows"]
    assert written["write_csv"][0] == 6
