"""The scale bench: N synthetic places on PostGIS, then the figures of issue 9 in one table.

    make bench-scale                      # 1,000,000 places in the database reperes_scale
    make bench-scale BENCH_COUNT=100000   # quicker

or directly, on a database that has PostGIS, the geography and the migrations:

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/reperes_scale \\
        .venv/bin/python bench/bench_scale.py --count 1000000

What it does, in one run, side by side with raw SQL written here:
- makes sure N synthetic places exist (`generate_places`, seeded) and that 0.1 % of
  them offer a rare competence (`bench-rare`), then rebuilds the map clusters if the
  project has a command for it;
- nearest-20 API (`/api/v1/places/?near=…&competence=…&radius=…`, whole Django/DRF stack
  in-process) at 1, 10 and 200 km, common and rare competence, against the better of two
  raw queries: the KNN walk + filter, and the filter's places sorted by distance; and
  the API's own statements for each point (captured, then replayed alone): the database's
  share of a request, its floor before any Python;
- vector tiles at z5 (France), z8 (a région), z12 (a city): bytes and ms, cold and cached;
- a région page;
- over HTTP: gunicorn (production settings) against a bare WSGI app (psycopg, the raw
  KNN query, JSON out: bench/bare_wsgi.py) served the same way, at concurrency 1, 16, 64,
  with the CPU time each request costs the application's processes and PostgreSQL's.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# A bench, like a command, runs statements longer than a page may (config/settings/base.py).
os.environ.setdefault("DJANGO_PROCESS", "command")
# One client sends everything: budgets it never reaches. Per second, not per minute: DRF's
# throttle keeps the times of the window's requests (a list read and written at each
# request), ~100 at most in production (API_ANON_RATE=120/min), thousands over a minute here.
os.environ["API_ANON_RATE"] = "1000000000/s"
os.environ["API_GEOCODE_RATE"] = "1000000000/s"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.gis.geos import Point  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from tqdm import tqdm  # noqa: E402

from directory.generators import CommuneSampler, generate_places, synthetic_places_count  # noqa: E402
from directory.models import Competence, Place  # noqa: E402
from geodata.models import Region  # noqa: E402

COMMON = "apprentissage-francais"
RARE = "bench-rare"
RAW_KNN = (
    "SELECT id, ST_Distance(location, pt) FROM directory_place, "
    "(SELECT ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography AS pt) AS origin "
    "WHERE status = 'published' AND id IN "
    "(SELECT place_id FROM directory_place_competences WHERE competence_id = %s) "
    "ORDER BY location <-> pt LIMIT %s"
)
# The same places sorted by their distance: no index walk, the filter's rows first. For a
# rare competence the planner may pick either plan for RAW_KNN (2 ms or 90 ms at 1M
# places, from one ANALYZE to the next): the raw reference is the better of the two.
RAW_SORTED = RAW_KNN.replace("ORDER BY location <-> pt", "ORDER BY ST_Distance(location, pt), id")
RAW_TILE = (
    "WITH bounds AS (SELECT ST_TileEnvelope(%s, %s, %s) AS geom) "
    "SELECT ST_AsMVT(t, 'places') FROM (SELECT id, name, "
    "ST_AsMVTGeom(ST_Transform(location::geometry, 3857), bounds.geom) AS geom "
    "FROM directory_place, bounds WHERE status = 'published' "
    "AND ST_Transform(location::geometry, 3857) && bounds.geom) AS t"
)
TILES = [
    ("z5 France", 5, 2.35, 46.6),
    ("z8 région", 8, 4.85, 45.76),
    ("z12 ville", 12, 4.84, 45.76),
]


def ms(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def pct(samples: list[float], p: int) -> float:
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def tile_xy(z: int, lon: float, lat: float) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


# --- Set-up ---------------------------------------------------------------------------


def ensure_places(count: int, seed: int) -> None:
    present = synthetic_places_count()
    if present >= count:
        print(f"{present:,} lieux synthétiques présents.".replace(",", " "))
        return
    print(f"{present} lieux synthétiques : génération de {count:,} (graine {seed})…")
    started = time.monotonic()
    report = generate_places(
        count=count,
        seed=seed,
        delete_existing=True,
        progress=lambda items, label, total: tqdm(items, desc=label, total=total, leave=False),
    )
    print(f"{report.created:,} lieux créés en {time.monotonic() - started:.0f} s.")


def ensure_rare_competence() -> Competence:
    """A competence held by 0.1 % of the places (every thousandth id)."""
    rare, _created = Competence.objects.get_or_create(
        slug=RARE, defaults={"name": "Compétence rare (bench)", "name_en": "Rare (bench)"}
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO directory_place_competences (place_id, competence_id) "
            "SELECT id, %s FROM directory_place WHERE id %% 1000 = 0 "
            "ON CONFLICT DO NOTHING",
            [rare.pk],
        )
        cursor.execute("ANALYZE directory_place_competences")
    return rare


def rebuild_clusters() -> None:
    commands = [name for name in get_commands() if "cluster" in name]
    for name in commands:
        started = time.monotonic()
        call_command(name, verbosity=0)
        print(f"{name} : {time.monotonic() - started:.1f} s")


# --- In-process measures -----------------------------------------------------------------


def bench_nearest(client: Client, points: list[Point], rows: list) -> None:
    for slug in (COMMON, RARE):
        competence = Competence.objects.get(slug=slug)
        for radius in (1, 10, 200):

            def api(p: Point, radius=radius, slug=slug):
                query = urlencode(
                    {"near": f"{p.x},{p.y}", "competence": slug, "radius": radius, "page_size": 20}
                )
                response = client.get(f"/api/v1/places/?{query}")
                assert response.status_code == 200, response.content[:300]
                return response

            def raw(p: Point, competence=competence, radius=radius, sql=RAW_KNN):
                with connection.cursor() as cursor:
                    cursor.execute(sql, [p.x, p.y, competence.pk, 20])
                    return [r for r in cursor.fetchall() if r[1] <= radius * 1000]

            def raw_sorted(p: Point, competence=competence, radius=radius):
                return raw(p, competence, radius, RAW_SORTED)

            # The API's own statements, as it sent them for this point (captured once),
            # replayed alone: what the database does for a page and its total.
            statements: dict[tuple[float, float], list[str]] = {}
            for p in points:
                with CaptureQueriesContext(connection) as sent:
                    api(p)
                statements[p.x, p.y] = [q["sql"] for q in sent.captured_queries]

            def api_sql(p: Point, statements=statements):
                with connection.cursor() as cursor:
                    for sql in statements[p.x, p.y]:
                        cursor.execute(sql)
                        cursor.fetchall()

            timings: dict[str, list[float]] = {"api": [], "knn": [], "sorted": [], "sql": []}
            for i, p in enumerate(points):
                pairs = [("api", api), ("knn", raw), ("sorted", raw_sorted), ("sql", api_sql)]
                for name, fn in pairs if i % 2 else pairs[::-1]:
                    elapsed, _result = ms(lambda fn=fn, p=p: fn(p))
                    timings[name].append(elapsed)
            api_ms = timings["api"]
            best = min(("knn", "sorted"), key=lambda name: statistics.median(timings[name]))
            raw_ms = timings[best]
            share = "rare" if slug == RARE else "courante"
            rows.append(
                (
                    f"proches-20 {radius} km, compétence {share}",
                    f"{pct(api_ms, 50):.1f}",
                    f"{pct(api_ms, 99):.1f}",
                    f"{pct(raw_ms, 50):.1f}",
                    f"{statistics.median(api_ms) / statistics.median(raw_ms):.1f}×",
                    f"brut : KNN {statistics.median(timings['knn']):.1f}, "
                    f"trié {statistics.median(timings['sorted']):.1f} ms ; "
                    f"SQL de l'API seul {statistics.median(timings['sql']):.1f} ms "
                    f"({statistics.median(timings['sql']) / statistics.median(raw_ms):.1f}×, "
                    f"{sum(map(len, statements.values())) / len(statements):.1f} requêtes)",
                )
            )


def bench_floor(points: list[Point], rows: list) -> None:
    """The raw query of the bare app, served by Django in-process (bench/django_floor.py):
    what any API costs at least, against the raw query alone."""
    from bench import django_floor  # noqa: F401  (its URLs: /plancher/ before the project's)

    competence = Competence.objects.get(slug=COMMON)
    client = Client(HTTP_HOST="localhost")
    floor_ms, raw_ms = [], []
    for i, p in enumerate(points):
        query = urlencode({"near": f"{p.x},{p.y}", "competence": competence.pk, "limit": 20})

        def served(query=query):
            response = client.get(f"/plancher/?{query}")
            assert response.status_code == 200, response.content[:300]

        def raw(p=p):
            with connection.cursor() as cursor:
                cursor.execute(RAW_KNN, [p.x, p.y, competence.pk, 20])
                cursor.fetchall()

        if i < 5:
            served(), raw()
        for name, fn in (
            (("floor", served), ("raw", raw)) if i % 2 else (("raw", raw), ("floor", served))
        ):
            elapsed, _r = ms(fn)
            (floor_ms if name == "floor" else raw_ms).append(elapsed)
    rows.append(
        (
            "plancher : SQL brut servi par Django (en processus)",
            f"{pct(floor_ms, 50):.1f}",
            f"{pct(floor_ms, 99):.1f}",
            f"{pct(raw_ms, 50):.1f}",
            f"{statistics.median(floor_ms) / statistics.median(raw_ms):.1f}×",
            "la requête KNN brute et son JSON derrière tous les middlewares",
        )
    )


def bench_tiles(client: Client, rows: list) -> None:
    for label, z, lon, lat in TILES:
        x, y = tile_xy(z, lon, lat)
        url = f"/tiles/places/{z}/{x}/{y}.pbf"
        if client.get(url).status_code == 404:
            rows.append((f"tuile {label}", "—", "—", "—", "—", "pas de point d'entrée /tiles/"))
            continue
        cold, warm, size = [], [], 0
        for _ in range(5):
            cache.clear()
            elapsed, response = ms(lambda url=url: client.get(url))
            cold.append(elapsed)
            size = (
                len(b"".join(response.streaming_content))
                if response.streaming
                else len(response.content)
            )
        for _ in range(30):
            warm.append(ms(lambda url=url: client.get(url))[0])
        raw_ms = []
        for _ in range(3):
            with connection.cursor() as cursor:
                elapsed, _r = ms(
                    lambda c=cursor, t=(z, x, y): c.execute(RAW_TILE, list(t)) or c.fetchone()
                )
            raw_ms.append(elapsed)
        with connection.cursor() as cursor:
            cursor.execute(RAW_TILE, [z, x, y])
            raw_bytes = len(bytes(cursor.fetchone()[0] or b""))
        rows.append(
            (
                f"tuile {label} ({size / 1024:.0f} Ko)",
                f"{pct(cold, 50):.1f}",
                f"{pct(warm, 50):.2f}",
                f"{pct(raw_ms, 50):.1f}",
                f"{statistics.median(cold) / statistics.median(raw_ms):.2f}×",
                f"froid / en cache ; brut = tous les points ({raw_bytes / 1024:.0f} Ko)",
            )
        )


def bench_region_page(client: Client, rows: list) -> None:
    region = Region.objects.get(code="84")
    url = region.get_absolute_url()
    client.get(url)
    times = [ms(lambda: client.get(url))[0] for _ in range(15)]
    rows.append(
        (
            "page région (Auvergne-Rhône-Alpes)",
            f"{pct(times, 50):.1f}",
            f"{pct(times, 99):.1f}",
            "",
            "",
            "",
        )
    )


# --- Over HTTP ----------------------------------------------------------------------------


async def _one(port: int, path: str) -> tuple[bool, float]:
    started = time.perf_counter()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        await writer.drain()
        data = await reader.read()
        writer.close()
        ok = data.startswith(b"HTTP/1.1 200") or data.startswith(b"HTTP/1.0 200")
    except OSError:
        ok = False
    return ok, (time.perf_counter() - started) * 1000


async def _load(port: int, paths: list[str], concurrency: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    counter = 0

    async def worker() -> None:
        nonlocal errors, counter
        while time.perf_counter() < deadline:
            counter += 1
            ok, elapsed = await _one(port, paths[counter % len(paths)])
            latencies.append(elapsed)
            errors += not ok

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - started
    return {
        "rps": len(latencies) / wall,
        "p50": pct(latencies, 50),
        "p99": pct(latencies, 99),
        "errors": errors,
        "n": len(latencies),
    }


def _cpu_seconds(port: int) -> tuple[float, float]:
    """CPU time used so far by the gunicorn serving `port` (master and workers) and by
    PostgreSQL (every server process), read from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    app = database = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as file:
                command = file.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{entry.name}/stat") as file:
                fields = file.read().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        used = int(fields[11]) + int(fields[12])  # utime, stime
        if "gunicorn" in command and f"127.0.0.1:{port}" in command:
            app += used
        elif command.startswith("postgres"):
            database += used
    return app / tick, database / tick


def _serve(app: str, port: int, env: dict) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    if gunicorn is None:
        raise SystemExit("gunicorn absent : pip install gunicorn (make setup).")
    config = ROOT / "deploy" / "gunicorn.conf.py"
    # Workers kept for the whole run (production replaces each after ~1,000 requests): the
    # CPU each request costs is read from the live processes (_cpu_seconds).
    command = [gunicorn, app, "--bind", f"127.0.0.1:{port}", "--max-requests", "0"]
    if config.exists():
        command[1:1] = ["-c", str(config)]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            time.sleep(0.5)
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"{app} n'a pas démarré : {process.stderr.read()[-2000:]!r}")


def bench_http(points: list[Point], seconds: float, rows: list) -> None:
    competence = Competence.objects.get(slug=COMMON)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "x" * 50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP to the workers
        "DJANGO_PROCESS": "web",  # the web's statement timeout, as production serves
        "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/1"),  # prod requires one
        "DATABASE_URL": os.environ["DATABASE_URL"],
    }
    api_paths = [
        "/api/v1/places/?"
        + urlencode({"near": f"{p.x},{p.y}", "competence": COMMON, "radius": 10, "page_size": 20})
        for p in points
    ]
    bare_paths = [
        "/?" + urlencode({"near": f"{p.x},{p.y}", "competence": competence.pk, "limit": 20})
        for p in points
    ]
    floor_paths = [path.replace("/?", "/plancher/?", 1) for path in bare_paths]
    results = {}
    for name, app, port, paths in (
        ("Repères", "config.wsgi:application", 8765, api_paths),
        ("WSGI nu", "bench.bare_wsgi:app", 8766, bare_paths),
        # The framework's floor: the bare app's query and JSON, served by Django.
        ("Django, middlewares", "bench.django_floor:floor_app", 8767, floor_paths),
        ("Django, aucun middleware", "bench.django_floor:bare_django_app", 8768, floor_paths),
    ):
        process = _serve(app, port, env)
        try:
            asyncio.run(_load(port, paths, 4, 2))  # warm-up
            for concurrency in (1, 16, 64):
                before = _cpu_seconds(port)
                results[name, concurrency] = asyncio.run(_load(port, paths, concurrency, seconds))
                used = [b - a for a, b in zip(before, _cpu_seconds(port), strict=True)]
                results[name, concurrency]["cpu"] = [
                    1000 * value / results[name, concurrency]["n"] for value in used
                ]
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    for concurrency in (1, 16, 64):
        ours, bare = results["Repères", concurrency], results["WSGI nu", concurrency]
        rows.append(
            (
                f"HTTP proches-20 10 km, concurrence {concurrency}",
                f"{ours['p50']:.0f}",
                f"{ours['p99']:.0f}",
                f"{bare['p50']:.0f}",
                f"{100 * ours['rps'] / bare['rps']:.0f} %",
                f"{ours['rps']:.1f} req/s ({ours['errors']} erreurs) ; nu : {bare['rps']:.1f} "
                f"req/s ({bare['errors']} erreurs) ; CPU par requête : application "
                f"{ours['cpu'][0]:.1f} ms, PostgreSQL {ours['cpu'][1]:.1f} ms (nu : "
                f"{bare['cpu'][0]:.1f} et {bare['cpu'][1]:.1f} ms)",
            )
        )
    for name in ("Django, middlewares", "Django, aucun middleware"):
        for concurrency in (1, 16, 64):
            floor, bare = results[name, concurrency], results["WSGI nu", concurrency]
            rows.append(
                (
                    f"HTTP plancher ({name}), concurrence {concurrency}",
                    f"{floor['p50']:.0f}",
                    f"{floor['p99']:.0f}",
                    f"{bare['p50']:.0f}",
                    f"{100 * floor['rps'] / bare['rps']:.0f} %",
                    f"{floor['rps']:.1f} req/s ({floor['errors']} erreurs) : la requête brute "
                    "servie par Django",
                )
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=100, help="points de requête par mesure")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--generate-seed", type=int, default=1)
    parser.add_argument("--http-seconds", type=float, default=10.0)
    parser.add_argument("--skip-http", action="store_true")
    args = parser.parse_args()
    settings.DEBUG = False
    if connection.vendor != "postgresql":
        raise SystemExit("Ce banc compare à du SQL PostGIS brut : DATABASE_URL=postgis://…")
    print(f"Base : {connection.settings_dict['NAME']}, {os.cpu_count()} cœurs")
    ensure_places(args.count, args.generate_seed)
    ensure_rare_competence()
    rebuild_clusters()
    total = Place.objects.count()
    sampler = CommuneSampler(random.Random(args.seed))
    points = [sampler.point_in(c) for c in sampler.choose(args.queries)]
    client = Client(HTTP_HOST="localhost")
    rows: list = []
    bench_nearest(client, points, rows)
    bench_floor(points, rows)
    bench_tiles(client, rows)
    bench_region_page(client, rows)
    if not args.skip_http:
        bench_http(points, args.http_seconds, rows)

    print(
        f"\n{total:,} lieux, {args.queries} points de requête (graine {args.seed})\n".replace(
            ",", " "
        )
    )
    header = ("mesure", "p50 ms", "p99 ms", "brut p50 ms", "rapport", "note")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print(" | ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
