"""Directory endpoints: places (GeoJSON), organisations and the two vocabularies."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response

from core.api.pagination import FeaturePagination
from core.api.viewsets import PublicGeoReadOnlyViewSet, PublicReadOnlyViewSet
from core.ratelimit import client_ip

from ..models import Competence, Kind, Organisation, Place, Status
from ..selectors import (
    competences,
    kinds,
    published_places,
    search_places,
    slugs_in_order,
    with_page_related,
)
from .params import (
    OrganisationQuerySerializer,
    PlaceQuerySerializer,
    encode_cursor,
    place_filters,
    resolve_origin,
)
from .serializers import (
    CompetenceSerializer,
    KindSerializer,
    OrganisationSerializer,
    PlaceFeatureSerializer,
)


def _attach_vocabularies(places: list[Place]) -> None:
    """`kind_slugs` and `competence_slugs` on each place, from the ids its row carries."""
    for place in places:
        place.kind_slugs = slugs_in_order(Kind, place.kind_pks)
        place.competence_slugs = slugs_in_order(Competence, place.competence_pks)


class PlacePagination(FeaturePagination):
    """The places' FeatureCollection: `count_capped` always, `origin` around a point."""

    def get_paginated_response_schema(self, schema: dict) -> dict:
        page = super().get_paginated_response_schema(schema)
        page["required"].append("count_capped")
        page["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "true : il y a plus de résultats que `count` (le plafond du compte).",
        }
        page["properties"]["origin"] = {
            "type": "object",
            "description": "Le point de départ, avec near ou address seulement.",
            "required": ["lon", "lat", "label", "radius_km"],
            "properties": {
                "lon": {"type": "number", "format": "double"},
                "lat": {"type": "number", "format": "double"},
                "label": {"type": "string", "description": "L'adresse trouvée (vide avec near)."},
                "radius_km": {"type": "number", "format": "double"},
            },
        }
        return page


@extend_schema_view(
    list=extend_schema(
        summary="Lieux publiés (GeoJSON)",
        description="FeatureCollection paginée. Avec `near` ou `address`, les lieux viennent "
        "du plus proche au plus lointain dans `radius` km et portent `distance_m`.",
        parameters=[PlaceQuerySerializer],
    ),
    retrieve=extend_schema(
        summary="Un lieu publié (GeoJSON Feature)",
        description="404 si le lieu n'existe pas ou n'est pas publié.",
    ),
)
class PlaceViewSet(PublicGeoReadOnlyViewSet):
    serializer_class = PlaceFeatureSerializer
    query_serializer_class = PlaceQuerySerializer
    pagination_class = PlacePagination
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Place]:
        return with_page_related(published_places())

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        context.setdefault("now", getattr(self, "now", None) or timezone.now())
        return context

    def list(self, request, *args, **kwargs) -> Response:
        params = self.query()
        origin = resolve_origin(params, client=client_ip(request))
        self.now = timezone.now()
        result = search_places(
            place_filters(params),
            origin=origin.point if origin else None,
            radius_km=params["radius"],
            open_at=self.now if params.get("open_now") else None,
            page=params.get("page") or 1,
            page_size=params.get("page_size") or self.paginator.page_size,
            after=params.get("cursor"),
            light=True,  # around a point on PostGIS: PageRows, what the serializer reads
        )
        places = self.paginator.adopt_page(
            request,
            rows=result.places,
            total=result.pageable_rows,
            number=result.number,
            size=result.size,
        )
        _attach_vocabularies(places)
        self.note_last_modified(places)
        response = self.get_paginated_response(self.get_serializer(places, many=True).data)
        # Exact up to the cap; beyond it, `count` is the cap and `count_capped` says "more".
        response.data["count"] = result.total
        response.data["count_capped"] = result.capped
        if origin is None:  # by name, `next` is keyset-paged: no OFFSET however deep
            response.data["next"] = self._cursor_link(result.next_after)
            if "cursor" in params:
                response.data["previous"] = None
        if origin is not None:
            response.data["origin"] = {
                "lon": origin.point.x,
                "lat": origin.point.y,
                "label": origin.label,
                "radius_km": params["radius"],
            }
        return response

    def _cursor_link(self, after: tuple[str, int] | None) -> str | None:
        if after is None:
            return None
        query = self.request.query_params.copy()
        query.pop("page", None)
        query["cursor"] = encode_cursor(after)
        return self.request.build_absolute_uri(f"{self.request.path}?{query.urlencode()}")

    def retrieve(self, request, *args, **kwargs) -> Response:
        self.now = timezone.now()
        place = self.get_object()
        _attach_vocabularies([place])
        self.note_last_modified([place])
        return Response(self.get_serializer(place).data)


@extend_schema_view(
    list=extend_schema(
        summary="Organisations",
        description="Organisations de l'annuaire, par nom, avec le nombre de leurs lieux publiés.",
        parameters=[OrganisationQuerySerializer],
    ),
    retrieve=extend_schema(summary="Une organisation", description="Par identifiant."),
)
class OrganisationViewSet(PublicReadOnlyViewSet):
    serializer_class = OrganisationSerializer
    query_serializer_class = OrganisationQuerySerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Organisation]:
        return (
            Organisation.objects.defer("embed_domains")
            .annotate(place_count=Count("places", filter=Q(places__status=Status.PUBLISHED)))
            .order_by("name", "pk")
        )

    def list(self, request, *args, **kwargs) -> Response:
        params = self.query()
        queryset = self.get_queryset()
        if params.get("member_centre") is not None:
            queryset = queryset.filter(is_member_centre=params["member_centre"])
        if text := (params.get("q") or "").strip():
            queryset = queryset.filter(name__icontains=text)
        organisations = self.paginate_queryset(queryset)
        self.note_last_modified(organisations)
        return self.get_paginated_response(self.get_serializer(organisations, many=True).data)

    def retrieve(self, request, *args, **kwargs) -> Response:
        organisation = self.get_object()
        self.note_last_modified([organisation])
        return Response(self.get_serializer(organisation).data)


class _VocabularyViewSet(PublicReadOnlyViewSet):
    """A small managed list, whole, unpaginated; looked up by slug."""

    pagination_class = None
    lookup_field = "slug"


@extend_schema_view(
    list=extend_schema(
        summary="Compétences (vocabulaire des lieux)",
        description="Liste complète, non paginée ; `slug` sert au filtre `competence`.",
    ),
    retrieve=extend_schema(summary="Une compétence", description="Par slug."),
)
class CompetenceViewSet(_VocabularyViewSet):
    serializer_class = CompetenceSerializer

    def get_queryset(self) -> QuerySet[Competence]:
        return competences()


@extend_schema_view(
    list=extend_schema(
        summary="Types de lieu",
        description="Liste complète, non paginée ; `slug` sert au filtre `kind`.",
    ),
    retrieve=extend_schema(summary="Un type de lieu", description="Par slug."),
)
class KindViewSet(_VocabularyViewSet):
    serializer_class = KindSerializer

    def get_queryset(self) -> QuerySet[Kind]:
        return kinds()
