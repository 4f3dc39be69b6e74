"""Each export written to a sink from streamed rows (rows.py), in memory that does not grow.

A writer takes `(out, places, base_url)` and returns the number of records written. The
records are those of the builders (csv_geojson, data_inclusion, hsds); the CSV is byte for byte
the one `iter_csv` writes, the JSON files parse to what `json_array(iter_…)` and `iter_geojson`
write (tests compare them), serialised by orjson (5× json.dumps): one record per line as
before, without the spaces json.dumps puts after "," and ":".

HSDS nests without bound: an organisation holds all its locations, a service all its places.
Those records are written piece by piece (`_open_object`), as orjson would write them whole, so
that an organisation of 100,000 places costs no more memory than one of three.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import groupby

import orjson
from django.db import connection
from django.db.models import QuerySet

from directory.models import Place
from directory.selectors import competences, kinds

from . import csv_copy, csv_geojson, data_inclusion, hsds
from .rows import (
    OfferLink,
    PlaceRow,
    Vocabulary,
    batches,
    offer_links,
    organisations_of,
    place_rows,
    places_by_id,
    service_totals,
)

FLUSH_BYTES = 1 << 18
LOCATIONS_KEPT = 20_000


class Sink:
    """Bytes (or text, as UTF-8) out to `raw`, a binary file-like, in writes of ~256 KB.

    Writers `count()` their records; `progress(n)` hears of them at each write.
    """

    def __init__(self, raw, progress: Callable[[int], None] | None = None):
        self.raw = raw
        self.progress = progress
        self._parts: list[bytes] = []
        self._pending = 0
        self._counted = 0

    def count(self, records: int = 1) -> None:
        self._counted += records

    def write(self, text: str) -> None:
        self.write_bytes(text.encode("utf-8"))

    def write_bytes(self, data: bytes) -> None:
        self._parts.append(data)
        self._pending += len(data)
        if self._pending > FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            self.raw.write(b"".join(self._parts))
            self._parts = []
            self._pending = 0
        if self._counted and self.progress is not None:
            self.progress(self._counted)
        self._counted = 0


_dumps = orjson.dumps


class _Array:
    """A JSON array of records written one per line, as `json_array` lays it out."""

    def __init__(self, out: Sink):
        self.out = out
        self.count = 0

    def next(self) -> None:
        """Start a record (write it next)."""
        self.out.write_bytes(b",\n" if self.count else b"[\n")
        self.count += 1
        self.out.count()

    def add(self, record: dict) -> None:
        self.next()
        self.out.write_bytes(_dumps(record))

    def close(self) -> int:
        self.out.write_bytes(b"\n]\n" if self.count else b"[]\n")
        return self.count


def _write_array(out: Sink, records: Iterable[dict]) -> int:
    array = _Array(out)
    for record in records:
        array.add(record)
    return array.close()


def _open_object(head: dict, key: str) -> bytes:
    """The JSON of {**head, key: [...]} up to the list's "[" (head is never empty)."""
    return _dumps(head)[:-1] + b"," + _dumps(key) + b":["


def _write_items(out: Sink, records: Iterable[dict]) -> None:
    """The items of a nested list, comma-separated."""
    separator = b""
    for record in records:
        out.write_bytes(separator + _dumps(record))
        separator = b","


class DirectoryChanged(Exception):
    """The places changed between two queries of one export (no snapshot on SpatiaLite)."""


class _Groups:
    """A stream sorted by `key`, taken group by group in increasing key order."""

    def __init__(self, items: Iterable, key: Callable):
        self._groups = groupby(items, key)
        self._current = next(self._groups, None)

    def take(self, wanted) -> Iterator:
        while self._current is not None and self._current[0] < wanted:
            self._current = next(self._groups, None)  # nobody asks for it: skipped
        if self._current is not None and self._current[0] == wanted:
            yield from self._current[1]
            self._current = next(self._groups, None)


# --- places: CSV and GeoJSON ------------------------------------------------------------------


def write_csv(out: Sink, places: QuerySet[Place], base_url: str) -> int:
    if connection.vendor == "postgresql":
        return csv_copy.write_csv(out, places, base_url)
    return write_csv_rows(out, places, base_url)


def write_csv_rows(out: Sink, places: QuerySet[Place], base_url: str) -> int:
    """The CSV from Python rows (SpatiaLite; the reference the PostGIS COPY is tested against)."""
    writer = csv_geojson.csv_writer()
    out.write(csv_geojson.CSV_BOM + writer.writerow(csv_geojson.CSV_COLUMNS))
    count = 0
    for place in place_rows(places):
        out.write(writer.writerow(csv_geojson.csv_row(place, base_url)))
        out.count()
        count += 1
    return count


def write_geojson(out: Sink, places: QuerySet[Place], base_url: str) -> int:
    out.write_bytes(b'{"type": "FeatureCollection", "features": [')
    count = 0
    for place in place_rows(places):
        feature = csv_geojson.place_feature(place, base_url)
        out.write_bytes((b",\n" if count else b"\n") + _dumps(feature))
        out.count()
        count += 1
    out.write_bytes(b"\n]}\n")
    return count


# --- data·inclusion --------------------------------------------------------------------------


def write_structures(out: Sink, places: QuerySet[Place], base_url: str) -> int:
    rows = place_rows(places, with_competences=False)
    return _write_array(out, (data_inclusion.structure(p, base_url) for p in rows))


def write_services(out: Sink, places: QuerySet[Place], base_url: str) -> int:
    rows = place_rows(places)
    return _write_array(
        out,
        (data_inclusion.service(p, c, base_url) for p in rows for c in p.competences.all()),
    )


# --- HSDS ------------------------------------------------------------------------------------


def write_locations(out: Sink, places: QuerySet[Place], base_url: str) -> int:
    rows = place_rows(places, with_competences=False)
    return _write_array(out, (hsds.location(p) for p in rows))


def _service_head(organisation, competence, totals, base_url: str) -> dict:
    return hsds.service_record(
        organisation,
        competence,
        base_url,
        count=totals.count,
        interpreting=totals.interpreting,
        appointment_only=totals.appointment_only,
        last_modified=totals.last_modified,
    )


def write_organizations(out: Sink, places: QuerySet[Place], base_url: str) -> int:
    """Organisations in full: their locations, then their services with their links."""
    vocabulary = Vocabulary()
    rank = vocabulary.competence_rank
    located = _Groups(
        place_rows(
            places,
            order_by=("organisation_id", "pk"),
            with_competences=False,
            vocabulary=vocabulary,
        ),
        key=lambda row: row.organisation_id,
    )
    totals = _Groups(service_totals(places, vocabulary), key=lambda t: t.organisation_id)
    links = _Groups(offer_links(places, vocabulary), key=lambda link: link.organisation_id)
    array = _Array(out)
    for organisation in organisations_of(places):
        array.next()
        out.write_bytes(_open_object(hsds.organization_core(organisation, base_url), "locations"))
        _write_items(out, (hsds.location(row) for row in located.take(organisation.pk)))
        out.write_bytes(b'],"services":[')
        offered = _Groups(links.take(organisation.pk), key=lambda link: rank[link.competence.pk])
        separator = b""
        for total in totals.take(organisation.pk):
            competence = vocabulary.competences[total.competence_id]
            head = _service_head(organisation, competence, total, base_url)
            out.write_bytes(separator + _open_object(head, "service_at_locations"))
            _write_items(
                out,
                (
                    hsds.service_at_location(_link_place(link, organisation), competence)
                    for link in offered.take(rank[competence.pk])
                ),
            )
            out.write_bytes(b"]}")
            separator = b","
        out.write_bytes(b"]}")
    return array.close()


def _link_place(link, organisation) -> PlaceRow:
    """What hsds.service_at_location reads of a place: its id, organisation, description."""
    place = PlaceRow()
    place.pk, place.organisation, place.description = link.pk, organisation, link.description
    return place


class _Locations:
    """Places' HSDS locations as JSON, kept for the organisation being written: its services
    repeat them (once per competence of the place). At most LOCATIONS_KEPT (~2 KB each);
    past that, a location is built again each time it is met."""

    def __init__(self):
        self._organisation_id = None
        self._json: dict[int, orjson.Fragment] = {}

    def get(self, link: OfferLink) -> orjson.Fragment | None:
        if link.organisation_id != self._organisation_id:
            self._organisation_id, self._json = link.organisation_id, {}
        return self._json.get(link.pk)

    def has(self, link: OfferLink) -> bool:
        """Kept now (get() for a link of another organisation will drop the others)."""
        return link.organisation_id == self._organisation_id and link.pk in self._json

    def keep(self, link: OfferLink, location: orjson.Fragment) -> None:
        if len(self._json) < LOCATIONS_KEPT:
            self._json[link.pk] = location


def _located_offers(places: QuerySet[Place], vocabulary: Vocabulary) -> Iterator[tuple]:
    """(offer link, its place's location as JSON), in offer order; the places not kept
    are read a chunk at a time."""
    kept = _Locations()
    for batch in batches(offer_links(places, vocabulary)):
        missing = [link.pk for link in batch if not kept.has(link)]
        read = places_by_id(missing, vocabulary) if missing else {}
        for link in batch:
            location = kept.get(link)
            if location is None:
                location = orjson.Fragment(_dumps(hsds.location(read[link.pk])))
                kept.keep(link, location)
            yield link, location


def _services(places: QuerySet[Place], base_url: str) -> Iterator[tuple]:
    """(organisation, service head, its (place, competence, location JSON) offers) by service."""
    vocabulary = Vocabulary()
    rank = vocabulary.competence_rank
    organisations = organisations_of(places)
    organisation = None
    totals = service_totals(places, vocabulary)
    total = None
    offers = _located_offers(places, vocabulary)
    for wanted, group in groupby(
        offers, key=lambda o: (o[0].organisation_id, rank[o[0].competence.pk])
    ):
        while total is None or (total.organisation_id, rank[total.competence_id]) < wanted:
            total = next(totals, None)
            if total is None:
                raise DirectoryChanged
        while organisation is None or organisation.pk < wanted[0]:
            organisation = next(organisations, None)
            if organisation is None:
                raise DirectoryChanged
        if (total.organisation_id, rank[total.competence_id]) != wanted or (
            organisation.pk != wanted[0]
        ):
            raise DirectoryChanged
        competence = vocabulary.competences[total.competence_id]
        head = _service_head(organisation, competence, total, base_url)
        # Each service's offers are read before the next service is asked for.
        yield (
            organisation,
            head,
            (  # noqa: B031
                (_link_place(link, organisation), link.competence, location)
                for link, location in group
            ),
        )


def write_services_hsds(out: Sink, places: QuerySet[Place], base_url: str) -> int:
    """Services with their organisation and every place offering them, in full."""
    array = _Array(out)
    core_pk, core = None, None
    for organisation, head, offers in _services(places, base_url):
        if core_pk != organisation.pk:
            core_pk, core = organisation.pk, hsds.organization_core(organisation, base_url)
        array.next()
        out.write_bytes(_open_object({**head, "organization": core}, "service_at_locations"))
        _write_items(
            out,
            (
                {**hsds.service_at_location(place, competence), "location": location}
                for place, competence, location in offers
            ),
        )
        out.write_bytes(b"]}")
    return array.close()


def write_service_at_locations(out: Sink, places: QuerySet[Place], base_url: str) -> int:
    def records():
        for _organisation, head, offers in _services(places, base_url):
            service = orjson.Fragment(_dumps(head))
            for place, competence, location in offers:
                yield {
                    **hsds.service_at_location(place, competence),
                    "location": location,
                    "service": service,
                }

    return _write_array(out, records())


def write_taxonomies(out: Sink, places: QuerySet[Place], base_url: str) -> int:
    return _write_array(out, hsds.taxonomies(base_url))


def write_taxonomy_terms(out: Sink, places: QuerySet[Place], base_url: str) -> int:
    return _write_array(out, hsds.taxonomy_terms(competences(), kinds()))
