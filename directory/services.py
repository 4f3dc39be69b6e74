"""Writes to the directory: keyword-only, validated before save."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from core.slugs import next_free_slug
from geodata.geocoding import GeocodeResult, geocode_one
from geodata.models import Precision
from geodata.selectors import commune_for_point

from .models import Competence, Kind, Organisation, Place


def slug_base(text: str) -> str:
    """The slug `text` gets when it is free (`unique_slug` numbers it otherwise)."""
    return slugify(text)[:200] or "lieu"


def unique_slug(
    model, text: str, *, instance_pk: int | None = None, taken: Collection[str] = ()
) -> str:
    """A slug for `text` that no other row of `model` has (nor any of `taken`, the slugs an
    import is about to write): one query for the slugs beginning like it."""
    base = slug_base(text)
    used = set(
        model.objects.filter(slug__startswith=base)
        .exclude(pk=instance_pk)
        .values_list("slug", flat=True)
    )
    return next_free_slug(base, used.union(taken))


def address_text(place: Place) -> str:
    return " ".join(p for p in (place.street, place.postal_code, place.city) if p).strip()


def geocode_place(place: Place) -> GeocodeResult | None:
    """Place the point from the address through the geocoder chain; keeps the point if none."""
    text = address_text(place)
    if not text:
        return None
    result = geocode_one(text)
    if result is None:
        return None
    place.location = Point(result.point.x, result.point.y, srid=4326)
    place.geocode_precision = str(result.precision)
    place.geocode_label = result.label[:250]
    return result


def locate_place(place: Place) -> None:
    """Commune (hence département and région) follow from the point."""
    if place.location is not None:
        place.commune = commune_for_point(place.location)
        if place.commune and not place.city:
            place.city = place.commune.name


@transaction.atomic
def place_save(
    *,
    place: Place,
    kinds: list[Kind] | None = None,
    competences: list[Competence] | None = None,
    geocode: bool = False,
) -> Place:
    """Validate and save a place; geocode its address when asked or when it has no point."""
    if geocode or place.location is None:
        geocode_place(place)
    elif place.geocode_precision == "":
        place.geocode_precision = Precision.MANUAL
    locate_place(place)
    if not place.slug:
        town = place.commune.name if place.commune_id else place.city
        place.slug = unique_slug(Place, f"{place.name} {town}", instance_pk=place.pk)
    place.full_clean()
    place.save()
    if kinds is not None:
        place.kinds.set(kinds)
    if competences is not None:
        place.competences.set(competences)
    return place


def place_create(
    *,
    organisation: Organisation,
    name: str,
    kinds: list[Kind],
    competences: list[Competence],
    location: Point | None = None,
    **fields,
) -> Place:
    place = Place(organisation=organisation, name=name, location=location, **fields)
    return place_save(place=place, kinds=kinds, competences=competences)


def organisation_create(*, name: str, **fields) -> Organisation:
    organisation = Organisation(name=name, slug=unique_slug(Organisation, name), **fields)
    organisation.full_clean()
    organisation.save()
    return organisation


def place_confirm_verified(
    *, place: Place, user=None, reason: str, today: date | None = None
) -> Place:
    """Its information is still accurate: `last_verified` becomes today, with a history entry
    saying who and how (`reason`). Only that column is written: a row that an old rule
    would no longer validate is still confirmed, never refused."""
    place.last_verified = today or timezone.localdate()
    place._history_user = user
    place._change_reason = reason
    place.save(update_fields=["last_verified", "updated_at"])
    return place
