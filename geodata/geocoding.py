"""The geocoder chain: online geocoders (BAN, Nominatim) first when enabled, the gazetteer last.

`geocode()` asks each geocoder named in `settings.GEOCODERS` in turn; the first one
that answers with candidates wins. A geocoder that times out or errs is logged and
skipped, so a search degrades to commune precision instead of failing.

Every typed text that reaches the chain from a request (the API's `address=` and
`/geocode/`, the search page, the embed) names its `client`: each client address has one
budget (`GEOCODING_RATE`, e.g. "30/min") across all those paths, counted in the cache
(core/ratelimit.py). An answer already cached costs nothing and is not counted; past
the budget `GeocodingLimited` is raised, which the API turns into a 429 and the pages
into a message.
"""

import logging
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext
from geopy.adapters import BaseAdapter
from geopy.exc import GeopyError
from geopy.geocoders import BANFrance, Nominatim
from geopy.location import Location

from core.cache import make_key
from core.ratelimit import spend

from . import arrondissements
from .models import WGS84, Commune, Precision
from .selectors import POSTAL_CODE_RE, commune_for_point, search_communes
from .text import address_parts, normalize_name

logger = logging.getLogger(__name__)

# The BAN refuses longer queries; no French address needs more.
MAX_TEXT_LENGTH = 200
MAX_LIMIT = 20
# What a garbled answer makes geopy or the parsers below raise.
_FAILURES = (GeopyError, LookupError, TypeError, ValueError, AttributeError)

AdapterFactory = Callable[..., BaseAdapter]


class GeocodingInputError(ValueError):
    """The text cannot be geocoded as given; the message is meant for the user."""


class GeocodingLimited(Exception):
    """The client has spent its geocoding budget; `wait` is the seconds until it is whole again.

    The message is meant for the visitor.
    """

    def __init__(self, wait: int) -> None:
        self.wait = wait
        super().__init__(
            gettext(
                "La recherche par adresse est momentanément limitée : trop d'adresses ont été "
                "cherchées depuis votre connexion. Réessayez dans %(seconds)d secondes."
            )
            % {"seconds": wait}
        )


@dataclass(frozen=True)
class GeocodeResult:
    point: Point
    label: str
    precision: Precision
    source: str
    commune: Commune | None
    score: float | None


Source = Callable[[str, int], list[GeocodeResult]]

_BAN_PRECISION = {
    "housenumber": Precision.ADDRESS,
    "street": Precision.STREET,
    "locality": Precision.STREET,  # a lieu-dit: about as precise as a street
    "municipality": Precision.COMMUNE,
}


def _commune_for(point: Point, citycode: str | None) -> Commune | None:
    # The BAN gives arrondissement codes in Paris, Lyon and Marseille, which are
    # not communes here: the point then decides.
    if citycode:
        found = Commune.objects.select_related("department", "region").filter(code=citycode)
        if commune := found.first():
            return commune
    return commune_for_point(point)


def _score(value: Any) -> float | None:
    return None if value is None else float(value)


def _from_ban(location: Location) -> GeocodeResult:
    props = location.raw["properties"]
    point = Point(location.longitude, location.latitude, srid=WGS84)
    return GeocodeResult(
        point=point,
        label=str(props.get("label") or location.address),
        precision=_BAN_PRECISION.get(props.get("type"), Precision.COMMUNE),
        source="ban",
        commune=_commune_for(point, props.get("citycode")),
        score=_score(props.get("score")),
    )


def _ban_source(geocoder: BANFrance) -> Source:
    def search(text: str, limit: int) -> list[GeocodeResult]:
        # The BAN answers 400 to queries under 3 characters or not starting alphanumeric.
        if len(text) < 3 or not text[0].isalnum():
            return []
        return [
            _from_ban(loc) for loc in geocoder.geocode(text, limit=limit, exactly_one=False) or []
        ]

    return search


def _nominatim_precision(raw: dict[str, Any]) -> Precision:
    rank = int(raw.get("place_rank") or 0)
    if "house_number" in (raw.get("address") or {}) or rank >= 28:
        return Precision.ADDRESS
    if rank >= 26 or raw.get("class") == "highway":
        return Precision.STREET
    if "postcode" in (raw.get("addresstype"), raw.get("type")):
        return Precision.POSTAL_CODE
    return Precision.COMMUNE


def _from_nominatim(location: Location) -> GeocodeResult:
    point = Point(location.longitude, location.latitude, srid=WGS84)
    return GeocodeResult(
        point=point,
        label=str(location.address),
        precision=_nominatim_precision(location.raw),
        source="nominatim",
        commune=commune_for_point(point),  # Nominatim knows no INSEE code
        score=_score(location.raw.get("importance")),
    )


def _nominatim_source(geocoder: Nominatim) -> Source:
    def search(text: str, limit: int) -> list[GeocodeResult]:
        found = geocoder.geocode(
            text, exactly_one=False, limit=limit, addressdetails=True, country_codes="fr"
        )
        return [_from_nominatim(location) for location in found or []]

    return search


def _gazetteer_source(text: str, limit: int) -> list[GeocodeResult]:
    """A commune name, arrondissement, postal code or INSEE code; else, offline, a full
    address's commune."""
    return _gazetteer_names(text, limit) or _gazetteer_address(text, limit)


def _gazetteer_names(text: str, limit: int) -> list[GeocodeResult]:
    if (arrondissement := arrondissements.by_name(text)) and (
        result := _arrondissement_result(arrondissement)
    ):
        return [result]
    found = [c for c in search_communes(text, limit=limit) if c.centre is not None]
    code = text.replace(" ", "")
    if not POSTAL_CODE_RE.match(code):
        return [_gazetteer_result(commune) for commune in found]
    # A 5-digit code may be an INSEE code too; only a real postal code says "code postal".
    served = _served_communes(code)
    others = [_gazetteer_result(commune) for commune in found if commune not in served]
    if not served:
        return others
    # The postal code's area first; then, if it serves several, each commune of it.
    each = [_gazetteer_result(c, code) for c in served] if len(served) > 1 else []
    return [_postal_code_result(code, served), *each, *others]


def _served_communes(postal_code: str) -> list[Commune]:
    communes = Commune.objects.select_related("department", "region").exclude(centre=None)
    return list(communes.filter(postal_codes__code=postal_code).order_by("-population", "code"))


def _gazetteer_result(commune: Commune, postal_code: str = "") -> GeocodeResult:
    """The commune's centre, at commune precision (its postal code, if given, in the label)."""
    return GeocodeResult(
        point=commune.centre,
        label=f"{postal_code} {commune.name}" if postal_code else str(commune),
        precision=Precision.COMMUNE,
        source="gazetteer",
        commune=commune,
        score=None,
    )


def _arrondissement_result(
    arrondissement: arrondissements.Arrondissement, postal_code: str = ""
) -> GeocodeResult | None:
    """The arrondissement's centre, if its commune is loaded.

    Precision has no "arrondissement" level (it is a choice of stored fields): an
    arrondissement is its postal code's area (the 16th's two codes share it), so it
    says "code postal" and its label says "arrondissement".
    """
    commune = (
        Commune.objects.select_related("department", "region")
        .filter(code=arrondissement.commune_code)
        .first()
    )
    if commune is None:
        return None
    name = f"{commune.name} {arrondissement.ordinal} arrondissement"
    return GeocodeResult(
        point=arrondissement.point,
        label=f"{postal_code} {name}" if postal_code else f"{name} ({commune.department.code})",
        precision=Precision.POSTAL_CODE,
        source="gazetteer",
        commune=commune,
        score=None,
    )


def _postal_code_result(postal_code: str, served: list[Commune]) -> GeocodeResult:
    """The area of a postal code: its arrondissement's centre in Paris, Lyon and Marseille,
    else the mean of the centres of the communes it serves (most populous first)."""
    codes = {c.code for c in served}
    for arrondissement in arrondissements.by_postal_code(postal_code):
        if arrondissement.commune_code in codes:
            if result := _arrondissement_result(arrondissement, postal_code):
                return result
    main = served[0]
    if len(served) == 1:
        point, label = main.centre, f"{postal_code} {main.name}"
    else:
        point = Point(
            sum(c.centre.x for c in served) / len(served),
            sum(c.centre.y for c in served) / len(served),
            srid=WGS84,
        )
        # The commune named is the one the point falls in, if the code serves it.
        main = next((c for c in served if c.boundary and c.boundary.intersects(point)), main)
        others = len(served) - 1
        label = (
            f"{postal_code} {main.name} et {others} autre{'s' if others > 1 else ''} "
            f"commune{'s' if others > 1 else ''}"
        )
    return GeocodeResult(
        point=point,
        label=label,
        precision=Precision.POSTAL_CODE,
        source="gazetteer",
        commune=main,
        score=None,
    )


def _gazetteer_address(text: str, limit: int) -> list[GeocodeResult]:
    """A full address ("12 rue Hippolyte Kahn 69100 Villeurbanne"): its commune's centre.

    The commune's name (text.address_parts) chooses among the communes of the postal
    code; a name not recognised leaves the postal code's area, a postal code not
    known, the communes of that name. In Paris, Lyon and Marseille the postal code
    names the arrondissement: its centre, at postal code precision.
    """
    postal_code, names = address_parts(text)
    communes = Commune.objects.select_related("department", "region").exclude(centre=None)
    served = _served_communes(postal_code) if postal_code else []
    for name in names:
        if served:
            named = [c for c in served if c.search_name == name]
        else:
            named = list(communes.filter(search_name=name).order_by("-population", "code"))
        if named and postal_code and len(named) == 1:
            for arrondissement in arrondissements.by_postal_code(postal_code):
                if arrondissement.commune_code == named[0].code:
                    return [_postal_code_result(postal_code, named)]
        if named:
            return [_gazetteer_result(c) for c in named[:limit]]
    return [_postal_code_result(postal_code, served)] if served else []


def build_geocoders(
    names: Sequence[str], *, adapter_factory: AdapterFactory | None = None
) -> list[tuple[str, Source]]:
    """The chain as (name, search function) pairs; `adapter_factory` replaces geopy's HTTP layer."""
    online = {
        "timeout": settings.GEOCODER_TIMEOUT,
        "user_agent": settings.GEOCODER_USER_AGENT,
        "adapter_factory": adapter_factory,
    }
    chain: list[tuple[str, Source]] = []
    for name in names:
        if name == "ban":
            source = _ban_source(BANFrance(domain=settings.BAN_DOMAIN, **online))
        elif name == "nominatim":
            source = _nominatim_source(Nominatim(domain=settings.NOMINATIM_DOMAIN, **online))
        elif name == "gazetteer":
            source = _gazetteer_source
        else:
            raise ImproperlyConfigured(f"Unknown geocoder {name!r} in GEOCODERS.")
        chain.append((name, source))
    return chain


def _clean_text(text: str | None) -> str:
    """The query as sent to geocoders: control characters dropped, spaces collapsed."""
    text = "".join(
        ch for ch in text or "" if not unicodedata.category(ch).startswith("C") or ch.isspace()
    )
    text = " ".join(text.split())
    if len(text) > MAX_TEXT_LENGTH:
        raise GeocodingInputError(
            f"L'adresse est trop longue ({MAX_TEXT_LENGTH} caractères au plus)."
        )
    return text


def _dump(result: GeocodeResult) -> dict[str, Any]:
    return {
        "x": result.point.x,
        "y": result.point.y,
        "label": result.label,
        "precision": str(result.precision),
        "source": result.source,
        "commune": result.commune.code if result.commune else None,
        "score": result.score,
    }


def _load(rows: list[dict[str, Any]]) -> list[GeocodeResult]:
    codes = [row["commune"] for row in rows if row["commune"]]
    communes = Commune.objects.select_related("department", "region").in_bulk(
        codes, field_name="code"
    )
    return [
        GeocodeResult(
            point=Point(row["x"], row["y"], srid=WGS84),
            label=row["label"],
            precision=Precision(row["precision"]),
            source=row["source"],
            commune=communes.get(row["commune"]),
            score=row["score"],
        )
        for row in rows
    ]


def geocode(
    text: str,
    *,
    limit: int = 5,
    adapter_factory: AdapterFactory | None = None,
    client: str | None = None,
) -> list[GeocodeResult]:
    """Candidate places for a French address, postal code or commune name, best first.

    Raises GeocodingInputError for text longer than MAX_TEXT_LENGTH; anything else,
    gibberish included, gives a list, possibly empty. With a `client` (its address), a
    text not already cached spends one use of that client's GEOCODING_RATE budget, and
    GeocodingLimited is raised once it is spent.
    """
    text = _clean_text(text)
    limit = max(1, min(limit, MAX_LIMIT))
    if not text:
        return []
    names = list(settings.GEOCODERS)
    key = make_key("geocode", text.casefold(), ",".join(names), limit)  # long text is hashed
    cached = cache.get(key)
    if cached is not None:
        return _load(cached)
    if client is not None and (wait := spend("geocode", client, settings.GEOCODING_RATE)):
        raise GeocodingLimited(wait)

    results: list[GeocodeResult] = []
    degraded = answered = False
    for name, search in build_geocoders(names, adapter_factory=adapter_factory):
        if search is _gazetteer_source and answered:
            # An online geocoder read the whole address and knew it not: the commune's
            # centre would pass for it. Commune names and postal codes only.
            search = _gazetteer_names
        try:
            results = search(text, limit)[:limit]
        except _FAILURES as error:
            degraded = True
            logger.warning("Geocoder %s failed, trying the next one: %r", name, error)
            continue
        answered = answered or search is not _gazetteer_source
        if results:
            break
    # A fallback answer stands in for an outage: cache only what a healthy chain said.
    if not degraded:
        cache.set(key, [_dump(r) for r in results], settings.GEOCODER_CACHE_SECONDS)
    return results


def geocode_one(
    text: str, *, adapter_factory: AdapterFactory | None = None, client: str | None = None
) -> GeocodeResult | None:
    """The best candidate, or None; see geocode()."""
    results = geocode(text, limit=1, adapter_factory=adapter_factory, client=client)
    return results[0] if results else None


def homonyms(results: Sequence[GeocodeResult]) -> list[GeocodeResult]:
    """The communes a name leaves open, one result each, or [] when it names one place.

    "Saint-Denis" is a commune of Seine-Saint-Denis and of La Réunion (and of the Aude,
    of the Gard): when the best answer is a commune and others of the same name follow,
    the person chooses; the most populous is never picked silently.
    """
    first = results[0] if results else None
    if first is None or first.precision != Precision.COMMUNE or first.commune is None:
        return []
    name = first.commune.search_name
    found: dict[str, GeocodeResult] = {}
    for result in results:
        commune = result.commune
        if result.precision == Precision.COMMUNE and commune and commune.search_name == name:
            found.setdefault(commune.code, result)
    return list(found.values()) if len(found) > 1 else []


def commune_chosen(text: str, code: str) -> GeocodeResult | None:
    """The commune a person picked among homonyms (its INSEE code), if its name is in `text`.

    The code rides along in the search's URL; once the text names another place, the
    old choice no longer applies.
    """
    commune = (
        Commune.objects.select_related("department", "region")
        .exclude(centre=None)
        .filter(code=code)
        .first()
    )
    if commune is None or f" {commune.search_name} " not in f" {normalize_name(text)} ":
        return None
    return _gazetteer_result(commune)


def reverse_geocode(point: Point) -> Commune | None:
    """The commune at a point, from the local boundaries (no network)."""
    return commune_for_point(point)
