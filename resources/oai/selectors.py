"""The harvestable notices and the sets: every query the OAI-PMH provider runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from geodata.models import Commune, Region
from practices.models import Theme

from ..models import Notice, NoticeType
from ..selectors import published_notices

# The parent sets and what makes a notice belong to them.
SET_KINDS = ("type", "theme", "region")
AREAS = ("region", "department", "department__region")


@dataclass(frozen=True)
class OAISet:
    spec: str
    name: str


def harvestable_notices() -> QuerySet[Notice]:
    """Published notices with what a record shows fetched in a few queries, not per record;
    geometries left out (a record names places, it does not draw them)."""
    return (
        published_notices()
        .select_related("region", "department__region")
        .defer(*(f"{area}__{name}" for area in AREAS for name in ("boundary", "centre")))
        .prefetch_related(
            "authors",
            "themes",
            Prefetch(
                "communes",
                queryset=Commune.objects.select_related("region")
                .defer("boundary", "centre", "region__boundary", "region__centre")
                .order_by("name"),
            ),
        )
    )


def harvested_notice(slug: str) -> Notice | None:
    return harvestable_notices().filter(slug=slug).first()


def notice_exists(slug: str) -> bool:
    return published_notices().filter(slug=slug).exists()


def in_set(queryset: QuerySet[Notice], spec: str) -> QuerySet[Notice]:
    """The notices of a set; an unknown set holds none."""
    kind, _sep, value = spec.partition(":")
    if kind not in SET_KINDS or ":" in value:
        return queryset.none()
    if kind == "type":
        return queryset.filter(type=value) if value else queryset
    if kind == "theme":
        links = Notice.themes.through.objects.all()
        if value:
            links = links.filter(theme__slug=value)
        return queryset.filter(pk__in=links.values("notice_id"))
    covered = Q(region__code=value) | Q(department__region__code=value)
    covered |= Q(communes__region__code=value)
    if not value:
        covered = Q(region__isnull=False) | Q(department__isnull=False)
        covered |= Q(communes__isnull=False)
    return queryset.filter(pk__in=Notice.objects.filter(covered).values("pk"))


def selection(
    *, set_spec: str = "", start: datetime | None = None, end: datetime | None = None
) -> QuerySet[Notice]:
    """The harvested notices of a set, changed in [start, end), in harvesting order."""
    queryset = harvestable_notices()
    if set_spec:
        queryset = in_set(queryset, set_spec)
    if start is not None:
        queryset = queryset.filter(updated_at__gte=start)
    if end is not None:
        queryset = queryset.filter(updated_at__lt=end)
    return queryset.order_by("updated_at", "pk")


def page_after(
    queryset: QuerySet[Notice], after: tuple[datetime, int] | None, size: int
) -> list[Notice]:
    """`size` notices after the last one sent, plus one to tell whether more follow.
    Keyset on (updated_at, id): no page skips or repeats a record when others change."""
    if after is not None:
        moment, pk = after
        queryset = queryset.filter(Q(updated_at__gt=moment) | Q(updated_at=moment, pk__gt=pk))
    return list(queryset[: size + 1])


def earliest_datestamp() -> datetime | None:
    return published_notices().aggregate(first=Min("updated_at"))["first"]


def available_sets() -> list[OAISet]:
    """Every set, parents first: types, themes, régions."""
    sets = [OAISet("type", _("Par type de document"))]
    sets += [
        OAISet(f"type:{value}", _("Type de document : %(type)s") % {"type": label})
        for value, label in NoticeType.choices
    ]
    sets.append(OAISet("theme", _("Par thème")))
    sets += [
        OAISet(f"theme:{slug}", _("Thème : %(theme)s") % {"theme": name})
        for slug, name in Theme.objects.order_by("position", "name").values_list("slug", "name")
    ]
    sets.append(OAISet("region", _("Par région")))
    sets += [
        OAISet(f"region:{code}", _("Région : %(region)s") % {"region": name})
        for code, name in Region.objects.order_by("code").values_list("code", "name")
    ]
    return sets


def set_specs(notice: Notice) -> list[str]:
    """The leaf sets a (prefetched) notice belongs to, as its record header lists them."""
    specs = [f"type:{notice.type}"]
    specs += [f"theme:{theme.slug}" for theme in notice.themes.all()]
    regions = {notice.region.code} if notice.region else set()
    if notice.department and notice.department.region:
        regions.add(notice.department.region.code)
    regions |= {commune.region.code for commune in notice.communes.all() if commune.region}
    specs += [f"region:{code}" for code in sorted(regions - {""})]
    return specs
