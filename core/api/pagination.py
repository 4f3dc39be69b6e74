"""Page-number pagination, as JSON lists and as GeoJSON FeatureCollections."""

from __future__ import annotations

from django.core.paginator import InvalidPage
from django.core.paginator import Paginator as DjangoPaginator
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework_gis.pagination import GeoJsonPagination

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
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

    def get_paginated_response_schema(self, schema: dict) -> dict:
        """The FeatureCollection as written: `features`, never DRF's `results`.

        drf-gis hands over its `<Name>FeatureList` component, itself a FeatureCollection;
        the page's `features` are an array of its `<Name>Feature`s.
        """
        ref = schema.get("$ref", "")
        if ref.endswith("FeatureList"):
            schema = {"type": "array", "items": {"$ref": ref.removesuffix("List")}}
        return {
            "type": "object",
            "required": ["type", "count", "next", "previous", "features"],
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "count": {"type": "integer", "minimum": 0, "example": 123},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "features": schema,
            },
        }

    def adopt_page(self, request, *, rows: list, total: int, number: int, size: int) -> list:
        """Paginate a page a selector has already computed (its rows and the total).

        For result lists that must not be sliced by the ORM, such as the nearest
        places (a spatial-index walk, not a sorted queryset). A page past the end
        is a 404, as with `paginate_queryset`.
        """
        paginator = DjangoPaginator(range(total), size)
        try:
            page = paginator.page(number)
        except InvalidPage as error:
            raise NotFound(self.invalid_page_message) from error
        page.object_list = rows
        self.request = request
        self.page = page
        return rows
