"""Pages of the reference geography, and the light GeoJSON their maps fetch."""

import json
import logging
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from core.database import drop_lost_connections

from . import selectors
from .geometry import light_multipolygon
from .models import Zone

logger = logging.getLogger(__name__)

# Degrees. A région seen whole on a phone needs far less detail than is stored:
# 0.01° (~1 km) keeps the map of France under ~200 kB.
FRANCE_TOLERANCE = 0.01
REGION_TOLERANCE = 0.005
DEPARTMENT_TOLERANCE = 0.002
COORDINATE_DIGITS = 4  # ~10 m, well below the simplification step
# Holes narrower than a few simplification steps are invisible at the map's scale;
# most are gaps left where the source lacks a commune's polygon. Real enclaves
# (the Enclave des papes in Auvergne-Rhône-Alpes, ~0.015 deg²) are far larger.
HOLE_STEPS = 7
GEOJSON_CACHE_SECONDS = 6 * 3600
GEOJSON_CACHE_VERSION = 1


def home(request: HttpRequest) -> HttpResponse:
    regions = selectors.regions_with_counts()
    groups = [
        (zone.label, [r for r in regions if r.zone == zone]) for zone in (Zone.METRO, Zone.DROM)
    ]
    return render(
        request,
        "geodata/home.html",
        {"region_groups": [(label, rows) for label, rows in groups if rows]},
    )


def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = selectors.region_by_slug(slug)
    if region is None:
        raise Http404(_("Région introuvable."))
    return render(
        request,
        "geodata/region_detail.html",
        {"region": region, "departments": selectors.departments_with_counts(region)},
    )


def department_detail(request: HttpRequest, slug: str) -> HttpResponse:
    department = selectors.department_by_slug(slug)
    if department is None:
        raise Http404(_("Département introuvable."))
    return render(
        request,
        "geodata/department_detail.html",
        {
            "department": department,
            "commune_count": selectors.commune_count(department),
            "top_communes": selectors.most_populated_communes(department, limit=10),
        },
    )


# --- GeoJSON for the maps ---------------------------------------------------------


def regions_geojson(request: HttpRequest) -> HttpResponse:
    def build() -> dict:
        return _collection(
            _feature(region, FRANCE_TOLERANCE, kind="region", zone=region.zone)
            for region in selectors.region_shapes()
        )

    return _geojson_response(("france",), build)


def region_geojson(request: HttpRequest, slug: str) -> HttpResponse:
    def build() -> dict | None:
        region = selectors.region_shape(slug)
        if region is None:
            return None
        features = [_feature(region, REGION_TOLERANCE, kind="outline", url=False)]
        features += [
            _feature(department, REGION_TOLERANCE, kind="department")
            for department in selectors.department_shapes(region)
        ]
        return _collection(features)

    return _geojson_response(("region", slug), build)


def department_geojson(request: HttpRequest, slug: str) -> HttpResponse:
    def build() -> dict | None:
        department = selectors.department_shape(slug)
        if department is None:
            return None
        return _collection([_feature(department, DEPARTMENT_TOLERANCE, kind="focus", url=False)])

    return _geojson_response(("department", slug), build)


def _geojson_response(key: tuple[str, ...], build: Callable[[], dict | None]) -> HttpResponse:
    """Serve a FeatureCollection built once, then from the cache (misses are cached too)."""
    cache_key = ":".join(("geodata", "geojson", str(GEOJSON_CACHE_VERSION), *key))
    payload = cache.get(cache_key)
    if payload is None:
        data = build()
        payload = "" if data is None else json.dumps(data, separators=(",", ":"))
        cache.set(cache_key, payload, GEOJSON_CACHE_SECONDS)
    if not payload:
        raise Http404
    response = HttpResponse(payload, content_type="application/geo+json")
    patch_cache_control(response, public=True, max_age=3600)
    return response


def _collection(features: Iterable[dict]) -> dict:
    return {"type": "FeatureCollection", "features": [f for f in features if f]}


def _feature(area, tolerance: float, *, kind: str, url: bool = True, **extra) -> dict | None:
    if area.boundary is None:
        return None
    properties = {"code": area.code, "name": area.name, "kind": kind, **extra}
    if url:
        properties["url"] = area.get_absolute_url()
    return {
        "type": "Feature",
        "id": area.code,
        "geometry": light_multipolygon(
            area.boundary,
            tolerance=tolerance,
            digits=COORDINATE_DIGITS,
            min_hole_area=(HOLE_STEPS * tolerance) ** 2,
        ),
        "properties": properties,
    }


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, else 503. What failed goes to the log, never to the
    client: an error's text names the database's host, port and role. The connection and
    statement timeouts (settings) bound how long a database that does not answer holds it.
    A connection the server had dropped is replaced once, as for any page (core/database.py)."""
    for attempt in (1, 2):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception:  # noqa: BLE001 — the health check must answer, whatever failed
            if attempt == 1 and drop_lost_connections():
                continue
            logger.exception("Health check: the database did not answer")
            return JsonResponse(
                {"status": "error", "detail": _("Base de données indisponible.")}, status=503
            )
        return JsonResponse({"status": "ok", "database": connection.vendor})
