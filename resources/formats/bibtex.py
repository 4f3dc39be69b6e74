"""BibTeX (bibtexparser 2): records out and in.

bibtexparser 2 rather than 1.4: 2.x is the maintained line (1.x gets fixes only), it
parses a damaged file block by block and says which blocks failed — what a per-record
import report needs — where 1.x either drops them silently or stops at the first.

Organisations are written in braces (`{Centre ressources}`), the BibTeX way of saying
"one name, do not split"; people as "Nom, Prénom". The French type label travels in
`type`, so our nine types come back as they left.
"""

from __future__ import annotations

import re

import bibtexparser
from bibtexparser.model import Entry, Field
from pylatexenc.latex2text import LatexNodes2Text

from ..models import AuthorKind, NoticeType
from .records import Record, one_line, parse_date, type_from_label, type_label

BIBTEX_TYPES = {
    NoticeType.REPORT: "techreport",
    NoticeType.STUDY: "techreport",
    NoticeType.ARTICLE: "article",
    NoticeType.BOOK: "book",
    NoticeType.GUIDE: "manual",
    NoticeType.VIDEO: "misc",
    NoticeType.TEACHING_TOOL: "misc",
    NoticeType.LEGAL_TEXT: "misc",
    NoticeType.OTHER: "misc",
}
FROM_BIBTEX = {
    "techreport": NoticeType.REPORT,
    "article": NoticeType.ARTICLE,
    "book": NoticeType.BOOK,
    "inbook": NoticeType.BOOK,
    "incollection": NoticeType.BOOK,
    "manual": NoticeType.GUIDE,
    "phdthesis": NoticeType.STUDY,
    "mastersthesis": NoticeType.STUDY,
}
AND = re.compile(r"\s+and\s+", re.IGNORECASE)


LATEX_SPECIALS = re.compile(r"([&%$#_])")
VERBATIM = {"url", "doi"}  # written as they are: tools read them verbatim


def _safe(text: str) -> str:
    # A stray brace would end the value early (BibTeX has no escape for it), and so would a
    # backslash before the closing one; an "@" at the start of a line opens an entry.
    return one_line(text).replace("{", "(").replace("}", ")")


def _latex(text: str) -> str:
    text = LATEX_SPECIALS.sub(r"\\\1", _safe(text).replace("\\", "\0"))
    return text.replace("\0", r"\textbackslash{}")


def _verbatim(text: str) -> str:
    return _safe(text).replace("\\", "%5C")


def _author(kind: str, name: str) -> str:
    return "{" + _latex(name) + "}" if kind == AuthorKind.ORGANISATION else _latex(name)


def to_entry(record: Record, key: str) -> Entry:
    values = {
        "title": record.title,
        "author": " and ".join(_author(k, n) for k, n in record.authors),
        "type": type_label(record.type),
        "year": str(record.year) if record.year else "",
        "date": "-".join(
            f"{p:02d}" if i else f"{p:04d}"
            for i, p in enumerate(p for p in (record.year, record.month, record.day) if p)
        )
        if record.year and record.month
        else "",
        "publisher": record.publisher,
        "address": record.place_published,
        "journal" if record.type == NoticeType.ARTICLE else "series": record.container_title,
        "pages": record.pages,
        "abstract": record.abstract,
        "url": record.url,
        "isbn": record.isbn,
        "issn": record.issn,
        "doi": record.doi,
        "language": record.language,
        "keywords": ", ".join(record.keywords),
    }
    fields = [
        Field(k, v if k == "author" else _verbatim(v) if k in VERBATIM else _latex(v))
        for k, v in values.items()
        if v
    ]
    return Entry(BIBTEX_TYPES.get(record.type, "misc"), key, fields)


def dumps(records: list[Record]) -> str:
    library = bibtexparser.Library()
    used: set[str] = set()
    for i, record in enumerate(records, start=1):
        key = re.sub(r"[^\w-]", "", record.key) or f"notice{i}"
        while key in used:
            key = f"{key}-{i}"
        used.add(key)
        library.add(to_entry(record, key))
    return bibtexparser.write_string(library)


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "")).strip()


def split_authors(text: str) -> list[tuple[str, str]]:
    """ "Dupont, Marie and {Centre ressources} and Paul Martin" → kinds and names."""
    names, depth, start = [], 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", text, re.IGNORECASE):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            names.append(text[start : match.start()])
            start = match.end()
    names.append(text[start:])
    authors = []
    for raw in (n.strip() for n in names):
        if not raw:
            continue
        if raw.startswith("{") and raw.endswith("}"):
            authors.append((AuthorKind.ORGANISATION, _decoded("name", raw)))
        elif "," in raw:
            authors.append((AuthorKind.PERSON, _decoded("name", raw)))
        else:
            *given, family = _decoded("name", raw).split(" ")
            name = f"{family}, {' '.join(given)}" if given else family
            authors.append((AuthorKind.PERSON if given else AuthorKind.ORGANISATION, name))
    return authors


def _decoded(key: str, value: str) -> str:
    """Accents and specials as LaTeX writes them ({\\'e}, \\&) become plain text."""
    if key not in VERBATIM and "\\" in value:
        value = LatexNodes2Text().latex_to_text(value)
    return _plain(value)


def from_entry(entry: Entry) -> Record:
    raw = {f.key.lower(): str(f.value) for f in entry.fields}
    fields = {k: _decoded(k, v) for k, v in raw.items() if k != "author"}
    raw_author = raw.get("author", "")
    year, month, day = parse_date(fields.get("date", ""))
    if year is None:
        year, _m, _d = parse_date(fields.get("year", ""))
        month_text = fields.get("month", "")
        month = int(month_text) if month_text.isdigit() else None
    return Record(
        title=fields.get("title", ""),
        type=type_from_label(fields.get("type", ""))
        or FROM_BIBTEX.get(entry.entry_type.lower(), NoticeType.OTHER),
        authors=split_authors(raw_author),
        year=year,
        month=month,
        day=day,
        publisher=fields.get("publisher", "") or fields.get("institution", ""),
        place_published=fields.get("address", ""),
        container_title=fields.get("journal", "") or fields.get("series", ""),
        pages=fields.get("pages", "").replace("--", "-"),
        abstract=fields.get("abstract", ""),
        url=fields.get("url", ""),
        isbn=fields.get("isbn", ""),
        issn=fields.get("issn", ""),
        doi=fields.get("doi", ""),
        language=fields.get("language", ""),
        keywords=[k.strip() for k in fields.get("keywords", "").split(",") if k.strip()],
        key=entry.key,
    )


def loads(text: str) -> tuple[list[Record], list[str]]:
    """The records of a BibTeX file, and a message per block that could not be read."""
    library = bibtexparser.parse_string(text)
    failed = [
        f"bloc illisible à la ligne {block.start_line + 1} ({type(block.error).__name__})"
        for block in library.failed_blocks
    ]
    if not library.entries and not failed:
        raise ValueError("no BibTeX entry (@type{key, …})")
    return [from_entry(e) for e in library.entries], failed
