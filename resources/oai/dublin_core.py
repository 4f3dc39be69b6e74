"""A notice as unqualified Dublin Core (`oai_dc`), the format every OAI-PMH harvester reads.

Choices, following the DCMI and OpenAIRE/BnF usage for library aggregators:
- dc:creator "Nom, Prénom" for a person, the name for an organisation, in title-page order;
- dc:date in W3CDTF, as precise as known (2019, 2019-03, 2019-03-15);
- dc:type twice: the French label of the notice type and, where one fits, the DCMI type;
- dc:language as kept (ISO 639-1, valid RFC 5646);
- dc:identifier: the notice page, its PDF if any, then urn:isbn:, urn:issn: and the DOI as a
  https://doi.org/ URI (the DOI Foundation's recommended form);
- dc:source: the journal or series, with pages; dc:coverage: the territory covered;
- dc:relation: the external link. No dc:rights: the notices do not record the documents' terms.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext as _
from lxml import etree as ET

from ..formats.records import type_label
from ..models import AuthorKind, Notice, NoticeType, Scope

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
# What XML 1.0 cannot carry (control characters), dropped from any text written.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
DCMI_TYPES = {
    NoticeType.REPORT: "Text",
    NoticeType.STUDY: "Text",
    NoticeType.ARTICLE: "Text",
    NoticeType.BOOK: "Text",
    NoticeType.GUIDE: "Text",
    NoticeType.LEGAL_TEXT: "Text",
    NoticeType.VIDEO: "MovingImage",
    # A teaching tool may be a game, a kit or a booklet, "other" anything: no DCMI type.
}


def xml_text(text: str) -> str:
    return NOT_XML.sub("", text)


def creator_name(kind: str, name: str) -> str:
    """ "Family, Given" for a person (as the notice keeps it, spaces tidied), else the name."""
    if kind == AuthorKind.PERSON and "," in name:
        family, _sep, given = name.partition(",")
        return f"{family.strip()}, {given.strip()}" if given.strip() else family.strip()
    return name.strip()


def date_text(notice: Notice) -> str:
    parts = notice.date_parts
    return "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])]) if parts else ""


def coverage(notice: Notice) -> list[str]:
    """The territory covered, from the widest: région, département, communes; "France"
    for a national notice."""
    places = []
    if notice.region:
        places.append(notice.region.name)
    if notice.department:
        places.append(notice.department.name)
    places += [commune.name for commune in notice.communes.all()]
    if not places and notice.scope == Scope.NATIONAL:
        places.append("France")
    return places


def identifiers(notice: Notice, absolute: Callable[[str], str]) -> list[str]:
    found = [absolute(notice.get_absolute_url())]
    if notice.file:
        found.append(absolute(reverse("resources:notice-file", kwargs={"slug": notice.slug})))
    if notice.isbn:
        found.append(f"urn:isbn:{notice.isbn.replace('-', '')}")
    if notice.issn:
        found.append(f"urn:issn:{notice.issn}")
    if notice.doi:
        found.append(f"https://doi.org/{notice.doi}")
    return found


def source(notice: Notice) -> str:
    if not notice.container_title:
        return ""
    if notice.pages:
        return _("%(container)s, p. %(pages)s") % {
            "container": notice.container_title,
            "pages": notice.pages,
        }
    return notice.container_title


def oai_dc(notice: Notice, absolute: Callable[[str], str]) -> ET._Element:
    """The <oai_dc:dc> element of a notice fetched by selectors.harvestable_notices()."""
    root = ET.Element(
        f"{{{OAI_DC_NS}}}dc",
        {f"{{{XSI_NS}}}schemaLocation": f"{OAI_DC_NS} {OAI_DC_SCHEMA}"},
        nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS},
    )

    def add(name: str, *values: str) -> None:
        for value in values:
            if value:
                ET.SubElement(root, f"{{{DC_NS}}}{name}").text = xml_text(value)

    add("title", notice.title)
    add("creator", *(creator_name(a.kind, a.name) for a in notice.authors.all()))
    add("subject", *(theme.name for theme in notice.themes.all()))
    add("description", notice.abstract)
    add("publisher", notice.publisher)
    add("date", date_text(notice))
    add("type", type_label(notice.type), DCMI_TYPES.get(notice.type, ""))
    add("identifier", *identifiers(notice, absolute))
    add("source", source(notice))
    add("language", notice.language)
    add("relation", notice.url)
    add("coverage", *coverage(notice))
    return root
