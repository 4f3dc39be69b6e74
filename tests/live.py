"""For tests against pytest-django's live server (browser tests, the OAI-PMH harvest).

The live server needs committed data, hence `transactional_db`, whose teardown empties every
table, including the geography that tests/conftest.py loads once per session and the
vocabularies the data migrations seed. `ensure_geography` puts them back.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from django.apps import apps as django_apps
from django.conf import settings

from geodata.importers import load_geography
from geodata.models import Region
from tests.conftest import TEST_DEPARTMENTS

# Data migrations whose rows the flush removes (idempotent upserts).
SEEDS = [
    ("directory.migrations.0002_seed_taxonomies", "seed"),
    ("practices.migrations.0002_search_and_themes", "seed_themes"),
    ("directory.migrations.0011_taxonomy_names_ar_uk_fa_af", "fill"),
    ("practices.migrations.0004_theme_names_ar_uk_fa_af", "fill"),
]


def ensure_geography() -> None:
    """Reload what a transactional test's flush removed: geography and seeded vocabularies."""
    if not Region.objects.exists():
        load_geography(
            source_dir=Path(settings.DECOUPAGE_ADMINISTRATIF_DIR), departments=TEST_DEPARTMENTS
        )
    for module, function in SEEDS:
        getattr(importlib.import_module(module), function)(django_apps, None)
