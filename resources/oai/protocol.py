"""The six OAI-PMH verbs, each answered as the <OAI-PMH> document the protocol defines
(see the package's docstring for the choices made)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext as _
from lxml import etree as ET

from . import selectors
from .arguments import (
    Harvest,
    OAIError,
    OAIRequest,
    datestamp,
    harvest_of,
    make_token,
    parse_request,
    token_expiry,
)
from .dublin_core import OAI_DC_NS, OAI_DC_SCHEMA, XSI_NS, oai_dc, xml_text

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
METADATA_FORMATS = {"oai_dc": (OAI_DC_SCHEMA, OAI_DC_NS)}
# The oai-identifier guidelines' repositoryIdentifier: a domain name.
DOMAIN = re.compile(r"^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+$")


@dataclass
class Context:
    base_url: str  # the endpoint's address, as the harvester reached it
    absolute: Callable[[str], str]  # a site path made an absolute URL


def _q(name: str) -> str:
    return f"{{{OAI_NS}}}{name}"


def _add(parent: ET._Element, name: str, text: str = "", **attributes: str) -> ET._Element:
    element = ET.SubElement(parent, _q(name), attributes)
    if text:
        element.text = xml_text(text)
    return element


def repository_id() -> str:
    return settings.OAI_REPOSITORY_ID or urlsplit(settings.SITE_URL).hostname or "localhost"


def oai_identifier(slug: str) -> str:
    return f"oai:{repository_id()}:notice/{slug}"


def slug_of(identifier: str) -> str:
    """The notice's slug an identifier names, "" when it is not one of ours."""
    prefix = oai_identifier("")
    return identifier.removeprefix(prefix) if identifier.startswith(prefix) else ""


def respond(query: QueryDict, context: Context) -> bytes:
    root = ET.Element(
        _q("OAI-PMH"),
        {f"{{{XSI_NS}}}schemaLocation": f"{OAI_NS} {OAI_SCHEMA}"},
        nsmap={None: OAI_NS, "xsi": XSI_NS},
    )
    _add(root, "responseDate", datestamp(datetime.now(UTC)))
    request_element = _add(root, "request", context.base_url)
    try:
        request = parse_request(query)
        request_element.set("verb", request.verb)
        for name, value in request.arguments.items():
            request_element.set(name, xml_text(value))
        root.append(VERBS[request.verb](request, context))
    except OAIError as error:
        if error.hides_arguments:
            request_element.attrib.clear()
        _add(root, "error", error.message, code=error.code)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def identify(request: OAIRequest, context: Context) -> ET._Element:
    element = ET.Element(_q("Identify"))
    earliest = selectors.earliest_datestamp() or datetime.now(UTC)
    _add(element, "repositoryName", settings.OAI_REPOSITORY_NAME)
    _add(element, "baseURL", context.base_url)
    _add(element, "protocolVersion", "2.0")
    _add(element, "adminEmail", settings.CONTACT_EMAIL)
    _add(element, "earliestDatestamp", datestamp(earliest))
    _add(element, "deletedRecord", "no")
    _add(element, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    if DOMAIN.match(repository_id()):
        description = _add(element, "description")
        scheme = ET.SubElement(
            description,
            f"{{{OAI_IDENTIFIER_NS}}}oai-identifier",
            {f"{{{XSI_NS}}}schemaLocation": f"{OAI_IDENTIFIER_NS} {OAI_IDENTIFIER_SCHEMA}"},
            nsmap={None: OAI_IDENTIFIER_NS},
        )
        for name, text in (
            ("scheme", "oai"),
            ("repositoryIdentifier", repository_id()),
            ("delimiter", ":"),
            ("sampleIdentifier", oai_identifier("exemple-de-notice")),
        ):
            ET.SubElement(scheme, f"{{{OAI_IDENTIFIER_NS}}}{name}").text = text
    return element


def list_metadata_formats(request: OAIRequest, context: Context) -> ET._Element:
    if "identifier" in request.arguments:
        _notice_slug(request.arguments["identifier"], exists_only=True)
    element = ET.Element(_q("ListMetadataFormats"))
    for prefix, (schema, namespace) in METADATA_FORMATS.items():
        entry = _add(element, "metadataFormat")
        _add(entry, "metadataPrefix", prefix)
        _add(entry, "schema", schema)
        _add(entry, "metadataNamespace", namespace)
    return element


def list_sets(request: OAIRequest, context: Context) -> ET._Element:
    if "resumptionToken" in request.arguments:
        # The set list always comes whole: no token of ours is ever valid here.
        raise OAIError("badResumptionToken", _("La liste des ensembles n'a pas de suite."))
    element = ET.Element(_q("ListSets"))
    for oai_set in selectors.available_sets():
        entry = _add(element, "set")
        _add(entry, "setSpec", oai_set.spec)
        _add(entry, "setName", oai_set.name)
    return element


def get_record(request: OAIRequest, context: Context) -> ET._Element:
    _check_format(request.arguments["metadataPrefix"])
    notice = selectors.harvested_notice(_notice_slug(request.arguments["identifier"]))
    if notice is None:
        raise _unknown_identifier(request.arguments["identifier"])
    element = ET.Element(_q("GetRecord"))
    element.append(_record(notice, context))
    return element


def list_identifiers(request: OAIRequest, context: Context) -> ET._Element:
    return _list(request, context, headers_only=True)


def list_records(request: OAIRequest, context: Context) -> ET._Element:
    return _list(request, context, headers_only=False)


def _list(request: OAIRequest, context: Context, *, headers_only: bool) -> ET._Element:
    harvest = harvest_of(request)
    _check_format(harvest.metadata_prefix)
    queryset = selectors.selection(set_spec=harvest.set_spec, start=harvest.start, end=harvest.end)
    size = max(1, settings.OAI_PAGE_SIZE)
    notices = selectors.page_after(queryset, harvest.after, size)
    if not notices:
        raise OAIError("noRecordsMatch", _("Aucune notice ne correspond à cette demande."))
    more = len(notices) > size
    notices = notices[:size]
    element = ET.Element(_q(request.verb))
    for notice in notices:
        element.append(_header(notice) if headers_only else _record(notice, context))
    if more or harvest.cursor:
        _add_token(element, request.verb, harvest, notices, more, queryset)
    return element


def _add_token(
    element: ET._Element, verb: str, harvest: Harvest, notices: list, more: bool, queryset
) -> None:
    """The resumptionToken element: a new token while the list goes on, empty on its last
    page; completeListSize counted now (records changed meanwhile may alter it)."""
    sent = harvest.cursor + len(notices)
    attributes = {"completeListSize": str(queryset.count()), "cursor": str(harvest.cursor)}
    if not more:
        _add(element, "resumptionToken", **attributes)
        return
    last = notices[-1]
    token = make_token(verb, harvest, cursor=sent, last=(last.updated_at, last.pk))
    attributes["expirationDate"] = datestamp(token_expiry())
    _add(element, "resumptionToken", token, **attributes)


def _header(notice) -> ET._Element:
    header = ET.Element(_q("header"))
    _add(header, "identifier", oai_identifier(notice.slug))
    _add(header, "datestamp", datestamp(notice.updated_at))
    for spec in selectors.set_specs(notice):
        _add(header, "setSpec", spec)
    return header


def _record(notice, context: Context) -> ET._Element:
    record = ET.Element(_q("record"))
    record.append(_header(notice))
    metadata = _add(record, "metadata")
    metadata.append(oai_dc(notice, context.absolute))
    return record


def _check_format(prefix: str) -> None:
    if prefix not in METADATA_FORMATS:
        raise OAIError(
            "cannotDisseminateFormat",
            _("Le format « %(prefix)s » n'est pas diffusé ; seul oai_dc l'est.")
            % {"prefix": prefix},
        )


def _unknown_identifier(identifier: str) -> OAIError:
    return OAIError(
        "idDoesNotExist",
        _("« %(identifier)s » n'est l'identifiant d'aucune notice publiée.")
        % {"identifier": identifier},
    )


def _notice_slug(identifier: str, *, exists_only: bool = False) -> str:
    slug = slug_of(identifier)
    if not slug or (exists_only and not selectors.notice_exists(slug)):
        raise _unknown_identifier(identifier)
    return slug


VERBS: dict[str, Callable[[OAIRequest, Context], ET._Element]] = {
    "GetRecord": get_record,
    "Identify": identify,
    "ListIdentifiers": list_identifiers,
    "ListMetadataFormats": list_metadata_formats,
    "ListRecords": list_records,
    "ListSets": list_sets,
}
