"""The public viewsets' defaults (Geotrek's `api/v2/viewsets.py` pattern), and the router."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.http import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.routers import APIRootView, DefaultRouter

from .pagination import FeaturePagination, JsonPagination
from .params import NoQuerySerializer
from .renderers import GeoJSONRenderer
from .schema import PublicAutoSchema
from .throttles import AnonThrottle


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
    schema = PublicAutoSchema()

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


class PublicRouter(DefaultRouter):
    APIRootView = PublicAPIRootView
