"""Full-text search of practice sheets, ranked; one function hides the two backends.

* PostgreSQL: `to_tsvector('french', unaccent(...))` weighted A (title), B (summary),
  C (other text), queried with `websearch_to_tsquery` (accepts any user input),
  ranked by `ts_rank`.
* SQLite: an FTS5 table (`unicode61 remove_diacritics 2` ignores accents) kept in
  step by signals, ranked by `bm25` with the same priorities.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Case, F, Func, IntegerField, QuerySet, TextField, Value, When
from django.db.models.functions import Concat
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from geodata.text import strip_accents

from .models import TEXT_FIELDS, PracticeSheet

FTS_TABLE = "practices_sheet_fts"
BODY_FIELDS = [f for f in TEXT_FIELDS if f != "summary"]
MAX_QUERY_LENGTH = 500
_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[str]:
    return _WORD.findall(strip_accents(text[:MAX_QUERY_LENGTH]).lower())[:32]


def _body(sheet: PracticeSheet) -> str:
    return "\n".join(getattr(sheet, f) or "" for f in BODY_FIELDS)


@receiver(post_save, sender=PracticeSheet)
def _index_sheet(sender, instance: PracticeSheet, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [instance.pk])
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, summary, body) VALUES (%s, %s, %s, %s)",
            [instance.pk, instance.title, instance.summary, _body(instance)],
        )


@receiver(post_delete, sender=PracticeSheet)
def _unindex_sheet(sender, instance: PracticeSheet, **kwargs) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [instance.pk])


def search_sheets(queryset: QuerySet[PracticeSheet], text: str) -> QuerySet[PracticeSheet]:
    """Sheets matching every word of `text`, best first (a title match beats a body match)."""
    words = _words(text or "")
    if not words:
        return queryset.none()
    if connection.vendor == "sqlite":
        return _search_sqlite(queryset, words)
    return _search_postgres(queryset, " ".join(words))


def _search_sqlite(queryset: QuerySet[PracticeSheet], words: list[str]) -> QuerySet[PracticeSheet]:
    # Each word quoted: FTS5 operators typed by a person are read as plain words.
    match = " ".join('"' + w.replace('"', "") + '"*' for w in words)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"ORDER BY bm25({FTS_TABLE}, 10.0, 4.0, 1.0) LIMIT 1000",
            [match],
        )
        ranked = [row[0] for row in cursor.fetchall()]
    if not ranked:
        return queryset.none()
    order = Case(
        *[When(pk=pk, then=Value(i)) for i, pk in enumerate(ranked)], output_field=IntegerField()
    )
    return queryset.filter(pk__in=ranked).annotate(rank_position=order).order_by("rank_position")


def _search_postgres(queryset: QuerySet[PracticeSheet], text: str) -> QuerySet[PracticeSheet]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    def unaccent(expression):
        return Func(expression, function="unaccent", output_field=TextField())

    body = Concat(
        *[part for f in BODY_FIELDS for part in (F(f), Value(" "))], output_field=TextField()
    )
    vector = (
        SearchVector(unaccent(F("title")), weight="A", config="french")
        + SearchVector(unaccent(F("summary")), weight="B", config="french")
        + SearchVector(unaccent(body), weight="C", config="french")
    )
    query = SearchQuery(text, search_type="websearch", config="french")
    return (
        queryset.annotate(search=vector)
        .filter(search=query)
        .annotate(rank=SearchRank(F("search"), query))
        .order_by("-rank", "title")
    )
