"""Signal handlers: the cluster tables follow every saved, moved, published, archived or
deleted place, and every change drops the cached tiles (connected in DirectoryConfig.ready).

Bulk writes that send no signal (`generate_places`, raw SQL, `QuerySet.update`) need
`manage.py rebuild_place_clusters` afterwards.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from ..models import Place
from .cache import bump_version
from .clusters import sync_place


def _sync(place_ids) -> None:
    changed = False
    for place_id in place_ids:
        changed = sync_place(place_id) or changed
    if changed:
        bump_version()


def place_saved(sender, instance: Place, **kwargs) -> None:
    _sync([instance.pk])


def place_deleted(sender, instance: Place, **kwargs) -> None:
    _sync([instance.pk])


def _affected(instance, action: str, reverse: bool, pk_set) -> list[int]:
    """Places whose links changed: the instance, or (from the vocabulary side) `pk_set`."""
    if not reverse:
        return [] if action == "pre_clear" else [instance.pk]
    if action == "pre_clear":
        instance._tile_cleared = list(instance.places.values_list("pk", flat=True))
        return []
    if action == "post_clear":
        return getattr(instance, "_tile_cleared", [])
    return sorted(pk_set or ())


def competences_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear", "pre_clear"):
        _sync(_affected(instance, action, reverse, pk_set))


def kinds_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    # Kinds are not counted in advance; a kind filter reads the places table, so only
    # the cached tiles go, and only if a published place is concerned.
    if action in ("post_add", "post_remove", "post_clear", "pre_clear"):
        places = _affected(instance, action, reverse, pk_set)
        if places and Place.objects.filter(pk__in=places, tile_cell__isnull=False).exists():
            bump_version()


def connect() -> None:
    post_save.connect(place_saved, sender=Place, dispatch_uid="tiles-place-saved")
    post_delete.connect(place_deleted, sender=Place, dispatch_uid="tiles-place-deleted")
    m2m_changed.connect(
        competences_changed,
        sender=Place.competences.through,
        dispatch_uid="tiles-place-competences",
    )
    m2m_changed.connect(kinds_changed, sender=Place.kinds.through, dispatch_uid="tiles-place-kinds")
