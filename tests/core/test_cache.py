"""The configured cache (CACHE_URL) and core/cache.py, on local memory and on a real Redis.

The Redis tests use the server `make test` starts (127.0.0.1:6379, database 15, emptied
around each test; TEST_REDIS_URL to choose another). They fail, never skip, when it does
not answer. The Redis cache is configured exactly as in production: from CACHE_URL,
through config.settings.prod, read in a child process (prod_settings.py).
"""

import logging
import os
import socket
import threading

import pytest
import redis
from django.core.cache import cache

from core.cache import bump, cached, make_key, namespace_version, versioned_key
from geodata.geocoding import geocode

from .prod_settings import prod_settings, prod_settings_error

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_settings(url: str) -> dict:
    """What config.settings.prod makes of CACHE_URL=url, as settings to override."""
    prod = prod_settings(CACHE_URL=url)
    return {
        "CACHES": prod["CACHES"],
        "DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS": prod["DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS"],
    }


@pytest.fixture
def redis_cache(settings):
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.RedisError as error:
        pytest.fail(
            f"No Redis server answers at {REDIS_URL} ({error}). `make test` starts one; "
            "by hand: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 "
            '--save "" --appendonly no'
        )
    server.flushdb()
    for name, value in redis_settings(REDIS_URL).items():
        setattr(settings, name, value)
    assert cache.client.__class__.__module__.startswith("django_redis")
    yield server
    server.flushdb()
    server.close()


@pytest.fixture(scope="module")
def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings, closed_port):
    """CACHE_URL pointing at a port where nothing listens."""
    for name, value in redis_settings(f"redis://127.0.0.1:{closed_port}/15").items():
        setattr(settings, name, value)


@pytest.fixture(params=["locmem", "redis"])
def backend(request):
    """Each helper test runs on the test settings' local memory, then on Redis."""
    if request.param == "redis":
        return request.getfixturevalue("redis_cache")
    return None


class Counter:
    def __init__(self, value=None):
        self.calls = 0
        self.value = value

    def __call__(self):
        self.calls += 1
        return self.value if self.value is not None else f"computed {self.calls}"


# --- configuration ------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["", "locmemcache://reperes", "dummycache://"])
def test_production_refuses_a_cache_of_its_own_per_process(url):
    # Each gunicorn worker would count throttles and login failures on its own (issue 11).
    error = prod_settings_error(CACHE_URL=url)
    assert "ImproperlyConfigured" in error
    assert "CACHE_URL doit désigner un cache partagé" in error


def test_redis_url_selects_django_redis_with_short_timeouts():
    config = prod_settings(CACHE_URL="redis://127.0.0.1:6379/1")["CACHES"]["default"]
    assert config["BACKEND"] == "django_redis.cache.RedisCache"
    assert config["LOCATION"] == "redis://127.0.0.1:6379/1"
    options = config["OPTIONS"]
    assert options["IGNORE_EXCEPTIONS"] is True
    assert 0 < options["SOCKET_CONNECT_TIMEOUT"] <= 0.5
    assert 0 < options["SOCKET_TIMEOUT"] <= 0.5


def test_cache_url_options_override_the_defaults():
    url = "redis://127.0.0.1:6379/1?socket_timeout=2&key_prefix=reperes"
    config = prod_settings(CACHE_URL=url)["CACHES"]["default"]
    assert config["OPTIONS"]["SOCKET_TIMEOUT"] == 2
    assert config["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] == 0.25
    assert config["KEY_PREFIX"] == "reperes"


# --- keys ---------------------------------------------------------------------------------


def test_plain_parts_stay_readable():
    assert make_key("geodata", "region", 84, "fr") == "geodata:region:84:fr"
    assert make_key("tiles") == "tiles"


@pytest.mark.parametrize(
    "text", ["10 place Lazare Goujon", "a" * 101, "Saint-Étienne", "x:y", "a\nb", " "]
)
def test_user_text_is_hashed_into_a_bounded_key(text):
    key = make_key("geocode", text, "ban")
    assert key.startswith("geocode:#")
    assert len(key) == len("geocode:#") + 64
    assert key.isascii() and " " not in key


def test_distinct_parts_never_share_a_key():
    assert make_key("p", "a:b", "c") != make_key("p", "a", "b:c")
    assert make_key("p", "a b") != make_key("p", "a  b")
    assert make_key("p", "1", "2") != make_key("p", "12")


@pytest.mark.parametrize("prefix", ["", "with space", "a::b", "é"])
def test_prefix_must_be_a_plain_token(prefix):
    with pytest.raises(ValueError):
        make_key(prefix, "x")


# --- read-through and versioned groups, on both backends ----------------------------------


def test_cached_computes_once(backend):
    compute = Counter()
    assert cached("k", 60, compute) == "computed 1"
    assert cached("k", 60, compute) == "computed 1"
    assert compute.calls == 1


def test_cached_keeps_a_falsy_result(backend):
    compute = Counter(value=[])
    assert cached("empty", 60, compute) == []
    assert cached("empty", 60, compute) == []
    assert compute.calls == 1


def test_timeout_zero_stores_nothing(backend):
    compute = Counter()
    cached("k", 0, compute)
    cached("k", 0, compute)
    assert compute.calls == 2


def test_bump_drops_every_key_of_its_namespace_only(backend):
    tile, other_tile, vocabulary = Counter(), Counter(), Counter()

    def read():
        return (
            cached(versioned_key("tiles", 12, 2104, 1461), 60, tile),
            cached(versioned_key("tiles", 12, 2105, 1461), 60, other_tile),
            cached(versioned_key("vocabulary", "competence"), 60, vocabulary),
        )

    assert read() == ("computed 1", "computed 1", "computed 1")
    assert read() == ("computed 1", "computed 1", "computed 1")
    bump("tiles")
    assert read() == ("computed 2", "computed 2", "computed 1")
    assert read() == ("computed 2", "computed 2", "computed 1")
    assert (tile.calls, other_tile.calls, vocabulary.calls) == (2, 2, 1)


def test_bump_before_any_read_and_after_eviction(backend):
    bump("fresh")  # nothing to increment yet
    first = namespace_version("fresh")
    compute = Counter()
    cached(versioned_key("fresh", "x"), 60, compute)
    # The version entry lost (evicted, or the cache restarted with the data still there):
    # the next version must not meet the entries written under the old one.
    cache.delete(make_key("version", "fresh"))
    assert namespace_version("fresh") > first
    cached(versioned_key("fresh", "x"), 60, compute)
    assert compute.calls == 2


def test_concurrent_bumps_are_all_counted(backend):
    start = namespace_version("busy")
    threads = [threading.Thread(target=bump, args=("busy",)) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert namespace_version("busy") == start + 20


def test_redis_holds_the_versions_every_process_reads(redis_cache):
    version = namespace_version("tiles")
    [stored] = [k for k in redis_cache.keys("*") if k.endswith(b"version:tiles")]
    assert int(redis_cache.get(stored)) == version
    bump("tiles")
    assert int(redis_cache.get(stored)) == version + 1


# --- a Redis outage degrades to no cache ---------------------------------------------------


def test_helpers_compute_when_redis_is_down(redis_down, caplog):
    compute = Counter()
    assert cached(versioned_key("tiles", 1, 2, 3), 60, compute) == "computed 1"
    assert cached(versioned_key("tiles", 1, 2, 3), 60, compute) == "computed 2"
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        bump("tiles")
    assert "could not be invalidated" in caplog.text


@pytest.mark.django_db
def test_geocoding_works_when_redis_is_down(redis_down):
    assert geocode("Villeurbanne")[0].commune.code == "69266"
    assert geocode("Villeurbanne")[0].commune.code == "69266"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/regions/auvergne-rhone-alpes.geojson",
        "/regions/auvergne-rhone-alpes/",
        "/annuaire/?q=Villeurbanne",
        "/api/v1/places/?address=Villeurbanne&radius=10",
    ],
)
def test_cached_pages_answer_when_redis_is_down(redis_down, client, url):
    first = client.get(url)
    assert first.status_code == 200
    again = client.get(url)
    assert again.status_code == 200
    if url.endswith(".geojson"):
        assert again.content == first.content


@pytest.mark.django_db
def test_cached_page_is_served_from_redis(redis_cache, client, django_assert_num_queries):
    url = "/regions/auvergne-rhone-alpes.geojson"
    first = client.get(url)
    assert first.status_code == 200
    assert any(b"geojson" in key for key in redis_cache.keys("*"))
    with django_assert_num_queries(0):
        assert client.get(url).content == first.content
