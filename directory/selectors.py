"""Reads of the directory.

The nearest-place search is the one query whose plan matters: it must walk the
spatial index in distance order, never sort the whole table by an annotated
distance (measured at ~450 ms on 1M rows, see docs/spatial-notes.md).
Both backends are handled here and nowhere else:

* PostGIS: `ORDER BY location <-> point LIMIT n` (KNN on the GiST index), with
  `ST_DWithin` on the geography column for the radius; exact metres computed for
  the returned rows only.
* SpatiaLite: Django's lookups do not touch the R*Tree, so candidates come from
  the `SpatialIndex` virtual table in a growing square until the n-th nearest is
  inside the square's inscribed circle, then they are sorted by exact distance.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache as cache_once
from typing import NamedTuple

from django.contrib.gis.db.models.functions import Distance, GeometryDistance
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.core.cache import cache
from django.db import connection
from django.db.models import Aggregate, CharField, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from geodata.functions import in_lonlat_box
from geodata.geometry import haversine_m as haversine_lonlat_m
from geodata.models import WGS84, Commune, Department, Region
from geodata.spatialite import in_rtree

from . import place_sql
from .freshness import fresh_q
from .models import (
    ClusterDimension,
    Competence,
    Kind,
    Organisation,
    Place,
    PlaceCluster,
    Status,
    address_text,
    hours_of,
    place_url_parts,
)
from .tiles.disc import FRAME_MARGIN, METRES_PER_DEGREE, SPHERE_MARGIN, count_in_disc
from .validators import split_languages

# The search radius, in km, for the page, the API and the embed alike.
MIN_RADIUS_KM = 0.1
DEFAULT_RADIUS_KM = 10.0
MAX_RADIUS_KM = 200.0
MAX_RADIUS_M = MAX_RADIUS_KM * 1000


@dataclass
class PlaceFilters:
    """What a search asks for, already validated (see forms / API serializers).

    Several competences (or kinds) mean ANY of them: a place offering one of the
    ticked domains is shown. `competences_all=True` asks for places offering all.
    """

    competences: list[str] = field(default_factory=list)
    competences_all: bool = False
    kinds: list[str] = field(default_factory=list)
    region: str = ""
    department: str = ""
    commune: str = ""
    language: str = ""
    text: str = ""
    bbox: tuple[float, float, float, float] | None = None
    # Only places verified within FRESHNESS_MONTHS (freshness.py says what stale means).
    fresh: bool = False


def published_places() -> QuerySet[Place]:
    return Place.objects.filter(status=Status.PUBLISHED)


VOCABULARY_CACHE_SECONDS = 3600
# Kept in the process too, this long: a page of places names its kinds and competences
# 40 times, and each read of the shared cache (Redis in production) is a round trip.
VOCABULARY_LOCAL_SECONDS = 5.0
_local_vocabularies: dict[str, tuple[float, dict]] = {}


def _kept(key: str, shared_seconds: int, load) -> dict:
    """`load()`, kept `shared_seconds` in the shared cache and VOCABULARY_LOCAL_SECONDS
    more in this process: another process sees a change that late at most."""
    now = time.monotonic()
    local = _local_vocabularies.get(key)
    if local is not None and local[0] > now:
        return local[1]
    value = cache.get(key)
    if value is None:
        value = load()
        cache.set(key, value, shared_seconds)
    _local_vocabularies[key] = (now + VOCABULARY_LOCAL_SECONDS, value)
    return value


def vocabulary_ids(model: type[Competence] | type[Kind]) -> dict[str, int]:
    """slug → id of a taxonomy, cached (a few dozen rows; dropped when one changes)."""
    return _kept(
        f"directory:vocabulary-ids:{model._meta.model_name}",
        VOCABULARY_CACHE_SECONDS,
        lambda: dict(model.objects.values_list("slug", "pk")),
    )


def vocabulary_pks(model: type[Competence] | type[Kind], slugs: list[str]) -> list[int]:
    """The ids of the known `slugs`, in their order (unknown ones left out)."""
    known = vocabulary_ids(model)
    return [known[slug] for slug in slugs if slug in known]


def forget_local_vocabularies() -> None:
    """Drop what this process kept (a test starts from a clear cache: tests/conftest.py)."""
    _local_vocabularies.clear()


def forget_vocabulary_ids(sender, **kwargs) -> None:
    key = f"directory:vocabulary-ids:{sender._meta.model_name}"
    _local_vocabularies.pop(key, None)
    cache.delete(key)


def slugs_in_order(model: type[Competence] | type[Kind], joined_ids: str | None) -> list[str]:
    """The slugs of "3,5"-style ids (see `with_page_related`), in the taxonomy's order."""
    if not joined_ids:
        return []
    wanted = {int(pk) for pk in joined_ids.split(",")}
    return [slug for slug, pk in vocabulary_ids(model).items() if pk in wanted]


class JoinedIds(Aggregate):
    """The ids of a group as one "3,5" string: string_agg on PostgreSQL, group_concat on SQLite."""

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS text), ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, ',')",
            **extra_context,
        )


def _joined_ids(through, column: str) -> Subquery:
    links = (
        through.objects.filter(place_id=OuterRef("pk"))
        .order_by()
        .values("place_id")
        .annotate(ids=JoinedIds(column))
        .values("ids")
    )
    return Subquery(links, output_field=CharField())


def filter_places(queryset: QuerySet[Place], filters: PlaceFilters) -> QuerySet[Place]:
    # Taxonomies are filtered on ids, not on slugs through a join, so the planner
    # knows how rare a competence is: for one held by 0.1 % of places it then reads
    # the links and sorts them instead of walking the spatial index (docs/spatial-notes.md).
    # `id IN (SELECT place_id …)`: no duplicates, and the same shape as the raw KNN query.
    if filters.competences:
        ids = vocabulary_pks(Competence, filters.competences)
        links = Place.competences.through.objects
        if filters.competences_all:
            if len(ids) < len(set(filters.competences)):
                return queryset.none()
            for competence_id in ids:
                queryset = queryset.filter(
                    pk__in=links.filter(competence_id=competence_id).values("place_id")
                )
        elif not ids:
            return queryset.none()
        else:
            queryset = queryset.filter(
                pk__in=links.filter(competence_id__in=ids).values("place_id")
            )
    if filters.kinds:
        ids = vocabulary_pks(Kind, filters.kinds)
        if not ids:
            return queryset.none()
        queryset = queryset.filter(
            pk__in=Place.kinds.through.objects.filter(kind_id__in=ids).values("place_id")
        )
    if filters.region:
        queryset = queryset.filter(commune__region__code=filters.region)
    if filters.department:
        queryset = queryset.filter(commune__department__code=filters.department)
    if filters.commune:
        queryset = queryset.filter(commune__code=filters.commune)
    if filters.language:
        code = filters.language.lower()
        queryset = queryset.filter(languages__regex=rf"(^|[ ,;]){code}([ ,;]|$)")
    if filters.text:
        queryset = queryset.filter(
            Q(name__icontains=filters.text) | Q(organisation__name__icontains=filters.text)
        )
    if filters.bbox is not None:
        queryset = in_lonlat_box(queryset, "location", filters.bbox)
    if filters.fresh:
        queryset = queryset.filter(fresh_q())
    return queryset


def haversine_m(a: Point, b: Point) -> float:
    return haversine_lonlat_m(a.x, a.y, b.x, b.y)


def _nearest_spatialite(
    queryset: QuerySet[Place], point: Point, radius_m: float, wanted: int
) -> list[Place]:
    cos_lat = max(math.cos(math.radians(point.y)), 0.01)
    half_lat = min(2_000.0, radius_m) / METRES_PER_DEGREE
    max_half_lat = radius_m / METRES_PER_DEGREE * FRAME_MARGIN
    while True:
        half_lon = half_lat / cos_lat
        frame = [point.x - half_lon, point.y - half_lat, point.x + half_lon, point.y + half_lat]
        rows = list(
            in_rtree(queryset, "location", frame)
            .annotate(distance=Distance("location", point))
            .order_by("distance", "pk")[:wanted]
        )
        inscribed_m = half_lat * METRES_PER_DEGREE * SPHERE_MARGIN
        complete = len(rows) == wanted and rows[-1].distance.m <= inscribed_m
        if complete or half_lat >= max_half_lat:
            return [r for r in rows if r.distance.m <= radius_m]
        if len(rows) == wanted:
            half_lat = min(
                max(half_lat * 1.5, rows[-1].distance.m / METRES_PER_DEGREE * 1.01), max_half_lat
            )
        else:
            half_lat = min(half_lat * 3, max_half_lat)


class _Code(NamedTuple):
    code: str


class PageCommune(NamedTuple):
    """What a page row says of its commune (the API's `commune`, `department`, `region`)."""

    pk: int
    code: str
    name: str
    department: _Code | None
    region: _Code | None


class PageOrganisation(NamedTuple):
    pk: int
    name: str
    slug: str


class XY(NamedTuple):
    x: float
    y: float


class PageRow:
    """A place of a page of the API, read by one raw query (`_page_rows`): the attributes
    of `Place` that PlaceFeatureSerializer reads, without model instances, the ORM's
    compiled query or its joins' objects (two thirds of a nearest-places request)."""

    __slots__ = (
        "pk",
        "slug",
        "name",
        "street",
        "postal_code",
        "city",
        "opening_hours",
        "appointment_only",
        "languages",
        "interpreting",
        "wheelchair",
        "phone",
        "email",
        "website",
        "last_verified",
        "updated_at",
        "location",
        "distance",
        "distance_m",
        "organisation",
        "commune",
        "kind_pks",
        "competence_pks",
        "kind_slugs",
        "competence_slugs",
    )

    @property
    def id(self) -> int:
        return self.pk

    @property
    def address(self) -> str:
        town = self.commune.name if self.commune is not None else self.city
        return address_text(self.street, self.postal_code, town)

    @property
    def language_codes(self) -> list[str]:
        return split_languages(self.languages)

    @property
    def hours(self):
        """As Place.hours: the parsed opening hours, None when empty or invalid."""
        return hours_of(self.opening_hours)

    def get_absolute_url(self) -> str:
        head, tail = place_url_parts()
        return f"{head}{self.slug}{tail}"


def _page_rows(
    ids_sql: str,
    ids_params: list,
    point: Point,
    *,
    rows_sql: bool = False,
    with_sql: str = "",
    with_params: tuple = (),
    total_sql: str = "NULL",
    total_params: tuple = (),
) -> tuple[list[PageRow], int | None]:
    """The places whose ids `ids_sql` selects, with their distance to `point` (metres,
    as Distance on the geography computes it) and what a page shows of them; and the
    value of `total_sql`, computed once in the same statement (None when no row came).
    `rows_sql`: `ids_sql` selects the places' rows (p.*), read as they are rather than
    looked up again by id (a quarter less planning). `with_sql`: a WITH clause they may
    all read."""
    place, commune = Place._meta.db_table, Commune._meta.db_table
    source = f"({ids_sql}) p" if rows_sql else f"{place} p"
    ids = "" if rows_sql else f"WHERE p.id IN ({ids_sql})"
    sql = f"""{with_sql} SELECT p.id, p.slug, p.name, p.street, p.postal_code, p.city, p.opening_hours,
        p.appointment_only, p.languages, p.interpreting, p.wheelchair, p.phone, p.email,
        p.website, p.last_verified, p.updated_at, ST_X(p.location::geometry),
        ST_Y(p.location::geometry),
        ST_Distance(p.location, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography),
        o.id, o.name, o.slug, c.id, c.code, c.name, d.code, r.code,
        (SELECT string_agg(l.kind_id::text, ',') FROM {Place.kinds.through._meta.db_table} l
            WHERE l.place_id = p.id),
        (SELECT string_agg(l.competence_id::text, ',')
            FROM {Place.competences.through._meta.db_table} l WHERE l.place_id = p.id),
        ({total_sql})
        FROM {source}
        JOIN {Organisation._meta.db_table} o ON o.id = p.organisation_id
        LEFT JOIN {commune} c ON c.id = p.commune_id
        LEFT JOIN {Department._meta.db_table} d ON d.id = c.department_id
        LEFT JOIN {Region._meta.db_table} r ON r.id = c.region_id
        {ids}"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*with_params, point.x, point.y, *total_params, *ids_params])
        fetched = cursor.fetchall()
    rows = []
    for *values, _total in fetched:
        row = PageRow()
        (
            row.pk,
            row.slug,
            row.name,
            row.street,
            row.postal_code,
            row.city,
            row.opening_hours,
            row.appointment_only,
            row.languages,
            row.interpreting,
            row.wheelchair,
            row.phone,
            row.email,
            row.website,
            row.last_verified,
            row.updated_at,
            x,
            y,
            row.distance,
            organisation_pk,
            organisation_name,
            organisation_slug,
            commune_pk,
            commune_code,
            commune_name,
            department_code,
            region_code,
            row.kind_pks,
            row.competence_pks,
        ) = values
        row.location = XY(x, y)
        row.organisation = PageOrganisation(organisation_pk, organisation_name, organisation_slug)
        row.commune = (
            None
            if commune_pk is None
            else PageCommune(
                commune_pk,
                commune_code,
                commune_name,
                None if department_code is None else _Code(department_code),
                None if region_code is None else _Code(region_code),
            )
        )
        rows.append(row)
    return rows, (fetched[0][-1] if fetched else None)


def _nearest_page_rows(
    ids_sql: str, ids_params: list, point: Point, radius_m: float, rows_sql: bool = False
) -> list[PageRow]:
    """The page rows of the nearest places `ids_sql` selects, nearest first, within `radius_m`."""
    return _in_reach(_page_rows(ids_sql, ids_params, point, rows_sql=rows_sql)[0], radius_m)


def _in_reach(rows: list[PageRow], radius_m: float) -> list[PageRow]:
    """`rows` nearest first, those within `radius_m`, each with `distance_m`."""
    found = sorted(rows, key=lambda r: (r.distance, r.pk))
    found = [row for row in found if row.distance <= radius_m]
    for row in found:
        row.distance_m = round(row.distance, 1)
    return found


def _nearest_postgis(
    queryset: QuerySet[Place],
    point: Point,
    radius_m: float,
    offset: int,
    limit: int,
    rows: bool,
    few: bool = False,
    light: bool = False,
) -> list[Place] | list[PageRow]:
    # `<->` alone in ORDER BY: adding ST_DWithin or a tie-break column made the planner
    # leave the KNN index scan (204 ms instead of 7 ms p50 at 100k places, bench/).
    # Rows beyond the radius are dropped here, from the `limit` nearest only.
    # `few`: the filters keep few places (a rare competence); the planner may still walk
    # the index in distance order, examining 16,000 places for 20 (775 ms at 1M, its
    # estimates a hair apart). Sorting the places of the disc by distance reads the
    # filter's few rows instead (2-4 ms).
    if few:  # a distance the index cannot serve: the planner reads the few places first
        nearest = queryset.order_by(Distance("location", point), "pk")
    else:
        nearest = queryset.order_by(GeometryDistance("location", point))
    if rows and light:  # the same statement, raw: page rows, no model instance
        ids_sql, ids_params = nearest.values("pk")[offset : offset + limit].query.sql_with_params()
        return _nearest_page_rows(ids_sql, list(ids_params), point, radius_m)
    if rows:
        # The walk reads ids; the page's rows and joins are read for those ids alone, in
        # the same statement (joined inside the walk, they ran for each of a rare
        # competence's 1,000 candidates: 5.7 ms instead of 2 at 1M places).
        ids = nearest.values("pk")[offset : offset + limit]
        found = with_page_related(Place.objects.filter(pk__in=ids)).annotate(
            distance=Distance("location", point)
        )
        found = sorted(found, key=lambda place: (place.distance.m, place.pk))
    else:
        found = list(
            nearest.annotate(distance=Distance("location", point))[offset : offset + limit]
        )
    return [place for place in found if place.distance.m <= radius_m]


def places_near(
    point: Point,
    *,
    queryset: QuerySet[Place] | None = None,
    radius_m: float = MAX_RADIUS_M,
    limit: int = 20,
    offset: int = 0,
    rows: bool = False,
    few: bool = False,
    light: bool = False,
) -> list[Place] | list[PageRow]:
    """Places nearest to `point` within `radius_m`, nearest first, each with `distance_m`.

    `rows=True`: with what a page shows of them (`with_page_related`). `few=True`: the
    queryset holds few places (see `few_places`); PostGIS sorts them rather than walk.
    `light=True` (with `rows`, PostGIS): `PageRow`s rather than model instances, for the
    API's serializer (SpatiaLite gives instances still).
    """
    if point.srid is None:
        point = Point(point.x, point.y, srid=WGS84)
    queryset = queryset if queryset is not None else published_places()
    if connection.vendor == "sqlite":
        walked = queryset.only("pk") if rows else queryset
        found = _nearest_spatialite(walked, point, radius_m, offset + limit)[offset:]
        if rows:
            distances = {place.pk: place.distance for place in found}
            found = _rows_for(list(distances))
            for place in found:
                place.distance = distances[place.pk]
    else:
        found = _nearest_postgis(queryset, point, radius_m, offset, limit, rows, few, light)
        if rows and light:
            return found
    for place in found:
        place.distance_m = round(place.distance.m, 1)
    return found


def count_near(
    point: Point,
    *,
    queryset: QuerySet[Place],
    radius_m: float,
    limit: int | None = None,
    walk: bool = False,
    few: bool = False,
) -> int:
    """Places within `radius_m` of `point`; at most `limit` counted when given.

    Two exact strategies on PostGIS, both bounded by `limit`: the disc (`ST_DWithin`,
    cheap when it holds few places) or, with `walk=True`, the KNN walk of the `limit`
    nearest (cheap when the disc holds many more than `limit`).
    """
    if queryset.query.is_empty():  # filter_places' none(): no SQL to write
        return 0
    if connection.vendor == "sqlite":
        half_lat = radius_m / METRES_PER_DEGREE * FRAME_MARGIN
        half_lon = half_lat / max(math.cos(math.radians(point.y)), 0.01)
        frame = [point.x - half_lon, point.y - half_lat, point.x + half_lon, point.y + half_lat]
        within = (
            in_rtree(queryset, "location", frame)
            .annotate(distance=Distance("location", point))
            .filter(distance__lte=D(m=radius_m))
        )
    elif few:  # the few places, each measured (ST_DWithin would tempt the planner: see above)
        within = queryset.annotate(distance=Distance("location", point)).filter(
            distance__lte=D(m=radius_m)
        )
    elif limit is not None and walk:
        return _count_nearest_within(point, queryset=queryset, radius_m=radius_m, limit=limit)
    else:
        within = queryset.filter(location__dwithin=(point, D(m=radius_m)))
    return within.count() if limit is None else count_at_most(within, limit)


def _count_nearest_within(
    point: Point, *, queryset: QuerySet[Place], radius_m: float, limit: int
) -> int:
    """PostGIS: how many of the `limit` nearest places lie within `radius_m`.

    The same KNN walk as the page (`<->` alone in ORDER BY, LIMIT): it stops after
    `limit` rows whatever the radius, where `ST_DWithin … LIMIT` let the planner
    misjudge a 200 km disc as holding two rows and read every link of a common
    competence (123 ms against 12 ms at 100k places, bench/bench_scale.py).
    """
    nearest = (
        queryset.order_by(GeometryDistance("location", point))
        .annotate(distance=Distance("location", point))
        .values("distance")[:limit]
    )
    sql, params = nearest.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM ({sql}) AS nearest WHERE distance <= %s", [*params, radius_m]
        )
        return cursor.fetchone()[0]


def cluster_dimension(filters: PlaceFilters) -> tuple[str, int] | None:
    """The PlaceCluster dimension and value counting exactly the places of `filters`, if any.

    Clusters count published places in four dimensions: all, one competence, one
    région, one département. Any other filter (or two of these) has none.
    """
    f = filters
    if f.kinds or f.language or f.commune or f.text or f.bbox or len(set(f.competences)) > 1:
        return None
    if f.fresh:  # clusters count every published place, whenever verified
        return None
    if sum([bool(f.competences), bool(f.region), bool(f.department)]) > 1:
        return None
    if f.competences:
        pk = vocabulary_ids(Competence).get(f.competences[0])
        return (ClusterDimension.COMPETENCE, pk) if pk is not None else None
    if f.region:
        pk = Region.objects.filter(code=f.region).values_list("pk", flat=True).first()
        return (ClusterDimension.REGION, pk) if pk is not None else None
    if f.department:
        pk = Department.objects.filter(code=f.department).values_list("pk", flat=True).first()
        return (ClusterDimension.DEPARTMENT, pk) if pk is not None else None
    return ClusterDimension.ALL, 0


SIZES_CACHE_SECONDS = 600


def competence_sizes() -> dict[int, int]:
    """Published places per competence id (cluster counts at zoom 0), cached 10 minutes
    (and a few seconds in the process: each nearest search reads them).

    An order of magnitude is all the nearest search needs of them (`few_places`).
    """

    def load() -> dict[int, int]:
        rows = PlaceCluster.objects.filter(dimension=ClusterDimension.COMPETENCE, zoom=0)
        sizes = dict(rows.values("value").annotate(n=Sum("count")).values_list("value", "n"))
        everything = PlaceCluster.objects.filter(dimension=ClusterDimension.ALL, zoom=0)
        sizes[0] = everything.aggregate(n=Sum("count"))["n"] or 0
        return sizes

    return _kept("directory:competence-sizes", SIZES_CACHE_SECONDS, load)


def few_places(filters: PlaceFilters, wanted: int) -> bool:
    """Whether the competences asked for hold so few places that sorting them by distance
    costs less than walking the spatial index until `wanted` of them turn up.

    The walk passes about wanted × all / matching places; the sort reads the matching
    ones: they cost the same at matching² = wanted × all (4,500 of 1M for 20).
    """
    if not filters.competences:
        return False
    ids = vocabulary_pks(Competence, filters.competences)
    sizes = competence_sizes()
    if not ids or not sizes.get(0):
        return False
    matching = sum(sizes.get(pk, 0) for pk in ids)
    if filters.competences_all:
        matching = min(sizes.get(pk, 0) for pk in ids)
    return matching**2 <= wanted * sizes[0]


def is_open(place: Place, at: datetime | None = None) -> bool:
    hours = place.hours
    if hours is None:
        return False
    at = timezone.localtime(at or timezone.now()).replace(tzinfo=None)
    return hours.is_open(at)


def places_open_at(queryset: QuerySet[Place], at: datetime) -> QuerySet[Place]:
    """Places open at `at`, as an exact SQL filter.

    Whether a place is open depends on its opening-hours text alone, and places
    share a few hundred texts at most: each distinct text is evaluated once in
    Python (`selectors.is_open`), then the places are kept with `opening_hours IN
    (…)`. Counting, paging and the nearest-first walk stay in the database, with
    no cap on how many places are scanned.
    """
    texts = queryset.order_by().values_list("opening_hours", flat=True).distinct()
    open_texts = [text for text in texts if text and is_open(Place(opening_hours=text), at)]
    return queryset.filter(opening_hours__in=open_texts)


# Totals are exact up to here; beyond, "more than 1,000" (no request counts 50,000 rows).
COUNT_CAP = 1000


@dataclass
class PlacePage:
    """One page of a place search: its places (with `distance_m` around an origin) and the total.

    `capped`: there are more than `total` places (the count stopped at the cap).
    """

    places: list[Place]
    total: int
    number: int
    size: int
    capped: bool = False
    # By name: the (name, id) the next page starts after (keyset paging), when it may exist.
    next_after: tuple[str, int] | None = None

    @property
    def last_number(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def pageable_rows(self) -> int:
        """Rows a pager may assume: the total, or past the cap, one more than this page shows."""
        if not self.capped:
            return self.total
        seen = (self.number - 1) * self.size + len(self.places)
        return max(self.total + 1, seen + (1 if len(self.places) == self.size else 0))


def count_at_most(queryset: QuerySet, limit: int) -> int:
    """`min(count, limit)`, counting no more than `limit` rows (a LIMIT in a subquery)."""
    return queryset.order_by().values("pk")[:limit].count()


# Polygons and search keys of the commune and its areas are never shown with a place.
_PAGE_UNUSED_COLUMNS = [
    f"commune__{area}{column}"
    for area in ("", "department__", "region__")
    for column in ("boundary", "centre", "population")
] + ["commune__search_name", "organisation__description", "organisation__embed_domains"]


def with_page_related(queryset: QuerySet[Place]) -> QuerySet[Place]:
    """The joins a page of places shows (organisation, commune, its areas), polygons left out.

    Each row also carries its kinds' and competences' ids (`kind_pks`, `competence_pks`:
    "3,5"), read in the same query; `slugs_in_order` names them.
    """
    return (
        queryset.select_related("organisation", "commune__department", "commune__region")
        .defer(*_PAGE_UNUSED_COLUMNS)
        .annotate(
            kind_pks=_joined_ids(Place.kinds.through, "kind_id"),
            competence_pks=_joined_ids(Place.competences.through, "competence_id"),
        )
    )


def search_places(
    filters: PlaceFilters,
    *,
    origin: Point | None = None,
    radius_km: float = DEFAULT_RADIUS_KM,
    open_at: datetime | None = None,
    page: int = 1,
    page_size: int = 20,
    last_page_if_past_end: bool = False,
    count_cap: int | None = None,
    after: tuple[str, int] | None = None,
    light: bool = False,
) -> PlacePage:
    """The one place search of the site: the /annuaire/ page, the API and the embed call it.

    Around `origin`: the places within `radius_km`, nearest first (a spatial-index
    walk, never a distance-sorted queryset sliced). Otherwise: by name, then id.
    `open_at` keeps the places open at that moment, in SQL, before the walk. The
    walk and the sort read ids only; the page's rows and their joins come after.
    A page past the end is empty, or the last page if `last_page_if_past_end`.
    The total is exact up to `count_cap`; beyond it the page says `capped`.
    By name, `after=(name, id)` gives the page after that row (keyset paging, no
    OFFSET); around an origin, OFFSET stays: the KNN walk passes the nearer rows
    either way. `light=True`: around an origin on PostGIS, the page holds `PageRow`s
    (what the API's serializer reads) rather than model instances.
    """
    count_cap = COUNT_CAP if count_cap is None else count_cap

    @cache_once
    def places() -> QuerySet[Place]:
        """The filters as a queryset, built when first needed (the nearest page's SQL may
        be written without it: place_sql)."""
        queryset = filter_places(published_places(), filters)
        return queryset if open_at is None else places_open_at(queryset, open_at)

    page = max(1, page)
    if origin is None:
        queryset = places()
        counted = count_at_most(queryset, count_cap + 1)
        capped, total = counted > count_cap, min(counted, count_cap)
        if last_page_if_past_end:
            page = min(page, max(1, math.ceil(total / page_size)))
        by_name = queryset.order_by("name", "pk").values_list("pk", "name")
        if after is not None:  # keyset: the rows after (name, id), whatever the depth
            name, pk = after
            by_name, page = by_name.filter(Q(name__gt=name) | Q(name=name, pk__gt=pk)), 1
            offset = 0
        else:
            offset = (page - 1) * page_size
        rows = list(by_name[offset : offset + page_size])
        if capped:
            total = max(total, offset + len(rows))
        result = PlacePage(_rows_for([pk for pk, _name in rows]), total, page, page_size, capped)
        if len(rows) == page_size:
            result.next_after = (rows[-1][1], rows[-1][0])
        return result

    radius_m = radius_km * 1000

    few = connection.vendor == "postgresql" and few_places(filters, page * page_size)
    # The API's page on PostGIS: the walk's SQL written by place_sql, no queryset built.
    where = (
        place_sql.where_sql(filters)
        if light and open_at is None and connection.vendor == "postgresql"
        else None
    )

    def walk(number: int) -> tuple[list[Place] | list[PageRow], int | None]:
        """The page `number`, and the total up to the cap when the same statement counted
        it (a rare filter's, place_sql.few_page_sql), else None."""
        if where is not None and few:
            part = place_sql.few_page_sql(
                where,
                origin.x,
                origin.y,
                (number - 1) * page_size,
                page_size,
                radius_m,
                count_cap + 1,
            )
            rows, counted = _page_rows(
                part.ids_sql,
                part.ids_params,
                origin,
                rows_sql=True,
                with_sql=part.with_sql,
                with_params=part.with_params,
                total_sql=part.total_sql,
                total_params=part.total_params,
            )
            return _in_reach(rows, radius_m), counted
        if where is not None:
            ids_sql, ids_params = place_sql.nearest_ids_sql(
                where, origin.x, origin.y, (number - 1) * page_size, page_size, few
            )
            return _nearest_page_rows(ids_sql, ids_params, origin, radius_m, rows_sql=True), None
        hits = places_near(
            origin,
            queryset=places(),
            radius_m=radius_m,
            limit=page_size,
            offset=(number - 1) * page_size,
            rows=True,
            few=few,
            light=light,
        )
        return hits, None

    hits, walk_total = walk(page)
    offset = (page - 1) * page_size
    capped = False
    if 0 < len(hits) < page_size or (not hits and page == 1):
        total = offset + len(hits)  # a page that is not full tells the total by itself
    else:
        seen, reach = offset + len(hits), hits[-1].distance_m if hits else 0.0
        # From the cluster tables when the filters are one of their dimensions.
        dimension = cluster_dimension(filters) if open_at is None else None
        counted = walk_total
        if counted is None and dimension is not None and not few:
            lon, lat = origin.x, origin.y
            counted = count_in_disc(lon, lat, radius_m, dimension, count_cap + 1)
        if counted is None:
            # The page's own density says which count is cheap: the farthest of the
            # `seen` nearest lies at `reach`, so the disc holds about seen × (r / reach)².
            crowded = reach <= 0 or seen * (radius_m / reach) ** 2 > 10 * count_cap
            counted = count_near(
                origin,
                queryset=places(),
                radius_m=radius_m,
                limit=count_cap + 1,
                walk=crowded and not few,
                few=few,
            )
        capped, total = counted > count_cap, min(counted, count_cap)
        if capped:
            total = max(total, offset + len(hits))
        if not hits and last_page_if_past_end and total:
            page = max(1, math.ceil(total / page_size))
            hits, _total = walk(page)
    return PlacePage(hits, total, page, page_size, capped)


def _rows_for(ids: list[int]) -> list[Place]:
    """The rows of `ids`, in that order (a row deleted meanwhile is left out)."""
    by_id = with_page_related(Place.objects.all()).in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def competences() -> QuerySet[Competence]:
    return Competence.objects.all()


def kinds() -> QuerySet[Kind]:
    return Kind.objects.all()


def organisation_places(
    organisation: Organisation, *, exclude: Place | None = None
) -> QuerySet[Place]:
    queryset = published_places().filter(organisation=organisation).select_related("commune")
    return queryset.exclude(pk=exclude.pk) if exclude else queryset


def editable_places(user) -> QuerySet[Place]:
    """The places a user may see and edit in the admin: her organisations', or all for moderators.

    The SQL side of the rule `directory.view_draft_place`, kept beside it in rules.py.
    """
    from .rules import editable_places as rule_editable_places

    return rule_editable_places(user)
