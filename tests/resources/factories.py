"""Building notices for tests, through the same services as the admin and the demo."""

from __future__ import annotations

from collections.abc import Iterable

from directory.models import Organisation
from geodata.models import Region
from practices.models import Theme
from resources.models import Bibliography, Notice, NoticeStatus, Scope
from resources.services import AuthorData, bibliography_save, notice_save
from tests.practices.factories import member_centre


def make_notice(
    title: str,
    *,
    abstract: str = "",
    authors: Iterable[tuple[str, str]] = (("person", "Dupont, Marie"),),
    themes: Iterable[str] = ("langue",),
    region: str = "",
    status: str = NoticeStatus.PUBLISHED,
    author_centre: Organisation | None = None,
    **fields,
) -> Notice:
    fields.setdefault("year", 2020)
    notice = Notice(
        title=title,
        abstract=abstract or f"Résumé du document « {title} ».",
        status=status,
        scope=Scope.REGION if region else Scope.NATIONAL,
        region=Region.objects.get(code=region) if region else None,
        author_centre=author_centre or member_centre(),
        **fields,
    )
    return notice_save(
        notice=notice,
        authors=[AuthorData(name=name, kind=kind) for kind, name in authors],
        themes=list(Theme.objects.filter(slug__in=list(themes))),
    )


def make_bibliography(title: str, notices: list[Notice], **fields) -> Bibliography:
    fields.setdefault("status", NoticeStatus.PUBLISHED)
    fields.setdefault("author_centre", notices[0].author_centre if notices else member_centre())
    return bibliography_save(bibliography=Bibliography(title=title, **fields), notices=notices)
