"""The places an export reads, streamed from the database as light rows (both backends alike).

A national export reads a million places: as model instances with prefetched relations that is
~1,300 places a second. Here a place is a `PlaceRow`, built from one `values_list` tuple that the
database cursor streams (a server-side cursor on PostGIS, SQLite's own cursor on SpatiaLite), so
memory holds one chunk whatever the size. A row has the attributes of `Place` that the record
builders read (`pk`, `name`, `organisation`, `commune`, `location.x`, `kinds.all()`,
`language_codes`, `get_absolute_url()`…): csv_geojson.place_properties, data_inclusion.structure
or hsds.location take a model instance or a row alike, so each format is written in one place.

Per chunk of rows, one query per relation: the organisations and communes not met yet (real
instances, kept while the stream lasts) and the kinds and competences of the chunk's places
(the taxonomies' instances, loaded once).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from core.sql import in_values
from directory.models import Competence, Organisation, Place, place_url_parts
from directory.selectors import competences, kinds
from directory.validators import split_languages
from geodata.functions import Latitude, Longitude
from geodata.models import Department, Region

CHUNK_SIZE = 2_000
# Communes kept between chunks; past it the cache starts again (memory stays flat).
COMMUNE_CACHE_MAX = 50_000

# Columns of a place row, in PlaceRow's slot order after the kinds and competences.
_FIELDS = (
    "pk",
    "slug",
    "name",
    "organisation_id",
    "commune_id",
    "street",
    "postal_code",
    "city",
    "opening_hours",
    "appointment_only",
    "languages",
    "interpreting",
    "wheelchair",
    "public",
    "phone",
    "email",
    "website",
    "description",
    "last_verified",
    "updated_at",
)
_COMMUNE = (
    "commune__code",
    "commune__name",
    "commune__department_id",
    "commune__region_id",
)
_AREA = ("pk", "code", "name")


class XY(NamedTuple):
    """What a row has of a GEOS point: `location.x` and `location.y`."""

    x: float
    y: float


class Related(tuple):
    """A place's kinds or competences, read as the prefetched manager is: `.all()`."""

    __slots__ = ()

    def all(self) -> Related:
        return self


class PlaceRow:
    """One published place as the record builders read it (see the module docstring)."""

    __slots__ = (
        "kinds",
        "competences",
        "location",
        "organisation",
        "commune",
        "_url",
        *_FIELDS,
    )
    pk: int
    slug: str
    name: str
    organisation: Organisation
    commune: CommuneRow | None
    location: XY
    kinds: Related
    competences: Related
    languages: str
    last_verified: date | None
    updated_at: datetime

    @property
    def language_codes(self) -> list[str]:
        return split_languages(self.languages)

    def get_absolute_url(self) -> str:
        return self._url


@dataclass(frozen=True)
class ServiceTotals:
    """What an HSDS service says of all the places offering it (organisation × competence)."""

    organisation_id: int
    competence_id: int
    count: int
    interpreting: bool  # at one place at least
    appointment_only: bool  # at every place
    last_modified: datetime


class Vocabulary:
    """Kinds and competences by id, and the competences' rank (position, name) as pages sort them."""

    def __init__(self) -> None:
        self.kinds = {k.pk: k for k in kinds()}
        self.competences = {c.pk: c for c in competences()}
        ordered = sorted(self.competences.values(), key=lambda c: (c.position, c.name, c.pk))
        self.competence_rank = {c.pk: i for i, c in enumerate(ordered)}
        ordered_kinds = sorted(self.kinds.values(), key=lambda k: (k.position, k.name, k.pk))
        self.kind_rank = {k.pk: i for i, k in enumerate(ordered_kinds)}

    def competence_rank_expression(self, field: str) -> Case:
        """SQL giving a competence id its rank, to stream offers in the pages' order."""
        whens = [When(**{field: pk}, then=Value(r)) for pk, r in self.competence_rank.items()]
        return Case(*whens, default=Value(len(whens)), output_field=IntegerField())


def _plain(places: QuerySet[Place]) -> QuerySet[Place]:
    return places.select_related(None).prefetch_related(None)


def batches(rows: Iterable) -> Iterator[list]:
    """`rows` in lists of CHUNK_SIZE."""
    iterator = iter(rows)
    while batch := list(islice(iterator, CHUNK_SIZE)):
        yield batch


def _among(model, ids: list[int], column: str = "id") -> RawSQL:
    """`column IN ids`, the ids as one parameter (core/sql.py)."""
    sql, params = in_values(f'"{model._meta.db_table}"."{column}"', ids, array_type="bigint")
    return RawSQL(sql, params, output_field=BooleanField())


class Area(NamedTuple):
    code: str
    name: str


class CommuneRow(NamedTuple):
    """What the builders read of a commune: code, name, department and region (code, name)."""

    code: str
    name: str
    department: Area | None
    region: Area | None


class _Resolver:
    """Turns chunks of value tuples into PlaceRows (a query per relation and chunk, at most)."""

    def __init__(self, vocabulary: Vocabulary, *, with_kinds: bool, with_competences: bool):
        self.vocabulary = vocabulary
        self.url_head, self.url_tail = place_url_parts()
        self.with_kinds = with_kinds
        self.with_competences = with_competences
        self.organisations: dict[int, Organisation] = {}
        self.communes: dict[int, CommuneRow] = {}
        self.departments = {
            pk: Area(code, name) for pk, code, name in Department.objects.values_list(*_AREA)
        }
        self.regions = {
            pk: Area(code, name) for pk, code, name in Region.objects.values_list(*_AREA)
        }

    def _links(self, through, column: str, ids: list[int], rank: dict[int, int], by_id: dict):
        low, high = min(ids), max(ids)
        if high - low < 2 * len(ids):  # ids close together: the index walks the range
            links = through.objects.filter(place_id__gte=low, place_id__lte=high)
        else:
            links = through.objects.filter(_among(through, ids, "place_id"))
        found: dict[int, list[int]] = {}
        for place_id, other in links.values_list("place_id", column):
            found.setdefault(place_id, []).append(other)
        return {
            place_id: Related(by_id[o] for o in sorted(others, key=rank.__getitem__))
            for place_id, others in found.items()
        }

    def _commune(self, v: tuple) -> CommuneRow:
        commune = self.communes.get(v[4])
        if commune is None:
            if len(self.communes) > COMMUNE_CACHE_MAX:
                self.communes.clear()
            commune = self.communes[v[4]] = CommuneRow(
                v[22], v[23], self.departments.get(v[24]), self.regions.get(v[25])
            )
        return commune

    def rows(self, values: list[tuple]) -> list[PlaceRow]:
        """`values`: the _FIELDS, lon, lat, the commune's _COMMUNE columns, then anything else."""
        missing = list({v[3] for v in values} - self.organisations.keys())
        if missing:
            self.organisations.update(Organisation.objects.in_bulk(missing))
        ids = [v[0] for v in values]
        vocabulary = self.vocabulary
        place_kinds = (
            self._links(Place.kinds.through, "kind_id", ids, vocabulary.kind_rank, vocabulary.kinds)
            if self.with_kinds
            else {}
        )
        place_competences = (
            self._links(
                Place.competences.through,
                "competence_id",
                ids,
                vocabulary.competence_rank,
                vocabulary.competences,
            )
            if self.with_competences
            else {}
        )
        organisations = self.organisations
        head, tail = self.url_head, self.url_tail
        none = Related()
        rows = []
        for v in values:
            row = PlaceRow()
            (
                row.pk,
                row.slug,
                row.name,
                row.organisation_id,
                row.commune_id,
                row.street,
                row.postal_code,
                row.city,
                row.opening_hours,
                row.appointment_only,
                row.languages,
                row.interpreting,
                row.wheelchair,
                row.public,
                row.phone,
                row.email,
                row.website,
                row.description,
                row.last_verified,
                row.updated_at,
            ) = v[:20]
            row.location = XY(v[20], v[21])
            row.organisation = organisations[v[3]]
            row.commune = None if v[4] is None else self._commune(v)
            row.kinds = place_kinds.get(v[0], none)
            row.competences = place_competences.get(v[0], none)
            row._url = head + v[1] + tail
            rows.append(row)
        return rows


def _columns(prefix: str = "") -> list:
    """What _Resolver.rows reads, from Place (prefix "") or from a model linked to it."""
    fields = [f"{prefix}{f}" for f in _FIELDS]
    fields[0] = "place_id" if prefix else "pk"
    return [*fields, "export_lon", "export_lat", *(f"{prefix}{f}" for f in _COMMUNE)]


@contextlib.contextmanager
def snapshot() -> Iterator[None]:
    """One consistent view of the directory for all the queries of an export.

    On PostGIS: a read-only REPEATABLE READ transaction (every query of the build sees the
    same snapshot), which is also what server-side cursors need. SQLite reads need nothing:
    a transaction there would hold writers back for the whole build.
    """
    if connection.vendor != "postgresql":
        yield
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def place_rows(
    places: QuerySet[Place],
    *,
    order_by: tuple[str, ...] = ("pk",),
    with_kinds: bool = True,
    with_competences: bool = True,
    vocabulary: Vocabulary | None = None,
) -> Iterator[PlaceRow]:
    """`places` as rows, in `order_by` order (primary key by default)."""
    resolver = _Resolver(
        vocabulary or Vocabulary(), with_kinds=with_kinds, with_competences=with_competences
    )
    values = (
        _plain(places)
        .annotate(export_lon=Longitude("location"), export_lat=Latitude("location"))
        .order_by(*order_by)
        .values_list(*_columns())
    )
    for batch in batches(values.iterator(chunk_size=CHUNK_SIZE)):
        yield from resolver.rows(batch)


def _offers(places: QuerySet[Place], vocabulary: Vocabulary) -> QuerySet:
    """Competence links of `places`, by organisation, competence rank and place."""
    return (
        Place.competences.through.objects.filter(place__in=_plain(places).order_by().values("pk"))
        .annotate(export_rank=vocabulary.competence_rank_expression("competence_id"))
        .order_by("place__organisation_id", "export_rank", "place_id")
    )


def places_by_id(ids: list[int], vocabulary: Vocabulary) -> dict[int, PlaceRow]:
    """The rows of the places `ids` (with their kinds, not their competences), by id."""
    queryset = Place.objects.filter(_among(Place, ids))
    return {
        row.pk: row for row in place_rows(queryset, with_competences=False, vocabulary=vocabulary)
    }


class OfferLink(NamedTuple):
    """The little a bare HSDS service_at_location reads of its place."""

    pk: int
    organisation_id: int
    description: str
    competence: Competence


def offer_links(places: QuerySet[Place], vocabulary: Vocabulary) -> Iterator[OfferLink]:
    """Each competence of each place, by organisation, competence rank and place: the order
    of HSDS services and of their places (the rest of a place: places_by_id)."""
    values = _offers(places, vocabulary).values_list(
        "place_id", "place__organisation_id", "place__description", "competence_id"
    )
    competence = vocabulary.competences
    for pk, organisation_id, description, competence_id in values.iterator(chunk_size=CHUNK_SIZE):
        yield OfferLink(pk, organisation_id, description, competence[competence_id])


def service_totals(places: QuerySet[Place], vocabulary: Vocabulary) -> Iterator[ServiceTotals]:
    """Per organisation × competence, by organisation then competence rank."""
    through = Place.competences.through
    totals = (
        through.objects.filter(place__in=_plain(places).order_by().values("pk"))
        .values("place__organisation_id", "competence_id")
        .annotate(
            count=Count("place_id"),
            interpreting=Count("place_id", filter=Q(place__interpreting=True)),
            appointment=Count("place_id", filter=Q(place__appointment_only=True)),
            last=Max("place__updated_at"),
        )
        .order_by("place__organisation_id", "competence_id")
    )
    rank = vocabulary.competence_rank
    current: list[ServiceTotals] = []
    for t in totals.iterator(chunk_size=CHUNK_SIZE):
        item = ServiceTotals(
            t["place__organisation_id"],
            t["competence_id"],
            t["count"],
            t["interpreting"] > 0,
            t["appointment"] == t["count"],
            t["last"],
        )
        if current and current[0].organisation_id != item.organisation_id:
            yield from sorted(current, key=lambda s: rank[s.competence_id])
            current = []
        current.append(item)
    yield from sorted(current, key=lambda s: rank[s.competence_id])


def organisations_of(places: QuerySet[Place]) -> Iterator[Organisation]:
    """The organisations having at least one of `places`, by primary key."""
    queryset = Organisation.objects.filter(
        pk__in=_plain(places).order_by().values("organisation_id")
    ).order_by("pk")
    return queryset.iterator(chunk_size=CHUNK_SIZE)
