"""Query parameters shared by the endpoints that take a place in France's geography."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from config.api import KnownCodeField, float_field, int_field

from ..geocoding import MAX_LIMIT
from ..models import Commune, Department, Region


def region_field(**kwargs: Any) -> KnownCodeField:
    kwargs.setdefault("help_text", "Code INSEE de la région (ex. 84).")
    return KnownCodeField(
        exists=lambda code: Region.objects.filter(code=code).exists(),
        unknown="Région inconnue",
        choices=lambda: list(Region.objects.order_by("code").values_list("code", flat=True)),
        **kwargs,
    )


def department_field(**kwargs: Any) -> KnownCodeField:
    kwargs.setdefault("help_text", "Code du département (ex. 69, 2A, 971).")
    return KnownCodeField(
        exists=lambda code: Department.objects.filter(code=code).exists(),
        unknown="Département inconnu",
        choices=lambda: list(Department.objects.order_by("code").values_list("code", flat=True)),
        **kwargs,
    )


def commune_field(**kwargs: Any) -> KnownCodeField:
    kwargs.setdefault("help_text", "Code INSEE de la commune (ex. 69266 pour Villeurbanne).")
    return KnownCodeField(
        exists=lambda code: Commune.objects.filter(code=code).exists(),
        unknown="Commune inconnue (code INSEE attendu, ex. 69266)",
        **kwargs,
    )


MAX_SIMPLIFY = 0.1
DEFAULT_SIMPLIFY = 0.01


class BoundaryQuerySerializer(serializers.Serializer):
    simplify = float_field(
        "simplify",
        low=0.0,
        high=MAX_SIMPLIFY,
        default=DEFAULT_SIMPLIFY,
        help_text=f"Tolérance de simplification des contours, en degrés (0 à {MAX_SIMPLIFY:g}, "
        f"défaut {DEFAULT_SIMPLIFY:g} ; 0 : contours tels que stockés).",
    )


class DepartmentQuerySerializer(BoundaryQuerySerializer):
    region = region_field(help_text="Code INSEE de la région : ses départements seulement.")


class GeocodeQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=1000,
        help_text="Adresse, commune ou code postal (200 caractères au plus).",
        error_messages={
            "required": "Paramètre obligatoire : le texte à géocoder.",
            "blank": "Le texte à géocoder est vide.",
            "max_length": "L'adresse est trop longue (200 caractères au plus).",
            "null_characters_not_allowed": "Le texte contient un caractère interdit.",
            "surrogate_characters_not_allowed": "Le texte contient un caractère interdit.",
        },
    )
    limit = int_field("limit", low=1, high=MAX_LIMIT, default=5, help_text="Candidats au plus.")
