"""Free slugs: `base`, then `base-2`, `base-3`… (places, organisations, sheets, areas)."""

from __future__ import annotations

from collections.abc import Container


def next_free_slug(base: str, used: Container[str]) -> str:
    """The first of `base`, `base-2`, `base-3`… that `used` does not hold."""
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    return slug
