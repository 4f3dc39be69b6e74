"""A real OAI-PMH harvester (oaipmh-scythe) against the live test server.

The live server needs committed data, hence `transactional_db`, whose teardown empties every
table; the geography and seeded vocabularies are put back as tests/browser/conftest.py does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings as django_settings
from oaipmh_scythe import Scythe
from oaipmh_scythe.config import HTTPConfig

from resources.models import Notice, NoticeStatus
from tests.live import ensure_geography
from tests.resources.factories import make_notice

REPOSITORY = "reperes.example.org"


@pytest.fixture(scope="module", autouse=True)
def _leave_geography_loaded(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        ensure_geography()


class RecordingScythe(Scythe):
    """The harvester, keeping the arguments of every request it sends."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sent: list[dict] = []

    def harvest(self, query):
        self.sent.append(dict(query))
        return super().harvest(query)


def harvester(base_url: str, method: str = "GET") -> RecordingScythe:
    return RecordingScythe(
        base_url + "/oai/", http_config=HTTPConfig(http_method=method, timeout=20)
    )


@pytest.fixture
def repository(transactional_db, live_server, settings):
    ensure_geography()
    settings.OAI_PAGE_SIZE = 3
    settings.OAI_REPOSITORY_ID = REPOSITORY
    # One database session per live-server request, closed after it: none left open when
    # the PostGIS test database is dropped.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    people = [("person", "Durand, Paul"), ("organisation", "Forum réfugiés")]
    published = [
        make_notice(
            f"Document {i:02d}",
            year=2000 + i,
            month=(i % 12) + 1 if i % 2 else None,
            authors=people[: 1 + i % 2],
            themes=("langue",) if i < 4 else ("emploi",),
            region="84" if i % 3 == 0 else "",
        )
        for i in range(8)
    ]
    for i, notice in enumerate(published):
        Notice.objects.filter(pk=notice.pk).update(
            updated_at=datetime(2024, 5, 1, 8, 0, tzinfo=UTC) + timedelta(hours=i)
        )
    make_notice("Brouillon", status=NoticeStatus.DRAFT)
    make_notice("En relecture", status=NoticeStatus.IN_REVIEW)
    with harvester(live_server.url, "POST") as scythe:
        yield scythe


def _identifier(notice: Notice) -> str:
    return f"oai:{REPOSITORY}:notice/{notice.slug}"


def test_identify_and_formats(repository, live_server):
    identify = repository.identify()
    assert identify.repositoryName == "Repères — base documentaire"
    assert identify.baseURL == live_server.url + "/oai/"
    assert identify.protocolVersion == "2.0"
    assert identify.adminEmail == django_settings.CONTACT_EMAIL
    assert identify.earliestDatestamp == "2024-05-01T08:00:00Z"
    assert identify.deletedRecord == "no"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert [f.metadataPrefix for f in repository.list_metadata_formats()] == ["oai_dc"]
    some = Notice.objects.filter(status=NoticeStatus.PUBLISHED).first()
    formats = repository.list_metadata_formats(identifier=_identifier(some))
    assert [(f.metadataPrefix, f.metadataNamespace) for f in formats] == [
        ("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc/")
    ]


def test_list_sets(repository):
    sets = {s.setSpec: s.setName for s in repository.list_sets()}
    assert sets["theme:emploi"] == "Thème : Emploi"
    assert sets["type:article"] == "Type de document : Article"
    assert "region:84" in sets


def test_harvest_everything_through_resumption_tokens(repository):
    records = list(repository.list_records(metadata_prefix="oai_dc"))
    # 8 published notices, 3 a page: three requests, the next two resumed by token.
    assert [("resumptionToken" in query) for query in repository.sent] == [False, True, True]
    expected = Notice.objects.filter(status=NoticeStatus.PUBLISHED).order_by("updated_at", "pk")
    assert [r.header.identifier for r in records] == [_identifier(n) for n in expected]
    for record, notice in zip(records, expected, strict=True):
        assert record.header.datestamp == notice.updated_at.astimezone(UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        assert record.metadata["title"] == [notice.title]
        assert record.metadata["creator"] == [a.name for a in notice.authors.all()]
        date = f"{notice.year}-{notice.month:02d}" if notice.month else str(notice.year)
        assert record.metadata["date"] == [date]
        assert record.metadata["description"] == [notice.abstract]
        assert f"type:{notice.type}" in record.header.setSpecs


def test_get_record(repository, live_server):
    notice = Notice.objects.get(title="Document 03")
    record = repository.get_record(identifier=_identifier(notice), metadata_prefix="oai_dc")
    assert record.header.identifier == _identifier(notice)
    assert record.metadata["creator"] == ["Durand, Paul", "Forum réfugiés"]
    assert record.metadata["subject"] == ["Langue"]
    assert live_server.url + notice.get_absolute_url() in record.metadata["identifier"]


def test_list_identifiers_by_set_and_dates_with_get(repository, live_server):
    with harvester(live_server.url, "GET") as scythe:
        headers = list(
            scythe.list_identifiers(
                metadata_prefix="oai_dc",
                set_="theme:emploi",
                from_="2024-05-01T13:00:00Z",
                until="2024-05-01T14:00:00Z",  # inclusive: Document 06 changed at 14:00
            )
        )
        assert [h.identifier for h in headers] == [
            _identifier(Notice.objects.get(title=t)) for t in ("Document 05", "Document 06")
        ]
        headers = list(scythe.list_identifiers(metadata_prefix="oai_dc", set_="region:84"))
        assert [h.identifier for h in headers] == [
            _identifier(Notice.objects.get(title=t))
            for t in ("Document 00", "Document 03", "Document 06")
        ]
        # Day granularity, `until` inclusive: the whole of 1 May.
        headers = list(scythe.list_identifiers(from_="2024-05-01", until="2024-05-01"))
        assert len(headers) == 8
        assert all("resumptionToken" not in q or len(q) == 2 for q in scythe.sent)
