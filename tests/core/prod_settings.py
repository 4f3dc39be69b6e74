"""config.settings.prod as a production process sees it, read in a child Python process.

The test process runs config.settings.test; importing the production module here would
read this process's environment and leave a second settings module half-loaded. A child
process with a chosen environment shows exactly what `make serve` or gunicorn would get.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NAMES = (
    "CACHES",
    "DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS",
    "MIDDLEWARE",
    "STORAGES",
    "DEBUG",
    "DATABASES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
)
# Production refuses to start without a shared cache: Redis unless a test says otherwise
# (CACHE_URL="" leaves it unset).
DEFAULT_CACHE_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
_SCRIPT = (
    "import json; from django.conf import settings; "
    f"print(json.dumps({{n: getattr(settings, n, None) for n in {NAMES!r}}}, default=str))"
)


def prod_environment(**env: str) -> dict[str, str]:
    """This process's environment as a production process would get it, with `env` on top."""
    # Not the test run's own: its settings module, and the async override the browser tests
    # set for Playwright (tests/browser/conftest.py), which production never has.
    dropped = {"CACHE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    base.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY="test-only",
        CACHE_URL=DEFAULT_CACHE_URL,
    )
    base.update(env)
    return {k: v for k, v in base.items() if v != "" or k != "CACHE_URL"}


@functools.cache
def _run(env_items: tuple[tuple[str, str], ...]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", _SCRIPT],
        cwd=ROOT,
        env=prod_environment(**dict(env_items)),
        capture_output=True,
        text=True,
        timeout=60,
    )


def prod_settings(**env: str) -> dict[str, Any]:
    """Some of config.settings.prod's values, under the environment variables given."""
    done = _run(tuple(sorted(env.items())))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def prod_settings_error(**env: str) -> str:
    """What stopped config.settings.prod from loading under `env` (fails if it loaded)."""
    done = _run(tuple(sorted(env.items())))
    assert done.returncode != 0, "the production settings loaded"
    return done.stderr
