"""A notice's formatted citation: citeproc-py with the project's ISO 690 author-date style
(csl/iso690-author-date-fr.csl) and the French locale citeproc-py ships (locales-fr-FR.xml).

`csl_item` is the notice as CSL-JSON, the one description the citation reads."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import AuthorKind, Notice, NoticeType

STYLE_PATH = Path(__file__).resolve().parent / "csl" / "iso690-author-date-fr.csl"
CSL_TYPES = {
    NoticeType.REPORT: "report",
    NoticeType.STUDY: "report",
    NoticeType.ARTICLE: "article-journal",
    NoticeType.BOOK: "book",
    NoticeType.GUIDE: "book",
    NoticeType.VIDEO: "motion_picture",
    NoticeType.TEACHING_TOOL: "pamphlet",
    NoticeType.LEGAL_TEXT: "legislation",
    NoticeType.OTHER: "article",
}


@lru_cache(maxsize=1)
def _style() -> CitationStylesStyle:
    return CitationStylesStyle(str(STYLE_PATH), locale="fr-FR", validate=False)


def csl_item(notice: Notice, authors=None) -> dict:
    authors = list(notice.authors.all()) if authors is None else authors
    names = []
    for author in authors:
        if author.kind == AuthorKind.ORGANISATION:
            names.append({"literal": author.name})
        else:
            family, given = author.family_given
            names.append({"family": family, "given": given} if given else {"literal": family})
    item = {
        "id": f"notice-{notice.pk or 0}",
        "type": CSL_TYPES.get(notice.type, "article"),
        "title": notice.title,
        "author": names,
    }
    if notice.year:
        item["issued"] = {"date-parts": [notice.date_parts]}
    optional = {
        "publisher": notice.publisher,
        "publisher-place": notice.place_published,
        "page": notice.pages,
        "ISBN": notice.isbn,
        "ISSN": notice.issn,
        "DOI": notice.doi,
        "URL": notice.url,
        "abstract": notice.abstract,
        "language": notice.language,
    }
    container = "container-title" if notice.type == NoticeType.ARTICLE else "collection-title"
    optional[container] = notice.container_title
    item.update({key: value for key, value in optional.items() if value})
    return item


def _escaped(value):
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


def _render(notice: Notice, output) -> str:
    item = csl_item(notice)
    if output is formatter.html:
        # citeproc-py's html formatter passes text through as it is: escape it first.
        item = _escaped(item)
    bibliography = CitationStylesBibliography(_style(), CiteProcJSON([item]), output)
    bibliography.register(Citation([CitationItem(item["id"])]))
    entries = bibliography.bibliography()
    return str(entries[0]) if entries else notice.title


def citation_html(notice: Notice) -> SafeString:
    # The notice's text is escaped in _render; the style adds only <i>.
    return mark_safe(_render(notice, formatter.html))


def citation_text(notice: Notice) -> str:
    return _render(notice, formatter.plain)
