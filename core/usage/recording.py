"""Writing the counts: one upsert per request, and the daily salt behind the visitor ids.

`record(counts, day=…, visitor=…)` adds each count to its `UsageCounter(day, metric, key)` row
with `INSERT … ON CONFLICT (day, metric, key) DO UPDATE SET count = count + excluded.count`:
the database adds, so concurrent requests never lose an increment (no read-modify-write in
Python, no in-memory batch that a crash would lose). A visitor id is inserted-or-ignored in
`UsageVisitor(day, visitor)`; only when that insert added a row is the day's "visitors"
counter raised. On PostgreSQL both happen in one statement (a data-modifying CTE), on SQLite
in two statements of one transaction.

Rows are written in one fixed order (sorted by metric and key, the visitor row last), so two
requests upserting overlapping rows take their row locks in the same order and cannot
deadlock.

The salt: `Salts.for_day(day)` returns the day's random 32 bytes, created by the first process
that needs them (insert-or-ignore, then read back, so every process shares them) and kept in
process memory for the rest of the day. Creating a day's salt first deletes the salts and the
visitor rows of every earlier day: yesterday's ids can no longer be recomputed from an address,
nor compared with today's.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
from collections.abc import Mapping
from datetime import date

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from .models import UsageCounter, UsageSalt, UsageVisitor

logger = logging.getLogger(__name__)

VISITORS = "visitors"
Counts = Mapping[tuple[str, str], int]


class Salts:
    """The day's salt, per process (a class so that tests can start from a fresh one)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._day: date | None = None
        self._salt = b""

    def for_day(self, day: date) -> bytes:
        if self._day == day:
            return self._salt
        with self._lock:
            if self._day != day:
                self._salt = rotate(day)
                self._day = day
        return self._salt


def rotate(day: date) -> bytes:
    """Forget every earlier day's salt and visitor ids; `day`'s salt, created if missing."""
    UsageSalt.objects.filter(day__lt=day).delete()
    UsageVisitor.objects.filter(day__lt=day).delete()
    UsageSalt.objects.bulk_create(
        [UsageSalt(day=day, salt=secrets.token_hex(32))], ignore_conflicts=True
    )
    return bytes.fromhex(UsageSalt.objects.get(day=day).salt)


def forget_all() -> None:
    """Counting switched off (USAGE_COUNTING): no salt and no visitor id is kept at all."""
    UsageSalt.objects.all().delete()
    UsageVisitor.objects.all().delete()


def visitor_id(salt: bytes, ip: str, user_agent: str) -> str:
    """32 hex characters: HMAC-SHA256 of the address and user agent under the day's salt."""
    message = f"{ip}\n{user_agent}".encode("utf-8", "replace")
    return hmac.new(salt, message, hashlib.sha256).hexdigest()[:32]


def record(counts: Counts, *, day: date, visitor: str | None = None) -> None:
    """Add `counts` ({(metric, key): n}) to `day`'s counters; count `visitor` once a day."""
    rows = sorted((metric, key[:200], n) for (metric, key), n in counts.items() if n)
    if not rows and visitor is None:
        return
    if connection.in_atomic_block:
        # Inside a caller's transaction (tests, a view's atomic block): a failure here must
        # not break it.
        with transaction.atomic(savepoint=True):
            _write(rows, day, visitor)
    elif connection.vendor == "postgresql":
        _write(rows, day, visitor)  # one statement: atomic by itself
    else:
        with transaction.atomic():
            _write(rows, day, visitor)


def record_safely(counts: Counts, *, day: date, visitor: str | None = None) -> None:
    """`record`, logging instead of raising: counting never fails a request."""
    try:
        record(counts, day=day, visitor=visitor)
    except DatabaseError:
        logger.warning("Usage counts not recorded", exc_info=True)


def _names():
    quote = connection.ops.quote_name
    return (
        quote(UsageCounter._meta.db_table),
        quote(UsageVisitor._meta.db_table),
        quote("day"),
        quote("metric"),
        quote("key"),
        quote("count"),
        quote("visitor"),
    )


def _write(rows: list[tuple[str, str, int]], day: date, visitor: str | None) -> None:
    counter, visitors, c_day, c_metric, c_key, c_count, c_visitor = _names()
    day_value = connection.ops.adapt_datefield_value(day)
    upsert = (
        f" ON CONFLICT ({c_day}, {c_metric}, {c_key}) DO UPDATE"
        f" SET {c_count} = {counter}.{c_count} + excluded.{c_count}"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _write_postgresql(cursor, rows, day_value, visitor, upsert)
            return
        if visitor is not None:
            cursor.execute(
                f"INSERT INTO {visitors} ({c_day}, {c_visitor}) VALUES (%s, %s)"
                f" ON CONFLICT ({c_day}, {c_visitor}) DO NOTHING",
                [day_value, visitor],
            )
            if cursor.rowcount == 1:
                rows = [*rows, (VISITORS, "", 1)]
        if rows:
            values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
            params = [value for metric, key, n in rows for value in (day_value, metric, key, n)]
            cursor.execute(
                f"INSERT INTO {counter} ({c_day}, {c_metric}, {c_key}, {c_count})"
                f" VALUES {values}" + upsert,
                params,
            )


def _write_postgresql(cursor, rows, day_value: str, visitor: str | None, upsert: str) -> None:
    """One statement: the visitor's insert-or-ignore and the counters' upsert.

    Outside a caller's transaction, the statement is its own transaction, committed without
    waiting for the WAL to reach the disk (`synchronous_commit` off for it alone, when
    USAGE_ASYNCHRONOUS_COMMIT): that wait was 4-5 ms of a 5 ms upsert on a busy disk. A
    crash of the database server (not of the application) may then lose the counts of its
    last fraction of a second (at most 3 × wal_writer_delay, 600 ms by default); what is
    committed is never inconsistent.
    """
    counter, visitors, c_day, c_metric, c_key, c_count, c_visitor = _names()
    ctes: list[str] = []
    params: list = []
    sources = []  # FROM items every part of the SELECT joins (one row each)
    if settings.USAGE_ASYNCHRONOUS_COMMIT and not connection.in_atomic_block:
        ctes.append("quick AS (SELECT set_config('synchronous_commit', 'off', true))")
        sources.append("quick")
    if visitor is not None:
        ctes.append(
            f"seen AS (INSERT INTO {visitors} ({c_day}, {c_visitor})"
            f" VALUES (%s::date, %s) ON CONFLICT ({c_day}, {c_visitor}) DO NOTHING RETURNING 1)"
        )
        params += [day_value, visitor]
    parts = []
    if rows:
        values = ", ".join(["(%s::date, %s, %s, %s::bigint)"] * len(rows))
        parts.append(f"SELECT v.* FROM {', '.join([f'(VALUES {values}) AS v', *sources])}")
        params += [value for metric, key, n in rows for value in (day_value, metric, key, n)]
    if visitor is not None:
        parts.append(f"SELECT %s::date, %s, '', 1::bigint FROM {', '.join(['seen', *sources])}")
        params += [day_value, VISITORS]
    sql = (
        (f"WITH {', '.join(ctes)} " if ctes else "")
        + f"INSERT INTO {counter} ({c_day}, {c_metric}, {c_key}, {c_count}) "
        + " UNION ALL ".join(parts)
        + upsert
    )
    cursor.execute(sql, params)
