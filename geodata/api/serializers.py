"""Régions and départements as GeoJSON, and geocoder candidates."""

from __future__ import annotations

from django.contrib.gis.geos import GEOSGeometry
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from core.api.fields import absolute_url

from ..geometry import light_multipolygon
from ..models import Commune, Department, Region

COORDINATE_DIGITS = 5  # ~1 m, finer than any simplification asked for


class BoundaryField(GeometryField):
    """A (multi)polygon simplified by the `simplify` tolerance of the context, in degrees."""

    def to_representation(self, value: GEOSGeometry | None) -> dict | None:
        if value is None:
            return None
        tolerance = self.context.get("simplify") or 0.0
        return light_multipolygon(value, tolerance=tolerance, digits=COORDINATE_DIGITS)


class _AreaFeatureSerializer(GeoFeatureModelSerializer):
    boundary = BoundaryField(read_only=True)
    url = serializers.SerializerMethodField()

    def to_representation(self, instance) -> dict:
        feature = super().to_representation(instance)
        return {"type": "Feature", "id": instance.code, **feature}

    def get_url(self, area) -> str:
        return absolute_url(self, area.get_absolute_url())


class RegionFeatureSerializer(_AreaFeatureSerializer):
    class Meta:
        model = Region
        geo_field = "boundary"
        id_field = False
        fields = ["code", "name", "slug", "zone", "population", "url"]


class DepartmentFeatureSerializer(_AreaFeatureSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Department
        geo_field = "boundary"
        id_field = False
        fields = ["code", "name", "slug", "region", "population", "url"]


class CommuneRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commune
        fields = ["code", "name"]


class GeocodeCandidateSerializer(serializers.Serializer):
    """One `geodata.geocoding.GeocodeResult`."""

    label = serializers.CharField()
    precision = serializers.CharField(help_text="address, street, postal_code ou commune.")
    source = serializers.CharField(help_text="Géocodeur qui a répondu (ban, nominatim, gazetteer).")
    lon = serializers.SerializerMethodField()
    lat = serializers.SerializerMethodField()
    commune = CommuneRefSerializer(allow_null=True)
    score = serializers.FloatField(allow_null=True)

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_lon(self, result) -> float:
        return round(result.point.x, 6)

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_lat(self, result) -> float:
        return round(result.point.y, 6)


class GeocodeResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    results = GeocodeCandidateSerializer(many=True)
