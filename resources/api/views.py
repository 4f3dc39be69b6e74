"""Read-only endpoint of the published notices (/api/v1/notices/)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response

from core.api.params import PageQuerySerializer, SlugListField, int_field, text_field
from core.api.viewsets import PublicReadOnlyViewSet
from geodata.api.params import region_field
from practices.models import PracticeSheet, SheetStatus, Theme

from ..models import MAX_YEAR, MIN_YEAR, Notice, NoticeType
from ..selectors import NoticeFilters, filter_notices, published_notices
from .serializers import NoticeSerializer


class NoticeQuerySerializer(PageQuerySerializer):
    type = SlugListField(
        load=lambda: list(NoticeType.values),
        unknown="Type de document inconnu",
        help_text="Type(s) : report, study, article, book, guide, video, teaching_tool, "
        "legal_text, other.",
    )
    theme = SlugListField(
        load=lambda: list(Theme.objects.values_list("slug", flat=True)),
        unknown="Thème inconnu",
        help_text="Slug(s) de thème : paramètre répété ou liste à virgules.",
    )
    year = int_field("year", low=MIN_YEAR, high=MAX_YEAR, help_text="Année de publication.")
    region = region_field()
    q = text_field("q", help_text="Recherche plein texte (titre, auteurs, résumé).")


@extend_schema_view(
    list=extend_schema(
        summary="Notices publiées de la base documentaire",
        description="Paginées ; avec `q`, les plus pertinentes d'abord. Chaque notice porte "
        "sa référence mise en forme (ISO 690, auteur-date).",
        parameters=[NoticeQuerySerializer],
    ),
    retrieve=extend_schema(summary="Une notice publiée", description="404 sinon."),
)
class NoticeViewSet(PublicReadOnlyViewSet):
    serializer_class = NoticeSerializer
    query_serializer_class = NoticeQuerySerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Notice]:
        return (
            published_notices()
            .select_related("region", "holding_centre", "author_centre")
            .prefetch_related(
                "authors",
                "themes",
                "competences",
                Prefetch(
                    "practice_sheets",
                    queryset=PracticeSheet.objects.filter(status=SheetStatus.PUBLISHED),
                ),
            )
            .defer("region__boundary", "region__centre")
        )

    def list(self, request, *args, **kwargs) -> Response:
        params = self.query()
        queryset = filter_notices(
            self.get_queryset(),
            NoticeFilters(
                text=(params.get("q") or "").strip(),
                types=params.get("type", []),
                years=[params["year"]] if params.get("year") else [],
                themes=params.get("theme", []),
                regions=[params["region"]] if params.get("region") else [],
            ),
        )
        ordering = queryset.query.order_by or Notice._meta.ordering
        page = self.paginate_queryset(queryset.order_by(*ordering, "pk"))
        self.note_last_modified(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs) -> Response:
        notice = self.get_object()
        self.note_last_modified([notice])
        return Response(self.get_serializer(notice).data)
