"""Importing places: rows per second and peak memory of `import_places` on a CSV.

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/reperes_scale \\
        .venv/bin/python bench/bench_imports.py --rows 20000

Writes a CSV of `--rows` published places taken from the database (the export's own
writer; past 20,000 rows the same places again; ids renamed so that every row is a new
place of a fresh source), then imports it in a fresh Python process: a dry run, which
writes everything (places, history, links, cluster counts) and rolls it back, so the
database is left as it was. Prints rows/s, the outcome counts and the peak RSS of the
importing process, then (up to 100,000 rows) the time SQL alone takes to insert as many
places. `--rows 1000000` measures the memory on a million-row file.
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

from django.db import connection, transaction  # noqa: E402

from directory.exports import export_places  # noqa: E402
from directory.exports.csv_geojson import iter_csv  # noqa: E402
from directory.models import Place, PlaceCell  # noqa: E402
from directory.tiles import clusters  # noqa: E402

TEMPLATE_ROWS = 20_000


def write_csv(path: Path, rows: int) -> None:
    """`rows` new places as the export writes them: up to TEMPLATE_ROWS published places
    exported, then repeated with other ids and slugs until the file holds `rows`."""
    ids = list(
        Place.objects.filter(status="published")
        .order_by("pk")
        .values_list("pk", flat=True)[: min(rows, TEMPLATE_ROWS)]
    )
    lines = list(iter_csv(export_places(Place.objects.filter(pk__in=ids)), "https://x"))
    header, template = lines[0], lines[1:]
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(header)
        for n in range(rows):
            # A new id and slug in a new source: every row creates a place.
            head, sep, rest = template[n % len(template)].partition(",")
            copy = n // len(template)
            out.write(f"bench{copy}-{head}{sep}bench{copy}-{rest}")


def _renamed(prefix: str) -> tuple[list[str], str]:
    """Place's columns (no id), and the SELECT list copying a place (`prefix`: its alias)
    as a new one: another slug, source and source id."""
    fields = [f.column for f in Place._meta.concrete_fields if not f.primary_key]
    new = {
        "slug": f"'raw-' || {prefix}id || '-' || {prefix}slug",
        "source_id": f"'raw-' || {prefix}id",
        "source": "'raw-bench'",
    }
    return fields, ", ".join(new.get(c, f"{prefix}{c}") for c in fields)


def raw_insert_seconds(rows: int) -> float:
    """The same number of places written by SQL alone — INSERT … SELECT of existing rows
    under new slugs, in a transaction rolled back: what the database itself costs for the
    places' rows and indexes, with no check, history, link nor cluster count."""
    table = Place._meta.db_table
    fields, chosen = _renamed("")
    columns = ", ".join(fields)
    with transaction.atomic():
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {chosen} FROM {table} "
                f"WHERE id IN (SELECT id FROM {table} ORDER BY id LIMIT %s)",
                [rows],
            )
            seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def raw_writes_seconds(rows: int) -> dict[str, float]:
    """Everything an import writes for `rows` new places, by SQL alone (INSERT … SELECT of
    existing places under new ids, in a transaction rolled back): the places, their history
    entries and the history of their links, their kinds and competences, their map cells and
    the cluster counts (the project's own set-based upsert). Seconds per step: the floor
    the database sets, before any check or any Python."""
    place = Place._meta.db_table
    history = Place.history.model._meta.db_table
    fields, renamed = _renamed("p.")
    columns = ", ".join(fields)
    steps: dict[str, float] = {}

    def step(name: str, sql: str, params=()) -> None:
        started = time.perf_counter()
        cursor.execute(sql, list(params))
        steps[name] = steps.get(name, 0.0) + time.perf_counter() - started

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE raw_new ON COMMIT DROP AS SELECT id AS old_id, "
            f"nextval(pg_get_serial_sequence('{place}', 'id')) AS new_id FROM {place} "
            "WHERE status = 'published' ORDER BY id LIMIT %s",
            [rows],
        )
        cursor.execute("ANALYZE raw_new")
        step(
            "lieux",
            f"INSERT INTO {place} (id, {columns}) SELECT r.new_id, {renamed} "
            f"FROM {place} p JOIN raw_new r ON r.old_id = p.id",
        )
        step(
            "historique",
            f"INSERT INTO {history} (id, {columns}, history_date, history_change_reason, "
            f"history_type, history_user_id) SELECT p.id, {', '.join(f'p.{c}' for c in fields)}, "
            f"now(), 'raw', '+', NULL FROM {place} p JOIN raw_new r ON r.new_id = p.id",
        )
        for name, column in (("kinds", "kind_id"), ("competences", "competence_id")):
            through = getattr(Place, name).through._meta.db_table
            step(
                "liens",
                f"INSERT INTO {through} (place_id, {column}) SELECT r.new_id, l.{column} "
                f"FROM {through} l JOIN raw_new r ON r.old_id = l.place_id",
            )
            step(
                "historique des liens",
                f"INSERT INTO {history}_{name} (id, place_id, {column}, history_id) "
                f"SELECT l.id, l.place_id, l.{column}, h.history_id FROM {through} l "
                f"JOIN raw_new r ON r.new_id = l.place_id JOIN {history} h ON h.id = l.place_id",
            )
        cells = PlaceCell._meta.db_table
        step(
            "cellules",
            f"INSERT INTO {cells} (place_id, cell, lon, lat, region_pk, department_pk, "
            "competence_pks) SELECT r.new_id, c.cell, c.lon, c.lat, c.region_pk, "
            f"c.department_pk, c.competence_pks FROM {cells} c JOIN raw_new r "
            "ON r.old_id = c.place_id",
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE raw_ids ON COMMIT DROP AS SELECT new_id AS place_id "
            "FROM raw_new"
        )
        cursor.execute("ANALYZE raw_ids")
        started = time.perf_counter()
        clusters.add_from_cells("raw_ids")
        steps["comptes de carte"] = time.perf_counter() - started
        transaction.set_rollback(True)
    return steps


def import_one(path: str, file_format: str) -> None:
    """In the child process: the import, its figures as JSON on stdout."""
    from django.conf import settings

    settings.DEBUG = False  # as in production: no log of every statement in memory
    from directory.imports.readers import read
    from directory.imports.service import import_places

    started = time.perf_counter()
    with open(path, "rb") as file:
        report = import_places(read(file, file_format), source=f"bench-{os.getpid()}")
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": seconds,
                "created": report.created,
                "rejected": len(report.rejected),
                "first_rejections": [r.reason for r in report.rejected[:3]],
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--format", default="csv")
    parser.add_argument("--skip-raw", action="store_true", help="sans la mesure SQL seul")
    args = parser.parse_args()
    if args.one:
        import_one(args.one, args.format)
        return
    with tempfile.TemporaryDirectory(prefix="bench-imports-") as tmp:
        path = Path(tmp) / "places.csv"
        write_csv(path, args.rows)
        size = path.stat().st_size
        result = subprocess.run(
            [sys.executable, __file__, "--one", str(path), "--format", "csv"],
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(result.stdout.strip().splitlines()[-1])
    rows = figures["created"] + figures["rejected"]
    print(
        f"{rows:,} lignes ({size / 1e6:.1f} Mo) en {figures['seconds']:.1f} s : "
        f"{rows / figures['seconds']:,.0f} lignes/s ; {figures['created']:,} créées, "
        f"{figures['rejected']} rejetées {figures['first_rejections']} ; "
        f"mémoire max {figures['peak_mb']:.0f} Mo".replace(",", " ")
    )
    if not args.skip_raw and rows <= 100_000:
        raw = raw_insert_seconds(rows)
        print(
            f"SQL seul (INSERT … SELECT des mêmes lieux ; sans contrôle, historique, liens "
            f"ni comptes de carte) : {raw:.1f} s, {rows / raw:.0f} lignes/s ; "
            f"import / SQL = {figures['seconds'] / raw:.1f}×"
        )
        steps = raw_writes_seconds(rows)
        total = sum(steps.values())
        detail = " ; ".join(f"{name} {seconds:.2f} s" for name, seconds in steps.items())
        print(
            f"SQL seul de tout ce que l'import écrit : {total:.1f} s, {rows / total:,.0f} "
            f"lignes/s ({detail})".replace(",", " ")
        )


if __name__ == "__main__":
    main()
