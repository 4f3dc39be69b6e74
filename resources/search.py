"""Full-text search of notices: the practice sheets' machinery (practices/search.py) over
title (weight A), authors (B) and abstract (C).

PostgreSQL: `to_tsvector('french', unaccent(...))`, `websearch_to_tsquery`, `ts_rank`.
SQLite: an FTS5 table of Snowball French stems (practices/stemming.py) kept in step on save.
"""

from __future__ import annotations

import difflib

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    Max,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from practices.stemming import fold, stemmed_text, stems

from .models import Notice

FTS_TABLE = "resources_notice_fts"
MAX_QUERY_LENGTH = 500


def _words(text: str) -> list[str]:
    return fold(text[:MAX_QUERY_LENGTH])[:32]


def index_row(notice: Notice) -> list:
    return [
        notice.pk,
        stemmed_text(notice.title),
        stemmed_text(notice.authors_text),
        stemmed_text(notice.abstract),
    ]


@receiver(post_save, sender=Notice)
def _index_notice(sender, instance: Notice, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [instance.pk])
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, authors, abstract) VALUES (%s, %s, %s, %s)",
            index_row(instance),
        )


@receiver(post_delete, sender=Notice)
def _unindex_notice(sender, instance: Notice, **kwargs) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [instance.pk])


def search_notices(queryset: QuerySet[Notice], text: str) -> QuerySet[Notice]:
    """Notices matching every word of `text`, best first."""
    words = _words(text or "")
    if not words:
        return queryset.none()
    if connection.vendor == "sqlite":
        return _search_sqlite(queryset, words)
    return _search_postgres(queryset, " ".join(words))


def _search_sqlite(queryset: QuerySet[Notice], words: list[str]) -> QuerySet[Notice]:
    match = " ".join('"' + w.replace('"', "") + '"' for w in stems(words))
    if not match:
        return queryset.none()
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


def _search_postgres(queryset: QuerySet[Notice], text: str) -> QuerySet[Notice]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    def unaccent(expression):
        return Func(expression, function="unaccent", output_field=TextField())

    vector = (
        SearchVector(unaccent(F("title")), weight="A", config="french")
        + SearchVector(unaccent(F("authors_text")), weight="B", config="french")
        + SearchVector(unaccent(F("abstract")), weight="C", config="french")
    )
    query = SearchQuery(text, search_type="websearch", config="french")
    return (
        queryset.annotate(search=vector)
        .filter(search=query)
        .annotate(rank=SearchRank(F("search"), query))
        .order_by("-rank", "title")
    )


# -- « Vouliez-vous dire … ? » (as practices/search.py: pg_trgm on PostgreSQL, difflib on SQLite)

MIN_SUGGESTED_LENGTH = 4
TRIGRAM_THRESHOLD = 0.4
DIFFLIB_CUTOFF = 0.75
MAX_VOCABULARY = 20_000
MAX_SUGGESTED_WORDS = 5
TEXT_COLUMNS = ("title", "authors_text", "abstract")


def suggest_text(text: str) -> str | None:
    """`text` with each word the published notices do not know swapped for their closest
    word, or None when there is nothing to swap."""
    words = _words(text or "")
    unknown = [w for w in dict.fromkeys(words) if len(w) >= MIN_SUGGESTED_LENGTH]
    unknown = unknown[:MAX_SUGGESTED_WORDS]  # each one is a scan of the vocabulary
    if not unknown:
        return None
    closest = (
        _closest_postgres(unknown)
        if connection.vendor == "postgresql"
        else _closest_difflib(unknown)
    )
    suggested = [
        candidate if (candidate := closest.get(w)) and stems([candidate]) != stems([w]) else w
        for w in words
    ]
    return " ".join(suggested) if suggested != words else None


def _closest_postgres(words: list[str]) -> dict[str, str]:
    quote = connection.ops.quote_name
    table = quote(Notice._meta.db_table)
    columns = ", ".join(f"n.{quote(Notice._meta.get_field(f).column)}" for f in TEXT_COLUMNS)
    status = quote(Notice._meta.get_field("status").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH vocabulary AS (
                SELECT DISTINCT w FROM {table} n,
                    regexp_split_to_table(lower(unaccent(concat_ws(' ', {columns}))), '\\W+') AS w
                WHERE n.{status} = %s AND length(w) >= %s
            )
            SELECT DISTINCT ON (q) q, w
            FROM unnest(%s::text[]) AS q, vocabulary
            WHERE similarity(q, w) >= %s
            ORDER BY q, similarity(q, w) DESC, w
            """,
            ["published", MIN_SUGGESTED_LENGTH, words, TRIGRAM_THRESHOLD],
        )
        return dict(cursor.fetchall())


def _closest_difflib(words: list[str]) -> dict[str, str]:
    vocabulary = published_vocabulary()
    known = set(vocabulary)
    closest = {}
    for word in words:
        if word in known:
            closest[word] = word
        elif found := difflib.get_close_matches(word, vocabulary, n=1, cutoff=DIFFLIB_CUTOFF):
            closest[word] = found[0]
    return closest


def published_vocabulary() -> list[str]:
    """The distinct words of the published notices, most frequent first, at most
    MAX_VOCABULARY. Cached under a key that changes whenever a notice is published, edited,
    unpublished or deleted (practices/search.py does the same for the sheets)."""
    published = Notice.objects.filter(status="published")
    state = published.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    key = "resources:search:vocabulary:{n}:{top}:{last}".format(
        n=state["n"], top=state["top"], last=state["last"].isoformat() if state["last"] else ""
    )
    vocabulary = cache.get(key)
    if vocabulary is None:
        counts: dict[str, int] = {}
        for values in published.values_list(*TEXT_COLUMNS).iterator():
            for word in fold(" ".join(v or "" for v in values)):
                if len(word) >= MIN_SUGGESTED_LENGTH and not word.isdigit():
                    counts[word] = counts.get(word, 0) + 1
        vocabulary = sorted(counts, key=lambda w: (-counts[w], w))[:MAX_VOCABULARY]
        cache.set(key, vocabulary, 60 * 60)
    return vocabulary
