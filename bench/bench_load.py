"""Load over HTTP as production serves it: errors, throughput and p99 at 64 clients.

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/reperes_scale \\
        .venv/bin/python bench/bench_load.py [--seconds 20] [--concurrency 64]

Starts gunicorn with the production settings (deploy/gunicorn.conf.py, the shared Redis cache
that production requires: CACHE_URL, by default the local Redis that `make test` starts, and
the web's statement timeout), then sends, from a small asyncio client written here, `--seconds`
of requests from `--concurrency` clients at once to each of: the nearest-places API (random
points in French communes, a 10 km radius, a common competence) and the search page
(/annuaire/ with the same points). Prints requests/s, p50, p99 and the errors (any answer
but a 200, or a broken connection). Throttles are lifted for the run (API_ANON_RATE), as a
load test from one address would otherwise measure the 429s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# A bench, like a command, runs statements longer than a page may (config/settings/base.py).
os.environ.setdefault("DJANGO_PROCESS", "command")

import django  # noqa: E402

django.setup()

from bench.bench_scale import _load, _serve  # noqa: E402
from directory.generators import CommuneSampler  # noqa: E402
from directory.models import Competence, Place  # noqa: E402

PORT = 8767


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    competence = Competence.objects.order_by("position", "pk").first()
    sampler = CommuneSampler(random.Random(args.seed))
    points = [sampler.point_in(c) for c in sampler.choose(args.points)]
    near = [f"{p.x:.5f},{p.y:.5f}" for p in points]
    paths = {
        "API proches-20, 10 km": [
            "/api/v1/places/?"
            + urlencode({"near": n, "radius": 10, "competence": competence.slug, "page_size": 20})
            for n in near
        ],
        "Page de recherche /annuaire/": [
            "/annuaire/?"
            + urlencode(
                {
                    "lon": f"{p.x:.5f}",
                    "lat": f"{p.y:.5f}",
                    "radius": 10,
                    "competence": competence.slug,
                }
            )
            for p in points
        ],
    }
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_PROCESS": "web",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "x" * 50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/1"),
        "API_ANON_RATE": "1000000/min",
        "DATABASE_URL": os.environ["DATABASE_URL"],
    }
    places = f"{Place.objects.count():,}".replace(",", " ")
    print(
        f"{places} lieux ; gunicorn (réglages de production, cache Redis) ; "
        f"{args.concurrency} clients, {args.seconds:.0f} s par mesure ; {os.cpu_count()} cœurs"
    )
    # Pages name their static files through the manifest collectstatic writes (as `make serve`).
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, check=True
    )
    process = _serve("config.wsgi:application", PORT, env)
    try:
        for name, urls in paths.items():
            asyncio.run(_load(PORT, urls, 4, 2))  # warm-up
            result = asyncio.run(_load(PORT, urls, args.concurrency, args.seconds))
            print(
                f"{name} : {result['rps']:.1f} req/s, p50 {result['p50']:.0f} ms, "
                f"p99 {result['p99']:.0f} ms, {result['errors']} erreur(s) sur {result['n']}"
            )
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
