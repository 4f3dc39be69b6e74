"""Published places as CSV (one row per place) and as a GeoJSON FeatureCollection (RFC 7946).

CSV: UTF-8 with a byte-order mark (so that Excel reads the accents right), comma-separated,
RFC 4180 quoting, multi-valued columns (kinds, competences, languages) joined with "|". Written
through core.spreadsheets' writer: a text value that a spreadsheet would run as a formula
(beginning with =, +, -, @, tab or CR, and not a plain number) gets a leading ' (OWASP "CSV
injection"); the numeric columns (id, lon, lat) are numbers, left alone.
GeoJSON: longitude then latitude in WGS84, the same values as the CSV in `properties`,
multi-valued ones as arrays.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db.models import QuerySet

from core import spreadsheets
from directory.models import Place

from . import absolute, iterate, local_iso, lon_lat

CSV_BOM = "\ufeff"
CSV_DELIMITER = ","
CSV_LIST_SEPARATOR = "|"

CSV_COLUMNS = [
    "id",
    "slug",
    "name",
    "organisation",
    "organisation_slug",
    "kinds",
    "competences",
    "address",
    "postal_code",
    "commune_code",
    "commune",
    "department_code",
    "department",
    "region_code",
    "region",
    "lon",
    "lat",
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
    "url",
]


def place_properties(place: Place, base_url: str) -> dict:
    """What the CSV row and the GeoJSON feature say about a place (lists unjoined)."""
    commune = place.commune
    lon, lat = lon_lat(place)
    return {
        "id": place.pk,
        "slug": place.slug,
        "name": place.name,
        "organisation": place.organisation.name,
        "organisation_slug": place.organisation.slug,
        "kinds": [k.slug for k in place.kinds.all()],
        "competences": [c.slug for c in place.competences.all()],
        "address": place.street,
        "postal_code": place.postal_code,
        "commune_code": commune.code if commune else "",
        "commune": commune.name if commune else place.city,
        "department_code": commune.department.code if commune else "",
        "department": commune.department.name if commune else "",
        "region_code": commune.region.code if commune else "",
        "region": commune.region.name if commune else "",
        "lon": lon,
        "lat": lat,
        "opening_hours": place.opening_hours,
        "appointment_only": place.appointment_only,
        "languages": place.language_codes,
        "interpreting": place.interpreting,
        "wheelchair": place.wheelchair,
        "public": place.public,
        "phone": place.phone,
        "email": place.email,
        "website": place.website,
        "description": place.description,
        "last_verified": place.last_verified.isoformat() if place.last_verified else "",
        "updated_at": local_iso(place.updated_at),
        "url": absolute(base_url, place.get_absolute_url()),
    }


def _csv_value(value: object) -> object:
    if isinstance(value, list):
        return CSV_LIST_SEPARATOR.join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def csv_row(place: Place, base_url: str) -> list:
    """The row's values as they are: `csv_writer` neutralises them."""
    row = place_properties(place, base_url)
    return [_csv_value(row[c]) for c in CSV_COLUMNS]


class _Line:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_writer() -> spreadsheets.NeutralisingWriter:
    """A writer whose writerow() returns the line, formulas neutralised."""
    return spreadsheets.writer(_Line(), delimiter=CSV_DELIMITER, lineterminator="\r\n")


def iter_csv(places: QuerySet[Place], base_url: str) -> Iterator[str]:
    writer = csv_writer()
    yield CSV_BOM + writer.writerow(CSV_COLUMNS)
    for place in iterate(places):
        yield writer.writerow(csv_row(place, base_url))


def place_feature(place: Place, base_url: str) -> dict:
    properties = place_properties(place, base_url)
    lon, lat = properties.pop("lon"), properties.pop("lat")
    return {
        "type": "Feature",
        "id": place.pk,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def iter_geojson(places: QuerySet[Place], base_url: str) -> Iterator[str]:
    first = True
    yield '{"type": "FeatureCollection", "features": ['
    for place in iterate(places):
        yield ("\n" if first else ",\n") + json.dumps(
            place_feature(place, base_url), ensure_ascii=False
        )
        first = False
    yield "\n]}\n"
