"""Reads of notices and bibliographies (the list's filters and facets, related notices) and
of the press watch."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.db.models import Count, Prefetch, Q, QuerySet

from directory.models import Organisation
from geodata.models import Region
from practices.models import PracticeSheet, Theme

from .models import Bibliography, Notice, NoticeStatus, NoticeType, WatchItem
from .search import search_notices, suggest_text


@dataclass
class NoticeFilters:
    """Validated filters; several values of one facet mean ANY of them."""

    text: str = ""
    types: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    centres: list[str] = field(default_factory=list)


def published_notices() -> QuerySet[Notice]:
    return Notice.objects.filter(status=NoticeStatus.PUBLISHED)


def published_bibliographies() -> QuerySet[Bibliography]:
    return Bibliography.objects.filter(status=NoticeStatus.PUBLISHED)


def _apply(queryset: QuerySet[Notice], filters: NoticeFilters, *, skip: str = "") -> QuerySet:
    if filters.types and skip != "types":
        queryset = queryset.filter(type__in=filters.types)
    if filters.years and skip != "years":
        queryset = queryset.filter(year__in=filters.years)
    if filters.themes and skip != "themes":
        queryset = queryset.filter(
            pk__in=Notice.themes.through.objects.filter(theme__slug__in=filters.themes).values(
                "notice_id"
            )
        )
    if filters.regions and skip != "regions":
        queryset = queryset.filter(region__code__in=filters.regions)
    if filters.centres and skip != "centres":
        queryset = queryset.filter(
            Q(holding_centre__slug__in=filters.centres) | Q(author_centre__slug__in=filters.centres)
        )
    return queryset


def filter_notices(queryset: QuerySet[Notice], filters: NoticeFilters) -> QuerySet[Notice]:
    queryset = _apply(queryset, filters)
    if filters.text:
        return search_notices(queryset, filters.text)
    return queryset.order_by("-year", "title")


def suggested_text(filters: NoticeFilters) -> str | None:
    """« Vouliez-vous dire … ? » for a search that found nothing, offered only if the
    corrected words find a notice with the same facets."""
    if not filters.text:
        return None
    suggestion = suggest_text(filters.text)
    if (
        suggestion
        and filter_notices(published_notices(), replace(filters, text=suggestion)).exists()
    ):
        return suggestion
    return None


def facets(filters: NoticeFilters) -> dict[str, list[tuple[str, str, int]]]:
    """(value, label, count) per facet: each counted with the other facets applied, so a
    count says what ticking it adds to the results."""
    base = published_notices()
    if filters.text:
        base = search_notices(base, filters.text)
    ids = {
        name: _apply(base, filters, skip=name).values("pk")
        for name in ("types", "years", "themes", "regions", "centres")
    }
    labels = dict(NoticeType.choices)
    rows = Notice.objects.filter(pk__in=ids["types"]).values("type").annotate(n=Count("pk"))
    types = sorted(((r["type"], str(labels[r["type"]]), r["n"]) for r in rows), key=lambda r: r[1])
    rows = (
        Notice.objects.filter(pk__in=ids["years"], year__isnull=False)
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    )
    years = [(str(r["year"]), str(r["year"]), r["n"]) for r in rows]
    themes = [
        (t.slug, t.label, t.n)
        for t in Theme.objects.filter(notices__in=ids["themes"])
        .annotate(n=Count("notices", distinct=True))
        .order_by("position", "name")
    ]
    regions = [
        (r.code, r.name, r.n)
        for r in Region.objects.filter(notices__in=ids["regions"])
        .annotate(n=Count("notices", distinct=True))
        .order_by("name")
    ]
    centres = [
        (o.slug, o.name, o.n)
        for o in Organisation.objects.filter(written_notices__in=ids["centres"])
        .annotate(n=Count("written_notices", distinct=True))
        .order_by("name")
    ]
    return {
        "types": types,
        "years": years,
        "themes": themes,
        "regions": regions,
        "centres": centres,
    }


def notices_of_sheet(sheet: PracticeSheet) -> QuerySet[Notice]:
    return published_notices().filter(practice_sheets=sheet).order_by("-year", "title")


def notices_of_region(region: Region, limit: int = 10) -> QuerySet[Notice]:
    """The notices about this région: its own, and those about its départements or communes."""
    return (
        published_notices()
        .filter(Q(region=region) | Q(department__region=region) | Q(communes__region=region))
        .distinct()
        .order_by("-year", "title")[:limit]
    )


def notices_of_organisation(organisation: Organisation) -> QuerySet[Notice]:
    return (
        published_notices()
        .filter(Q(organisations=organisation) | Q(authors__organisation=organisation))
        .distinct()
        .order_by("-year", "title")
    )


def bibliography_notices(bibliography: Bibliography, *, public: bool = True) -> list[Notice]:
    """Its notices in order; the public sees only the published ones."""
    entries = (
        bibliography.entries.select_related("notice")
        .prefetch_related("notice__authors", "notice__themes")
        .order_by("position", "pk")
    )
    if public:
        entries = entries.filter(notice__status=NoticeStatus.PUBLISHED)
    notices = []
    for entry in entries:
        entry.notice.comment = entry.comment
        notices.append(entry.notice)
    return notices


# --- The press watch ---------------------------------------------------------------------


@dataclass(frozen=True)
class WatchFilters:
    """Validated filters of the panorama, the feeds and the embedded list."""

    theme: Theme | None = None
    region: Region | None = None


def watch_query(filters: WatchFilters) -> dict[str, str]:
    """The query-string parameters that give these filters back."""
    params = {}
    if filters.theme is not None:
        params["theme"] = filters.theme.slug
    if filters.region is not None:
        params["region"] = filters.region.code
    return params


def published_watch_items() -> QuerySet[WatchItem]:
    return WatchItem.objects.filter(status=NoticeStatus.PUBLISHED)


def filter_watch_items(filters: WatchFilters) -> QuerySet[WatchItem]:
    """The published items, newest first, with their themes and régions fetched."""
    queryset = published_watch_items()
    if filters.theme is not None:
        queryset = queryset.filter(
            pk__in=WatchItem.themes.through.objects.filter(theme=filters.theme).values(
                "watchitem_id"
            )
        )
    if filters.region is not None:
        queryset = queryset.filter(
            pk__in=WatchItem.regions.through.objects.filter(region=filters.region).values(
                "watchitem_id"
            )
        )
    return queryset.order_by("-published_on", "-pk").prefetch_related(
        "themes", Prefetch("regions", queryset=Region.objects.defer("boundary", "centre"))
    )
