"""Building press watch items for tests, through the service the admin and the demo use."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils.text import slugify

from directory.models import Organisation
from geodata.models import Region
from practices.models import Theme
from resources.models import NoticeStatus, WatchItem
from resources.services import watch_item_save
from tests.practices.factories import member_centre


def make_watch_item(
    title: str,
    *,
    published_on: date = date(2025, 3, 14),
    themes: Iterable[str] = ("langue",),
    regions: Iterable[str] = (),
    status: str = NoticeStatus.PUBLISHED,
    author_centre: Organisation | None = None,
    **fields,
) -> WatchItem:
    fields.setdefault("url", f"https://exemple.org/presse/{slugify(title)}")
    fields.setdefault("source", "La Gazette des tests")
    fields.setdefault("summary", f"Résumé de l'article « {title} ».")
    item = WatchItem(
        title=title,
        published_on=published_on,
        status=status,
        author_centre=author_centre or member_centre(),
        **fields,
    )
    return watch_item_save(
        item=item,
        themes=list(Theme.objects.filter(slug__in=list(themes))),
        regions=list(Region.objects.filter(code__in=list(regions))),
    )
