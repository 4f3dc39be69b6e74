"""Importing places: rows per second and peak memory of `import_places` on a CSV.

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/reperes_scale \\
        .venv/bin/python bench/bench_imports.py --rows 20000

Writes a CSV of `--rows` published places taken from the database (the export's own
writer, ids renamed so that every row is a new place of a fresh source), then imports it
in a fresh Python process: a dry run, which writes everything (places, history, links,
cluster counts) and rolls it back, so the database is left as it was. Prints rows/s, the
outcome counts and the peak RSS of the importing process.
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

import django  # noqa: E402

django.setup()

from directory.exports import export_places  # noqa: E402
from directory.exports.csv_geojson import iter_csv  # noqa: E402
from directory.models import Place  # noqa: E402


def write_csv(path: Path, rows: int) -> None:
    ids = list(
        Place.objects.filter(status="published").order_by("pk").values_list("pk", flat=True)[:rows]
    )
    with path.open("w", encoding="utf-8", newline="") as out:
        for n, line in enumerate(
            iter_csv(export_places(Place.objects.filter(pk__in=ids)), "https://x")
        ):
            if n:  # a new id and slug in a new source: every row creates a place
                head, sep, rest = line.partition(",")
                line = f"bench-{head}{sep}bench-{rest}"
            out.write(line)


def import_one(path: str, file_format: str) -> None:
    """In the child process: the import, its figures as JSON on stdout."""
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


if __name__ == "__main__":
    main()
