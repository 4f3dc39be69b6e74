"""What every /api/v1/ endpoint shares: the base viewsets, pagination, throttles,
renderers, conditional GET and the validation of query parameters.

Reads are public on purpose (`AllowAny` here; the project default stays
`IsAdminUser`), and every viewset is read-only. Query parameters go through a
serializer before any of them is used, so a bad value is a 400 that names the
parameter, in French, never a 500.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import InvalidPage
from django.core.paginator import Paginator as DjangoPaginator
from django.http import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.routers import APIRootView
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle
from rest_framework_gis.pagination import GeoJsonPagination

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


# --- Throttles ------------------------------------------------------------------------


class _LiveRateMixin:
    """Read the rate from the settings at each request, not once at import.

    DRF binds `THROTTLE_RATES` when the module is imported, so a rate changed by
    `override_settings` (or by reloading the settings) would be ignored.
    """

    scope: str

    def get_rate(self) -> str | None:
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as error:
            raise ImproperlyConfigured(
                f"No throttle rate for scope {self.scope!r} in REST_FRAMEWORK."
            ) from error


class AnonThrottle(_LiveRateMixin, AnonRateThrottle):
    """Anonymous clients, per IP address (API_ANON_RATE)."""

    scope = "anon"


class AnonGeocodeThrottle(_LiveRateMixin, AnonRateThrottle):
    """The geocoder may call an online service: a tighter budget (API_GEOCODE_RATE)."""

    scope = "anon_geocode"


# --- Renderers ------------------------------------------------------------------------


class GeoJSONRenderer(JSONRenderer):
    """RFC 7946's media type; `Accept: application/json` still gets the same body."""

    media_type = "application/geo+json"
    format = "geojson"


# --- Pagination -----------------------------------------------------------------------

INVALID_PAGE = "Page invalide : cette page n'existe pas."


class JsonPagination(PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = INVALID_PAGE


class FeaturePagination(GeoJsonPagination):
    """A FeatureCollection with `count`, `next` and `previous` members."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = INVALID_PAGE

    def paginate_computed(
        self,
        request,
        *,
        fetch: Callable[[int, int], list],
        count: Callable[[], int],
        page_number: int,
        page_size: int,
    ) -> list:
        """One page of results that `fetch(offset, limit)` returns, and `count()` totals.

        For result lists that must not be sliced by the ORM: the nearest places
        come from a spatial-index walk (`places_near`) and their total from
        `count_near`, never from counting and slicing a distance-ordered queryset.
        A page that is not full tells the total by itself, so `count()` runs only
        when there may be more.
        """
        offset = (page_number - 1) * page_size
        rows = list(fetch(offset, page_size))
        if 0 < len(rows) < page_size or (not rows and page_number == 1):
            total = offset + len(rows)
        else:
            total = count()
        paginator = DjangoPaginator(range(total), page_size)
        try:
            page = paginator.page(page_number)
        except InvalidPage as error:
            raise NotFound(self.invalid_page_message) from error
        page.object_list = rows
        self.request = request
        self.page = page
        return rows


# --- Query parameters -----------------------------------------------------------------


def int_field(name: str, *, low: int, high: int, **kwargs: Any) -> serializers.IntegerField:
    between = f"{name} doit être un nombre entier entre {low} et {high}."
    return serializers.IntegerField(
        min_value=low,
        max_value=high,
        required=False,
        error_messages={
            "invalid": between,
            "min_value": between,
            "max_value": between,
            "max_string_length": between,
        },
        **kwargs,
    )


def float_field(name: str, *, low: float, high: float, **kwargs: Any) -> serializers.FloatField:
    between = f"{name} doit être un nombre entre {_fr(low)} et {_fr(high)}."
    return serializers.FloatField(
        min_value=low,
        max_value=high,
        required=False,
        error_messages={
            "invalid": between,
            "min_value": between,
            "max_value": between,
            "max_string_length": between,
            "overflow": between,
        },
        **kwargs,
    )


def bool_field(name: str, **kwargs: Any) -> serializers.BooleanField:
    return serializers.BooleanField(
        required=False,
        error_messages={"invalid": f"{name} attend true ou false."},
        **kwargs,
    )


def text_field(name: str, *, max_length: int = 200, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        required=False,
        max_length=max_length,
        error_messages={
            "max_length": f"{name} est trop long ({max_length} caractères au plus).",
            "invalid": f"{name} doit être un texte.",
            "null_characters_not_allowed": f"{name} contient un caractère interdit.",
            "surrogate_characters_not_allowed": f"{name} contient un caractère interdit.",
        },
        **kwargs,
    )


def _fr(number: float) -> str:
    return f"{number:g}".replace(".", ",")


MAX_LIST_VALUES = 30


class SlugListField(serializers.ListField):
    """Several values: repeated (`?competence=a&competence=b`) or comma-separated (`a,b`).

    Each value must be one of `load()` (read when validating, so new slugs count).
    """

    def __init__(self, *, load: Callable[[], list[str]], unknown: str, **kwargs: Any) -> None:
        self.load = load
        self.unknown = unknown
        kwargs.setdefault("child", serializers.CharField(max_length=80))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[str]:
        items = [data] if isinstance(data, str) else data
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise serializers.ValidationError("Liste de valeurs attendue (a,b ou a&…=b).")
        values: list[str] = []
        for item in items:
            for part in item.split(","):
                part = part.strip()
                if part and part not in values:
                    values.append(part)
        if len(values) > MAX_LIST_VALUES:
            raise serializers.ValidationError(f"Trop de valeurs ({MAX_LIST_VALUES} au plus).")
        allowed = self.load()
        unknown = [v for v in values if v not in allowed]
        if unknown:
            quoted = ", ".join(f"« {v[:80]} »" for v in unknown)
            raise serializers.ValidationError(
                f"{self.unknown} : {quoted}. Valeurs possibles : {', '.join(allowed)}."
            )
        return values


class KnownCodeField(serializers.CharField):
    """A code that must exist (région, département, commune), compared in upper case."""

    def __init__(
        self,
        *,
        exists: Callable[[str], bool],
        unknown: str,
        choices: Callable[[], list[str]] | None = None,
        **kwargs: Any,
    ) -> None:
        self.exists = exists
        self.unknown = unknown
        self.choices = choices
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault(
            "error_messages", {"max_length": "Code trop long (10 caractères au plus)."}
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        code = super().to_internal_value(data).strip().upper()
        if self.max_length is not None and len(code) > self.max_length:
            self.fail("max_length", max_length=self.max_length, length=len(code))
        if not self.exists(code):
            message = f"{self.unknown} : « {code} »."
            if self.choices is not None:
                message += f" Valeurs possibles : {', '.join(self.choices())}."
            raise serializers.ValidationError(message)
        return code


class PageQuerySerializer(serializers.Serializer):
    """`page` and `page_size`, checked before the paginator reads them."""

    page = int_field("page", low=1, high=1_000_000, help_text="Numéro de page, à partir de 1.")
    page_size = int_field(
        "page_size",
        low=1,
        high=MAX_PAGE_SIZE,
        help_text=f"Résultats par page (défaut {DEFAULT_PAGE_SIZE}, au plus {MAX_PAGE_SIZE}).",
    )


class NoQuerySerializer(serializers.Serializer):
    """For endpoints that take no parameter (unknown ones are ignored everywhere)."""


# --- Viewsets -------------------------------------------------------------------------


class ConditionalGetMixin:
    """`ETag` from the rendered body, `Last-Modified` from the objects served, and 304s.

    The ETag is a hash of the exact bytes sent, so it changes whenever anything
    visible changes (an `open_now` flag included). `If-None-Match` wins over
    `If-Modified-Since`, as RFC 9110 says (Django's `get_conditional_response`).
    """

    last_modified: datetime | None = None

    def note_last_modified(self, objects: Iterable[Any], field: str = "updated_at") -> None:
        stamps = [value for o in objects if (value := getattr(o, field, None)) is not None]
        self.last_modified = max(stamps) if stamps else None

    def finalize_response(self, request, response, *args, **kwargs) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if getattr(response, "streaming", False):
            return response
        response.render()
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        response["ETag"] = etag
        stamp = int(self.last_modified.timestamp()) if self.last_modified else None
        if stamp is not None:
            response["Last-Modified"] = http_date(stamp)
        # Shared caches may keep the answer, but must ask again before reusing it.
        patch_cache_control(response, public=True, no_cache=True)
        return get_conditional_response(request, etag=etag, last_modified=stamp, response=response)


class PublicViewSet(ConditionalGetMixin, viewsets.GenericViewSet):
    """Project-wide defaults of the public API (JSON); actions are added by subclasses."""

    # Anonymous by design: no session or password is read, so no CSRF either.
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonThrottle]
    renderer_classes = [JSONRenderer]
    pagination_class = JsonPagination
    filter_backends: list = []  # parameters go through `query_serializer_class` instead
    query_serializer_class: type[serializers.Serializer] = NoQuerySerializer

    def query(self) -> dict[str, Any]:
        """The validated query parameters (400 on the first call if any is wrong)."""
        if not hasattr(self, "_query"):
            serializer = self.query_serializer_class(
                data=self.request.query_params, context=self.get_serializer_context()
            )
            serializer.is_valid(raise_exception=True)
            self._query = serializer.validated_data
        return self._query


class PublicReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PublicViewSet):
    """Read-only model endpoints: list and retrieve, nothing else."""


class PublicGeoReadOnlyViewSet(PublicReadOnlyViewSet):
    """Same defaults, answering GeoJSON FeatureCollections."""

    renderer_classes = [GeoJSONRenderer, JSONRenderer]
    pagination_class = FeaturePagination


class PublicAPIRootView(APIRootView):
    """The router's index of endpoints, public like them."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonThrottle]
