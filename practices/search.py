"""Full-text search of practice sheets, ranked; one function hides the two backends.

* PostgreSQL: `to_tsvector('french', unaccent(...))` weighted A (title), B (summary),
  C (other text), queried with `websearch_to_tsquery` (accepts any user input),
  ranked by `ts_rank`.
* SQLite: an FTS5 table kept in step by signals, holding the same French stems as
  PostgreSQL's (stemming.py: accents folded, Snowball French), ranked by `bm25` with the
  same priorities.

Both stem, so "langues" finds what "langue" finds. A query that finds nothing gets a
« did you mean » (`suggest_text`): each unknown word swapped for the closest word of the
published sheets (pg_trgm similarity on PostgreSQL, difflib on SQLite). Drafts never
lend a word.
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
from django.db.models.functions import Concat
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import TEXT_FIELDS, PracticeSheet, SheetStatus
from .stemming import fold, stemmed_text, stems

FTS_TABLE = "practices_sheet_fts"
BODY_FIELDS = [f for f in TEXT_FIELDS if f != "summary"]
MAX_QUERY_LENGTH = 500
# A word shorter than this is never corrected (nor suggested): too many near neighbours.
MIN_SUGGESTED_LENGTH = 4
# pg_trgm similarity (0..1) and difflib ratio (0..1) a suggestion needs.
TRIGRAM_THRESHOLD = 0.4
DIFFLIB_CUTOFF = 0.75
MAX_VOCABULARY = 20_000


def _words(text: str) -> list[str]:
    return fold(text[:MAX_QUERY_LENGTH])[:32]


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
            [
                instance.pk,
                stemmed_text(instance.title),
                stemmed_text(instance.summary),
                stemmed_text(_body(instance)),
            ],
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
    # Each stem quoted: FTS5 operators typed by a person are read as plain words.
    match = " ".join('"' + w.replace('"', "") + '"' for w in stems(words))
    if not match:  # only stop words, as PostgreSQL: nothing to look for
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


# -- « did you mean » ---------------------------------------------------------------------


def suggest_text(text: str) -> str | None:
    """`text` with each word the published sheets do not know swapped for their closest
    word, or None when there is nothing to swap. The caller asks it only when `text`
    found nothing, and checks that the suggestion finds something."""
    words = _words(text or "")
    unknown = [w for w in dict.fromkeys(words) if len(w) >= MIN_SUGGESTED_LENGTH]
    if not unknown:
        return None
    if connection.vendor == "postgresql":
        closest = _closest_postgres(unknown)
    else:
        closest = _closest_difflib(unknown)
    suggested = []
    for word in words:
        candidate = closest.get(word)
        # The same stem is the same word for the search: nothing to correct there.
        if candidate and stems([candidate]) != stems([word]):
            suggested.append(candidate)
        else:
            suggested.append(word)
    return " ".join(suggested) if suggested != words else None


def _published_text_columns() -> list[str]:
    return [PracticeSheet._meta.get_field(f).column for f in ["title", *TEXT_FIELDS]]


def _closest_postgres(words: list[str]) -> dict[str, str]:
    """Each word's most similar word (pg_trgm) of the published sheets, when similar enough."""
    table = connection.ops.quote_name(PracticeSheet._meta.db_table)
    text = ", ".join(f"s.{connection.ops.quote_name(c)}" for c in _published_text_columns())
    status = connection.ops.quote_name(PracticeSheet._meta.get_field("status").column)
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
            [SheetStatus.PUBLISHED.value, MIN_SUGGESTED_LENGTH, words, TRIGRAM_THRESHOLD],
        )
        return dict(cursor.fetchall())


def _closest_difflib(words: list[str]) -> dict[str, str]:
    vocabulary = published_vocabulary()
    closest = {}
    for word in words:
        if word in vocabulary:
            closest[word] = word
            continue
        found = difflib.get_close_matches(word, vocabulary, n=1, cutoff=DIFFLIB_CUTOFF)
        if found:
            closest[word] = found[0]
    return closest


def published_vocabulary() -> list[str]:
    """The distinct words (folded, MIN_SUGGESTED_LENGTH letters or more) of the published
    sheets, most frequent first, at most MAX_VOCABULARY of them. Cached under a key that
    changes whenever a sheet is published, edited, unpublished or deleted."""
    published = PracticeSheet.objects.filter(status=SheetStatus.PUBLISHED)
    state = published.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    key = "practices:search:vocabulary:{n}:{top}:{last}".format(
        n=state["n"], top=state["top"], last=state["last"].isoformat() if state["last"] else ""
    )
    vocabulary = cache.get(key)
    if vocabulary is None:
        counts: dict[str, int] = {}
        for values in published.values_list("title", *TEXT_FIELDS).iterator():
            for word in fold(" ".join(v or "" for v in values)):
                if len(word) >= MIN_SUGGESTED_LENGTH and not word.isdigit():
                    counts[word] = counts.get(word, 0) + 1
        vocabulary = sorted(counts, key=lambda w: (-counts[w], w))[:MAX_VOCABULARY]
        cache.set(key, vocabulary, 60 * 60)
    return vocabulary
