"""Full-text search of notices, ranked (core/search.py, as the practice sheets): the title
weighs most (A), then the authors (B), then the abstract (C)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.search import MAX_QUERY_LENGTH, MAX_SUGGESTED_WORDS, FullTextSearch

from .models import Notice

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_SUGGESTED_WORDS",
    "search_notices",
    "suggest_text",
    "published_vocabulary",
]

NOTICES = FullTextSearch(
    model=Notice,
    weights=(("title",), ("authors_text",), ("abstract",)),
    fts_table="resources_notice_fts",
    fts_columns=("title", "authors", "abstract"),
    cache_prefix="resources",
)


@receiver(post_save, sender=Notice)
def _index_notice(sender, instance: Notice, **kwargs) -> None:
    NOTICES.index(instance)


@receiver(post_delete, sender=Notice)
def _unindex_notice(sender, instance: Notice, **kwargs) -> None:
    NOTICES.unindex(instance)


def search_notices(queryset: QuerySet[Notice], text: str) -> QuerySet[Notice]:
    return NOTICES.search(queryset, text)


def suggest_text(text: str) -> str | None:
    return NOTICES.suggest(text)


def published_vocabulary() -> list[str]:
    return NOTICES.published_vocabulary()
