"""/api/v1/ — one router for every app's viewsets, and the OpenAPI schema and its viewers."""

from django.urls import path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from core.api.viewsets import PublicRouter
from directory.api.views import CompetenceViewSet, KindViewSet, OrganisationViewSet, PlaceViewSet
from geodata.api.views import DepartmentViewSet, GeocodeViewSet, RegionViewSet
from practices.api.views import PracticeSheetViewSet, ThemeViewSet

app_name = "api"


router = PublicRouter()
router.register("places", PlaceViewSet, basename="place")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("practices", PracticeSheetViewSet, basename="practice")
router.register("regions", RegionViewSet, basename="region")
router.register("departments", DepartmentViewSet, basename="department")
router.register("competences", CompetenceViewSet, basename="competence")
router.register("themes", ThemeViewSet, basename="theme")
router.register("kinds", KindViewSet, basename="kind")
router.register("geocode", GeocodeViewSet, basename="geocode")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's set-up as a script file: no inline script, which the
    # site's Content-Security-Policy would block.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    *router.urls,
]
