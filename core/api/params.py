"""Query-parameter fields: each checks one value and says, in French, what is wrong.

Every public endpoint validates its query string with a serializer built from
these before any value is used (CONVENTIONS: DORA's `SearchQuerySerializer`).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from rest_framework import serializers

from core.parameters import parameter_errors

from .pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE


def int_field(name: str, *, low: int, high: int, **kwargs: Any) -> serializers.IntegerField:
    between = f"{name} doit être un nombre entier entre {low} et {high}."
    return serializers.IntegerField(
        min_value=low,
        max_value=high,
        required=False,
        error_messages={
            "invalid": between,
            "min_value": between,
            "max_value": between,
            "max_string_length": between,
        },
        **kwargs,
    )


def float_field(name: str, *, low: float, high: float, **kwargs: Any) -> serializers.FloatField:
    between = f"{name} doit être un nombre entre {_fr(low)} et {_fr(high)}."
    return serializers.FloatField(
        min_value=low,
        max_value=high,
        required=False,
        error_messages={
            "invalid": between,
            "min_value": between,
            "max_value": between,
            "max_string_length": between,
            "overflow": between,
        },
        **kwargs,
    )


def bool_field(name: str, **kwargs: Any) -> serializers.BooleanField:
    return serializers.BooleanField(
        required=False,
        error_messages={"invalid": f"{name} attend true ou false."},
        **kwargs,
    )


def text_field(
    name: str, *, max_length: int = 200, too_long: str | None = None, **kwargs: Any
) -> serializers.CharField:
    # Blank (spaces only) is the same as empty, and empty the same as absent: no search.
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=max_length,
        error_messages={
            "max_length": too_long or f"{name} est trop long ({max_length} caractères au plus).",
            "invalid": f"{name} doit être un texte.",
            "null_characters_not_allowed": f"{name} contient un caractère interdit.",
            "surrogate_characters_not_allowed": f"{name} contient un caractère interdit.",
        },
        **kwargs,
    )


def _fr(number: float) -> str:
    return f"{number:g}".replace(".", ",")


MAX_LIST_VALUES = 30


class SlugListField(serializers.ListField):
    """Several values: repeated (`?competence=a&competence=b`) or comma-separated (`a,b`).

    Each value must be one of `load()` (read when validating, so new slugs count).
    """

    def __init__(self, *, load: Callable[[], list[str]], unknown: str, **kwargs: Any) -> None:
        self.load = load
        self.unknown = unknown
        kwargs.setdefault("child", serializers.CharField(max_length=80))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[str]:
        items = [data] if isinstance(data, str) else data
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise serializers.ValidationError("Liste de valeurs attendue (a,b ou a&…=b).")
        values: list[str] = []
        for item in items:
            for part in item.split(","):
                part = part.strip()
                if part and part not in values:
                    values.append(part)
        if len(values) > MAX_LIST_VALUES:
            raise serializers.ValidationError(f"Trop de valeurs ({MAX_LIST_VALUES} au plus).")
        allowed = self.load()
        unknown = [v for v in values if v not in allowed]
        if unknown:
            quoted = ", ".join(f"« {v[:80]} »" for v in unknown)
            raise serializers.ValidationError(
                f"{self.unknown} : {quoted}. Valeurs possibles : {', '.join(allowed)}."
            )
        return values


class KnownCodeField(serializers.CharField):
    """A code that must exist (région, département, commune), compared in upper case."""

    def __init__(
        self,
        *,
        exists: Callable[[str], bool],
        unknown: str,
        choices: Callable[[], list[str]] | None = None,
        **kwargs: Any,
    ) -> None:
        self.exists = exists
        self.unknown = unknown
        self.choices = choices
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault(
            "error_messages",
            {
                "max_length": "Code trop long (10 caractères au plus).",
                "blank": "Code vide : donnez un code, ou retirez le paramètre.",
            },
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        code = super().to_internal_value(data).strip().upper()
        if self.max_length is not None and len(code) > self.max_length:
            self.fail("max_length", max_length=self.max_length, length=len(code))
        if not self.exists(code):
            message = f"{self.unknown} : « {code} »."
            if self.choices is not None:
                message += f" Valeurs possibles : {', '.join(self.choices())}."
            raise serializers.ValidationError(message)
        return code


class QueryParameters(serializers.Serializer):
    """Base of every query serializer: control characters refused before any field reads them.

    The rule is core.parameters' (the pages' forms follow it too): a NUL in `?region=` is a
    400 naming `region`, never a value looked up in the database.
    """

    def get_fields(self) -> dict[str, serializers.Field]:
        """DRF deep-copies the declared fields for every instance (a fifth of a nearest-places
        request); here they are deep-copied once per class, then each instance takes shallow
        copies, which it binds to itself. A field holding other fields (a list's child) is
        still deep-copied, so that nothing bound to one request is shared with another."""
        cls = type(self)
        prototypes = cls.__dict__.get("_field_prototypes")
        if prototypes is None:
            prototypes = copy.deepcopy(self._declared_fields)
            cls._field_prototypes = prototypes
        return {
            name: copy.deepcopy(field)
            if hasattr(field, "child") or hasattr(field, "fields")
            else copy.copy(field)
            for name, field in prototypes.items()
        }

    def to_internal_value(self, data: Any) -> Any:
        refused = parameter_errors(data, self.fields)
        if refused:
            raise serializers.ValidationError({name: [m] for name, m in refused.items()})
        return super().to_internal_value(data)


class PageQuerySerializer(QueryParameters):
    """`page` and `page_size`, checked before the paginator reads them."""

    page = int_field("page", low=1, high=1_000_000, help_text="Numéro de page, à partir de 1.")
    page_size = int_field(
        "page_size",
        low=1,
        high=MAX_PAGE_SIZE,
        help_text=f"Résultats par page (défaut {DEFAULT_PAGE_SIZE}, au plus {MAX_PAGE_SIZE}).",
    )


class NoQuerySerializer(QueryParameters):
    """For endpoints that take no parameter (unknown ones are ignored everywhere)."""
