"""Reads of the reference geography: the gazetteer and point-in-commune look-ups."""

import re
from collections.abc import Iterable
from typing import TypeVar

from django.contrib.gis.geos import Point, Polygon
from django.db import connection
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from .models import WGS84, Commune, Department, Region
from .spatialite import in_rtree
from .text import normalize_name, strip_accents

A = TypeVar("A", Region, Department)

POSTAL_CODE_RE = re.compile(r"^\d{5}$")
INSEE_CODE_RE = re.compile(r"^(?:\d{5}|2[AaBb]\d{3})$")
MAX_QUERY_LENGTH = 200


def search_communes(query: str, *, limit: int = 10) -> list[Commune]:
    """Communes matching a name, a postal code or an INSEE code, best match first.

    Names match whatever the case, accents, hyphens or leading article; ties are
    broken by population, so "saint etienne" gives Saint-Étienne (42218) first.
    """
    text = (query or "").strip()[:MAX_QUERY_LENGTH]
    if not text:
        return []
    base = Commune.objects.select_related("department", "region")
    compact = text.replace(" ", "")
    if INSEE_CODE_RE.match(compact):
        code = compact.upper()
        found: list[Commune] = []
        if POSTAL_CODE_RE.match(code):
            found = list(
                base.filter(postal_codes__code=code)
                .distinct()
                .order_by("-population", "code")[:limit]
            )
        found += [c for c in base.filter(code=code) if c not in found]
        return found[:limit]

    key = normalize_name(text)
    if not key:
        return []
    rank = Case(
        When(search_name=key, then=Value(0)),
        When(search_name__startswith=f"{key} ", then=Value(1)),
        When(search_name__startswith=key, then=Value(2)),
        When(search_name__contains=f" {key}", then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    return list(
        base.filter(search_name__contains=key)
        .annotate(match_rank=rank)
        .order_by("match_rank", "-population", "code")[:limit]
    )


def _bbox_candidates(queryset: QuerySet, point: Point, margin: float) -> QuerySet:
    """Restrict to rows whose boundary's bounding box touches the point (± margin degrees).

    PostGIS uses its GiST index for `bboverlaps`; Django's SpatiaLite lookups do not
    use the R*Tree, so there the index is queried explicitly (see docs/spatial-notes.md).
    """
    x, y = point.x, point.y
    frame = Polygon.from_bbox((x - margin, y - margin, x + margin, y + margin))
    frame.srid = WGS84
    if connection.vendor == "sqlite":
        return in_rtree(queryset, "boundary", frame.extent)
    return queryset.filter(boundary__bboverlaps=frame)


def commune_for_point(point: Point) -> Commune | None:
    """The commune containing the point; on a coast the nearest one within ~2 km.

    Boundaries are simplified, so a point on the shoreline may fall just outside
    every polygon: the nearest commune is then the honest answer.
    """
    if point.srid and point.srid != WGS84:
        point = point.transform(WGS84, clone=True)
    base = Commune.objects.select_related("department", "region")
    inside = _bbox_candidates(base, point, 0.0).filter(boundary__intersects=point).first()
    if inside is not None:
        return inside
    candidates = list(_bbox_candidates(base, point, 0.02))
    if not candidates:
        return None
    return min(candidates, key=lambda c: c.boundary.distance(point))


# Reads for the HTML pages and their maps. Boundaries are heavy: lists defer them,
# and only the map endpoints load them.
_NO_SHAPES = ("boundary", "centre")


def french_order(name: str) -> str:
    """Sort key for place names: « Île-de-France » among the I's. A database's ORDER BY
    compares code points ("Î" after "O" on SQLite, and on PostgreSQL under the C collation)."""
    return strip_accents(name).casefold()


def in_french_order(areas: Iterable[A]) -> list[A]:
    return sorted(areas, key=lambda area: french_order(area.name))


def regions() -> list[Region]:
    """Every région (shapes deferred), in French alphabetical order."""
    return in_french_order(Region.objects.defer(*_NO_SHAPES))


def region_choices() -> list[tuple[str, str]]:
    """(code, name) of every région in French alphabetical order, for a form's select."""
    rows = Region.objects.values_list("code", "name")
    return sorted(rows, key=lambda row: french_order(row[1]))


def regions_with_counts() -> list[Region]:
    """Every région with `department_count`, in French alphabetical order."""
    return in_french_order(
        Region.objects.defer(*_NO_SHAPES).annotate(department_count=Count("departments"))
    )


def region_by_slug(slug: str) -> Region | None:
    return Region.objects.defer(*_NO_SHAPES).filter(slug=slug).first()


def departments_with_counts(region: Region) -> QuerySet[Department]:
    """The région's départements by code, with `commune_count`."""
    return (
        region.departments.defer(*_NO_SHAPES)
        .annotate(commune_count=Count("communes"))
        .order_by("code")
    )


def department_by_slug(slug: str) -> Department | None:
    return (
        Department.objects.select_related("region")
        .defer(*_NO_SHAPES, "region__boundary", "region__centre")
        .filter(slug=slug)
        .first()
    )


def commune_count(department: Department) -> int:
    return department.communes.count()


def most_populated_communes(department: Department, *, limit: int = 10) -> list[Commune]:
    rows = department.communes.defer(*_NO_SHAPES, "search_name")
    return list(rows.order_by("-population", "name")[:limit])


def region_shapes() -> QuerySet[Region]:
    """Régions with a boundary, for the map of France."""
    return (
        Region.objects.only("code", "name", "slug", "zone", "boundary")
        .exclude(boundary__isnull=True)
        .order_by("code")
    )


def region_shape(slug: str) -> Region | None:
    return Region.objects.only("code", "name", "slug", "zone", "boundary").filter(slug=slug).first()


def department_shapes(region: Region) -> QuerySet[Department]:
    return (
        region.departments.only("code", "name", "slug", "region_id", "boundary")
        .exclude(boundary__isnull=True)
        .order_by("code")
    )


def department_shape(slug: str) -> Department | None:
    return Department.objects.only("code", "name", "slug", "boundary").filter(slug=slug).first()


def suggest_communes(query: str, *, limit: int = 8) -> list[Commune]:
    """Communes a person may have meant when the whole text matched nothing.

    Each longer word of the text is tried, shortened a little to forgive a typo
    at its end ("Villeurbane" → "villeurba…").
    """
    found = search_communes(query, limit=limit)
    words = sorted(normalize_name(query[:MAX_QUERY_LENGTH]).split(), key=len, reverse=True)
    for word in words:
        if len(found) >= limit or len(word) < 4:
            break
        stem = word[: max(4, len(word) - 2)]
        found += [c for c in search_communes(stem, limit=limit) if c not in found]
    return found[:limit]


def communes_for_points(
    points: list[tuple[float, float]], *, known: dict[int, Commune] | None = None
) -> list[Commune | None]:
    """The commune of each (lon, lat), as `commune_for_point` finds it, for many points at once.

    PostGIS: one statement for all the points inside a polygon (a lateral lookup on the
    boundaries' GiST index); the few left (on a coast) take `commune_for_point`'s nearest
    commune. SpatiaLite: one lookup per point. Only the name, code and areas' ids are loaded.
    `known`: communes already loaded, by id, which the call reads first and completes (an
    import passes the same dict for all its batches: a commune is loaded once).
    """
    if not points:
        return []
    if connection.vendor == "postgresql":
        table = Commune._meta.db_table
        sql = (
            "SELECT p.i, c.id FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY "
            "AS p(lon, lat, i) LEFT JOIN LATERAL (SELECT c.id FROM "
            f"{table} c WHERE ST_Intersects(c.boundary, "
            "ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)) LIMIT 1) c ON TRUE ORDER BY p.i"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [[x for x, _y in points], [y for _x, y in points]])
            ids = [commune_id for _i, commune_id in cursor.fetchall()]
    else:
        ids = [None] * len(points)
    # What an import needs of them (its name, code and areas' ids), not the shapes.
    found = known if known is not None else {}
    light = Commune.objects.only("id", "name", "code", "region_id", "department_id")
    found.update(light.in_bulk({i for i in ids if i is not None and i not in found}))
    communes: list[Commune | None] = []
    for (x, y), commune_id in zip(points, ids, strict=True):
        if commune_id is not None:
            communes.append(found[commune_id])
        else:
            communes.append(commune_for_point(Point(x, y, srid=WGS84)))
    return communes
