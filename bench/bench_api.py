"""Latency of `GET /api/v1/places/?near=…&competence=…`, in-process, against raw KNN SQL.

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/reperes_bench \\
        .venv/bin/python bench/bench_api.py --count 100000

Needs at least --count synthetic places (see bench_nearest.py or
`manage.py generate_places`; the script generates them if they are missing).
Requests go through `django.test.Client` (the whole Django and DRF stack, no
socket) from query points drawn like the population with a fixed seed. On
PostGIS the same points are also timed with the hand-written KNN query
(`ORDER BY location <-> point LIMIT n`), and the ratio of the medians printed.
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
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# A bench, like a command, runs statements longer than a page may (config/settings/base.py).
os.environ.setdefault("DJANGO_PROCESS", "command")
# One client sends every request: the anonymous throttle must not answer 429.
os.environ["API_ANON_RATE"] = "1000000/min"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.gis.geos import Point  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from tqdm import tqdm  # noqa: E402

from directory.generators import CommuneSampler, generate_places, synthetic_places_count  # noqa: E402
from directory.models import Competence  # noqa: E402
from directory.selectors import (  # noqa: E402
    PlaceFilters,
    count_near,
    filter_places,
    places_near,
    published_places,
    search_places,
)

RAW_KNN_SQL = (
    "SELECT id FROM directory_place p WHERE status = 'published' AND id IN "
    "(SELECT place_id FROM directory_place_competences WHERE competence_id = %s) "
    "ORDER BY location <-> ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography LIMIT %s"
)


def timed_ms(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def percentile(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def summary(samples: list[float]) -> str:
    return (
        f"p50 {percentile(samples, 50):7.2f} ms   p95 {percentile(samples, 95):7.2f} ms   "
        f"p99 {percentile(samples, 99):7.2f} ms   (n = {len(samples)})"
    )


def ensure_places(count: int, seed: int) -> None:
    present = synthetic_places_count()
    if present >= count:
        print(f"{present} lieux synthétiques déjà présents.")
        return
    print(f"{present} lieux synthétiques présents : génération de {count} (graine {seed})…")
    report = generate_places(
        count=count,
        seed=seed,
        delete_existing=True,
        progress=lambda items, label, total: tqdm(items, desc=label, total=total, leave=False),
    )
    print(f"{report.created} lieux créés.")


def query_points(n: int, seed: int) -> list[Point]:
    sampler = CommuneSampler(random.Random(seed))
    return [sampler.point_in(commune) for commune in sampler.choose(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="lieux synthétiques voulus")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--page-size", type=int, default=20)
    parser.add_argument("--radius", type=float, default=10.0, help="km (défaut de l'API : 10)")
    parser.add_argument("--competence", default="apprentissage-francais")
    parser.add_argument("--seed", type=int, default=2026, help="graine des points de requête")
    parser.add_argument("--generate-seed", type=int, default=1)
    args = parser.parse_args()
    settings.DEBUG = False  # query logging would add its own cost

    backend = "PostGIS" if connection.vendor == "postgresql" else "SpatiaLite"
    print(f"Base : {backend} ({connection.settings_dict['NAME']})")
    ensure_places(args.count, args.generate_seed)
    competence = Competence.objects.get(slug=args.competence)
    points = query_points(args.queries, args.seed)
    client = Client(HTTP_HOST="localhost")
    radius_m = args.radius * 1000

    def url(point: Point) -> str:
        query = {
            "near": f"{point.x},{point.y}",
            "competence": competence.slug,
            "radius": args.radius,
            "page_size": args.page_size,
        }
        return f"/api/v1/places/?{urlencode(query)}"

    def get(point: Point):
        response = client.get(url(point))
        if response.status_code != 200:
            raise SystemExit(f"{url(point)} → {response.status_code} {response.content[:300]!r}")
        return response

    print(
        f"{args.queries} points de requête (graine {args.seed}), compétence « {competence.slug} », "
        f"rayon {args.radius:g} km, {args.page_size} lieux par page.\n"
    )
    queryset = filter_places(published_places(), PlaceFilters(competences=[competence.slug]))
    postgis = connection.vendor == "postgresql"

    def raw(point: Point) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(RAW_KNN_SQL, [competence.pk, point.x, point.y, args.page_size])
            return [row[0] for row in cursor.fetchall()]

    # Each point is timed through every path in turn, after one untimed query has
    # brought its area into PostgreSQL's cache: the paths share the same load.
    paths: dict[str, Callable[[Point], object]] = {
        "api": get,
        # the two queries the endpoint runs, alone (count only when a page is full)
        "places_near": lambda p: places_near(
            p, queryset=queryset, radius_m=radius_m, limit=args.page_size
        ),
        "count_near": lambda p: count_near(p, queryset=queryset, radius_m=radius_m),
        # the selector the endpoint, the search page and the embed share
        "search_places": lambda p: search_places(
            PlaceFilters(competences=[competence.slug]),
            origin=p,
            radius_km=args.radius,
            page_size=args.page_size,
        ),
    }
    if postgis:
        paths["raw"] = raw
    for point in points[:10]:  # warm-up: connection, imports, caches
        for fn in paths.values():
            fn(point)
    times: dict[str, list[float]] = {name: [] for name in paths}
    bodies = []
    for i, point in enumerate(tqdm(points, leave=False, disable=not sys.stderr.isatty())):
        paths["places_near"](point)  # untimed: the area's pages into the cache
        names = list(paths)
        for name in names[i % len(names) :] + names[: i % len(names)]:
            elapsed, result = timed_ms(lambda fn=paths[name], p=point: fn(p))
            times[name].append(elapsed)
            if name == "api":
                bodies.append((point, result.json()))

    print(f"GET /api/v1/places/  : {summary(times['api'])}")
    sizes = [len(body["features"]) for _, body in bodies]
    print(
        f"    lieux par réponse : médiane {statistics.median(sizes):.0f}, "
        f"{sum(s == args.page_size for s in sizes)}/{len(sizes)} pages pleines"
    )
    print(f"  places_near seul   : {summary(times['places_near'])}")
    print(f"  count_near seul    : {summary(times['count_near'])}")
    print(f"  search_places      : {summary(times['search_places'])}")
    if not postgis:
        print("\nSQL brut KNN : PostGIS seulement.")
        return
    print(f"SQL brut (KNN <->)   : {summary(times['raw'])}")
    ratio = statistics.median(times["api"]) / statistics.median(times["raw"])
    print(f"\nRapport API / SQL brut (médianes) : {ratio:.1f}")

    # Same places, in the same order, as far as the radius lets the API go.
    same = 0
    for point, body in bodies[:20]:
        ids = [f["id"] for f in body["features"]]
        same += ids == raw(point)[: len(ids)]
    print(f"Mêmes lieux, dans le même ordre, que le SQL brut sur 20 points : {same}/20")


if __name__ == "__main__":
    main()
