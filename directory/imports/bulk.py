"""New places written in bulk, and the scratch tables of one import.

What an import writes for a new place — the place, its history entry (with its kinds and
competences, as `simple_history` records them), its vocabulary links and its map cell —
goes in a few set-based statements per batch: PostgreSQL receives the rows through `COPY`
(ids reserved from the sequence first), other databases through `bulk_create`; the history
and everything derived from the stored rows is then written by `INSERT … SELECT` on both.
The cluster counts are added once, at the end, from the cells of all the new places
(`Scratch.count_new_places`).

`Scratch` keeps what an import must remember across batches in temporary tables of its
connection rather than in memory: the source ids already read (a duplicate id is told with
the line where it first appeared; the full import's absent flags) and the new places' ids.
A million-row file thus costs the memory of one batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from core.sql import in_values

from ..models import Place, PlaceCell
from ..tiles import clusters

SEEN = "import_seen_ids"
NEW = "import_new_places"


@dataclass
class NewPlace:
    """A checked row, ready to be written: its columns by attname (no id, no timestamps)."""

    values: dict[str, object]
    lon: float
    lat: float
    kinds: Sequence[int]
    competences: Sequence[int]
    region_pk: int | None
    department_pk: int | None


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def without_statement_timeout() -> None:
    """Lift the web requests' statement timeout (DATABASE_STATEMENT_TIMEOUT) until the end of
    the current transaction: an import uploaded in the admin may rightly run for minutes."""
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")


class Scratch:
    """The temporary tables of one import (see the module docstring); a context manager."""

    def __enter__(self) -> Scratch:
        with connection.cursor() as cursor:
            for table in (SEEN, NEW):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {SEEN} (source_id varchar(200) PRIMARY KEY, line integer)"
            )
            cursor.execute(f"CREATE TEMPORARY TABLE {NEW} (place_id bigint PRIMARY KEY)")
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None and _postgres():
            return  # an aborted transaction: its rollback drops them
        with connection.cursor() as cursor:
            for table in (SEEN, NEW):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def first_lines(self, ids: list[tuple[str, int]]) -> dict[str, int]:
        """Record the (source id, line) pairs of a batch; for the ids read before (in an
        earlier batch or earlier in this one), the line where each first appeared."""
        earlier: dict[str, int] = {}
        fresh: dict[str, int] = {}
        for source_id, line in ids:
            if source_id in fresh:
                earlier[source_id] = fresh[source_id]
            else:
                fresh[source_id] = line
        with connection.cursor() as cursor:
            for chunk in _chunks(list(fresh), 1_000):
                within, params = in_values("source_id", chunk)
                cursor.execute(f"SELECT source_id, line FROM {SEEN} WHERE {within}", params)
                for source_id, line in cursor.fetchall():
                    earlier[source_id] = line
                    del fresh[source_id]
            _insert(cursor, SEEN, ("source_id", "line"), list(fresh.items()))
        return earlier

    def seen_ids(self) -> str:
        """A subquery of the ids read so far."""
        return f"SELECT source_id FROM {SEEN}"

    def count_new_places(self) -> None:
        """Add the new places (published or not: their cells say) to the cluster counts."""
        if _postgres():  # its size, for the planner to read it by index
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {NEW}")
        clusters.add_from_cells(NEW)


def existing(column: str, values: list, *, source: str | None = None) -> list[tuple]:
    """(column, id) of the places whose `column` is one of `values` (of `source` if given)."""
    if not values:
        return []
    where, params = in_values(_quote(column), values)
    if source is not None:
        where, params = f"source = %s AND {where}", [source, *params]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_quote(column)}, id FROM {_quote(Place._meta.db_table)} WHERE {where}",
            params,
        )
        return cursor.fetchall()


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert(cursor, table: str, columns: Sequence[str], rows: list[Sequence]) -> None:
    """Rows into a table: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    names = ", ".join(_quote(c) for c in columns)
    if _postgres():
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _place_fields() -> list:
    return [f for f in Place._meta.concrete_fields if not f.primary_key]


def create_places(
    places: list[NewPlace], *, now: datetime, reason: str, counted: bool
) -> dict[int, int]:
    """Write `places` (their history, links and, if `counted`, their map cells); returns
    {index in `places`: new id}."""
    if not places:
        return {}
    fields = _place_fields()
    defaults = {f.attname: f.get_default() for f in fields}
    stamps = {"created_at": now, "updated_at": now, "imported_at": now}
    with connection.cursor() as cursor:
        if _postgres():
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Place._meta.db_table, len(places)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            columns = ["id", *(f.column for f in fields)]
            rows = []
            for pk, place in zip(ids, places, strict=True):
                row = [pk]
                for f in fields:
                    if f.attname == "location":
                        row.append(f"SRID=4326;POINT({place.lon!r} {place.lat!r})")
                    elif f.attname in stamps:
                        row.append(stamps[f.attname])
                    else:
                        row.append(place.values.get(f.attname, defaults[f.attname]))
                rows.append(row)
            _insert(cursor, _quote(Place._meta.db_table), columns, rows)
        else:
            from django.contrib.gis.geos import Point

            given = {**defaults, **stamps}
            given.pop("location")
            objects = [
                Place(**{**given, **place.values}, location=Point(place.lon, place.lat, srid=4326))
                for place in places
            ]
            ids = [p.pk for p in Place.objects.bulk_create(objects)]
        _insert(cursor, NEW, ("place_id",), [(pk,) for pk in ids])
        if not _postgres():  # bulk_create stamped its own "now" on the auto_now fields
            within, params = in_values("id", ids)
            cursor.execute(
                f"UPDATE {_quote(Place._meta.db_table)} SET created_at = %s, updated_at = %s "
                f"WHERE {within}",
                [now, now, *params],
            )
        _write_links(cursor, ids, places)
        _write_history(cursor, fields, ids, now=now, reason=reason)
        if counted:
            cells = [
                clusters.counted(
                    place.lon, place.lat, place.region_pk, place.department_pk, place.competences
                ).columns(pk)
                for pk, place in zip(ids, places, strict=True)
            ]
            columns = list(cells[0])
            _insert(
                cursor,
                _quote(PlaceCell._meta.db_table),
                columns,
                [[cell[c] for c in columns] for cell in cells],
            )
    return dict(enumerate(ids))


def _write_history(cursor, fields: list, ids: list[int], *, now: datetime, reason: str) -> None:
    """The "+" history entry of each place of the batch, copied from the stored rows, and
    its links as `simple_history` keeps them (one row per link, tied to the entry)."""
    history = Place.history.model
    table = _quote(history._meta.db_table)
    columns = ", ".join(_quote(f.column) for f in [Place._meta.pk, *fields])
    within, params = in_values("id", ids)
    cursor.execute(
        f"INSERT INTO {table} ({columns}, history_date, history_change_reason, history_type, "
        f"history_user_id) SELECT {columns}, %s, %s, '+', NULL "
        f"FROM {_quote(Place._meta.db_table)} WHERE {within} RETURNING id, history_id",
        [now, reason, *params],
    )
    entries = dict(cursor.fetchall())
    for name, column in (("kinds", "kind_id"), ("competences", "competence_id")):
        through = _quote(getattr(Place, name).through._meta.db_table)
        linked, linked_params = in_values("place_id", ids)
        cursor.execute(
            f"SELECT id, place_id, {column} FROM {through} WHERE {linked}", linked_params
        )
        _insert(
            cursor,
            _m2m_history_table(name),
            ("id", "place_id", column, "history_id"),
            [(pk, place_id, value, entries[place_id]) for pk, place_id, value in cursor.fetchall()],
        )


def _m2m_history_table(name: str) -> str:
    return _quote(f"{Place.history.model._meta.db_table}_{name}")


def _write_links(cursor, ids: list[int], places: list[NewPlace]) -> None:
    for name, column in (("kinds", "kind_id"), ("competences", "competence_id")):
        through = getattr(Place, name).through
        rows = [
            (pk, value)
            for pk, place in zip(ids, places, strict=True)
            for value in getattr(place, name)
        ]
        _insert(cursor, _quote(through._meta.db_table), ("place_id", column), rows)
