"""Geocoding many addresses at once: the national address base's CSV endpoint, the gazetteer last.

The BAN geocodes a whole CSV in one request (`POST /search/csv/`, a few thousand rows each:
BAN_BATCH_ROWS); its answer is the same CSV with result columns. Each request has a
timeout and is tried again (BAN_BATCH_RETRIES) before the batch falls back on the offline
gazetteer, which knows communes and postal codes only. The HTTP boundary is `transport`
(a function posting multipart bytes), replaced in tests: no test reaches the network.
"""

from __future__ import annotations

import csv
import io
import logging
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Point

from .geocoding import _BAN_PRECISION, GeocodeResult, _commune_for, _gazetteer_source
from .models import WGS84, PostalCode, Precision

logger = logging.getLogger(__name__)

BAN_BATCH_ROWS = 5_000
BAN_BATCH_RETRIES = 2
RETRY_PAUSE_SECONDS = 1.0

# (url, body, headers, timeout) -> response body; raises OSError (URLError…) when it fails.
Transport = Callable[[str, bytes, dict[str, str], float], bytes]


@dataclass(frozen=True)
class Address:
    key: str  # the caller's key for this address (a row number)
    street: str
    postal_code: str
    city: str

    @property
    def text(self) -> str:
        return " ".join(p for p in (self.street, self.postal_code, self.city) if p).strip()


def urllib_transport(url: str, body: bytes, headers: dict[str, str], timeout: float) -> bytes:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (https URL)
        return response.read()


transport: Transport = urllib_transport


def _multipart(csv_bytes: bytes, fields: list[tuple[str, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="data"; filename="adresses.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
        + csv_bytes
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _ban_request(addresses: list[Address]) -> dict[str, GeocodeResult]:
    """One BAN CSV request (retried); the addresses it placed, by key."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["key", "adresse", "postcode", "city"])
    for address in addresses:
        writer.writerow([address.key, address.street, address.postal_code, address.city])
    body, content_type = _multipart(
        buffer.getvalue().encode(),
        [("columns", "adresse"), ("columns", "city"), ("postcode", "postcode")],
    )
    url = f"https://{settings.BAN_DOMAIN}/search/csv/"
    headers = {"Content-Type": content_type, "User-Agent": settings.GEOCODER_USER_AGENT}
    timeout = max(settings.GEOCODER_TIMEOUT, 1.0) * 10  # thousands of rows, not one
    for attempt in range(BAN_BATCH_RETRIES + 1):
        try:
            answer = transport(url, body, headers, timeout)
            break
        except (OSError, urllib.error.URLError) as error:
            logger.warning("BAN CSV request failed (attempt %s): %s", attempt + 1, error)
            if attempt == BAN_BATCH_RETRIES:
                return {}
            time.sleep(RETRY_PAUSE_SECONDS * (attempt + 1))
    results: dict[str, GeocodeResult] = {}
    for row in csv.DictReader(io.StringIO(answer.decode("utf-8-sig"))):
        if row.get("result_status", "ok") not in ("ok", "") or not row.get("latitude"):
            continue
        try:
            point = Point(float(row["longitude"]), float(row["latitude"]), srid=WGS84)
        except (TypeError, ValueError):
            continue
        results[row["key"]] = GeocodeResult(
            point=point,
            label=row.get("result_label") or "",
            precision=_BAN_PRECISION.get(row.get("result_type") or "", Precision.COMMUNE),
            source="ban",
            commune=_commune_for(point, row.get("result_citycode")),
            score=float(row["result_score"]) if row.get("result_score") else None,
        )
    return results


def geocode_batch(addresses: list[Address]) -> dict[str, GeocodeResult]:
    """Each address's best result, by key; the ones nothing placed are missing."""
    results: dict[str, GeocodeResult] = {}
    if "ban" in settings.GEOCODERS:
        for start in range(0, len(addresses), BAN_BATCH_ROWS):
            results.update(_ban_request(addresses[start : start + BAN_BATCH_ROWS]))
    if "gazetteer" in settings.GEOCODERS:
        for address in addresses:
            if address.key not in results and (found := _from_gazetteer(address)):
                results[address.key] = found
    return results


def _from_gazetteer(address: Address) -> GeocodeResult | None:
    """The commune (its centre) of the city name, the postal code deciding between homonyms."""
    if address.city:
        candidates = _gazetteer_source(address.city, 5)
        if address.postal_code:
            served = set(
                PostalCode.objects.filter(
                    code=address.postal_code, commune__in=[c.commune for c in candidates]
                ).values_list("commune_id", flat=True)
            )
            candidates = [c for c in candidates if c.commune.pk in served] or candidates
        if candidates:
            return candidates[0]
    if address.postal_code:
        found = _gazetteer_source(address.postal_code, 1)
        return found[0] if found else None
    return None
