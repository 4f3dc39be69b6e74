"""The place search's filters as SQL written here, for the API's nearest page on PostGIS.

Why: building the same filters as a queryset and compiling it took a third of the
Python time of a nearest-places request at 1M places (bench/README.md), for a
statement of a few lines. `where_sql` gives the rows of `selectors.filter_places`
on `published_places()` (a test holds the two to the same places for every filter),
as conditions on the place table under the alias `p`; the nearest walk and the page
rows are raw already (`selectors._page_rows`).

PostgreSQL only: SpatiaLite keeps the ORM path (its nearest search is a growing
square on the R*Tree, selectors._nearest_spatialite).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from geodata.models import Commune, Department, Region

from .freshness import stale_cutoff
from .models import Competence, Kind, Organisation, Place, Status

PLACE = Place._meta.db_table
_COMPETENCES = Place.competences.through._meta.db_table
_KINDS = Place.kinds.through._meta.db_table
_COMMUNE = Commune._meta.db_table
_DEPARTMENT = Department._meta.db_table
_REGION = Region._meta.db_table
_ORGANISATION = Organisation._meta.db_table
NOTHING = ("FALSE", [])  # no place can match (an unknown slug)


def _any(column: str, values: list) -> tuple[str, list]:
    """`column = %s` for one value (the planner's estimate of that value), IN for several."""
    if len(values) == 1:
        return f"{column} = %s", list(values)
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _links(table: str, column: str, ids: list[int]) -> tuple[str, list]:
    # `p.id IN (SELECT place_id …)`: the shape of the raw KNN query (docs/spatial-notes.md).
    test, params = _any(column, ids)
    return f"p.id IN (SELECT place_id FROM {table} WHERE {test})", params


def where_sql(filters) -> tuple[str, list]:
    """The conditions of `filters` (a `selectors.PlaceFilters`) on published places `p`."""
    from .selectors import vocabulary_pks  # selectors imports this module

    parts, params = ["p.status = %s"], [Status.PUBLISHED.value]

    def add(sql: str, values: list) -> None:
        parts.append(sql)
        params.extend(values)

    if filters.competences:
        ids = vocabulary_pks(Competence, filters.competences)
        if filters.competences_all:
            if len(ids) < len(set(filters.competences)):
                return NOTHING
            for competence_id in dict.fromkeys(ids):
                add(*_links(_COMPETENCES, "competence_id", [competence_id]))
        elif not ids:
            return NOTHING
        else:
            add(*_links(_COMPETENCES, "competence_id", list(dict.fromkeys(ids))))
    if filters.kinds:
        ids = vocabulary_pks(Kind, filters.kinds)
        if not ids:
            return NOTHING
        add(*_links(_KINDS, "kind_id", list(dict.fromkeys(ids))))
    areas = [
        (filters.region, _REGION, "region_id"),
        (filters.department, _DEPARTMENT, "department_id"),
    ]
    for code, table, column in areas:
        if code:
            add(
                f"p.commune_id IN (SELECT c.id FROM {_COMMUNE} c JOIN {table} a "
                f"ON a.id = c.{column} WHERE a.code = %s)",
                [code],
            )
    if filters.commune:
        add(f"p.commune_id IN (SELECT id FROM {_COMMUNE} WHERE code = %s)", [filters.commune])
    if filters.language:
        code = filters.language.lower()
        add("p.languages::text ~ %s", [rf"(^|[ ,;]){code}([ ,;]|$)"])
    if filters.text:
        # As Django's icontains on PostgreSQL: UPPER(…) LIKE UPPER('%text%'), escaped.
        pattern = f"%{connection.ops.prep_for_like_query(filters.text)}%"
        add(
            "(UPPER(p.name::text) LIKE UPPER(%s) OR p.organisation_id IN "
            f"(SELECT id FROM {_ORGANISATION} WHERE UPPER(name::text) LIKE UPPER(%s)))",
            [pattern, pattern],
        )
    if filters.bbox is not None:
        add("p.location::geometry && ST_MakeEnvelope(%s, %s, %s, %s, 4326)", list(filters.bbox))
    if filters.fresh:
        add("p.last_verified >= %s", [stale_cutoff()])
    return " AND ".join(parts), params


ORIGIN = "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography"


def nearest_ids_sql(
    where: tuple[str, list], lon: float, lat: float, offset: int, limit: int, few: bool
) -> tuple[str, list]:
    """The rows (p.*) of the `limit` places of `where` nearest to (lon, lat), after `offset`.

    As selectors._nearest_postgis: `<->` alone in ORDER BY walks the spatial index in
    distance order; `few` (a rare filter) sorts the filter's places by distance instead.
    """
    conditions, params = where
    if few:
        order = f"ST_Distance(p.location, {ORIGIN}), p.id"
    else:
        order = f"p.location <-> {ORIGIN}"
    sql = f"SELECT p.* FROM {PLACE} p WHERE {conditions} ORDER BY {order} LIMIT %s OFFSET %s"
    return sql, [*params, lon, lat, limit, offset]


@dataclass
class FewPage:
    """A page for a rare filter (`few`), with its total, in one statement: the filter's
    places measured once (`with_sql`), the page the nearest of them (`ids_sql`, their
    rows), and how many lie within the radius, at most the cap (`total_sql`). For
    selectors._page_rows."""

    with_sql: str
    with_params: tuple
    ids_sql: str
    ids_params: list
    total_sql: str
    total_params: tuple


def few_page_sql(
    where: tuple[str, list],
    lon: float,
    lat: float,
    offset: int,
    limit: int,
    radius_m: float,
    cap: int,
) -> FewPage:
    conditions, params = where
    return FewPage(
        with_sql=(
            f"WITH m AS MATERIALIZED (SELECT p.id, ST_Distance(p.location, {ORIGIN}) AS d "
            f"FROM {PLACE} p WHERE {conditions})"
        ),
        with_params=(lon, lat, *params),
        # The page's ids first, then their rows: joined before the LIMIT, every place of
        # the filter was read again (8.8 ms p50 instead of 7.2 at 10 km, 1M places).
        ids_sql=(
            "SELECT p.* FROM (SELECT id FROM m ORDER BY d, id LIMIT %s OFFSET %s) AS k "
            f"JOIN {PLACE} p ON p.id = k.id"
        ),
        ids_params=[limit, offset],
        total_sql="SELECT count(*) FROM (SELECT 1 FROM m WHERE d <= %s LIMIT %s) AS within",
        total_params=(radius_m, cap),
    )
