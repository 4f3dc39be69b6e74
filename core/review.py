"""Edits of published entries go to review; the live entry is unchanged until accepted.

An editor's change to a published place or practice sheet is not saved: the fields it
changes (compared with the stored entry, after everything the form derives, such as a
geocoded position) are kept as a `HeldChange`, and the public pages, API, exports and
maps go on showing the published version. A moderator sees the change beside the live
values and accepts it (applied through the app's own save service, with a history entry
naming the author and the reviewer) or refuses it. Editors of an organisation the network
marks as trusted (`Organisation.trusted_editors`) publish their changes at once; so do
moderators, and changes to drafts are never held.

Apps register what is reviewed (`register`): core imports no app.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import GEOSGeometry
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .models import HeldChange, HeldStatus


@dataclass(frozen=True)
class Reviewed:
    """How an app's model takes part: `is_live(obj)` (published), `may_publish(user, obj)`
    (a moderator: her edits are not held), `trusted(obj)` (its organisation's edits are not
    held either), `save(obj, relations)` (the app's save service; `relations` maps each
    changed many-to-many field to the chosen objects)."""

    is_live: Callable[[models.Model], bool]
    may_publish: Callable[[object, models.Model], bool]
    trusted: Callable[[models.Model], bool]
    save: Callable[[models.Model, dict[str, list]], None]
    fields: tuple[str, ...]  # what an editor's form may change
    relations: tuple[str, ...] = ()


REGISTRY: dict[type[models.Model], Reviewed] = {}


def register(model: type[models.Model], reviewed: Reviewed) -> None:
    REGISTRY[model] = reviewed


def held(user, obj: models.Model) -> bool:
    """Whether this user's change to this stored entry waits for review."""
    reviewed = REGISTRY.get(type(obj))
    if reviewed is None or obj.pk is None:
        return False
    live = type(obj)._default_manager.filter(pk=obj.pk).first()
    return (
        live is not None
        and reviewed.is_live(live)
        and not reviewed.may_publish(user, live)
        and not reviewed.trusted(live)
    )


def _stored(field: models.Field, obj: models.Model) -> object:
    """A field's value as JSON can hold it."""
    value = field.value_from_object(obj)
    if isinstance(value, GEOSGeometry):
        return value.ewkt
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _restored(field: models.Field, value: object) -> object:
    if value is None:
        return None
    if hasattr(field, "geom_type"):  # a geometry, kept as EWKT
        return GEOSGeometry(value)
    return field.to_python(value)


def differences(
    edited: models.Model,
    live: models.Model,
    relations: dict[str, list[int]],
    also: tuple[str, ...] = (),
) -> tuple[dict[str, object], dict[str, list[int]]]:
    """What `edited` (a form's instance, not saved) changes from `live`, its stored version, in
    the reviewed fields and `also` (the status of a place a correction closes)."""
    values = {}
    for name in (*REGISTRY[type(edited)].fields, *also):
        field = edited._meta.get_field(name)
        proposed = _stored(field, edited)
        if proposed != _stored(field, live):
            values[name] = proposed
    links = {}
    for name, ids in relations.items():
        current = sorted(getattr(live, name).values_list("pk", flat=True))
        if sorted(ids) != current:
            links[name] = sorted(ids)
    return values, links


def hold(
    *, edited: models.Model, relations: dict[str, list[int]], author, also: tuple[str, ...] = ()
) -> HeldChange | None:
    """Keep the change aside (None if it changes nothing)."""
    live = type(edited)._default_manager.get(pk=edited.pk)
    values, links = differences(edited, live, relations, also)
    if not values and not links:
        return None
    return HeldChange.objects.create(
        content_type=ContentType.objects.get_for_model(type(edited)),
        object_id=edited.pk,
        label=str(live)[:250],
        values=values,
        relations=links,
        author=author,
    )


def live_and_proposed(change: HeldChange) -> list[tuple[str, str, str]]:
    """(field label, live value, proposed value) of each change, for the reviewer."""
    model = change.content_type.model_class()
    live = model._default_manager.filter(pk=change.object_id).first()
    rows = []
    for name, value in change.values.items():
        field = model._meta.get_field(name)
        now = _shown(field, field.value_from_object(live)) if live else "—"
        rows.append((str(field.verbose_name), now, _shown(field, _restored(field, value))))
    for name, ids in change.relations.items():
        field = model._meta.get_field(name)
        target = field.related_model._default_manager
        now = ", ".join(map(str, getattr(live, name).all())) if live else "—"
        rows.append((str(field.verbose_name), now, ", ".join(map(str, target.filter(pk__in=ids)))))
    return rows


def _shown(field: models.Field, value: object) -> str:
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        found = field.related_model._default_manager.filter(pk=value).first()
        return str(found) if found else str(value)
    if isinstance(value, GEOSGeometry):
        return value.wkt
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


@transaction.atomic
def accept(change: HeldChange, reviewer) -> models.Model:
    """Apply the change to the live entry through its app's save service."""
    model = change.content_type.model_class()
    reviewed = REGISTRY[model]
    obj = model._default_manager.select_for_update().get(pk=change.object_id)
    for name, value in change.values.items():
        field = model._meta.get_field(name)
        setattr(obj, field.attname, _restored(field, value))
    relations = {
        name: list(model._meta.get_field(name).related_model._default_manager.filter(pk__in=ids))
        for name, ids in change.relations.items()
    }
    author = change.author.get_username() if change.author else "?"
    obj._history_user = reviewer
    obj._change_reason = f"Modification de {author}, relue par {reviewer.get_username()}"
    reviewed.save(obj, relations)
    _close(change, reviewer, HeldStatus.ACCEPTED)
    return obj


def refuse(change: HeldChange, reviewer) -> None:
    _close(change, reviewer, HeldStatus.REFUSED)


def _close(change: HeldChange, reviewer, status: str) -> None:
    change.status, change.handled_by, change.handled_at = status, reviewer, timezone.now()
    change.save(update_fields=["status", "handled_by", "handled_at"])


def may_review(user, change: HeldChange) -> bool:
    model = change.content_type.model_class()
    reviewed = REGISTRY.get(model)
    obj = model._default_manager.filter(pk=change.object_id).first() if model else None
    return reviewed is not None and obj is not None and reviewed.may_publish(user, obj)
