"""The places CSV written by PostgreSQL itself: `COPY (SELECT …) TO STDOUT`, PostGIS only.

The SELECT gives every column the exact text the Python path writes (csv_geojson.csv_row
through csv_writer), so that the file is byte for byte the same (a test compares them on
PostGIS):

* empty strings become NULL, which COPY writes as nothing (it quotes an empty string: "");
* COPY ends rows with LF and sends one row per message: the LF is swapped for CRLF per row,
  a line break inside a quoted value stays as it is, as Python's csv module leaves it;
* the formula neutralisation (core.spreadsheets' rule) and the list joins (ordered by
  position, name in byte order, as Python sorts) are done in SQL;
* coordinates are Python's `repr(round(x, 6))`: PostgreSQL prints a float8 as its shortest
  round-trip decimal, which rounds to 6 places like the binary value does, except when it
  ends exactly on a half (7 decimals ending in 5): then the binary value is compared
  exactly (scaled to an integer by a power of two) and an exact tie goes to even.
"""

from __future__ import annotations

import csv

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse

from core.spreadsheets import FORMULA_STARTS, GUARD, PLAIN_NUMBER
from directory.models import Competence, Kind, Organisation, Place
from geodata.models import Commune, Department, Region

from .csv_geojson import CSV_BOM, CSV_COLUMNS, CSV_DELIMITER, _Line

ROWS_PER_WRITE = 1_000


# First characters that make a spreadsheet run a value as a formula: = + - @ tab CR.
_FORMULA_CODES = ", ".join(str(ord(c)) for c in FORMULA_STARTS)
# Written into the SQL as they are: neither may hold a quote or a % (the query has params).
assert GUARD == "'" and not {"'", "%"} & set(PLAIN_NUMBER)


def _text(expression: str) -> str:
    """A text column: neutralised as core.spreadsheets.neutralise does (past its leading
    quotes, a formula's first character and not a plain number: one more quote), empty
    as NULL (ascii('') is 0)."""
    quoted = f"'''' || {expression}"
    rest = f"ltrim({expression}, '''')"
    return (
        f"CASE WHEN {expression} = '' THEN NULL "
        f"WHEN ascii({rest}) IN ({_FORMULA_CODES}) AND {rest} !~ '^{PLAIN_NUMBER}$' "
        f"THEN {quoted} ELSE {expression} END"
    )


def _coordinate(x: str) -> str:
    """Python's repr(round(x, 6)) of the float8 expression `x`, as text."""
    # Most values print with 6 decimals or fewer: what PostgreSQL prints is then the answer.
    fast = "a.dot > 0 AND length(a.s) - a.dot <= 6 AND strpos(a.s, 'e') = 0"
    n = "(a.s::numeric)"
    tie = f"(mod(abs({n}) * 10000000, 10) = 5)"
    # Only for a tie: the binary value, scaled by 2^k to an integer of 54-56 bits, exactly.
    k = "(54 - floor(ln(abs(a.x)) / ln(2))::int)"
    excess = (
        f"((abs(a.x) * power(2::float8, {k}))::bigint::numeric - abs({n}) * power(2::numeric, {k}))"
    )
    low = f"trunc(abs({n}), 6)"
    up = f"({low} + 0.000001)"
    even = f"(mod({low} * 1000000, 2) = 0)"
    exact = (
        f"(sign({n}) * CASE WHEN {excess} > 0 THEN {up} WHEN {excess} < 0 THEN {low} "
        f"WHEN {even} THEN {low} ELSE {up} END)"
    )
    digits = "(abs(r.d) * 1000000)::int"
    sign = "CASE WHEN r.d < 0 THEN '-' ELSE '' END"
    slow = f"""(SELECT CASE
            WHEN r.d = 0 THEN CASE WHEN a.x < 0 OR a.s LIKE '-%%' THEN '-0.0' ELSE '0.0' END
            WHEN abs(r.d) < 0.0001 THEN {sign} || CASE
                WHEN {digits} < 10 THEN {digits}::text || 'e-06'
                WHEN mod({digits}, 10) = 0 THEN ({digits} / 10)::text || 'e-05'
                ELSE ({digits} / 10)::text || '.' || mod({digits}, 10)::text || 'e-05' END
            ELSE regexp_replace(rtrim(r.d::text, '0'), '\\.$', '.0') END
        FROM (SELECT CASE WHEN {tie} THEN {exact} ELSE round({n}, 6) END AS d) AS r)"""
    return f"""(SELECT CASE WHEN {fast} THEN a.s ELSE {slow} END
    FROM (SELECT v.x, v.s, strpos(v.s, '.') AS dot
        FROM (SELECT w.x, w.x::text AS s FROM (SELECT {x} AS x) AS w) AS v OFFSET 0) AS a)"""


def _slugs(link_model, other_model, column: str) -> str:
    """Places' kinds or competences joined by |, in the taxonomy's order: (place_id, slugs)."""
    return (
        "(SELECT l.place_id, string_agg(t.slug, '|' ORDER BY t.position, t.name COLLATE \"C\", "
        f"t.id) AS slugs FROM {link_model._meta.db_table} l JOIN {other_model._meta.db_table} t "
        f"ON t.id = l.{column} GROUP BY l.place_id)"
    )


def _languages() -> str:
    """directory.validators.split_languages, joined by |."""
    spaces = "E' \\t\\n\\r\\f\\v'"
    return (
        f"array_to_string(ARRAY(SELECT lower(btrim(u.code, {spaces})) "
        "FROM unnest(string_to_array(replace(p.languages, ';', ','), ',')) "
        f"WITH ORDINALITY AS u(code, i) WHERE btrim(u.code, {spaces}) <> '' ORDER BY u.i), '|')"
    )


def select_sql(places: QuerySet[Place], base_url: str) -> tuple[str, list]:
    """The SELECT of the CSV rows of `places` (any queryset of places), and its parameters."""
    ids_sql, ids_params = places.order_by().values("pk").query.sql_with_params()
    head, _sep, tail = reverse("directory:place", kwargs={"slug": "slug"}).rpartition("slug")
    columns = {
        "id": "p.id",
        "slug": _text("p.slug"),
        "name": _text("p.name"),
        "organisation": _text("o.name"),
        "organisation_slug": _text("o.slug"),
        "kinds": _text("k.slugs"),
        "competences": _text("cp.slugs"),
        "address": _text("p.street"),
        "postal_code": _text("p.postal_code"),
        "commune_code": _text("c.code"),
        "commune": _text("CASE WHEN p.commune_id IS NULL THEN p.city ELSE c.name END"),
        "department_code": _text("d.code"),
        "department": _text("d.name"),
        "region_code": _text("r.code"),
        "region": _text("r.name"),
        "lon": _coordinate("ST_X(p.location::geometry)"),
        "lat": _coordinate("ST_Y(p.location::geometry)"),
        "opening_hours": _text("p.opening_hours"),
        "appointment_only": "CASE WHEN p.appointment_only THEN 'true' ELSE 'false' END",
        "languages": _text("links.languages"),
        "interpreting": "CASE WHEN p.interpreting THEN 'true' ELSE 'false' END",
        "wheelchair": _text("p.wheelchair"),
        "public": _text("p.public"),
        "phone": _text("p.phone"),
        "email": _text("p.email"),
        "website": _text("p.website"),
        "description": _text("p.description"),
        "last_verified": "to_char(p.last_verified, 'YYYY-MM-DD')",
        # In the project's time zone, with its offset then (+01:00, +02:00): the session's
        # is left alone, Django reads timestamps as UTC.
        "updated_at": (
            "to_char(links.local_updated, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE "
            "WHEN links.utc_offset < interval '0' THEN '-' || to_char(-links.utc_offset, 'HH24:MI') "
            "ELSE '+' || to_char(links.utc_offset, 'HH24:MI') END"
        ),
        "url": _text("links.url"),
    }
    assert list(columns) == CSV_COLUMNS, "the SQL columns must follow CSV_COLUMNS"
    sql = f"""SELECT {", ".join(columns.values())}
        FROM {Place._meta.db_table} p
        JOIN {Organisation._meta.db_table} o ON o.id = p.organisation_id
        LEFT JOIN {Commune._meta.db_table} c ON c.id = p.commune_id
        LEFT JOIN {Department._meta.db_table} d ON d.id = c.department_id
        LEFT JOIN {Region._meta.db_table} r ON r.id = c.region_id
        LEFT JOIN {_slugs(Place.kinds.through, Kind, "kind_id")} k ON k.place_id = p.id
        LEFT JOIN {_slugs(Place.competences.through, Competence, "competence_id")} cp
            ON cp.place_id = p.id
        CROSS JOIN LATERAL (SELECT
            {_languages()} AS languages,
            %s || p.slug || %s AS url,
            p.updated_at AT TIME ZONE %s AS local_updated,
            (p.updated_at AT TIME ZONE %s) - (p.updated_at AT TIME ZONE 'UTC') AS utc_offset
            OFFSET 0) AS links
        WHERE p.id IN ({ids_sql})
        ORDER BY p.id"""
    zone = settings.TIME_ZONE
    return sql, [base_url.rstrip("/") + head, tail, zone, zone, *ids_params]


def write_csv(out, places: QuerySet[Place], base_url: str) -> int:
    """Write the CSV of `places` to `out` (a .write_bytes() sink); return the number of rows."""
    sql, params = select_sql(places, base_url)
    header = csv.writer(_Line(), delimiter=CSV_DELIMITER, lineterminator="\r\n")
    out.write(CSV_BOM + header.writerow(CSV_COLUMNS))
    count = 0
    with connection.cursor() as cursor:
        # Until the end of the transaction the caller holds (rows.snapshot); both harmless
        # to the queries after it.
        cursor.execute("SET LOCAL extra_float_digits = 1")  # shortest round-trip floats
        # Compiling this long SELECT took 17 s of the 33 s a 100k-place CSV took with JIT.
        cursor.execute("SET LOCAL jit = off")
        # psycopg's COPY is past Django's cursor: its errors (a statement timeout, a lost
        # connection) are made Django's DatabaseError here, which the views answer with a 503.
        with (
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy,
        ):
            batch = []
            for row in copy:
                # One message per row; its last byte is the LF that ends it.
                batch.append(bytes(row[:-1]))
                if len(batch) == ROWS_PER_WRITE:
                    out.write_bytes(b"\r\n".join(batch) + b"\r\n")
                    out.count(len(batch))
                    count += len(batch)
                    batch = []
            if batch:
                out.write_bytes(b"\r\n".join(batch) + b"\r\n")
                out.count(len(batch))
                count += len(batch)
    return count
