"""The configured cache (settings.CACHES, from CACHE_URL) and the ways the project uses it.

- `make_key(prefix, *parts)`: a bounded key. Parts that are long, or that are not plain
  tokens (user text, spaces, ':'), are replaced by their SHA-256, so no input makes a key
  grow and every backend accepts it (memcached refuses spaces and keys over 250 bytes).
- `cached(key, timeout, compute)`: read-through. A miss runs `compute` and stores its
  result, None included.
- Groups of keys dropped together: `versioned_key(namespace, *parts)` puts the namespace's
  current version number in the key, and `bump(namespace)` moves that number on, so every
  key built before is missed from then on; the old entries expire by themselves. Nothing
  lists or deletes keys, which Redis and memcached cannot do cheaply.

      def vocabulary_ids(model):
          key = versioned_key("vocabulary", model._meta.model_name)
          return cached(key, 3600, lambda: dict(model.objects.values_list("slug", "pk")))

      bump("vocabulary")  # from a post_save / post_delete receiver

A cache that is down degrades to no cache, never to an error: in production django-redis
answers reads with a miss and drops writes (IGNORE_EXCEPTIONS, config/settings/base.py),
so `compute` runs every time. A bump lost in an outage cannot be replayed; it is logged,
and the timeouts given to `cached` bound how long the group may stay stale.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.cache import cache

logger = logging.getLogger(__name__)

T = TypeVar("T")

# A prefix or namespace is chosen by the code, never by a user: a short plain token.
_PREFIX_RE = re.compile(r"^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)*$")
# A part kept as written; anything else is hashed. ':' separates parts, so it is not allowed.
_PLAIN_PART_RE = re.compile(r"^[A-Za-z0-9_.,/@=+-]*$")
MAX_PLAIN_LENGTH = 100
_MISSING = object()


def make_key(prefix: str, *parts: Hashable) -> str:
    """`prefix:part:part…`, or `prefix:#<sha256 of the parts>` when a part is not a plain token."""
    if not _PREFIX_RE.match(prefix):
        raise ValueError(f"Cache key prefix {prefix!r} is not a plain token.")
    texts = [str(part) for part in parts]
    plain = ":".join(texts)
    if len(plain) <= MAX_PLAIN_LENGTH and all(_PLAIN_PART_RE.match(text) for text in texts):
        return f"{prefix}:{plain}" if texts else prefix
    # The unit separator cannot be confused with anything typed, so distinct part lists
    # never hash alike ("a:b", "c" vs "a", "b:c").
    digest = hashlib.sha256("\x1f".join(texts).encode()).hexdigest()
    return f"{prefix}:#{digest}"


def cached(key: str, timeout: int | None, compute: Callable[[], T]) -> T:
    """The value under `key`, computed and stored for `timeout` seconds when missing.

    `timeout` as in Django: None keeps it until evicted, 0 does not store it.
    """
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout)
    return value


def _version_key(namespace: str) -> str:
    return make_key("version", namespace)


def _fresh_version() -> int:
    # A version that starts from the clock, not from 1: if the version entry is evicted or
    # the cache restarts, the next one cannot meet entries written under an earlier one.
    return time.time_ns() // 1000


def namespace_version(namespace: str) -> int:
    """The current version of a group of keys, created on first use."""
    key = _version_key(namespace)
    version = cache.get(key)
    if version is None:
        version = _fresh_version()
        if not cache.add(key, version, None):
            # Another process created it first (or the cache is down: then nothing is stored
            # and this call's fresh version simply misses).
            version = cache.get(key) or version
    return version


def versioned_key(namespace: str, *parts: Hashable) -> str:
    """A key of the group `namespace`: missed by every reader once `bump(namespace)` ran."""
    return make_key(namespace, f"v{namespace_version(namespace)}", *parts)


def bump(namespace: str) -> None:
    """Drop every key of the group `namespace` at once (see `versioned_key`)."""
    key = _version_key(namespace)
    try:
        new = cache.incr(key)
    except ValueError:
        # No version yet (never read, or evicted): any fresh one leaves the old keys behind.
        cache.set(key, _fresh_version(), None)
        return
    if new is None:
        # django-redis with IGNORE_EXCEPTIONS: the cache is unreachable.
        logger.warning(
            "Cache unreachable: the %s entries could not be invalidated; "
            "they stay until they expire.",
            namespace,
        )
