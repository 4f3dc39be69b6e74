"""When a place's information counts as stale: the one definition, for pages, search and mail.

A place is stale when its information was last verified (`last_verified`) more than
FRESHNESS_MONTHS months ago, or never. The public pages and lists say so, the search
can leave stale places out (`PlaceFilters.fresh`), moderators count them per
organisation and région (admin_freshness.py), and editors are reminded of theirs
(reminders.py, `manage.py send_freshness_reminders`).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from core.dates import add_months

from .models import Place, Status


def freshness_months() -> int:
    return settings.FRESHNESS_MONTHS


def stale_cutoff(today: date | None = None) -> date:
    """Verified before this day, or never: stale. On this day or after: recently verified."""
    return add_months(today or timezone.localdate(), -freshness_months())


def stale_q(today: date | None = None) -> Q:
    return Q(last_verified__isnull=True) | Q(last_verified__lt=stale_cutoff(today))


def fresh_q(today: date | None = None) -> Q:
    """The negation of `stale_q`, written so that an index on the date could serve it."""
    return Q(last_verified__gte=stale_cutoff(today))


def is_stale(place: Place, today: date | None = None) -> bool:
    return place.last_verified is None or place.last_verified < stale_cutoff(today)


def stale_notice(place: Place, today: date | None = None) -> str:
    """What the public pages say of a stale place; empty for a recently verified one."""
    if not is_stale(place, today):
        return ""
    if place.last_verified is None:
        return gettext("Informations jamais vérifiées")
    months = freshness_months()
    return ngettext(
        "Informations vérifiées il y a plus de %(months)d mois",
        "Informations vérifiées il y a plus de %(months)d mois",
        months,
    ) % {"months": months}


def stale_published_places(today: date | None = None) -> QuerySet[Place]:
    return Place.objects.filter(status=Status.PUBLISHED).filter(stale_q(today))


def stale_counts_by_organisation(today: date | None = None) -> list[dict]:
    """Organisations with stale published places: id, name, stale and published counts,
    most stale first."""
    return list(
        Place.objects.filter(status=Status.PUBLISHED)
        .values("organisation_id", "organisation__name")
        .annotate(stale=Count("pk", filter=stale_q(today)), published=Count("pk"))
        .filter(stale__gt=0)
        .order_by("-stale", "organisation__name", "organisation_id")
    )


def stale_counts_by_region(today: date | None = None) -> list[dict]:
    """The same per région (code and name; None for a place outside any known commune)."""
    return list(
        Place.objects.filter(status=Status.PUBLISHED)
        .values("commune__region__code", "commune__region__name")
        .annotate(stale=Count("pk", filter=stale_q(today)), published=Count("pk"))
        .filter(stale__gt=0)
        .order_by("-stale", "commune__region__name")
    )
