"""Writes of practice sheets: validated, with the map position and région derived."""

from __future__ import annotations

from datetime import date

from django.contrib.gis.geos import MultiPoint, Point
from django.db import transaction
from django.utils import timezone

from directory.models import Organisation
from directory.services import unique_slug

from .models import ActorRole, PracticeSheet, Scope, SheetActor, Theme


def derive_geography(sheet: PracticeSheet, communes=None) -> None:
    """Région and map position follow from the area covered, unless points are given."""
    communes = (
        list(communes)
        if communes is not None
        else (list(sheet.communes.select_related("region")) if sheet.pk else [])
    )
    if sheet.scope == Scope.DEPARTMENT and sheet.department_id:
        sheet.region = sheet.department.region
    elif sheet.scope == Scope.COMMUNES and communes and not sheet.region_id:
        sheet.region = communes[0].region
    centre = None
    if sheet.points and len(sheet.points):
        centre = sheet.points[0]
    elif sheet.scope == Scope.COMMUNES and communes:
        centre = (
            communes[0].centre
            if len(communes) == 1
            else MultiPoint([c.centre for c in communes if c.centre]).centroid
        )
    elif sheet.scope == Scope.DEPARTMENT and sheet.department_id:
        centre = sheet.department.centre
    elif sheet.region_id:
        centre = sheet.region.centre
    sheet.location = Point(centre.x, centre.y, srid=4326) if centre else None


@transaction.atomic
def sheet_save(
    *,
    sheet: PracticeSheet,
    themes: list[Theme] | None = None,
    communes=None,
    actors: list[tuple[Organisation, str]] | None = None,
) -> PracticeSheet:
    if not sheet.slug:
        sheet.slug = unique_slug(PracticeSheet, sheet.title, instance_pk=sheet.pk)
    derive_geography(sheet, communes)
    sheet.full_clean()
    sheet.save()
    if themes is not None:
        sheet.themes.set(themes)
    if communes is not None:
        sheet.communes.set(communes)
        derive_geography(sheet, communes)
        sheet.save(update_fields=["region", "location"])
    if actors is not None:
        sheet.actors.all().delete()
        SheetActor.objects.bulk_create(
            [SheetActor(sheet=sheet, organisation=o, role=ActorRole(role)) for o, role in actors]
        )
    return sheet


def sheet_confirm_running(
    *, sheet: PracticeSheet, user=None, reason: str, today: date | None = None
) -> PracticeSheet:
    """« Toujours en cours ? » — yes: `review_date` becomes today (asked again in
    PRACTICE_REVIEW_MONTHS), with a history entry saying who and how (`reason`)."""
    sheet.review_date = today or timezone.localdate()
    sheet._history_user = user
    sheet._change_reason = reason
    sheet.save(update_fields=["review_date", "updated_at"])
    return sheet
