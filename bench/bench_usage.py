"""Request latency with and without usage counting (core/usage/), in-process.

    DATABASE_URL=spatialite:////tmp/bench_usage.sqlite3 .venv/bin/python manage.py migrate -v0
    DATABASE_URL=spatialite:////tmp/bench_usage.sqlite3 .venv/bin/python bench/bench_usage.py
    DATABASE_URL=postgis://postgres@127.0.0.1:5432/reperes_bench .venv/bin/python bench/bench_usage.py

Requests go to Django's WSGI application as a WSGI server sends them (every middleware, the
view, the template or serializer; no socket): a browser's user agent, an address drawn from
500 (so new visitor rows keep being inserted, as on a real day), a Referer from another site
for one request in three. Two times per request: until the body is complete (what the client
waits for) and until the server has closed the response (when the counts are written: what
the worker spends). For each URL the two variants alternate request by request (counting on,
counting off with USAGE_COUNTING), after a warm-up, so that load on the machine weighs on both
alike. The write alone, `recording.record` with a page's usual counts and a visitor, is timed
too. The counters written by the bench stay in the database.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from wsgiref.util import setup_testing_defaults

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ["API_ANON_RATE"] = "1000000/min"

import django  # noqa: E402

django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402

from core.usage import recording  # noqa: E402
from core.usage.models import UsageCounter  # noqa: E402

AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
URLS = ("/pratiques/", "/api/v1/regions/")


def percentile(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def timed_get(app, url: str, rng: random.Random) -> tuple[float, float]:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": url,
        "QUERY_STRING": "",
        "HTTP_HOST": "localhost",
        "HTTP_USER_AGENT": AGENT,
        "REMOTE_ADDR": f"198.51.{rng.randrange(2)}.{rng.randrange(250)}",
    }
    if rng.random() < 1 / 3:
        environ["HTTP_REFERER"] = "https://www.example.org/"
    setup_testing_defaults(environ)
    status = []
    started = time.perf_counter()
    result = app(environ, lambda s, headers, exc_info=None: status.append(s))
    b"".join(result)
    sent = time.perf_counter()
    result.close()
    closed = time.perf_counter()
    if not status[0].startswith("200"):
        raise SystemExit(f"{url} answered {status[0]}")
    return (sent - started) * 1000, (closed - started) * 1000


def bench_url(url: str, requests: int, warmup: int, seed: int):
    rng = random.Random(seed)
    app = get_wsgi_application()
    samples = {(counting, part): [] for counting in (True, False) for part in (0, 1)}
    for i in range(warmup + requests):
        order = (True, False) if i % 2 else (False, True)
        for counting in order:
            with override_settings(USAGE_COUNTING=counting):
                times = timed_get(app, url, rng)
            if i >= warmup:
                for part in (0, 1):
                    samples[counting, part].append(times[part])
    return samples


def bench_record(requests: int) -> list[float]:
    day = date.today()
    counts = {("pageviews", ""): 1, ("section", "fiche"): 1, ("read:sheet", "1"): 1}
    samples = []
    for i in range(requests):
        started = time.perf_counter()
        recording.record(counts, day=day, visitor=f"bench-{i % 500}")
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    backend = "PostGIS" if connection.vendor == "postgresql" else "SpatiaLite"
    before = UsageCounter.objects.count()
    print(f"{backend}, {args.requests} requests per variant (after {args.warmup} warm-up)\n")
    print("| database | request | counting | measured until | p50 | p99 | mean |")
    print("|---|---|---|---|---|---|---|")
    for url in URLS:
        samples = bench_url(url, args.requests, args.warmup, args.seed)
        for part, until in ((0, "body sent"), (1, "response closed")):
            for counting in (False, True):
                s = samples[counting, part]
                print(
                    f"| {backend} | GET {url} | {'on' if counting else 'off'} | {until} "
                    f"| {percentile(s, 50):.2f} ms | {percentile(s, 99):.2f} ms "
                    f"| {statistics.fmean(s):.2f} ms |"
                )
    s = bench_record(args.requests)
    print(
        f"| {backend} | `record()` alone (upsert + visitor) | – | – | {percentile(s, 50):.3f} ms "
        f"| {percentile(s, 99):.3f} ms | {statistics.fmean(s):.3f} ms |"
    )
    print(f"\nCounter rows: {before} before, {UsageCounter.objects.count()} after.")


if __name__ == "__main__":
    main()
