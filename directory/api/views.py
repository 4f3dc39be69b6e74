"""Directory endpoints: places (GeoJSON), organisations and the two vocabularies."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response

from config.api import PublicGeoReadOnlyViewSet, PublicReadOnlyViewSet

from ..models import Competence, Kind, Organisation, Place, Status
from ..selectors import (
    PlaceFilters,
    competences,
    count_near,
    filter_places,
    kinds,
    places_near,
    published_places,
)
from .filters import places_in_bbox, places_open_at
from .params import OrganisationQuerySerializer, PlaceQuerySerializer
from .serializers import (
    CompetenceSerializer,
    KindSerializer,
    OrganisationSerializer,
    PlaceFeatureSerializer,
)

# Polygons and search keys of the commune and its areas are never serialized.
_UNUSED_COLUMNS = [
    f"commune__{area}{column}"
    for area in ("", "department__", "region__")
    for column in ("boundary", "centre", "population")
] + ["commune__search_name", "organisation__description", "organisation__embed_domains"]


def _with_related(queryset: QuerySet[Place]) -> QuerySet[Place]:
    return queryset.select_related("organisation", "commune__department", "commune__region").defer(
        *_UNUSED_COLUMNS
    )


def _attach_vocabularies(places: list[Place]) -> None:
    """`kind_slugs` and `competence_slugs` on each place: two light queries, no model objects."""
    ids = [place.pk for place in places]
    for through, target, attribute in (
        (Place.kinds.through, "kind", "kind_slugs"),
        (Place.competences.through, "competence", "competence_slugs"),
    ):
        slugs: dict[int, list[str]] = defaultdict(list)
        if ids:
            rows = (
                through.objects.filter(place_id__in=ids)
                .order_by(f"{target}__position", f"{target}__name")
                .values_list("place_id", f"{target}__slug")
            )
            for place_id, slug in rows:
                slugs[place_id].append(slug)
        for place in places:
            setattr(place, attribute, slugs[place.pk])


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
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Place]:
        return _with_related(published_places())

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        context.setdefault("now", getattr(self, "now", None) or timezone.now())
        return context

    def list(self, request, *args, **kwargs) -> Response:
        params = self.query()
        self.now = timezone.now()
        queryset = filter_places(
            self.get_queryset(),
            PlaceFilters(
                competences=params.get("competence", []),
                competences_all=params["competence_match"] == "all",
                kinds=params.get("kind", []),
                region=params.get("region", ""),
                department=params.get("department", ""),
                commune=params.get("commune", ""),
                language=params.get("language", ""),
                text=(params.get("q") or "").strip(),
            ),
        )
        if "bbox" in params:
            queryset = places_in_bbox(queryset, params["bbox"])
        if params.get("open_now"):
            queryset = places_open_at(queryset, self.now)
        origin = params["origin"]
        if origin is not None:
            places = self._page_near(queryset, params)
        else:
            # Ids first, then the page's rows with their joins: sorting narrow rows is
            # cheap, sorting every place joined to its commune and areas is not.
            ids = self.paginate_queryset(
                queryset.order_by("name", "pk").values_list("pk", flat=True)
            )
            by_id = self.get_queryset().in_bulk(ids)
            places = [by_id[pk] for pk in ids]
        _attach_vocabularies(places)
        self.note_last_modified(places)
        response = self.get_paginated_response(self.get_serializer(places, many=True).data)
        if origin is not None:
            response.data["origin"] = {
                "lon": origin.x,
                "lat": origin.y,
                "label": params["origin_label"],
                "radius_km": params["radius"],
            }
        return response

    def _page_near(self, queryset: QuerySet[Place], params: dict) -> list[Place]:
        """Nearest first, from the spatial index; never a distance-ordered queryset sliced."""
        origin, radius_m = params["origin"], params["radius"] * 1000

        def fetch(offset: int, limit: int) -> list[Place]:
            return places_near(
                origin, queryset=queryset, radius_m=radius_m, limit=limit, offset=offset
            )

        def count() -> int:
            return count_near(origin, queryset=queryset, radius_m=radius_m)

        return self.paginator.paginate_computed(
            self.request,
            fetch=fetch,
            count=count,
            page_number=params.get("page") or 1,
            page_size=params.get("page_size") or self.paginator.page_size,
        )

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
