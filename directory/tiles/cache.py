"""The tiles' Django cache: one versioned group of keys (core/cache.py) for every place tile.

Any change to a place bumps the group's version, which drops every cached tile at
once; entries of older versions are never read again and expire by themselves.
"""

from __future__ import annotations

from django.db import transaction

from core.cache import bump, namespace_version, versioned_key

NAMESPACE = "place-tiles"
TILE_CACHE_SECONDS = 24 * 3600


def current_version() -> int:
    return namespace_version(NAMESPACE)


def _bump() -> None:
    bump(NAMESPACE)


def bump_version() -> None:
    """Invalidate every place tile, now and again once the transaction commits.

    The second bump drops any tile built between the first and the commit, from
    data that the transaction had not yet made visible.
    """
    _bump()
    transaction.on_commit(_bump)


def tile_key(z: int, x: int, y: int, query_key: str) -> str:
    return versioned_key(NAMESPACE, f"{z}/{x}/{y}", query_key)
