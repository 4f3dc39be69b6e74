"""Per-client budgets for public forms, counted in the Django cache, and client addresses kept
out of the database.

- `client_ip(request)`: the client's address as the API's throttles read it, so one setting
  says how many reverse proxies to trust (`API_NUM_PROXIES`: 0 reads `REMOTE_ADDR` only, which
  no client can forge; 1 behind nginx reads the last `X-Forwarded-For` hop).
- `ip_digest(ip)`: a keyed hash (HMAC with SECRET_KEY) of an address, to store instead of the
  address. A plain SHA-256 would not do: the 2³² IPv4 addresses are hashed again in seconds.
- `consume(scope, ident, rate)`: one use of a fixed-window budget ("5/hour"); False once spent.
- `spend(scope, ident, rate)`: the same, answering how long to wait (0: go ahead), for a
  `Retry-After`.

A cache that is down lets every request through (reads miss, writes are dropped: see
core/cache.py): a form that stays open beats a form that fails.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from rest_framework.throttling import BaseThrottle

from .cache import make_key

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """Read "5/hour", "10/min", "100/day" (DRF's syntax: the period's first letter counts)."""
        count, _slash, period = text.partition("/")
        try:
            return cls(int(count), PERIODS[period.strip()[:1].lower()])
        except (ValueError, KeyError) as error:
            raise ValueError(f"Invalid rate {text!r}: expected e.g. '5/hour'.") from error


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting as many proxies as the API does (API_NUM_PROXIES)."""
    return BaseThrottle().get_ident(request) or ""


def ip_digest(ip: str) -> str:
    """64 hex characters standing for the address, keyed with SECRET_KEY (see above)."""
    return salted_hmac("core.ratelimit.ip", ip, algorithm="sha256").hexdigest()


def consume(scope: str, ident: str, rate: Rate | str) -> bool:
    """Count one use of `ident`'s budget in `scope`; False when the budget was already spent.

    A fixed window opened by the first use: at most `rate.count` uses per `rate.seconds`.
    """
    return spend(scope, ident, rate) == 0


def spend(scope: str, ident: str, rate: Rate | str) -> int:
    """Count one use as `consume` does; 0 when allowed, else the seconds until the window
    reopens (at least 1)."""
    if isinstance(rate, str):
        rate = Rate.parse(rate)
    key = make_key("ratelimit", scope, ident)
    # When the window opened, for Retry-After; kept beside the counter for as long.
    opened_key = make_key("ratelimit-opened", scope, ident)
    if cache.add(key, 0, rate.seconds):
        cache.set(opened_key, time.time(), rate.seconds)
    try:
        used = cache.incr(key)
    except ValueError:
        # The window closed between add() and incr(): this use opens the next one.
        cache.set(key, 1, rate.seconds)
        cache.set(opened_key, time.time(), rate.seconds)
        used = 1
    if used is None:  # django-redis with IGNORE_EXCEPTIONS: the cache is unreachable
        return 0
    if used <= rate.count:
        return 0
    opened = cache.get(opened_key)
    if opened is None:
        return rate.seconds
    return max(1, min(rate.seconds, math.ceil(opened + rate.seconds - time.time())))
