"""Full-text search of practice sheets, ranked (core/search.py: one code path per backend):
the title weighs most (A), then the summary (B), then the rest of the text (C)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.search import MAX_QUERY_LENGTH, FullTextSearch

from .models import TEXT_FIELDS, PracticeSheet

__all__ = ["MAX_QUERY_LENGTH", "search_sheets", "suggest_text", "published_vocabulary"]

SHEETS = FullTextSearch(
    model=PracticeSheet,
    weights=(("title",), ("summary",), tuple(f for f in TEXT_FIELDS if f != "summary")),
    fts_table="practices_sheet_fts",
    fts_columns=("title", "summary", "body"),
    cache_prefix="practices",
)


@receiver(post_save, sender=PracticeSheet)
def _index_sheet(sender, instance: PracticeSheet, **kwargs) -> None:
    SHEETS.index(instance)


@receiver(post_delete, sender=PracticeSheet)
def _unindex_sheet(sender, instance: PracticeSheet, **kwargs) -> None:
    SHEETS.unindex(instance)


def search_sheets(queryset: QuerySet[PracticeSheet], text: str) -> QuerySet[PracticeSheet]:
    return SHEETS.search(queryset, text)


def suggest_text(text: str) -> str | None:
    return SHEETS.suggest(text)


def published_vocabulary() -> list[str]:
    return SHEETS.published_vocabulary()
