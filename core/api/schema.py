"""What the OpenAPI schema says beyond drf-spectacular's defaults, so it says what the API does.

- Every operation may answer 400 (a parameter refused: `{"parameter": ["message", …]}`),
  404 (`{"detail": …}`: no such object, a page past the end, an unknown `format`) and 429
  (`{"detail": …}` with `Retry-After`: a per-IP budget spent), as DRF and core/errors.py
  write them.
- An optional query parameter sent empty (`?region=`, as an HTML form sends an unselected
  field) is the same as not sent: DRF reads query strings that way, so the schema says
  `allowEmptyValue` for each of them, `format` included. A text parameter never holds a
  control character (core/parameters.py): its schema has the pattern that says so; a
  required one also holds more than spaces.
- Values looked up in small managed lists (compétences, types, thèmes, régions,
  départements) are listed as an `enum`, read from the database when the schema is built.
- A Feature has its top-level `id`, every member required, and `geometry` nullable where
  its model's geometry is.
- `list_is_one_object = True` on a viewset: its `list` answers one object, not an array.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import DatabaseError
from drf_spectacular.contrib.rest_framework_gis import GeoFeatureModelSerializerExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers

# core/parameters.py's rule, as a JSON Schema (ECMA 262) pattern.
NO_CONTROL_CHARACTERS = r"^[^\u0000-\u001f\u007f-\u009f]*$"
# A required text is also more than spaces (DRF trims what Python's str.strip() trims).
VISIBLE_TEXT = (
    r"^[^\u0000-\u001f\u007f-\u009f]*"
    r"[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    r"[^\u0000-\u001f\u007f-\u009f]*$"
)

ERROR_STATUSES = {
    "400": "Paramètre refusé : chaque paramètre en cause, avec ses messages (en français).",
    "404": "Objet inexistant ou non publié, page au-delà de la dernière, ou format inconnu.",
    "429": "Budget de requêtes de cette adresse IP dépassé (en-tête Retry-After : secondes "
    "à attendre).",
}


class DetailErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Message en français.")


def _parameter_errors_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "Un membre par paramètre refusé, avec ses messages ; `detail` pour une "
        "requête refusée dans son ensemble.",
        "properties": {"detail": {"type": "string"}},
        "additionalProperties": build_array_type(build_basic_type(OpenApiTypes.STR)),
        "example": {"region": ["Région inconnue : « 99 »."]},
    }


class PublicAutoSchema(AutoSchema):
    """The schema class of the public viewsets (core/api/viewsets.py)."""

    def _is_list_view(self, serializer=None) -> bool:
        if getattr(self.view, "list_is_one_object", False):
            return False
        return super()._is_list_view(serializer)

    def _get_response_bodies(self, direction="response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        # The error body is JSON whatever the renderer (GeoJSON is JSON too).
        media_types = self.map_renderers("media_type")
        responses.setdefault(
            "400",
            {
                "description": ERROR_STATUSES["400"],
                "content": {m: {"schema": _parameter_errors_schema()} for m in media_types},
            },
        )
        detail = self.resolve_serializer(DetailErrorSerializer, "response").ref
        for code in ("404", "429"):
            response = {
                "description": ERROR_STATUSES[code],
                "content": {m: {"schema": detail} for m in media_types},
            }
            if code == "429":
                response["headers"] = {
                    "Retry-After": {
                        "schema": {"type": "integer"},
                        "description": "Secondes à attendre avant de réessayer.",
                    }
                }
            responses.setdefault(code, response)
        return responses

    def _get_parameters(self) -> list[dict[str, Any]]:
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter.get("in") != "query":
                continue
            if not parameter.get("required"):
                parameter["allowEmptyValue"] = True
            schema = parameter.get("schema", {})
            if schema.get("type") == "array":
                schema = schema.get("items", {})
            if schema.get("type") == "string" and "enum" not in schema:
                required = parameter.get("required")
                schema["pattern"] = VISIBLE_TEXT if required else NO_CONTROL_CHARACTERS
        return parameters


class SlugListFieldExtension(OpenApiSerializerFieldExtension):
    """`SlugListField`: an array whose items are the slugs `load()` returns now."""

    target_class = "core.api.params.SlugListField"

    def map_serializer_field(self, auto_schema, direction):
        item = build_basic_type(OpenApiTypes.STR)
        if values := _read(self.target.load):
            item["enum"] = values
        return build_array_type(item)


class KnownCodeFieldExtension(OpenApiSerializerFieldExtension):
    """`KnownCodeField`: a code among `choices()` when the list is small enough to give."""

    target_class = "core.api.params.KnownCodeField"

    def map_serializer_field(self, auto_schema, direction):
        schema = build_basic_type(OpenApiTypes.STR)
        if self.target.choices is not None and (values := _read(self.target.choices)):
            schema["enum"] = values
        else:
            schema["maxLength"] = self.target.max_length
        return schema


def _read(load: Callable[[], list[str]]) -> list[str]:
    """The values now in the database; none (no enum) where there is no database to read,
    as when the schema is written to a file by `manage.py spectacular` at build time."""
    try:
        return list(load())
    except DatabaseError:
        return []


class FeatureExtension(GeoFeatureModelSerializerExtension):
    """drf-gis' Feature as the project's serializers write it: `id` at the top (the object's
    `id`, or its `code` for an area), `geometry` null where the model allows no position,
    and every member present, but the properties named in `Meta.optional_properties`."""

    priority = 1

    def map_serializer(self, auto_schema, direction):
        schema = super().map_serializer(auto_schema, direction)
        meta = self.target.Meta
        members = schema["properties"]
        properties = members["properties"]
        if meta.model._meta.get_field(meta.geo_field).null:
            members["geometry"]["nullable"] = True
        identifier = "id" if "id" in properties["properties"] else "code"
        members["id"] = {
            key: value
            for key, value in properties["properties"][identifier].items()
            if key in ("type", "format")
        }
        schema["required"] = ["type", "id", "geometry", "properties"]
        optional = set(getattr(meta, "optional_properties", ()))
        properties["required"] = [name for name in properties["properties"] if name not in optional]
        return schema
