"""Serializer fields and helpers that several apps' serializers share."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework_gis.fields import GeometryField

from core.presenters import POINT_DIGITS


class PointGeometryField(GeometryField):
    """A point as GeoJSON, written from its coordinates.

    drf-gis goes through GDAL's GeoJSON export and back through `json.loads` for
    every feature, which is about half the cost of a page of places.
    """

    def to_representation(self, value: Any) -> dict | None:
        return point_geojson(value)


def point_geojson(value: Any) -> dict | None:
    """A GEOS point as a GeoJSON geometry (None and ready dicts pass through)."""
    if value is None or isinstance(value, dict):
        return value
    return {
        "type": "Point",
        "coordinates": [round(value.x, POINT_DIGITS), round(value.y, POINT_DIGITS)],
    }


def absolute_url(serializer: serializers.Serializer, path: str) -> str:
    """`path` made absolute with the request in the serializer's context, if any."""
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path
