"""Full-text search with one code path per backend, for the apps' published texts.

* PostgreSQL: `to_tsvector('french', unaccent(...))` weighted A, B and C (a title, a summary,
  the rest), queried with `websearch_to_tsquery` (any user input is valid), ranked by
  `ts_rank`.
* SQLite: an FTS5 table (one per model, created by its app's migration) kept in step on save,
  holding the same French stems as PostgreSQL's (stemming.py: accents folded, Snowball
  French), ranked by `bm25` with the same priorities.

Both stem, so "langues" finds what "langue" finds. A query that finds nothing gets a
« did you mean » (`suggest`): each unknown word swapped for the closest word of the
published texts (pg_trgm similarity on PostgreSQL, difflib on SQLite). Drafts never lend a
word. Practice sheets (practices/search.py) and notices (resources/search.py) each describe
their texts with a `FullTextSearch`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    Max,
    Model,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat

from .stemming import fold, stemmed_text, stems

MAX_QUERY_LENGTH = 500
MAX_QUERY_WORDS = 32
# A word shorter than this is never corrected (nor suggested): too many near neighbours.
MIN_SUGGESTED_LENGTH = 4
# pg_trgm similarity (0..1) and difflib ratio (0..1) a suggestion needs.
TRIGRAM_THRESHOLD = 0.4
DIFFLIB_CUTOFF = 0.75
MAX_VOCABULARY = 20_000
MAX_SUGGESTED_WORDS = 5  # each one is a scan of the vocabulary
PUBLISHED = "published"
BM25_WEIGHTS = "10.0, 4.0, 1.0"  # A, B, C as ts_rank weighs them (1.0, 0.4, 0.1)


def words_of(text: str) -> list[str]:
    return fold((text or "")[:MAX_QUERY_LENGTH])[:MAX_QUERY_WORDS]


def _unaccent(expression):
    return Func(expression, function="unaccent", output_field=TextField())


def _joined(fields: tuple[str, ...]):
    if len(fields) == 1:
        return F(fields[0])
    return Concat(*[part for f in fields for part in (F(f), Value(" "))], output_field=TextField())


@dataclass(frozen=True)
class FullTextSearch:
    """The searched texts of `model`: the fields of weights A, B and C, and the SQLite FTS5
    table (`fts_table`, columns `fts_columns` in the same order) that mirrors them."""

    model: type[Model]
    weights: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
    fts_table: str
    fts_columns: tuple[str, str, str]
    cache_prefix: str

    @property
    def text_fields(self) -> list[str]:
        return [f for fields in self.weights for f in fields]

    # -- the SQLite index, kept in step by the app's post_save / post_delete receivers --

    def index_row(self, instance: Model) -> list:
        texts = ("\n".join(getattr(instance, f) or "" for f in fields) for fields in self.weights)
        return [instance.pk, *(stemmed_text(text) for text in texts)]

    def index(self, instance: Model) -> None:
        if connection.vendor != "sqlite":
            return
        columns = ", ".join(self.fts_columns)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.fts_table} WHERE rowid = %s", [instance.pk])
            cursor.execute(
                f"INSERT INTO {self.fts_table} (rowid, {columns}) VALUES (%s, %s, %s, %s)",
                self.index_row(instance),
            )

    def unindex(self, instance: Model) -> None:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {self.fts_table} WHERE rowid = %s", [instance.pk])

    # -- searching --

    def search(self, queryset: QuerySet, text: str) -> QuerySet:
        """The rows matching every word of `text`, best first (title before body)."""
        words = words_of(text)
        if not words:
            return queryset.none()
        if connection.vendor == "sqlite":
            return self._search_sqlite(queryset, words)
        return self._search_postgres(queryset, " ".join(words))

    def _search_sqlite(self, queryset: QuerySet, words: list[str]) -> QuerySet:
        # Each stem quoted: FTS5 operators typed by a person are read as plain words.
        match = " ".join('"' + w.replace('"', "") + '"' for w in stems(words))
        if not match:  # only stop words, as PostgreSQL: nothing to look for
            return queryset.none()
        table = self.fts_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH %s "
                f"ORDER BY bm25({table}, {BM25_WEIGHTS}) LIMIT 1000",
                [match],
            )
            ranked = [row[0] for row in cursor.fetchall()]
        if not ranked:
            return queryset.none()
        order = Case(
            *[When(pk=pk, then=Value(i)) for i, pk in enumerate(ranked)],
            output_field=IntegerField(),
        )
        return (
            queryset.filter(pk__in=ranked).annotate(rank_position=order).order_by("rank_position")
        )

    def _search_postgres(self, queryset: QuerySet, text: str) -> QuerySet:
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        a, b, c = (
            SearchVector(_unaccent(_joined(fields)), weight=weight, config="french")
            for fields, weight in zip(self.weights, "ABC", strict=True)
        )
        query = SearchQuery(text, search_type="websearch", config="french")
        return (
            queryset.annotate(search=a + b + c)
            .filter(search=query)
            .annotate(rank=SearchRank(F("search"), query))
            .order_by("-rank", "title")
        )

    # -- « did you mean » --

    def suggest(self, text: str) -> str | None:
        """`text` with each word the published rows do not know swapped for their closest
        word, or None when there is nothing to swap. The caller asks it only when `text`
        found nothing, and checks that the suggestion finds something."""
        words = words_of(text)
        unknown = [w for w in dict.fromkeys(words) if len(w) >= MIN_SUGGESTED_LENGTH]
        unknown = unknown[:MAX_SUGGESTED_WORDS]
        if not unknown:
            return None
        if connection.vendor == "postgresql":
            closest = self._closest_postgres(unknown)
        else:
            closest = self._closest_difflib(unknown)
        # The same stem is the same word for the search: nothing to correct there.
        suggested = [
            candidate if (candidate := closest.get(w)) and stems([candidate]) != stems([w]) else w
            for w in words
        ]
        return " ".join(suggested) if suggested != words else None

    def _closest_postgres(self, words: list[str]) -> dict[str, str]:
        """Each word's most similar word (pg_trgm) of the published rows, if similar enough."""
        quote = connection.ops.quote_name
        meta = self.model._meta
        table = quote(meta.db_table)
        text = ", ".join(f"s.{quote(meta.get_field(f).column)}" for f in self.text_fields)
        status = quote(meta.get_field("status").column)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH vocabulary AS (
                    SELECT DISTINCT w FROM {table} s,
                        regexp_split_to_table(lower(unaccent(concat_ws(' ', {text}))), '\\W+') AS w
                    WHERE s.{status} = %s AND length(w) >= %s
                )
                SELECT DISTINCT ON (q) q, w
                FROM unnest(%s::text[]) AS q, vocabulary
                WHERE similarity(q, w) >= %s
                ORDER BY q, similarity(q, w) DESC, w
                """,
                [PUBLISHED, MIN_SUGGESTED_LENGTH, words, TRIGRAM_THRESHOLD],
            )
            return dict(cursor.fetchall())

    def _closest_difflib(self, words: list[str]) -> dict[str, str]:
        vocabulary = self.published_vocabulary()
        known = set(vocabulary)
        closest = {}
        for word in words:
            if word in known:
                closest[word] = word
            elif found := difflib.get_close_matches(word, vocabulary, n=1, cutoff=DIFFLIB_CUTOFF):
                closest[word] = found[0]
        return closest

    def published_vocabulary(self) -> list[str]:
        """The distinct words (folded, MIN_SUGGESTED_LENGTH letters or more) of the published
        rows, most frequent first, at most MAX_VOCABULARY of them. Cached under a key that
        changes whenever a row is published, edited, unpublished or deleted."""
        published = self.model._default_manager.filter(status=PUBLISHED)
        state = published.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
        key = "{prefix}:search:vocabulary:{n}:{top}:{last}".format(
            prefix=self.cache_prefix,
            n=state["n"],
            top=state["top"],
            last=state["last"].isoformat() if state["last"] else "",
        )
        vocabulary = cache.get(key)
        if vocabulary is None:
            counts: dict[str, int] = {}
            for values in published.values_list(*self.text_fields).iterator():
                for word in fold(" ".join(v or "" for v in values)):
                    if len(word) >= MIN_SUGGESTED_LENGTH and not word.isdigit():
                        counts[word] = counts.get(word, 0) + 1
            vocabulary = sorted(counts, key=lambda w: (-counts[w], w))[:MAX_VOCABULARY]
            cache.set(key, vocabulary, 60 * 60)
        return vocabulary
