"""Place vector tiles: bytes and milliseconds of the densest tile at each zoom, per filter.

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/reperes_bench \\
        .venv/bin/python bench/bench_tiles.py [--rebuild] [--repeat 5]

Needs the synthetic places (`manage.py generate_places --count 100000`) and the cluster
tables built for them: `generate_places` bulk-creates without signals, so run
`manage.py rebuild_place_clusters` after it (or pass --rebuild here).

For each zoom the densest tile (most published places, from the cells of PlaceCell)
is asked through the whole Django stack (view, filters, cache cleared before each
cold request), with no filter, one competence (counted in advance up to z11), one
kind and two competences (grouped on request). Prints p50 of cold requests, the
cached request, and the body size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# A bench, like a command, runs statements longer than a page may (config/settings/base.py).
os.environ.setdefault("DJANGO_PROCESS", "command")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from directory.models import PlaceCell, Status  # noqa: E402
from directory.tiles import grid  # noqa: E402

ZOOMS = (5, 8, 11, 12, 13, 14)
VARIANTS = [
    ("tous", ""),
    ("1 compétence", "competence=apprentissage-francais"),
    ("1 type", "kind=maison-des-langues"),
    ("2 compétences", "competence=sejour,asile"),
]


def densest_tile(z: int) -> tuple[int, int, int, int]:
    shift = 2 * (grid.FINEST_LEVEL - z)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.cell >> {shift} AS t, COUNT(*) FROM {PlaceCell._meta.db_table} c "
            "JOIN directory_place p ON p.id = c.place_id WHERE p.status = %s "
            "GROUP BY t ORDER BY 2 DESC LIMIT 1",
            [Status.PUBLISHED],
        )
        code, count = cursor.fetchone()
    x, y = grid.unmorton(code)
    return z, x, y, count


def ms(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true", help="rebuild_place_clusters first")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.rebuild:
        call_command("rebuild_place_clusters")
    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/tiles/places/0/0/0.pbf")  # imports, connection, first plans: not measured
    print(
        f"{'tuile':<24} {'filtre':<14} {'lieux':>7} {'octets':>9} {'froid p50':>10} {'en cache':>9}"
    )
    for z in ZOOMS:
        z, x, y, count = densest_tile(z)
        for label, query in VARIANTS:
            url = f"/tiles/places/{z}/{x}/{y}.pbf" + (f"?{query}" if query else "")
            cold = []
            for _ in range(args.repeat):
                cache.clear()
                elapsed, response = ms(lambda url=url: client.get(url))
                assert response.status_code in (200, 204), response.content[:200]
                cold.append(elapsed)
            warm = [ms(lambda url=url: client.get(url))[0] for _ in range(10)]
            print(
                f"{z}/{x}/{y:<17} {label:<14} {count:>7} {len(response.content):>9} "
                f"{statistics.median(cold):>8.1f}ms {statistics.median(warm):>7.1f}ms"
            )


if __name__ == "__main__":
    main()
