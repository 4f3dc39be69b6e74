"""The OAI-PMH provider through Django's test client: records, sets, dates, tokens, errors.
(A real harvester runs against the live server in test_oai_harvest.py.)"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.core import signing
from lxml import etree

from resources.models import Notice, NoticeStatus
from resources.oai.arguments import TOKEN_SALT
from tests.resources.factories import make_notice

pytestmark = pytest.mark.django_db

NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
ID = "oai:reperes.example.org:notice/"


@pytest.fixture(autouse=True)
def _oai_settings(settings):
    settings.OAI_REPOSITORY_ID = "reperes.example.org"
    settings.OAI_PAGE_SIZE = 3


def oai(client, method: str = "get", **params) -> etree._Element:
    response = getattr(client, method)("/oai/", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return etree.fromstring(response.content)


def error_codes(root) -> list[str]:
    return [e.get("code") for e in root.findall("oai:error", NS)]


def set_updated(notice: Notice, moment: str) -> None:
    Notice.objects.filter(pk=notice.pk).update(updated_at=datetime.fromisoformat(moment))


def identifiers(root) -> list[str]:
    return [e.text for e in root.iterfind(".//oai:header/oai:identifier", NS)]


@pytest.fixture
def notices():
    made = [
        make_notice(f"Notice {i}", year=2010 + i, themes=("langue",) if i % 2 else ("emploi",))
        for i in range(5)
    ]
    for i, notice in enumerate(made):
        set_updated(notice, f"2024-03-0{i + 1}T10:00:00+00:00")
    make_notice("Brouillon caché", status=NoticeStatus.DRAFT)
    return made


# --- the protocol's envelope and Identify ------------------------------------------------


def test_identify_envelope(client, notices):
    root = oai(client, verb="Identify")
    assert root.tag == "{http://www.openarchives.org/OAI/2.0/}OAI-PMH"
    assert root.get(f"{{{NS['xsi']}}}schemaLocation").split() == [
        NS["oai"],
        "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd",
    ]
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", root.findtext("oai:responseDate", "", NS)
    )
    request = root.find("oai:request", NS)
    assert request.text == "http://testserver/oai/"
    assert request.get("verb") == "Identify"
    identify = root.find("oai:Identify", NS)
    assert identify.findtext("oai:baseURL", "", NS) == "http://testserver/oai/"
    assert identify.findtext("oai:protocolVersion", "", NS) == "2.0"
    assert identify.findtext("oai:adminEmail", "", NS) == "contact@reperes.example.org"
    assert identify.findtext("oai:earliestDatestamp", "", NS) == "2024-03-01T10:00:00Z"
    assert identify.findtext("oai:deletedRecord", "", NS) == "no"
    assert identify.findtext("oai:granularity", "", NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert "reperes.example.org" in etree.tostring(identify.find("oai:description", NS)).decode()


def test_post_is_accepted_without_csrf_token(notices):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    root = oai(client, "post", verb="ListIdentifiers", metadataPrefix="oai_dc", set="theme:emploi")
    assert identifiers(root) == [f"{ID}notice-0", f"{ID}notice-2", f"{ID}notice-4"]


# --- records -----------------------------------------------------------------------------


def test_get_record_in_dublin_core(client, db):
    notice = make_notice(
        "Apprendre le français en Rhône",
        authors=(("person", "Martin ,  Anne"), ("organisation", "Cimade")),
        themes=("langue", "emploi"),
        region="84",
        year=2019,
        month=3,
        publisher="Éditions du Fleuve",
        container_title="Hommes et migrations",
        pages="12-18",
        language="fr",
        doi="10.4000/hommesmigrations.1234",
        isbn="978-2-07-036822-8",
        url="https://exemple.org/rapport",
    )
    root = oai(client, verb="GetRecord", identifier=ID + notice.slug, metadataPrefix="oai_dc")
    header = root.find(".//oai:header", NS)
    assert [e.text for e in header.findall("oai:setSpec", NS)] == [
        "type:report",
        "theme:langue",
        "theme:emploi",
        "region:84",
    ]
    dc = root.find(".//oai_dc:dc", NS)
    assert dc.get(f"{{{NS['xsi']}}}schemaLocation").split()[0] == NS["oai_dc"]

    def values(name):
        return [e.text for e in dc.findall(f"dc:{name}", NS)]

    assert values("title") == ["Apprendre le français en Rhône"]
    assert values("creator") == ["Martin, Anne", "Cimade"]
    assert values("date") == ["2019-03"]
    assert values("subject") == ["Langue", "Emploi"]
    assert values("type") == ["Rapport", "Text"]
    assert values("publisher") == ["Éditions du Fleuve"]
    assert values("source") == ["Hommes et migrations, p. 12-18"]
    assert values("language") == ["fr"]
    assert values("coverage") == ["Auvergne-Rhône-Alpes"]
    assert values("relation") == ["https://exemple.org/rapport"]
    assert values("identifier") == [
        f"http://testserver/documentation/{notice.slug}/",
        "urn:isbn:9782070368228",
        "https://doi.org/10.4000/hommesmigrations.1234",
    ]
    assert values("description") == [notice.abstract]


def test_drafts_are_not_exposed(client, notices):
    draft = Notice.objects.get(status=NoticeStatus.DRAFT)
    root = oai(client, verb="GetRecord", identifier=ID + draft.slug, metadataPrefix="oai_dc")
    assert error_codes(root) == ["idDoesNotExist"]
    root = oai(client, verb="ListMetadataFormats", identifier=ID + draft.slug)
    assert error_codes(root) == ["idDoesNotExist"]


def test_list_records_pages_with_signed_tokens(client, notices, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert identifiers(root) == [f"{ID}notice-{i}" for i in range(3)]
    token = root.find(".//oai:resumptionToken", NS)
    assert (token.get("completeListSize"), token.get("cursor")) == ("5", "0")
    assert token.get("expirationDate")
    # A record changed meanwhile moves to the end: neither skipped nor repeated.
    set_updated(notices[0], "2025-01-01T00:00:00+00:00")
    root = oai(client, verb="ListRecords", resumptionToken=token.text)
    assert identifiers(root) == [f"{ID}notice-{i}" for i in (3, 4, 0)]
    last = root.find(".//oai:resumptionToken", NS)
    assert (last.text, last.get("cursor"), last.get("completeListSize")) == (None, "3", "5")
    assert root.find("oai:request", NS).get("resumptionToken") == token.text


def test_from_until_both_granularities(client, notices):
    def listed(**dates):
        root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **dates)
        return identifiers(root) or error_codes(root)

    assert listed(**{"from": "2024-03-02", "until": "2024-03-03"}) == [
        f"{ID}notice-1",
        f"{ID}notice-2",
    ]
    # until is inclusive, to the second
    assert listed(**{"from": "2024-03-02T10:00:00Z", "until": "2024-03-02T10:00:00Z"}) == [
        f"{ID}notice-1"
    ]
    assert listed(**{"from": "2024-03-02T10:00:01Z", "until": "2024-03-03T09:59:59Z"}) == [
        "noRecordsMatch"
    ]
    assert listed(until="2024-02-28") == ["noRecordsMatch"]


def test_until_the_last_day_of_the_calendar_is_no_error(client, notices):
    everything = identifiers(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc"))
    for until in ("9999-12-31", "9999-12-31T23:59:59Z"):
        root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until=until)
        assert identifiers(root) == everything != [], until


def test_sets(client, notices):
    root = oai(client, verb="ListSets")
    sets = {
        s.findtext("oai:setSpec", "", NS): s.findtext("oai:setName", "", NS)
        for s in root.iterfind(".//oai:set", NS)
    }
    assert sets["type:report"] == "Type de document : Rapport"
    assert sets["theme:langue"] == "Thème : Langue"
    assert sets["region:84"] == "Région : Auvergne-Rhône-Alpes"
    assert {"type", "theme", "region"} <= sets.keys()
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="theme:langue")
    assert identifiers(root) == [f"{ID}notice-1", f"{ID}notice-3"]
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="type:video")
    assert error_codes(root) == ["noRecordsMatch"]


def test_region_set_includes_notices_about_its_communes(client, db):
    from geodata.models import Commune
    from resources.services import notice_save

    notice = make_notice("Lyon et ses quartiers")
    notice.scope = "communes"
    notice_save(notice=notice, communes=[Commune.objects.get(code="69123")])
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc", set="region:84")
    assert identifiers(root) == [ID + notice.slug]
    assert "Lyon" in [e.text for e in root.iterfind(".//dc:coverage", NS)]


# --- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "from": "2024-01-01"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "colour": "red"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "01/03/2024"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-02-30"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-03-02",
                "until": "2024-03-01",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-03-01",
                "until": "2024-03-02T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "GetRecord", "identifier": ID + "notice-0"}, "badArgument"),
        (
            {"verb": "GetRecord", "identifier": ID + "nope", "metadataPrefix": "oai_dc"},
            "idDoesNotExist",
        ),
        (
            {"verb": "GetRecord", "identifier": "notice-0", "metadataPrefix": "oai_dc"},
            "idDoesNotExist",
        ),
        ({"verb": "ListMetadataFormats", "identifier": ID + "nope"}, "idDoesNotExist"),
        ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "forged"}, "badResumptionToken"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "colour:red"},
            "noRecordsMatch",
        ),
    ],
)
def test_errors(client, notices, params, code):
    root = oai(client, **params)
    assert error_codes(root) == [code]
    request = root.find("oai:request", NS)
    assert request.text == "http://testserver/oai/"
    # After badVerb or badArgument the request element names no argument.
    assert (dict(request.attrib) == {}) is (code in ("badVerb", "badArgument"))
    assert root.find("oai:error", NS).text


def test_tampered_or_misused_token(client, notices):
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.find(".//oai:resumptionToken", NS).text
    state = signing.loads(token, salt=TOKEN_SALT)
    state["cursor"] = 0
    state["args"]["set"] = "theme:langue"
    unsigned = signing.dumps(state, salt="another salt", compress=True)
    for forged in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), unsigned):
        root = oai(client, verb="ListIdentifiers", resumptionToken=forged)
        assert error_codes(root) == ["badResumptionToken"]
    # A ListIdentifiers token is no ListRecords token.
    root = oai(client, verb="ListRecords", resumptionToken=token)
    assert error_codes(root) == ["badResumptionToken"]


def test_expired_token(client, notices, settings):
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.find(".//oai:resumptionToken", NS).text
    settings.OAI_TOKEN_MAX_AGE = -1
    root = oai(client, verb="ListIdentifiers", resumptionToken=token)
    assert error_codes(root) == ["badResumptionToken"]


def test_empty_repository(client, db):
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert error_codes(root) == ["noRecordsMatch"]
    stamp = oai(client, verb="Identify").findtext(".//oai:earliestDatestamp", "", NS)
    assert stamp <= datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_other_methods_refused(client):
    assert client.put("/oai/?verb=Identify").status_code == 405
