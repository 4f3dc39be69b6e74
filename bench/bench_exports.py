"""Building the export files (manage.py build_exports) against a raw COPY of the same data.

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/reperes_bench \\
        .venv/bin/python bench/bench_exports.py [--format csv,hsds] [--rounds 2]

For each export, in turn and `--rounds` times (the best round is kept, the machine is shared):

* the build, exactly as the command does it (`builds.build`: writer, gzip, sha256, atomic
  rename, manifest), in a fresh Python process, so that its peak RSS (getrusage) is its own;
* a raw `COPY (SELECT …) TO STDOUT (FORMAT csv)` of the data the export reads, written to a
  plain file by psycopg: the places with their organisation, commune, département, région,
  kinds and competences (one row per place), or the same columns per place and competence for
  the exports that have a record per offer (data·inclusion services, HSDS services and
  service_at_locations); HSDS organisations read both.

Prints records/s, seconds, the ratio build / COPY and the peak RSS. PostGIS only (COPY).
Files are written to a temporary folder, deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# A bench, like a command, runs statements longer than a page may (config/settings/base.py).
os.environ.setdefault("DJANGO_PROCESS", "command")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from directory.exports import builds  # noqa: E402
from directory.exports.specs import EXPORTS, EXPORTS_BY_NAME, FORMATS, exports_of  # noqa: E402
from directory.selectors import published_places  # noqa: E402

BASE_URL = "https://reperes.example.org"

_PLACE_COLUMNS = """p.id, p.slug, p.name, o.name, o.slug, k.slugs, cp.slugs, p.street,
    p.postal_code, c.code, c.name, d.code, d.name, r.code, r.name,
    ST_X(p.location::geometry), ST_Y(p.location::geometry), p.opening_hours,
    p.appointment_only, p.languages, p.interpreting, p.wheelchair, p.public, p.phone, p.email,
    p.website, p.description, p.last_verified, p.updated_at"""
_JOINS = """JOIN directory_organisation o ON o.id = p.organisation_id
    LEFT JOIN geodata_commune c ON c.id = p.commune_id
    LEFT JOIN geodata_department d ON d.id = c.department_id
    LEFT JOIN geodata_region r ON r.id = c.region_id
    LEFT JOIN (SELECT l.place_id, string_agg(t.slug, '|' ORDER BY t.position, t.name) AS slugs
        FROM directory_place_kinds l JOIN directory_kind t ON t.id = l.kind_id
        GROUP BY l.place_id) k ON k.place_id = p.id"""
_COMPETENCES = """LEFT JOIN (SELECT l.place_id,
        string_agg(t.slug, '|' ORDER BY t.position, t.name) AS slugs
        FROM directory_place_competences l JOIN directory_competence t ON t.id = l.competence_id
        GROUP BY l.place_id) cp ON cp.place_id = p.id"""
RAW = {
    "places": f"""SELECT {_PLACE_COLUMNS} FROM directory_place p {_JOINS} {_COMPETENCES}
        WHERE p.status = 'published' ORDER BY p.id""",
    "offers": f"""SELECT {_PLACE_COLUMNS.replace("cp.slugs", "t.slug")}
        FROM directory_place_competences pc
        JOIN directory_competence t ON t.id = pc.competence_id
        JOIN directory_place p ON p.id = pc.place_id {_JOINS}
        WHERE p.status = 'published' ORDER BY p.organisation_id, t.position, p.id""",
}
# What each export reads, as raw COPYs.
READS = {
    "places_csv": ["places"],
    "places_geojson": ["places"],
    "data_inclusion_structures": ["places"],
    "data_inclusion_services": ["offers"],
    "hsds_organizations": ["places", "offers"],
    "hsds_services": ["offers"],
    "hsds_locations": ["places"],
    "hsds_service_at_locations": ["offers"],
}


def raw_copy(name: str, folder: Path) -> tuple[float, int]:
    """Seconds and rows of COPY (SELECT …) TO STDOUT, written to a plain file."""
    started = time.perf_counter()
    rows = 0
    with connection.cursor() as cursor, (folder / f"raw-{name}.csv").open("wb") as file:
        with cursor.cursor.copy(f"COPY ({RAW[name]}) TO STDOUT WITH (FORMAT csv)") as copy:
            for row in copy:
                file.write(row)
                rows += 1
    return time.perf_counter() - started, rows


def build_one(name: str, folder: str) -> None:
    """In the child process: one build, its figures as JSON on stdout."""
    started = time.perf_counter()
    build = builds.build(EXPORTS_BY_NAME[name], base_url=BASE_URL, root=Path(folder))
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rows": build.rows,
                "gzip": build.bytes,
                "content": build.content_bytes,
                "peak_mb": peak_kb / 1024,
            }
        )
    )


def build_in_child(name: str, folder: Path) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--one", name, "--output-dir", str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--format", default=",".join(FORMATS))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--output-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        build_one(args.one, args.output_dir)
        return
    if connection.vendor != "postgresql":
        sys.exit("PostGIS only: set DATABASE_URL=postgis://…")
    places = published_places().count()
    print(f"{places:,} published places, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as tmp:
        folder = Path(tmp)
        raw: dict[str, tuple[float, int]] = {}
        for name in RAW:
            rounds = [raw_copy(name, folder) for _ in range(args.rounds)]
            raw[name] = min(rounds)
            print(f"raw COPY {name}: {raw[name][1]:,} rows, best {raw[name][0]:.1f} s")
        header = (
            f"{'export':28} {'records':>9} {'build s':>8} {'rec/s':>8} "
            f"{'COPY s':>7} {'ratio':>6} {'peak RSS':>9} {'content':>9} {'gzip':>8}"
        )
        print(header)
        print("-" * len(header))
        for export in exports_of(args.format.split(",")):
            if export not in EXPORTS or export.name not in READS:
                continue  # the vocabularies: a few dozen records
            figures = min(
                (build_in_child(export.name, folder) for _ in range(args.rounds)),
                key=lambda f: f["seconds"],
            )
            copy_seconds = sum(raw[r][0] for r in READS[export.name])
            print(
                f"{export.name:28} {figures['rows']:>9,} {figures['seconds']:>8.1f} "
                f"{figures['rows'] / figures['seconds']:>8,.0f} {copy_seconds:>7.1f} "
                f"{figures['seconds'] / copy_seconds:>6.2f} {figures['peak_mb']:>6.0f} MB "
                f"{figures['content'] / 1e6:>6.1f} MB {figures['gzip'] / 1e6:>5.1f} MB",
                flush=True,
            )


if __name__ == "__main__":
    main()
