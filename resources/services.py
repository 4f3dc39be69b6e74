"""Writes of notices, bibliographies and watch items: validated (full_clean), région derived
from the area."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from directory.models import Competence, Organisation
from directory.services import unique_slug
from geodata.models import Region
from practices.models import Theme

from .models import (
    RESERVED_SLUGS,
    AuthorKind,
    Bibliography,
    BibliographyEntry,
    Notice,
    NoticeAuthor,
    Scope,
    WatchItem,
)


@dataclass(frozen=True)
class AuthorData:
    name: str
    kind: str = AuthorKind.PERSON
    organisation: Organisation | None = None


def derive_region(notice: Notice, communes=None) -> None:
    if notice.scope == Scope.DEPARTMENT and notice.department_id:
        notice.region = notice.department.region
    elif notice.scope == Scope.COMMUNES and communes and not notice.region_id:
        notice.region = list(communes)[0].region
    elif notice.scope == Scope.NATIONAL:
        notice.region = None


@transaction.atomic
def notice_save(
    *,
    notice: Notice,
    authors: list[AuthorData] | None = None,
    themes: list[Theme] | None = None,
    competences: list[Competence] | None = None,
    communes=None,
) -> Notice:
    if not notice.slug:
        notice.slug = unique_slug(Notice, notice.title, instance_pk=notice.pk, taken=RESERVED_SLUGS)
    communes = list(communes) if communes is not None else None
    derive_region(notice, communes)
    notice.full_clean()
    notice.save()
    if themes is not None:
        notice.themes.set(themes)
    if competences is not None:
        notice.competences.set(competences)
    if communes is not None:
        notice.communes.set(communes)
    if authors is not None:
        notice_set_authors(notice=notice, authors=authors)
    return notice


def notice_set_authors(*, notice: Notice, authors: list[AuthorData]) -> None:
    notice.authors.all().delete()
    rows = [
        NoticeAuthor(
            notice=notice,
            position=i,
            kind=a.kind,
            name=a.name.strip()[:200],
            organisation=a.organisation,
        )
        for i, a in enumerate(authors)
        if a.name.strip()
    ]
    for row in rows:
        row.full_clean(exclude=["notice"])
    NoticeAuthor.objects.bulk_create(rows)
    notice.authors_text = "; ".join(row.name for row in rows)[:1000]
    notice.save(update_fields=["authors_text", "updated_at"])


@transaction.atomic
def bibliography_save(
    *, bibliography: Bibliography, notices: list[Notice] | None = None
) -> Bibliography:
    if not bibliography.slug:
        bibliography.slug = unique_slug(
            Bibliography, bibliography.title, instance_pk=bibliography.pk
        )
    bibliography.full_clean()
    bibliography.save()
    if notices is not None:
        bibliography.entries.all().delete()
        BibliographyEntry.objects.bulk_create(
            [
                BibliographyEntry(bibliography=bibliography, notice=n, position=i)
                for i, n in enumerate(notices)
            ]
        )
    return bibliography


def notice_refresh_authors_text(notice: Notice) -> None:
    """After the admin's inline saved the authors: the searched and listed names follow."""
    text = "; ".join(notice.authors.order_by("position", "pk").values_list("name", flat=True))
    if text[:1000] != notice.authors_text:
        notice.authors_text = text[:1000]
        notice.save(update_fields=["authors_text", "updated_at"])


@transaction.atomic
def watch_item_save(
    *, item: WatchItem, themes: list[Theme] | None = None, regions: list[Region] | None = None
) -> WatchItem:
    item.full_clean()
    item.save()
    if themes is not None:
        item.themes.set(themes)
    if regions is not None:
        item.regions.set(regions)
    return item
