"""Per-client budgets in the cache, and client addresses kept as keyed hashes."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from core import ratelimit
from core.ratelimit import Rate, client_ip, consume, ip_digest


@pytest.mark.parametrize(
    ("text", "rate"),
    [("5/hour", Rate(5, 3600)), ("10/min", Rate(10, 60)), ("100/day", Rate(100, 86400))],
)
def test_rates_read_as_drf_writes_them(text, rate):
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("text", ["5", "five/hour", "5/fortnight", ""])
def test_a_bad_rate_says_so(text):
    with pytest.raises(ValueError, match="Invalid rate"):
        Rate.parse(text)


def test_a_budget_is_spent_then_refused_per_client(monkeypatch):
    assert [consume("test", "a", "2/hour") for _ in range(3)] == [True, True, False]
    assert consume("test", "b", "2/hour")  # another client
    assert consume("other-scope", "a", "2/hour")  # another form
    # The window closes: the budget is whole again.
    cache.clear()
    assert consume("test", "a", "2/hour")


def test_an_unreachable_cache_lets_requests_through(monkeypatch):
    monkeypatch.setattr(ratelimit.cache, "incr", lambda key: None)  # django-redis, cache down
    assert all(consume("test", "a", "1/hour") for _ in range(3))


def test_addresses_are_kept_as_keyed_hashes(settings):
    digest = ip_digest("203.0.113.7")
    assert len(digest) == 64 and "203" not in digest
    assert ip_digest("203.0.113.7") == digest
    assert ip_digest("203.0.113.8") != digest
    settings.SECRET_KEY = "another-key-another-site"
    assert ip_digest("203.0.113.7") != digest  # not a plain hash that anyone can recompute


def test_client_ip_trusts_as_many_proxies_as_the_api(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert client_ip(request) == "10.0.0.1"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert client_ip(request) == "192.0.2.1"
