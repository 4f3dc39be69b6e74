"""Shared fixtures.

The test database gets a real subset of France's geography once per session:
the communes of a few départements (Ain, Bouches-du-Rhône, Loire, Rhône,
Val-d'Oise), loaded by the same importer as production.
"""

from pathlib import Path

import geopy.geocoders
import pytest
from django.conf import settings
from django.core.cache import cache
from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderUnavailable

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
    from directory.selectors import forget_local_vocabularies

    cache.clear()
    forget_local_vocabularies()
    yield
    cache.clear()
    forget_local_vocabularies()


class OfflineAdapter(BaseSyncAdapter):
    """geopy's HTTP boundary in tests: no request ever leaves the machine.

    It answers like an unreachable service, so the geocoder chain falls back to
    the offline gazetteer; tests that want online answers inject their own adapter.
    """

    def get_json(self, url, *, timeout, headers):
        raise GeocoderUnavailable(f"No network in tests: {url}")

    get_text = get_json


@pytest.fixture(autouse=True)
def _offline_geocoders(monkeypatch):
    monkeypatch.setattr(geopy.geocoders.options, "default_adapter_factory", OfflineAdapter)


def pytest_collection_modifyitems(config, items):
    # Browser tests need the live server's committed data (transactional tests, whose
    # teardown empties the tables): run them after every other test.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def _no_network(url, body, headers, timeout):
    raise OSError(f"No network in tests: {url}")


@pytest.fixture(autouse=True)
def _offline_batch_geocoder(monkeypatch):
    """The BAN's CSV endpoint, unreachable; tests that want answers install their own."""
    monkeypatch.setattr("geodata.batch_geocoding.transport", _no_network)
    monkeypatch.setattr("geodata.batch_geocoding.RETRY_PAUSE_SECONDS", 0)
