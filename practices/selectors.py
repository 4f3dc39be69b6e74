"""Reads of practice sheets."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.dates import add_months
from directory.models import Organisation, Place

from .models import PracticeSheet, SheetStatus, Theme
from .search import search_sheets, suggest_text


@dataclass
class SheetFilters:
    """Validated filters. Several themes mean ANY of them."""

    themes: list[str] = field(default_factory=list)
    region: str = ""
    year_from: int | None = None
    year_to: int | None = None
    running: bool | None = None  # True: still running; False: ended; None: both
    text: str = ""


def published_sheets() -> QuerySet[PracticeSheet]:
    return PracticeSheet.objects.filter(status=SheetStatus.PUBLISHED)


def filter_sheets(
    queryset: QuerySet[PracticeSheet], filters: SheetFilters
) -> QuerySet[PracticeSheet]:
    if filters.themes:
        queryset = queryset.filter(
            pk__in=PracticeSheet.themes.through.objects.filter(
                theme__slug__in=filters.themes
            ).values("practicesheet_id")
        )
    if filters.region:
        queryset = queryset.filter(region__code=filters.region)
    if filters.year_from is not None:
        # Overlaps the period: not ended before it starts.
        queryset = queryset.filter(
            Q(end_date__isnull=True)
            | Q(became_regular_service=True)
            | Q(end_date__gte=date(filters.year_from, 1, 1))
        )
    if filters.year_to is not None:
        queryset = queryset.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=date(filters.year_to, 12, 31))
        )
    if filters.running is not None:
        running = (
            Q(end_date__isnull=True)
            | Q(became_regular_service=True)
            | Q(end_date__gte=timezone.localdate())
        )
        queryset = queryset.filter(running if filters.running else ~running)
    if filters.text:
        return search_sheets(queryset, filters.text)
    return queryset.order_by("-start_date", "title")


def suggested_text(filters: SheetFilters) -> str | None:
    """« Vouliez-vous dire … ? » for a search that found nothing: its words corrected
    from the published sheets' vocabulary, offered only if it finds a sheet with the
    same filters."""
    if not filters.text:
        return None
    suggestion = suggest_text(filters.text)
    if suggestion and filter_sheets(published_sheets(), replace(filters, text=suggestion)).exists():
        return suggestion
    return None


def themes() -> QuerySet[Theme]:
    return Theme.objects.all()


def sheets_of_organisation(organisation: Organisation) -> QuerySet[PracticeSheet]:
    return published_sheets().filter(actors__organisation=organisation).distinct().order_by("title")


def sheets_of_place(place: Place) -> QuerySet[PracticeSheet]:
    return (
        published_sheets()
        .filter(Q(places=place) | Q(actors__organisation=place.organisation_id))
        .distinct()
        .order_by("title")
    )


def editable_sheets(user) -> QuerySet[PracticeSheet]:
    """The sheets a user may see and edit in the admin: her member centres', or all for moderators.

    The SQL side of the rule `practices.view_draft_practicesheet`, kept beside it in rules.py.
    """
    from .rules import editable_sheets as rule_editable_sheets

    return rule_editable_sheets(user)


def review_cutoff(today: date | None = None) -> date:
    """« Toujours en cours ? » answered before this day (or never, for a sheet written
    before it): to be asked again. PRACTICE_REVIEW_MONTHS after the last answer."""
    return add_months(today or timezone.localdate(), -settings.PRACTICE_REVIEW_MONTHS)


def sheets_due_for_review(today: date | None = None) -> QuerySet[PracticeSheet]:
    """Published sheets still running by their dates whose « toujours en cours ? » is due:
    the one definition, for the reminders (reminders.py)."""
    cutoff = review_cutoff(today)
    due = Q(review_date__lt=cutoff) | Q(review_date__isnull=True, created_at__date__lt=cutoff)
    return filter_sheets(published_sheets(), SheetFilters(running=True)).filter(due)
