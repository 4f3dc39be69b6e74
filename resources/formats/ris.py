"""RIS (rispy): records out and in. The French type label travels in M3 ("type of work"),
so our nine types come back as they left; other files' TY decides otherwise."""

from __future__ import annotations

import rispy

from ..models import NoticeType
from .records import Record, author_kind, one_line, parse_date, type_from_label, type_label

RIS_TYPES = {
    NoticeType.REPORT: "RPRT",
    NoticeType.STUDY: "RPRT",
    NoticeType.ARTICLE: "JOUR",
    NoticeType.BOOK: "BOOK",
    NoticeType.GUIDE: "BOOK",
    NoticeType.VIDEO: "VIDEO",
    NoticeType.TEACHING_TOOL: "GEN",
    NoticeType.LEGAL_TEXT: "STAT",
    NoticeType.OTHER: "GEN",
}
FROM_RIS = {
    "RPRT": NoticeType.REPORT,
    "JOUR": NoticeType.ARTICLE,
    "MGZN": NoticeType.ARTICLE,
    "NEWS": NoticeType.ARTICLE,
    "BOOK": NoticeType.BOOK,
    "CHAP": NoticeType.BOOK,
    "EDBOOK": NoticeType.BOOK,
    "VIDEO": NoticeType.VIDEO,
    "STAT": NoticeType.LEGAL_TEXT,
    "BILL": NoticeType.LEGAL_TEXT,
    "THES": NoticeType.STUDY,
}


def to_entry(record: Record) -> dict:
    entry: dict = {
        "type_of_reference": RIS_TYPES.get(record.type, "GEN"),
        "type_of_work": type_label(record.type),
        "title": record.title,
    }
    if record.key:
        entry["id"] = record.key
    # An organisation is written as it is, a person "Nom, Prénom" (author_kind reads it back).
    entry["authors"] = [name for _kind, name in record.authors] or []
    if record.year:
        entry["year"] = str(record.year)
        parts = [f"{record.year:04d}", f"{record.month:02d}" if record.month else ""]
        parts.append(f"{record.day:02d}" if record.day else "")
        entry["date"] = "/".join(parts)
    simple = {
        "publisher": record.publisher,
        "place_published": record.place_published,
        "secondary_title": record.container_title,
        "abstract": record.abstract,
        "doi": record.doi,
        "language": record.language,
        "issn": record.isbn or record.issn,
    }
    entry.update({k: v for k, v in simple.items() if v})
    if record.pages:
        start, _sep, end = record.pages.partition("-")
        entry["start_page"] = start.strip()
        if end.strip():
            entry["end_page"] = end.strip()
    if record.url:
        entry["urls"] = [record.url]
    if record.keywords:
        entry["keywords"] = record.keywords
    if not entry["authors"]:
        del entry["authors"]
    # A line break in a value would let its text start a tag, or a record, of its own.
    return {
        key: [one_line(v) for v in value] if isinstance(value, list) else one_line(value)
        for key, value in entry.items()
    }


def dumps(records: list[Record]) -> str:
    return rispy.dumps([to_entry(r) for r in records])


def from_entry(entry: dict) -> Record:
    names = [*entry.get("authors", []), *entry.get("first_authors", [])]
    year, month, day = parse_date(entry.get("date", ""))
    if year is None:
        year, month, day = parse_date(entry.get("year", "") or entry.get("publication_year", ""))
    start, end = entry.get("start_page", ""), entry.get("end_page", "")
    serial = entry.get("issn", "")
    digits = "".join(c for c in serial if c.isdigit() or c in "xX")
    record = Record(
        title=(entry.get("title") or entry.get("primary_title") or "").strip(),
        type=type_from_label(entry.get("type_of_work", ""))
        or FROM_RIS.get(entry.get("type_of_reference", ""), NoticeType.OTHER),
        authors=[(author_kind(n), n.strip()) for n in names if n.strip()],
        year=year,
        month=month,
        day=day,
        publisher=entry.get("publisher", ""),
        place_published=entry.get("place_published", ""),
        container_title=entry.get("secondary_title", "") or entry.get("journal_name", ""),
        pages=f"{start}-{end}" if start and end else start,
        abstract=(entry.get("abstract") or entry.get("notes_abstract") or "").strip(),
        url=(entry.get("urls") or [""])[0],
        # SN holds an ISBN or an ISSN: eight characters are an ISSN.
        isbn=serial if len(digits) in (10, 13) else "",
        issn=serial if len(digits) == 8 else "",
        doi=entry.get("doi", ""),
        language=entry.get("language", ""),
        keywords=list(entry.get("keywords", [])),
        key=entry.get("id", ""),
    )
    if not record.isbn and not record.issn and serial:
        record.isbn = serial  # neither length: the import reports it as an invalid ISBN
    return record


def loads(text: str) -> list[Record]:
    """The records of a RIS file; ValueError when it is not one."""
    if "TY  -" not in text:
        raise ValueError("no RIS record (no « TY  - » line)")
    entries = rispy.loads(text, skip_unknown_tags=True)
    return [from_entry(e) for e in entries]
