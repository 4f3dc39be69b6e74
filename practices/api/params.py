"""Query parameters of the practice sheets endpoint."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from core.api.params import PageQuerySerializer, SlugListField, bool_field, int_field, text_field
from geodata.api.params import region_field

from ..models import MAX_YEAR, MIN_YEAR, Theme


def theme_slugs() -> list[str]:
    return list(Theme.objects.values_list("slug", flat=True))


class SheetQuerySerializer(PageQuerySerializer):
    theme = SlugListField(
        load=theme_slugs,
        unknown="Thème inconnu",
        help_text="Slug(s) de thème (au moins un) : paramètre répété ou liste à virgules.",
    )
    region = region_field()
    running = bool_field(
        "running",
        allow_null=True,
        help_text="true : pratiques toujours en cours ; false : terminées.",
    )
    year_from = int_field(
        "year_from", low=MIN_YEAR, high=MAX_YEAR, help_text="Pratiques actives en ou après."
    )
    year_to = int_field(
        "year_to", low=MIN_YEAR, high=MAX_YEAR, help_text="Pratiques commencées en ou avant."
    )
    q = text_field("q", help_text="Recherche plein texte (titre, résumé, autres rubriques).")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("year_from"), attrs.get("year_to")
        if start is not None and end is not None and start > end:
            raise serializers.ValidationError(
                {"year_to": [f"year_to ({end}) précède year_from ({start})."]}
            )
        return attrs
