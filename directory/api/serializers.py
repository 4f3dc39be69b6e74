"""Read-only representations of the directory for /api/v1/."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from core.api.fields import PointGeometryField, absolute_url, point_geojson
from geodata.api.serializers import CommuneRefSerializer

from ..models import Competence, Kind, Organisation, Place
from ..selectors import is_open

_DATE = serializers.DateField()
_DATETIME = serializers.DateTimeField()


def _date(value) -> str | None:
    return None if value is None else _DATE.to_representation(value)


def _datetime(value) -> str | None:
    return None if value is None else _DATETIME.to_representation(value)


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "slug"]


class PlaceFeatureSerializer(GeoFeatureModelSerializer):
    """A published place as a GeoJSON Feature.

    Context: `now` (for `open_now`, one instant for the whole page). `distance_m`
    appears only when the place comes from a search around a point.
    """

    location = PointGeometryField(read_only=True)
    url = serializers.SerializerMethodField()
    organisation = OrganisationRefSerializer(read_only=True)
    # Set by the view (one query per vocabulary for the whole page).
    kinds = serializers.ListField(
        source="kind_slugs", child=serializers.CharField(), read_only=True
    )
    competences = serializers.ListField(
        source="competence_slugs", child=serializers.CharField(), read_only=True
    )
    address = serializers.CharField(read_only=True)
    commune = CommuneRefSerializer(read_only=True, allow_null=True)
    department = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    open_now = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    distance_m = serializers.FloatField(
        read_only=True, help_text="Distance en mètres au point de départ (avec near/address)."
    )

    class Meta:
        model = Place
        geo_field = "location"
        id_field = False  # the id stays in the properties; to_representation copies it up
        optional_properties = ["distance_m"]  # for the schema (core/api/schema.py)
        fields = [
            "id",
            "slug",
            "name",
            "url",
            "organisation",
            "kinds",
            "competences",
            "address",
            "postal_code",
            "commune",
            "department",
            "region",
            "opening_hours",
            "open_now",
            "appointment_only",
            "languages",
            "interpreting",
            "wheelchair",
            "phone",
            "email",
            "website",
            "last_verified",
            "updated_at",
            "distance_m",
        ]

    def to_representation(self, instance: Place) -> dict:
        """The feature, written directly: the same output as the declared fields give.

        DRF builds the fields of this serializer and its two nested ones on every call
        and walks them per attribute: a third of a nearest-places request at 20 places
        (bench/README.md). `declared_representation` keeps the field-by-field path; a
        test holds both to the same output.
        """
        place = instance
        commune = place.commune
        organisation = place.organisation
        properties = {
            "id": place.pk,
            "slug": place.slug,
            "name": place.name,
            "url": self.get_url(place),
            "organisation": {
                "id": organisation.pk,
                "name": organisation.name,
                "slug": organisation.slug,
            },
            "kinds": list(place.kind_slugs),
            "competences": list(place.competence_slugs),
            "address": place.address,
            "postal_code": place.postal_code,
            "commune": None if commune is None else {"code": commune.code, "name": commune.name},
            "department": self.get_department(place),
            "region": self.get_region(place),
            "opening_hours": place.opening_hours,
            "open_now": self.get_open_now(place),
            "appointment_only": place.appointment_only,
            "languages": place.language_codes,
            "interpreting": place.interpreting,
            "wheelchair": place.wheelchair,
            "phone": place.phone,
            "email": place.email,
            "website": place.website,
            "last_verified": _date(place.last_verified),
            "updated_at": _datetime(place.updated_at),
        }
        if hasattr(place, "distance_m"):  # only around a point, as the declared field skips it
            distance = place.distance_m
            properties["distance_m"] = None if distance is None else float(distance)
        return {
            "type": "Feature",
            "id": place.pk,
            "geometry": point_geojson(place.location),
            "properties": properties,
        }

    def declared_representation(self, instance: Place) -> dict:
        """The feature as DRF writes it from the declared fields (the reference for tests)."""
        feature = super().to_representation(instance)
        return {"type": "Feature", "id": instance.pk, **feature}

    def get_properties(self, instance: Place, fields: list) -> dict:
        properties = {}
        for field in fields:
            try:
                value = field.get_attribute(instance)
            except SkipField:  # distance_m outside a search around a point
                continue
            properties[field.field_name] = None if value is None else field.to_representation(value)
        return properties

    def get_url(self, place: Place) -> str:
        return absolute_url(self, place.get_absolute_url())

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_department(self, place: Place) -> str | None:
        commune = place.commune
        return commune.department.code if commune is not None else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_region(self, place: Place) -> str | None:
        commune = place.commune
        return commune.region.code if commune is not None else None

    def get_open_now(self, place: Place) -> bool:
        # Evaluated once per distinct opening-hours text on the page: places share a few.
        known = self.context.setdefault("open_by_hours", {})
        if place.opening_hours not in known:
            known[place.opening_hours] = is_open(place, self.context.get("now"))
        return known[place.opening_hours]

    def get_languages(self, place: Place) -> list[str]:
        return place.language_codes


class OrganisationSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    place_count = serializers.IntegerField(
        read_only=True, help_text="Nombre de lieux publiés de l'organisation."
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "slug",
            "url",
            "description",
            "legal_kind",
            "is_member_centre",
            "website",
            "email",
            "phone",
            "place_count",
            "updated_at",
        ]

    def get_url(self, organisation: Organisation) -> str:
        return absolute_url(self, organisation.get_absolute_url())


class TaxonomyNamesField(serializers.ReadOnlyField):
    """A taxonomy's `names`: {"fr": …, "en": …, "ar": …, "uk": …, "fa-af": …}, "" where none."""


extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "description": "Le nom dans chaque langue de l'interface (fr, en, ar, uk, fa-af).",
    }
)(TaxonomyNamesField)


class CompetenceSerializer(serializers.ModelSerializer):
    names = TaxonomyNamesField()

    class Meta:
        model = Competence
        fields = ["slug", "name", "name_en", "names", "description", "data_inclusion_code"]


class KindSerializer(serializers.ModelSerializer):
    names = TaxonomyNamesField()

    class Meta:
        model = Kind
        fields = ["slug", "name", "name_en", "names", "description"]
