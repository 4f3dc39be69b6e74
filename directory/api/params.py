"""Query parameters of the directory endpoints, validated before any is used."""

from __future__ import annotations

import math
from typing import Any

from django.contrib.gis.geos import Point
from rest_framework import serializers

from config.api import (
    PageQuerySerializer,
    SlugListField,
    bool_field,
    float_field,
    text_field,
)
from geodata.api.params import commune_field, department_field, region_field
from geodata.geocoding import GeocodingInputError, geocode_one
from geodata.models import WGS84

from ..languages import LANGUAGES
from ..models import Competence, Kind

DEFAULT_RADIUS_KM = 10.0
MIN_RADIUS_KM = 0.1
MAX_RADIUS_KM = 200.0


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
        kwargs.setdefault("error_messages", {"max_length": "Position trop longue."})
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
        kwargs.setdefault("error_messages", {"max_length": "Emprise trop longue."})
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


class LanguageField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        codes = sorted(LANGUAGES)
        super().__init__(
            choices=codes,
            required=False,
            error_messages={
                "invalid_choice": "Langue inconnue : « {input} ». Codes ISO 639-1 possibles : "
                + ", ".join(codes)
                + "."
            },
            **kwargs,
        )

    def to_internal_value(self, data: Any) -> str:
        return super().to_internal_value(data.strip().lower() if isinstance(data, str) else data)


def competence_slugs() -> list[str]:
    return list(Competence.objects.values_list("slug", flat=True))


def kind_slugs() -> list[str]:
    return list(Kind.objects.values_list("slug", flat=True))


class PlaceQuerySerializer(PageQuerySerializer):
    competence = SlugListField(
        load=competence_slugs,
        unknown="Compétence inconnue",
        help_text="Slug(s) de compétence : paramètre répété ou liste séparée par des virgules. "
        "Plusieurs compétences : au moins une (voir competence_match).",
    )
    competence_match = serializers.ChoiceField(
        choices=["any", "all"],
        required=False,
        default="any",
        error_messages={"invalid_choice": "competence_match attend any ou all."},
        help_text="any : au moins une des compétences ; all : toutes.",
    )
    kind = SlugListField(
        load=kind_slugs,
        unknown="Type de lieu inconnu",
        help_text="Slug(s) de type de lieu (au moins un).",
    )
    region = region_field()
    department = department_field()
    commune = commune_field()
    bbox = BBoxField(help_text="Emprise minLon,minLat,maxLon,maxLat (degrés WGS84).")
    near = LonLatField(
        help_text="Point de départ lon,lat (degrés WGS84) : résultats du plus proche au plus "
        "lointain, avec distance_m."
    )
    address = text_field(
        "address",
        max_length=1000,
        help_text="Adresse, commune ou code postal géocodé comme point de départ (à la place "
        "de near).",
    )
    radius = float_field(
        "radius",
        low=MIN_RADIUS_KM,
        high=MAX_RADIUS_KM,
        help_text=f"Rayon en km autour de near/address (défaut {DEFAULT_RADIUS_KM:g}).",
    )
    open_now = bool_field("open_now", help_text="true : seulement les lieux ouverts maintenant.")
    language = LanguageField(help_text="Langue parlée (code ISO 639-1, ex. ar).")
    q = text_field("q", help_text="Texte cherché dans le nom du lieu ou de l'organisation.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        near, address = attrs.get("near"), (attrs.get("address") or "").strip()
        if near is not None and address:
            raise serializers.ValidationError(
                {"address": ["Donnez near ou address, pas les deux."]}
            )
        if near is None and not address and "radius" in attrs:
            raise serializers.ValidationError(
                {"radius": ["Le rayon ne s'applique qu'avec near ou address."]}
            )
        attrs["origin"], attrs["origin_label"] = near, ""
        if address:
            try:
                found = geocode_one(address)
            except GeocodingInputError as error:
                raise serializers.ValidationError({"address": [str(error)]}) from error
            if found is None:
                raise serializers.ValidationError(
                    {"address": [f"Adresse introuvable : « {address[:200]} »."]}
                )
            attrs["origin"], attrs["origin_label"] = found.point, found.label
        attrs.setdefault("radius", DEFAULT_RADIUS_KM)
        return attrs


class OrganisationQuerySerializer(PageQuerySerializer):
    member_centre = bool_field(
        "member_centre",
        allow_null=True,
        help_text="true : seulement les centres ressources du réseau ; false : les autres.",
    )
    q = text_field("q", help_text="Texte cherché dans le nom de l'organisation.")
