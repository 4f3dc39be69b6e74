"""One description of a notice between the database and the library formats (RIS, BibTeX):
what an export writes and what an import reads, before it becomes a Notice."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import AuthorKind, Notice, NoticeType

DATE = re.compile(r"^\s*(\d{4})(?:[/-](\d{1,2})?(?:[/-](\d{1,2})?)?)?")
# Every line boundary str.splitlines() knows: in RIS or BibTeX a new line can start a record.
LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    return LINE_BREAKS.sub(" ", text)


@dataclass
class Record:
    title: str = ""
    type: str = NoticeType.OTHER
    authors: list[tuple[str, str]] = field(default_factory=list)  # (kind, name)
    year: int | None = None
    month: int | None = None
    day: int | None = None
    publisher: str = ""
    place_published: str = ""
    container_title: str = ""
    pages: str = ""
    abstract: str = ""
    url: str = ""
    isbn: str = ""
    issn: str = ""
    doi: str = ""
    language: str = ""
    keywords: list[str] = field(default_factory=list)
    key: str = ""  # the notice's slug on export; the file's own id on import
    position: int | None = None  # the record's number in an imported file, when known


def from_notice(notice: Notice) -> Record:
    return Record(
        title=notice.title,
        type=notice.type,
        authors=[(a.kind, a.name) for a in notice.authors.all()],
        year=notice.year,
        month=notice.month,
        day=notice.day,
        publisher=notice.publisher,
        place_published=notice.place_published,
        container_title=notice.container_title,
        pages=notice.pages,
        abstract=notice.abstract,
        url=notice.url,
        isbn=notice.isbn,
        issn=notice.issn,
        doi=notice.doi,
        language=notice.language,
        keywords=[t.name for t in notice.themes.all()],
        key=notice.slug,
    )


def parse_date(text: str) -> tuple[int | None, int | None, int | None]:
    """ "2019", "2019/03", "2019/03/15", "2019///" (RIS) or "2019-03-15"."""
    match = DATE.match(text or "")
    if not match:
        return None, None, None
    year, month, day = (int(g) if g else None for g in match.groups())
    return year, month, day


def type_from_label(text: str) -> str | None:
    """A type written by these exports (its French label or its code), or None."""
    text = (text or "").strip().lower()
    for value, label in NoticeType.choices:
        if text in (value, str(label).lower()):
            return value
    return None


def type_label(value: str) -> str:
    return str(dict(NoticeType.choices).get(value, _("Autre")))


def author_kind(name: str) -> str:
    """Library exports write people as "Nom, Prénom"; a name without comma is an organisation."""
    return AuthorKind.PERSON if "," in name else AuthorKind.ORGANISATION
