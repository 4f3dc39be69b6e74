"""Shared fixtures.

The test database gets a real subset of France's geography once per session:
the communes of a few départements (Ain, Bouches-du-Rhône, Loire, Rhône,
Val-d'Oise), loaded by the same importer as production.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from geodata.importers import load_geography

TEST_DEPARTMENTS = {"01", "13", "42", "69", "95"}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_geography(
            source_dir=Path(settings.DECOUPAGE_ADMINISTRATIF_DIR), departments=TEST_DEPARTMENTS
        )


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()
