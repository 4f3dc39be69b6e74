"""Open-data exports of the directory: places as CSV and GeoJSON, data·inclusion, HSDS 3.0.

What a record says is written once, in the builders (csv_geojson.place_properties,
data_inclusion.structure/service, hsds.location/organization_core/…), which take a Place or a
rows.PlaceRow alike. The files are written by writers.py from rows streamed by rows.py (the
CSV by PostgreSQL's COPY on PostGIS, csv_copy.py), built in advance by builds.py (gzip,
atomic, with a manifest: `manage.py build_exports`) and served by views.py; see
docs/exports.md. The model-instance iterators here and in the builders' modules (`export_places`
+ `iter_csv`, `json_array(iter_…)`) are what the exports were before: tests check the files
against them.

Builders take a `base_url` ("https://example.org") rather than a request, so that the
same records can be produced outside a request (a command, a test).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from core.presenters import POINT_DIGITS
from directory.models import Organisation, Place
from directory.selectors import published_places

SOURCE = "reperes"
CHUNK_SIZE = 2_000
# Fixed once and for all: HSDS identifiers are uuid5(NAMESPACE, "<kind>:<key>"), so an
# object keeps its identifier from one export to the next.
NAMESPACE = uuid.UUID("585b1c6c-b6d6-4899-b419-86c109c9e421")
_NAMESPACE_SHA1 = hashlib.sha1(NAMESPACE.bytes)
_VARIANT = {d: "89ab"[int(d, 16) & 3] for d in "0123456789abcdef"}
AREAS = ("", "department__", "region__")


def stable_uuid(kind: str, key: object) -> str:
    """str(uuid.uuid5(NAMESPACE, f"{kind}:{key}")), without building the UUID object (3×
    faster: an HSDS location has a dozen identifiers, and an export a million locations)."""
    digest = _NAMESPACE_SHA1.copy()
    digest.update(f"{kind}:{key}".encode())
    h = digest.hexdigest()
    # Version 5 in the 13th digit, the RFC 4122 variant (10xx) in the 17th.
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


def export_places(queryset: QuerySet[Place] | None = None) -> QuerySet[Place]:
    """Published places (within `queryset` if given) with everything an export reads."""
    queryset = published_places() if queryset is None else queryset & published_places()
    return (
        queryset.select_related("organisation", "commune__department", "commune__region")
        # The areas' outlines would be read and parsed three times per place, for nothing.
        .defer(*(f"commune__{a}{f}" for a in AREAS for f in ("boundary", "centre")))
        .prefetch_related("kinds", "competences")
        .order_by("pk")
    )


def export_organisations(places: QuerySet[Place]) -> QuerySet[Organisation]:
    """Organisations having at least one of `places`, each with those places as `.export_places`."""
    return (
        Organisation.objects.filter(pk__in=places.values("organisation_id"))
        .prefetch_related(Prefetch("places", queryset=places, to_attr="export_places"))
        .order_by("pk")
    )


def iterate(queryset: QuerySet) -> Iterator:
    return queryset.iterator(chunk_size=CHUNK_SIZE)


def absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def lon_lat(place: Place) -> tuple[float, float]:
    return (
        round(place.location.x, POINT_DIGITS),
        round(place.location.y, POINT_DIGITS),
    )


def local_iso(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def json_array(items: Iterable[dict]) -> Iterator[str]:
    """A JSON array written item by item (one per line), for streaming responses."""
    first = True
    for item in items:
        yield ("[\n" if first else ",\n") + json.dumps(item, ensure_ascii=False)
        first = False
    yield "[]\n" if first else "\n]\n"
