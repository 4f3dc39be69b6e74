"""Published practice sheets as GeoJSON Features (at their map position)."""

from __future__ import annotations

from django.urls import NoReverseMatch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from core.api.fields import PointGeometryField, absolute_url
from directory.api.serializers import OrganisationRefSerializer, TaxonomyNamesField

from ..models import PracticeSheet, Theme


class SheetFeatureSerializer(GeoFeatureModelSerializer):
    location = PointGeometryField(read_only=True)
    url = serializers.SerializerMethodField()
    themes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    communes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    author_centre = OrganisationRefSerializer(read_only=True)
    running = serializers.BooleanField(source="is_running", read_only=True)

    class Meta:
        model = PracticeSheet
        geo_field = "location"
        id_field = False
        fields = [
            "id",
            "slug",
            "title",
            "url",
            "summary",
            "themes",
            "scope",
            "region",
            "department",
            "communes",
            "start_date",
            "end_date",
            "became_regular_service",
            "running",
            "author_centre",
            "review_date",
            "updated_at",
        ]

    def to_representation(self, instance: PracticeSheet) -> dict:
        feature = super().to_representation(instance)
        return {"type": "Feature", "id": instance.pk, **feature}

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, sheet: PracticeSheet) -> str | None:
        try:
            return absolute_url(self, sheet.get_absolute_url())
        except NoReverseMatch:  # the sheet pages are not routed (yet)
            return None


class ThemeSerializer(serializers.ModelSerializer):
    names = TaxonomyNamesField()

    class Meta:
        model = Theme
        fields = ["slug", "name", "name_en", "names", "description"]
