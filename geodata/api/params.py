"""Query parameters shared by the endpoints that take a place in France's geography."""

from __future__ import annotations

import math
from typing import Any

from django.contrib.gis.geos import Point
from rest_framework import serializers

from core.api.params import KnownCodeField, QueryParameters, float_field, int_field

from ..geocoding import MAX_LIMIT, MAX_TEXT_LENGTH
from ..models import WGS84, Commune, Department, Region


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


class BoundaryQuerySerializer(QueryParameters):
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


class GeocodeQuerySerializer(QueryParameters):
    q = serializers.CharField(
        max_length=MAX_TEXT_LENGTH,
        help_text=f"Adresse, commune ou code postal ({MAX_TEXT_LENGTH} caractères au plus).",
        error_messages={
            "required": "Paramètre obligatoire : le texte à géocoder.",
            "blank": "Le texte à géocoder est vide.",
            "max_length": f"L'adresse est trop longue ({MAX_TEXT_LENGTH} caractères au plus).",
            "null_characters_not_allowed": "Le texte contient un caractère interdit.",
            "surrogate_characters_not_allowed": "Le texte contient un caractère interdit.",
        },
    )
    limit = int_field("limit", low=1, high=MAX_LIMIT, default=5, help_text="Candidats au plus.")


def _numbers(text: str, count: int, what: str) -> list[float]:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != count:
        raise serializers.ValidationError(
            f"{count} nombres séparés par des virgules attendus : {what}."
        )
    try:
        numbers = [float(p) for p in parts]
    except ValueError as error:
        raise serializers.ValidationError(
            f"Nombres attendus (point décimal, virgule entre les nombres) : {what}."
        ) from error
    if not all(math.isfinite(n) for n in numbers):
        raise serializers.ValidationError(f"Nombres finis attendus : {what}.")
    return numbers


def _check_lon(value: float) -> None:
    if not -180 <= value <= 180:
        raise serializers.ValidationError(
            f"Longitude hors limites : {value:g} (attendue entre -180 et 180)."
        )


def _check_lat(value: float) -> None:
    if not -90 <= value <= 90:
        raise serializers.ValidationError(
            f"Latitude hors limites : {value:g} (attendue entre -90 et 90)."
        )


class LonLatField(serializers.CharField):
    """`lon,lat` in WGS84 degrees, longitude first (as in GeoJSON)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault(
            "error_messages",
            {"max_length": "Position trop longue.", "blank": "Position vide : lon,lat attendus."},
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Point:
        lon, lat = _numbers(super().to_internal_value(data), 2, "longitude,latitude")
        _check_lon(lon)
        _check_lat(lat)
        return Point(lon, lat, srid=WGS84)

    def to_representation(self, value: Point) -> str:
        return f"{value.x},{value.y}"


class BBoxField(serializers.CharField):
    """`minLon,minLat,maxLon,maxLat` in WGS84 degrees."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault(
            "error_messages",
            {
                "max_length": "Emprise trop longue.",
                "blank": "Emprise vide : minLon,minLat,maxLon,maxLat attendus.",
            },
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> tuple[float, float, float, float]:
        numbers = _numbers(super().to_internal_value(data), 4, "minLon,minLat,maxLon,maxLat")
        min_lon, min_lat, max_lon, max_lat = numbers
        for lon in (min_lon, max_lon):
            _check_lon(lon)
        for lat in (min_lat, max_lat):
            _check_lat(lat)
        if min_lon >= max_lon or min_lat >= max_lat:
            raise serializers.ValidationError(
                "Emprise vide ou inversée : minLon < maxLon et minLat < maxLat attendus."
            )
        return min_lon, min_lat, max_lon, max_lat

    def to_representation(self, value: tuple[float, ...]) -> str:
        return ",".join(str(v) for v in value)
