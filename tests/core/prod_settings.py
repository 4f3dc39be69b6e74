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
NAMES = ("CACHES", "DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS", "MIDDLEWARE", "STORAGES", "DEBUG")
_SCRIPT = (
    "import json; from django.conf import settings; "
    f"print(json.dumps({{n: getattr(settings, n, None) for n in {NAMES!r}}}, default=str))"
)


@functools.cache
def _read(env_items: tuple[tuple[str, str], ...]) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.prod", "SECRET_KEY": "test-only"})
    env.update(env_items)
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def prod_settings(**env: str) -> dict[str, Any]:
    """Some of config.settings.prod's values, under the environment variables given."""
    return json.loads(_read(tuple(sorted(env.items()))))
