"""Practice sheets endpoint (GeoJSON) and the themes vocabulary."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response

from core.api.viewsets import PublicGeoReadOnlyViewSet, PublicReadOnlyViewSet
from directory.models import Organisation
from geodata.models import Commune

from ..models import PracticeSheet, Theme
from ..selectors import SheetFilters, filter_sheets, published_sheets, themes
from .params import SheetQuerySerializer
from .serializers import SheetFeatureSerializer, ThemeSerializer


def _with_related(queryset: QuerySet[PracticeSheet]) -> QuerySet[PracticeSheet]:
    return (
        queryset.select_related("region", "department")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.only("slug")),
            Prefetch("communes", queryset=Commune.objects.only("code")),
            Prefetch("author_centre", queryset=Organisation.objects.only("name", "slug")),
        )
        .defer("region__boundary", "region__centre", "department__boundary", "department__centre")
    )


@extend_schema_view(
    list=extend_schema(
        summary="Fiches pratiques publiées (GeoJSON)",
        description="FeatureCollection paginée, chaque fiche à sa position sur la carte "
        "(`geometry` null si elle n'en a pas). Avec `q`, les plus pertinentes d'abord.",
        parameters=[SheetQuerySerializer],
    ),
    retrieve=extend_schema(
        summary="Une fiche pratique publiée (GeoJSON Feature)",
        description="404 si la fiche n'existe pas ou n'est pas publiée.",
    ),
)
class PracticeSheetViewSet(PublicGeoReadOnlyViewSet):
    serializer_class = SheetFeatureSerializer
    query_serializer_class = SheetQuerySerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[PracticeSheet]:
        return _with_related(published_sheets())

    def list(self, request, *args, **kwargs) -> Response:
        params = self.query()
        queryset = filter_sheets(
            self.get_queryset(),
            SheetFilters(
                themes=params.get("theme", []),
                region=params.get("region", ""),
                year_from=params.get("year_from"),
                year_to=params.get("year_to"),
                running=params.get("running"),
                text=(params.get("q") or "").strip(),
            ),
        )
        # A stable order for the pages: the selector's order, then the id.
        ordering = queryset.query.order_by or PracticeSheet._meta.ordering
        queryset = queryset.order_by(*ordering, "pk")
        sheets = self.paginate_queryset(queryset)
        self.note_last_modified(sheets)
        return self.get_paginated_response(self.get_serializer(sheets, many=True).data)

    def retrieve(self, request, *args, **kwargs) -> Response:
        sheet = self.get_object()
        self.note_last_modified([sheet])
        return Response(self.get_serializer(sheet).data)


@extend_schema_view(
    list=extend_schema(
        summary="Thèmes des fiches pratiques",
        description="Liste complète, non paginée ; `slug` sert au filtre `theme`.",
    ),
    retrieve=extend_schema(summary="Un thème", description="Par slug."),
)
class ThemeViewSet(PublicReadOnlyViewSet):
    serializer_class = ThemeSerializer
    pagination_class = None
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Theme]:
        return themes()
