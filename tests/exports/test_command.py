"""manage.py build_exports: what cron runs nightly and after an import."""

import gzip
import io
import json

import pytest
from django.core.management import CommandError, call_command

from directory.exports import builds
from directory.exports.specs import EXPORTS

from .conftest import database_down

pytestmark = pytest.mark.django_db

BASE = ["--base-url", "https://reperes.example.org/"]


def _run(*args) -> str:
    out = io.StringIO()
    call_command("build_exports", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_builds_every_format_with_a_summary(directory, exports_root):
    output = _run(*BASE)

    for export in EXPORTS:
        build = builds.latest(export.name)
        assert build is not None, export.name
        assert build.base_url == "https://reperes.example.org"
        assert f"{export.filename} : " in output
    lyon = json.loads(gzip.decompress(builds.latest("places_geojson").path().read_bytes()))
    assert lyon["features"][0]["properties"]["url"].startswith("https://reperes.example.org/")
    assert "10 fichier(s) construit(s)" in output


def test_format_option_builds_only_those(directory, exports_root):
    _run(*BASE, "--format", "csv,data-inclusion")

    built = {p.name for p in exports_root.glob("*.json")}
    assert built == {
        "places_csv.json",
        "data_inclusion_structures.json",
        "data_inclusion_services.json",
    }


def test_output_dir_option(directory, tmp_path):
    _run(*BASE, "--format", "geojson", "--output-dir", str(tmp_path / "ailleurs"))

    assert builds.latest("places_geojson", tmp_path / "ailleurs") is not None


def test_unknown_format_is_refused(db):
    with pytest.raises(CommandError, match="Format inconnu : pdf"):
        _run(*BASE, "--format", "csv,pdf")


def test_base_url_is_required(db, settings):
    settings.EXPORTS_BASE_URL = ""
    with pytest.raises(CommandError, match="EXPORTS_BASE_URL"):
        _run()


def test_unwritable_folder_is_a_clear_error(db, tmp_path):
    blocker = tmp_path / "un-fichier"
    blocker.write_text("pas un dossier")

    with pytest.raises(CommandError, match="n'est pas accessible en écriture"):
        _run(*BASE, "--output-dir", str(blocker / "exports"))


def test_unreachable_database_is_a_clear_error_and_keeps_the_files(directory, exports_root):
    _run(*BASE, "--format", "csv")
    before = {p.name: p.read_bytes() for p in exports_root.iterdir()}

    with database_down(), pytest.raises(CommandError, match="Base de données injoignable"):
        _run(*BASE, "--format", "csv")

    assert {p.name: p.read_bytes() for p in exports_root.iterdir()} == before


def test_build_already_running_is_reported(directory, exports_root):
    exports_root.mkdir(parents=True)
    with builds._lock(exports_root, "places_csv", wait=False):
        with pytest.raises(CommandError, match="déjà en cours de construction"):
            _run(*BASE, "--format", "csv")
