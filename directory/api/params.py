"""Query parameters of the directory endpoints, validated before any is used."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.geos import Point
from rest_framework import serializers

from core.api.params import PageQuerySerializer, SlugListField, bool_field, float_field, text_field
from core.api.throttles import BudgetSpent
from geodata.api.params import (
    BBoxField,
    LonLatField,
    commune_field,
    department_field,
    region_field,
)
from geodata.geocoding import (
    MAX_TEXT_LENGTH,
    GeocodingInputError,
    GeocodingLimited,
    geocode_one,
)

from ..languages import LANGUAGES
from ..models import Competence, Kind
from ..selectors import (
    DEFAULT_RADIUS_KM,
    MAX_RADIUS_KM,
    MIN_RADIUS_KM,
    PlaceFilters,
    vocabulary_ids,
)


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
    return list(vocabulary_ids(Competence))  # cached: no query per request


def kind_slugs() -> list[str]:
    return list(vocabulary_ids(Kind))


CURSOR_INVALID = "Curseur invalide : reprenez le lien next d'une réponse."


class CursorField(serializers.CharField):
    """The opaque `cursor` of a `next` link: where the next page by name starts."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1000)
        kwargs.setdefault("error_messages", {"max_length": CURSOR_INVALID, "blank": CURSOR_INVALID})
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> tuple[str, int]:
        text = super().to_internal_value(data)
        try:
            name, pk = json.loads(base64.urlsafe_b64decode(text.encode() + b"=" * (-len(text) % 4)))
        except (ValueError, TypeError) as error:  # bad base64, bad JSON, wrong shape
            raise serializers.ValidationError(CURSOR_INVALID) from error
        if not isinstance(name, str) or not isinstance(pk, int) or "\x00" in name:
            raise serializers.ValidationError(CURSOR_INVALID)
        return name, pk


def encode_cursor(after: tuple[str, int]) -> str:
    raw = json.dumps(list(after), ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


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
        max_length=MAX_TEXT_LENGTH,  # what the geocoders take
        too_long=f"L'adresse est trop longue ({MAX_TEXT_LENGTH} caractères au plus).",
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
    fresh = bool_field(
        "fresh",
        help_text="true : seulement les lieux dont les informations ont été vérifiées "
        "récemment (last_verified depuis moins de FRESHNESS_MONTHS mois, 6 par défaut).",
    )
    language = LanguageField(help_text="Langue parlée (code ISO 639-1, ex. ar).")
    q = text_field("q", help_text="Texte cherché dans le nom du lieu ou de l'organisation.")
    cursor = CursorField(
        help_text="Pages par nom : le curseur d'un lien next (pagination par clé, sans "
        "décalage, à toute profondeur). Sans near ni address, et sans page."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Checks that values agree; the address is geocoded by the view, not here."""
        attrs["address"] = (attrs.get("address") or "").strip()
        if "cursor" in attrs and (attrs.get("near") is not None or attrs["address"]):
            raise serializers.ValidationError(
                {"cursor": ["cursor ne s'emploie que sans near ni address (pages par nom)."]}
            )
        if "cursor" in attrs and "page" in attrs:
            raise serializers.ValidationError({"cursor": ["Donnez page ou cursor, pas les deux."]})
        if attrs.get("near") is not None and attrs["address"]:
            raise serializers.ValidationError(
                {"address": ["Donnez near ou address, pas les deux."]}
            )
        if attrs.get("near") is None and not attrs["address"] and "radius" in attrs:
            raise serializers.ValidationError(
                {"radius": ["Le rayon ne s'applique qu'avec near ou address."]}
            )
        attrs.setdefault("radius", DEFAULT_RADIUS_KM)
        return attrs


@dataclass(frozen=True)
class Origin:
    point: Point
    label: str


def resolve_origin(params: dict[str, Any], *, client: str | None = None) -> Origin | None:
    """The search's starting point: `near` as given, or `address` geocoded.

    Called by the view once the parameters are valid (geocoding may reach an
    online service: never from a serializer's `validate`). An address that cannot
    be found is a 400 on `address`; past the `client`'s geocoding budget, a 429.
    """
    if params.get("near") is not None:
        return Origin(params["near"], "")
    address = params.get("address") or ""
    if not address:
        return None
    try:
        found = geocode_one(address, client=client)
    except GeocodingInputError as error:
        raise serializers.ValidationError({"address": [str(error)]}) from error
    except GeocodingLimited as error:
        raise BudgetSpent(error.wait, str(error)) from error
    if found is None:
        raise serializers.ValidationError(
            {"address": [f"Adresse introuvable : « {address[:200]} »."]}
        )
    return Origin(found.point, found.label)


def place_filters(params: dict[str, Any]) -> PlaceFilters:
    """The selector's filters from validated `PlaceQuerySerializer` data."""
    return PlaceFilters(
        competences=params.get("competence", []),
        competences_all=params["competence_match"] == "all",
        kinds=params.get("kind", []),
        region=params.get("region", ""),
        department=params.get("department", ""),
        commune=params.get("commune", ""),
        language=params.get("language", ""),
        text=(params.get("q") or "").strip(),
        bbox=params.get("bbox"),
        fresh=bool(params.get("fresh")),
    )


class OrganisationQuerySerializer(PageQuerySerializer):
    member_centre = bool_field(
        "member_centre",
        allow_null=True,
        help_text="true : seulement les centres ressources du réseau ; false : les autres.",
    )
    q = text_field("q", help_text="Texte cherché dans le nom de l'organisation.")
