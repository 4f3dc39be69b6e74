"""`/tiles/places/{z}/{x}/{y}.pbf` (Mapbox Vector Tile) and `/tiles/places.json` (TileJSON 3.0.0).

A tile is built once per version of the data (directory/tiles/cache.py) and filters,
then served from the Django cache, with an ETag (304 when the browser has it) and
`Cache-Control: public`. A bad parameter is a 400 whose JSON names it, as in the API.
"""

from __future__ import annotations

import hashlib
import json

from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_safe
from vectortiles.mixins import BaseTileJSONView, BaseVectorTileView

from ..selectors import PlaceFilters
from . import grid
from .cache import TILE_CACHE_SECONDS, current_version, tile_key
from .content import tile_content
from .layers import ClusterLayer, PlaceLayer
from .params import parse, tile_query_string

# Browsers keep a tile this long, then ask again with its ETag. Pages put the data's
# version in the tile URL (`v`), so an edited place shows on the next page load.
TILE_MAX_AGE = 300
OPEN_NOW_MAX_AGE = 60  # "open now" changes with the clock: tiles keyed by the minute
# Everything French, overseas included (Guadeloupe to La Réunion, Dunkirk).
FRANCE_BOUNDS = [-61.9, -21.5, 55.9, 51.2]
FRANCE_CENTER = [2.4, 46.6, 5]


def _public(response: HttpResponse, max_age: int) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=max_age)
    # Public data, readable from any site (as the API is).
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _bad_parameters(errors: dict) -> JsonResponse:
    return _public(JsonResponse(errors, status=400, json_dumps_params={"ensure_ascii": False}), 0)


@method_decorator(require_safe, name="dispatch")
class PlaceTileView(BaseVectorTileView, View):
    layer_classes = [ClusterLayer, PlaceLayer]

    def get_layer_class_kwargs(self) -> dict:
        return {"content": self.content}

    def get(self, request: HttpRequest, z: int, x: int, y: int) -> HttpResponse:
        if not grid.tile_exists(z, x, y):
            return JsonResponse(
                {"tile": [f"Pas de tuile {z}/{x}/{y} (zoom de 0 à {grid.MAX_ZOOM})."]},
                status=404,
                json_dumps_params={"ensure_ascii": False},
            )
        query, errors = parse(request.GET)
        if query is None:
            return _bad_parameters(errors)
        key = tile_key(z, x, y, query.cache_key())
        cached = cache.get(key)
        if cached is None:
            self.content = tile_content(query, z, x, y)
            body = self.get_layer_tiles(z, x, y)
            cached = (f'"{hashlib.sha256(body).hexdigest()[:32]}"', body)
            cache.set(key, cached, TILE_CACHE_SECONDS)
        etag, body = cached
        response = HttpResponse(body, content_type=self.content_type, status=200 if body else 204)
        response["ETag"] = etag
        _public(response, OPEN_NOW_MAX_AGE if query.open_at else TILE_MAX_AGE)
        return get_conditional_response(request, etag=etag, response=response)


def tile_url_template(query_string: str = "", *, absolute_to: HttpRequest | None = None) -> str:
    """`/tiles/places/{z}/{x}/{y}.pbf?…`, for Leaflet and TileJSON."""
    sample = reverse("tiles:place-tile", kwargs={"z": 1, "x": 2, "y": 3})
    path = sample.replace("/1/2/3.", "/{z}/{x}/{y}.")
    url = path + (f"?{query_string}" if query_string else "")
    # build_absolute_uri() would percent-encode the braces.
    return absolute_to.build_absolute_uri("/")[:-1] + url if absolute_to is not None else url


def place_tiles_url(
    filters: PlaceFilters,
    *,
    origin: Point | None = None,
    radius_km: float | None = None,
    open_now: bool = False,
) -> str:
    """The tile URL template a page hands its map: the list's filters, and the data's
    version (`v`, ignored by the view) so that browsers fetch new tiles after a change."""
    query = tile_query_string(filters, origin=origin, radius_km=radius_km, open_now=open_now)
    version = f"v={current_version()}"
    return tile_url_template(f"{query}&{version}" if query else version)


@method_decorator(require_safe, name="dispatch")
class PlaceTileJSONView(BaseTileJSONView, View):
    name = "Repères — lieux d'accueil"
    description = (
        "Lieux publiés de l'annuaire Repères : regroupements par cellule jusqu'au zoom "
        f"{grid.CLUSTER_MAX_ZOOM}, chaque lieu au-delà. Filtres de la recherche dans la requête."
    )
    bounds = FRANCE_BOUNDS
    center = FRANCE_CENTER
    min_zoom = 0
    max_zoom = grid.MAX_ZOOM
    layer_classes = [ClusterLayer, PlaceLayer]

    def get_max_zoom(self) -> int:
        # The library takes the lowest of the layers' max zooms; "places" goes on to 18.
        return self.max_zoom

    def get(self, request: HttpRequest) -> HttpResponse:
        query, errors = parse(request.GET)
        if query is None:
            return _bad_parameters(errors)
        self.request = request
        self.attribution = (
            f'<a href="{request.build_absolute_uri("/")}">Repères</a>, Licence Ouverte 2.0'
        )
        params = request.GET.copy()
        params["v"] = str(current_version())
        tilejson = self.get_tilejson("")
        tilejson["tiles"] = [tile_url_template(params.urlencode(), absolute_to=request)]
        response = JsonResponse(tilejson, json_dumps_params={"ensure_ascii": False})
        return _public(response, OPEN_NOW_MAX_AGE)


def search_map(
    filters: PlaceFilters,
    *,
    origin: Point | None,
    radius_km: float,
    open_now: bool,
    places: list,
) -> dict:
    """What the search page's map needs: the tiles of every result (not only this page's),
    and its first view — the search's circle, or the places of the page listed."""
    context = {
        "tiles_url": place_tiles_url(
            filters, origin=origin, radius_km=radius_km if origin else None, open_now=open_now
        ),
        "tiles_origin": "",
        "tiles_radius_m": "",
        "tiles_bounds": "",
    }
    if origin is not None:
        context["tiles_origin"] = json.dumps({"lat": origin.y, "lon": origin.x})
        context["tiles_radius_m"] = f"{radius_km * 1000:.0f}"
    elif places:
        lons = [p.location.x for p in places]
        lats = [p.location.y for p in places]
        context["tiles_bounds"] = json.dumps([[min(lats), min(lons)], [max(lats), max(lons)]])
    return context
