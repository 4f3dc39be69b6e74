"""Fixtures of the export tests: a small published directory with a draft and an archived place
beside it, and the HSDS 3.0 JSON schemas (tests using them skip when the folder is absent)."""

from __future__ import annotations

import gzip
import json
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.validators import validator_for
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from directory.models import Access, Competence, Kind, LegalKind, Status
from tests.factories import OrganisationFactory, PlaceFactory

HSDS_DIR = Path(settings.BASE_DIR).parent / "shared" / "standards" / "hsds-3.0"
BASE_URL = "http://testserver"

# Where the published test places are (all inside the test départements): lon, lat.
LYON = (4.8357, 45.7640)
MARSEILLE = (5.3698, 43.2965)
SAINT_ETIENNE = (4.3872, 45.4397)
VILLEURBANNE = (4.8799, 45.7667)


@contextmanager
def database_down():
    """The database unreachable, as when its server is down: the default connection now
    points where nothing answers (a closed port on PostGIS, a file that cannot be opened
    on SpatiaLite). The test's own connection is put back afterwards, untouched."""
    real = connections["default"]
    unreachable = dict(real.settings_dict)
    if real.vendor == "postgresql":
        unreachable.update(HOST="127.0.0.1", PORT="9", NAME="absent")  # nothing listens on 9
    else:
        unreachable["NAME"] = "/nonexistent-folder/reperes.sqlite3"
    broken = type(real)(unreachable, alias="default")
    connections["default"] = broken
    try:
        yield
    finally:
        connections["default"] = real
        broken.close()


@contextmanager
def database_fails_after(queries: int | None):
    """The connection lost half-way: every query after the first `queries` fails (None: none
    fails). Yields the list of the queries run, to count them in a first, clean run."""
    run_queries: list[str] = []

    def execute(run, sql, params, many, context):
        run_queries.append(sql)
        if queries is not None and len(run_queries) > queries:
            raise OperationalError("server closed the connection unexpectedly")
        return run(sql, params, many, context)

    with connection.execute_wrapper(execute):
        yield run_queries


@pytest.fixture(autouse=True)
def exports_root(settings, tmp_path) -> Path:
    """Each test builds its files in a folder of its own (builds happen on first download)."""
    settings.EXPORTS_ROOT = tmp_path / "exports"
    settings.EXPORTS_BASE_URL = ""
    return settings.EXPORTS_ROOT


# --- a small directory -------------------------------------------------------------------------


@pytest.fixture
def directory(db):
    """Three published places of two organisations, one draft, one archived."""
    competence = {c.slug: c for c in Competence.objects.all()}
    kind = {k.slug: k for k in Kind.objects.all()}
    asso = OrganisationFactory(
        name="Passerelles Accueil",
        slug="passerelles-accueil",
        description="Association qui porte la plateforme d'accueil des primo-arrivants.",
        email="contact@passerelles.example.org",
        phone="04 00 00 00 16",
        website="https://passerelles.example.org",
    )
    city = OrganisationFactory(
        name="Ville de Saint-Étienne",
        slug="ville-saint-etienne",
        legal_kind=LegalKind.LOCAL_AUTHORITY,
    )
    lyon = PlaceFactory(
        name="Plateforme d'accueil — Lyon 7e",
        slug="plateforme-lyon",
        organisation=asso,
        lon=LYON[0],
        lat=LYON[1],
        street="12 rue de Marseille",
        postal_code="69007",
        description="Premier accueil, orientation et cours de français pour adultes.",
        opening_hours="Mo-Fr 09:00-12:00,14:00-17:00; We 09:00-12:00",
        languages="fr,en,ar",
        interpreting=True,
        wheelchair=Access.YES,
        phone="04 00 00 00 17",
        email="lyon@passerelles.example.org",
        website="https://passerelles.example.org/lyon",
        public="Personnes arrivées en France depuis moins de cinq ans",
        last_verified=date(2025, 3, 1),
        competences=[
            competence["accueil-orientation"],
            competence["apprentissage-francais"],
            competence["sejour"],
        ],
        kinds=[kind["accueil-primo-arrivants"], kind["maison-des-langues"]],
    )
    marseille = PlaceFactory(
        name="Plateforme d'accueil — Marseille",
        slug="plateforme-marseille",
        organisation=asso,
        lon=MARSEILLE[0],
        lat=MARSEILLE[1],
        street="3 boulevard d'Athènes",
        postal_code="13001",
        opening_hours="Mo,Th 10:00-16:00; PH off",
        appointment_only=True,
        competences=[competence["accueil-orientation"], competence["logement-hebergement"]],
        kinds=[kind["accueil-primo-arrivants"]],
    )
    saint_etienne = PlaceFactory(
        name="Point d'accès au droit",
        slug="pad-saint-etienne",
        organisation=city,
        lon=SAINT_ETIENNE[0],
        lat=SAINT_ETIENNE[1],
        opening_hours="",
        competences=[competence["conseil-juridique"], competence["interpretariat-mediation"]],
        kinds=[kind["point-acces-droit"]],
    )
    draft = PlaceFactory(
        name="Brouillon",
        slug="brouillon",
        organisation=asso,
        lon=VILLEURBANNE[0],
        lat=VILLEURBANNE[1],
        status=Status.DRAFT,
        competences=[competence["sante"]],
    )
    archived_org = OrganisationFactory(name="Ancienne association", slug="ancienne")
    archived = PlaceFactory(
        name="Fermé",
        slug="ferme",
        organisation=archived_org,
        lon=VILLEURBANNE[0],
        lat=VILLEURBANNE[1],
        status=Status.ARCHIVED,
        competences=[competence["sante"]],
    )
    return {
        "published": [lyon, marseille, saint_etienne],
        "hidden": [draft, archived],
        "organisations": [asso, city],
        "hidden_organisation": archived_org,
    }


@pytest.fixture
def many_places(db):
    """Enough places for an N+1 to show in a query count."""
    competences = list(Competence.objects.all()[:4])
    kinds = list(Kind.objects.all()[:2])
    organisations = [OrganisationFactory() for _ in range(3)]
    return [
        PlaceFactory(
            organisation=organisations[i % 3],
            lon=4.80 + i * 0.005,
            lat=45.75,
            competences=competences,
            kinds=kinds,
            languages="fr,en",
            phone="04 00 00 00 00",
        )
        for i in range(12)
    ]


@pytest.fixture
def tricky_places(db):
    """Values a CSV writer can get wrong: formulas, quotes, line breaks, empty strings,
    coordinates on a rounding tie, integral, tiny or negative, a place outside any commune."""
    competence = Competence.objects.get(slug="sante")
    organisation = OrganisationFactory(name='=HYPERLINK("http://evil.example")', slug="evil")
    return [
        PlaceFactory(
            organisation=organisation,
            name='=1+1 "guillemets", virgule',
            lon=4.8357005,  # 7 decimals ending in 5: a tie for round(…, 6)
            lat=45.7640015,
            street="@SUM(A1)",
            phone="+33 4 00 00 00 17",
            public="-2+3",
            description="Première ligne\nseconde ligne\r\ntroisième",
            website="",
            languages="FR; en ,ar",
            competences=[competence],
        ),
        PlaceFactory(
            organisation=organisation,
            name="\tTabulation",
            lon=5.0,  # integral: 5.0, not 5
            lat=43.0,
            email="",
            description="\rretour chariot",
            opening_hours="",
        ),
        PlaceFactory(
            organisation=organisation,
            name="Au large",  # outside every commune of the test geography
            lon=-0.0000001,  # rounds to -0.0
            lat=0.0000049,  # 5e-06
            city="Nulle part",
        ),
    ]


def streamed(response) -> bytes:
    """The body as the client reads it, gzip-decoded if the server encoded it."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body


def streamed_json(response):
    return json.loads(streamed(response).decode("utf-8"))


# --- HSDS schemas ------------------------------------------------------------------------------


def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlparse(value)
    return bool(parts.scheme and (parts.netloc or parts.path))


def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None


class HsdsSchemas:
    """The HSDS 3.0 schemas, validating with formats checked (uuid, email, uri, date-time)."""

    def __init__(self, folder: Path):
        self.folder = folder
        resources = [
            (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT202012))
            for path in sorted(folder.glob("*.json"))
        ]
        self.registry = Registry().with_resources(resources)
        self.format_checker = FormatChecker()
        self.format_checker.checks("uri", raises=ValueError)(_uri)
        self.format_checker.checks("date-time", raises=ValueError)(_date_time)
        self._validators: dict[str, Draft202012Validator] = {}

    def validator(self, name: str):
        """`name` is relative to the folder: "location.json", "compiled/service.json"."""
        if name not in self._validators:
            schema = json.loads((self.folder / name).read_text())
            cls = validator_for(schema, default=Draft202012Validator)
            self._validators[name] = cls(
                schema, registry=self.registry, format_checker=self.format_checker
            )
        return self._validators[name]

    def errors(self, name: str, record: dict) -> list[str]:
        return [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in self.validator(name).iter_errors(record)
        ]


def load_hsds_schemas(folder: Path) -> HsdsSchemas:
    if not folder.is_dir():
        pytest.skip(f"HSDS schemas absent: {folder} not found")
    return HsdsSchemas(folder)


@pytest.fixture(scope="session")
def hsds_schemas() -> HsdsSchemas:
    return load_hsds_schemas(HSDS_DIR)
