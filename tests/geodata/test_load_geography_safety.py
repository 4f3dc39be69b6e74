"""`load_geography` never touches what it did not load, and refuses empty or truncated sources.

The session database holds Ain (01), Loire (42) and Rhône (69) in Auvergne-Rhône-Alpes (84),
plus Bouches-du-Rhône (13) and Val-d'Oise (95); see tests/conftest.py. The corrupted
sources are small copies of the real ones, made in tmp_path.
"""

import csv
import json
import lzma
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Sum

from geodata.importers import SourceError, default_polygons_path, load_geography
from geodata.models import Commune, Department, Region

pytestmark = pytest.mark.django_db
SOURCE = Path(settings.DECOUPAGE_ADMINISTRATIF_DIR)


def snapshot() -> dict:
    ara = Region.objects.get(code="84")
    ain = Department.objects.get(code="01")
    return {
        "communes": Commune.objects.count(),
        "placed": Commune.objects.exclude(boundary=None).count(),
        "ara_population": ara.population,
        "ara_area": round(ara.boundary.area, 4),
        "ain_population": ain.population,
        "ain_area": round(ain.boundary.area, 4),
    }


def copy_sources(tmp_path: Path, **replaced: object) -> Path:
    for name in ("regions.json", "departements.json", "communes.json"):
        if name in replaced:
            (tmp_path / name).write_text(json.dumps(replaced[name]), encoding="utf-8")
        else:
            shutil.copy(SOURCE / name, tmp_path / name)
    return tmp_path


def write_polygons(path: Path, keep=lambda row: False) -> Path:
    csv.field_size_limit(1 << 30)
    with lzma.open(default_polygons_path(), "rt", encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        with lzma.open(path, "wt", encoding="utf-8", newline="") as target:
            writer = csv.DictWriter(target, fieldnames=reader.fieldnames)
            writer.writeheader()
            writer.writerows(row for row in reader if keep(row))
    return path


def test_a_subset_load_keeps_the_region_whole():
    before = snapshot()
    ain_centre = Department.objects.get(code="01").centre
    loire_centre = Department.objects.get(code="42").centre
    out = call_command("load_geography", "--wet-run", departments="69", verbosity=0)
    assert out is None
    ara = Region.objects.get(code="84")
    # Not Rhône's 1.9 M alone: every commune of the région in the database.
    assert ara.population == before["ara_population"]
    assert ara.population == Commune.objects.filter(region=ara).aggregate(n=Sum("population"))["n"]
    assert ara.population > Department.objects.get(code="69").population
    assert ara.boundary.contains(ain_centre) and ara.boundary.contains(loire_centre)
    assert round(ara.boundary.area, 4) == before["ara_area"]
    assert snapshot() == before


def test_a_subset_load_leaves_other_regions_and_departments_alone():
    Department.objects.filter(code="01").update(name="Ain (gardé)")
    Region.objects.filter(code="93").update(name="PACA (gardée)")
    load_geography(source_dir=SOURCE, departments={"42"})
    assert Department.objects.get(code="01").name == "Ain (gardé)"
    assert Region.objects.get(code="93").name == "PACA (gardée)"


@pytest.mark.parametrize("wet_run", [True, False], ids=["wet-run", "dry-run"])
def test_an_empty_communes_file_is_refused(tmp_path, wet_run):
    before = snapshot()
    source = copy_sources(tmp_path, **{"communes.json": []})
    args = ["--wet-run"] if wet_run else []
    with pytest.raises(CommandError, match="aucune commune.*pas été modifiée"):
        call_command("load_geography", *args, source_dir=source, departments="01", verbosity=0)
    assert snapshot() == before


def test_an_empty_communes_file_is_refused_for_a_full_load(tmp_path):
    before = snapshot()
    source = copy_sources(tmp_path, **{"communes.json": []})
    with pytest.raises(CommandError, match="aucune commune"):
        call_command("load_geography", "--wet-run", source_dir=source, verbosity=0)
    assert snapshot() == before


def test_a_polygons_file_with_only_its_header_is_refused(tmp_path):
    before = snapshot()
    polygons = write_polygons(tmp_path / "communes.csv.lzma")
    with pytest.raises(CommandError, match="Contours trouvés pour 0 communes.*pas été modifiée"):
        call_command(
            "load_geography", "--wet-run", departments="01", polygons=polygons, verbosity=0
        )
    assert snapshot() == before


def test_a_mostly_empty_polygons_file_is_refused(tmp_path):
    before = snapshot()
    # A few dozen of Ain's ~390 communes.
    polygons = write_polygons(tmp_path / "communes.csv.lzma", lambda row: row["code"] < "01050")
    with pytest.raises(CommandError, match="vide ou tronqué"):
        call_command(
            "load_geography", "--wet-run", departments="01", polygons=polygons, verbosity=0
        )
    assert snapshot() == before


def test_a_source_much_smaller_than_the_database_is_refused(tmp_path):
    before = snapshot()
    communes = json.loads((SOURCE / "communes.json").read_text(encoding="utf-8"))
    ain = [c for c in communes if c.get("departement") == "01" and c["type"] == "commune-actuelle"]
    kept = ain[: len(ain) // 3]
    source = copy_sources(tmp_path, **{"communes.json": kept})
    with pytest.raises(SourceError, match=f"que {len(kept)} communes.*la base en a {len(ain)}"):
        load_geography(source_dir=source, departments={"01"})
    assert snapshot() == before


def test_an_unknown_department_is_refused():
    before = snapshot()
    with pytest.raises(CommandError, match="Départements absents de la source : 99"):
        call_command("load_geography", "--wet-run", departments="69,99", verbosity=0)
    assert snapshot() == before


def test_empty_region_and_department_files_are_refused(tmp_path):
    before = snapshot()
    source = copy_sources(tmp_path, **{"regions.json": [], "departements.json": []})
    with pytest.raises(CommandError, match="aucun département"):
        call_command("load_geography", "--wet-run", source_dir=source, verbosity=0)
    assert snapshot() == before
