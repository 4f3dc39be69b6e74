"""Latency of the nearest-places search (`places_near` with a competence filter).

    DATABASE_URL=... .venv/bin/python bench/bench_nearest.py --count 100000

Makes sure the database holds at least --count synthetic places (generating
them if not), then times `places_near` from query points drawn like the
population (fixed seed). On PostGIS it compares with the hand-written KNN SQL
and prints both plans; on SpatiaLite it compares with a full-scan sort and
checks that both give the same places.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# A bench, like a command, runs statements longer than a page may (config/settings/base.py).
os.environ.setdefault("DJANGO_PROCESS", "command")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.gis.db.models.functions import Distance  # noqa: E402
from django.contrib.gis.geos import Point  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from tqdm import tqdm  # noqa: E402

from directory.generators import (  # noqa: E402
    CommuneSampler,
    generate_places,
    synthetic_places_count,
)
from directory.models import Competence, Place  # noqa: E402
from directory.selectors import PlaceFilters, filter_places, places_near, published_places  # noqa: E402

RAW_KNN_SQL = (
    "SELECT id FROM directory_place p WHERE status = 'published' AND id IN "
    "(SELECT place_id FROM directory_place_competences WHERE competence_id = %s) "
    "ORDER BY location <-> ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography LIMIT %s"
)


def timed_ms(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def summary(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return (
        f"p50 {cuts[49]:7.2f} ms   p95 {cuts[94]:7.2f} ms   p99 {cuts[98]:7.2f} ms   "
        f"(n = {len(samples)})"
    )


def ensure_places(count: int, seed: int) -> None:
    present = synthetic_places_count()
    if present >= count:
        print(f"{present} lieux synthétiques déjà présents.")
        return
    print(f"{present} lieux synthétiques présents : génération de {count} (graine {seed})…")
    started = time.perf_counter()
    report = generate_places(
        count=count,
        seed=seed,
        delete_existing=True,
        progress=lambda items, label, total: tqdm(items, desc=label, total=total, leave=False),
    )
    print(f"{report.created} lieux créés en {time.perf_counter() - started:.1f} s.")


def query_points(n: int, seed: int) -> list[Point]:
    sampler = CommuneSampler(random.Random(seed))
    return [sampler.point_in(commune) for commune in sampler.choose(n)]


def print_plan(title: str, sql: str, params: list | tuple = (), lines: int = 14) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = [row[0] for row in cursor.fetchall()]
    print(f"\n{title} — EXPLAIN ({lines} premières lignes) :")
    for line in plan[:lines]:
        print(f"    {line}")
    spatial = any("Index Scan using" in line and "location" in line for line in plan)
    knn = any(line.strip().startswith("Order By:") and "<->" in line for line in plan)
    print(f"    → index spatial GiST utilisé : {'oui' if spatial else 'NON'} ; "
          f"parcouru dans l'ordre des distances (KNN) : {'oui' if knn else 'non'}")  # fmt: skip


def bench_postgis(points, queryset, competence: Competence, limit: int, orm_ms) -> None:
    def raw(point: Point) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(RAW_KNN_SQL, [competence.pk, point.x, point.y, limit])
            return [row[0] for row in cursor.fetchall()]

    for point in points[:10]:  # warm-up
        raw(point)
    mismatches = 0
    raw_ms = [timed_ms(lambda p=point: raw(p))[0] for point in points]
    for point in points[:20]:
        orm_ids = [p.pk for p in places_near(point, queryset=queryset, limit=limit)]
        mismatches += orm_ids != raw(point)
    print(f"SQL brut (KNN <->)   : {summary(raw_ms)}")
    ratio = statistics.median(orm_ms) / statistics.median(raw_ms)
    print(f"Rapport ORM / SQL brut (médianes) : {ratio:.1f}")
    print(f"Mêmes lieux que le SQL brut sur 20 points : {20 - mismatches}/20")

    point = points[0]
    print_plan("SQL brut", RAW_KNN_SQL, [competence.pk, point.x, point.y, limit])
    # The exact SQL that places_near ran (psycopg binds client-side, so it is literal).
    with CaptureQueriesContext(connection) as captured:
        places_near(point, queryset=queryset, limit=limit)
    print_plan("ORM (places_near)", captured.captured_queries[-1]["sql"])


def bench_spatialite(points, queryset, limit: int, orm_ms) -> None:
    def brute(point: Point) -> list[Place]:
        return list(
            queryset.annotate(distance=Distance("location", point)).order_by("distance", "pk")[
                :limit
            ]
        )

    brute_ms = [timed_ms(lambda p=point: brute(p))[0] for point in points[:5]]
    print(f"Tri complet (sans index), 5 points : médiane {statistics.median(brute_ms):.0f} ms")
    speedup = statistics.median(brute_ms) / statistics.median(orm_ms)
    print(f"Gain de l'index R*Tree (médianes) : × {speedup:.0f}")
    same = sum(
        [p.pk for p in places_near(point, queryset=queryset, limit=limit)]
        == [p.pk for p in brute(point)]
        for point in points[:20]
    )
    print(f"Mêmes lieux, dans le même ordre, que le tri complet sur 20 points : {same}/20")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="lieux synthétiques voulus")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--competence", default="apprentissage-francais")
    parser.add_argument("--seed", type=int, default=2026, help="graine des points de requête")
    parser.add_argument("--generate-seed", type=int, default=1)
    args = parser.parse_args()
    # Query logging (DEBUG) would add its own cost to every ORM query.
    settings.DEBUG = False

    backend = "PostGIS" if connection.vendor == "postgresql" else "SpatiaLite"
    print(f"Base : {backend} ({connection.settings_dict['NAME']})")
    ensure_places(args.count, args.generate_seed)
    competence = Competence.objects.get(slug=args.competence)
    queryset = filter_places(published_places(), PlaceFilters(competences=[competence.slug]))
    print(
        f"{Place.objects.count()} lieux dont {queryset.count()} publiés avec la compétence "
        f"« {competence.slug} » ; {args.queries} points de requête, {args.limit} plus proches.\n"
    )
    points = query_points(args.queries, args.seed)
    for point in points[:10]:  # warm-up: caches, connection, prepared GEOS objects
        places_near(point, queryset=queryset, limit=args.limit)
    orm_ms = [
        timed_ms(lambda p=point: places_near(p, queryset=queryset, limit=args.limit))[0]
        for point in points
    ]
    print(f"ORM (places_near)    : {summary(orm_ms)}")
    if connection.vendor == "postgresql":
        bench_postgis(points, queryset, competence, args.limit, orm_ms)
    else:
        bench_spatialite(points, queryset, args.limit, orm_ms)


if __name__ == "__main__":
    main()
