"""Reference geography endpoints: boundaries of régions and départements, the geocoder."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from core.api.throttles import BudgetSpent
from core.api.viewsets import PublicGeoReadOnlyViewSet, PublicViewSet
from core.cache import bump, cached, versioned_key
from core.ratelimit import client_ip

from ..geocoding import GeocodingInputError, GeocodingLimited, geocode
from ..models import Department, Region
from .params import BoundaryQuerySerializer, DepartmentQuerySerializer, GeocodeQuerySerializer
from .serializers import (
    DepartmentFeatureSerializer,
    GeocodeResponseSerializer,
    RegionFeatureSerializer,
)

AREA_CODE = r"[0-9A-Za-z]{1,3}"

# Every boundary list, by area kind, région, tolerance and site address (the features carry
# absolute URLs). Simplifying a hundred départements takes most of a second and they change
# once a year: `forget_boundaries()` after a geography load, or an hour at most.
BOUNDARIES = "api-boundaries"
BOUNDARY_CACHE_SECONDS = 3600


def forget_boundaries() -> None:
    bump(BOUNDARIES)


class _AreaViewSet(PublicGeoReadOnlyViewSet):
    """Every area at once (there are few), looked up by code; boundaries simplified."""

    pagination_class = None
    lookup_field = "code"
    lookup_value_regex = AREA_CODE
    query_serializer_class = BoundaryQuerySerializer

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if hasattr(self, "_query"):
            context["simplify"] = self._query["simplify"]
        return context

    def list(self, request, *args, **kwargs) -> Response:
        params = self.query()
        key = versioned_key(
            BOUNDARIES,
            self.basename,
            params.get("region") or "",
            params["simplify"],
            request.build_absolute_uri("/"),
        )
        return Response(cached(key, BOUNDARY_CACHE_SECONDS, self._feature_collection))

    def _feature_collection(self) -> dict:
        data = self.get_serializer(self.get_queryset(), many=True).data
        return {"type": data["type"], "features": [dict(f) for f in data["features"]]}

    def retrieve(self, request, *args, **kwargs) -> Response:
        self.query()
        return super().retrieve(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(
        summary="Régions (contours GeoJSON)",
        description="Toutes les régions, non paginées, contours simplifiés selon `simplify`.",
        parameters=[BoundaryQuerySerializer],
    ),
    retrieve=extend_schema(
        summary="Une région",
        description="Par code INSEE.",
        parameters=[BoundaryQuerySerializer],
    ),
)
class RegionViewSet(_AreaViewSet):
    serializer_class = RegionFeatureSerializer

    def get_queryset(self) -> QuerySet[Region]:
        return Region.objects.defer("centre").order_by("code")


@extend_schema_view(
    list=extend_schema(
        summary="Départements (contours GeoJSON)",
        description="Tous les départements (ou ceux d'une région), non paginés.",
        parameters=[DepartmentQuerySerializer],
    ),
    retrieve=extend_schema(
        summary="Un département",
        description="Par code (69, 2A, 971…).",
        parameters=[BoundaryQuerySerializer],
    ),
)
class DepartmentViewSet(_AreaViewSet):
    serializer_class = DepartmentFeatureSerializer

    def get_queryset(self) -> QuerySet[Department]:
        queryset = Department.objects.select_related("region").defer(
            "centre", "region__boundary", "region__centre"
        )
        if self.action == "list" and (region := self.query().get("region")):
            queryset = queryset.filter(region__code=region)
        return queryset.order_by("code")

    def list(self, request, *args, **kwargs) -> Response:
        self.query_serializer_class = DepartmentQuerySerializer
        return super().list(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(
        summary="Géocoder une adresse",
        description="Candidats de la chaîne de géocodage (en ligne d'abord si activé, "
        "répertoire des communes hors ligne en dernier), le meilleur d'abord.",
        parameters=[GeocodeQuerySerializer],
        responses=GeocodeResponseSerializer,
    )
)
class GeocodeViewSet(PublicViewSet):
    query_serializer_class = GeocodeQuerySerializer
    pagination_class = None
    serializer_class = GeocodeResponseSerializer
    list_is_one_object = True  # the query and its candidates (core/api/schema.py)

    def list(self, request, *args, **kwargs) -> Response:
        params = self.query()
        try:
            results = geocode(params["q"], limit=params["limit"], client=client_ip(request))
        except GeocodingInputError as error:
            raise serializers.ValidationError({"q": [str(error)]}) from error
        except GeocodingLimited as error:
            raise BudgetSpent(error.wait, str(error)) from error
        data = GeocodeResponseSerializer({"query": params["q"], "results": results}).data
        return Response(data)
