"""/api/v1/ — one router for every app's viewsets, and the OpenAPI schema and its viewers."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from core.api.viewsets import PublicRouter
from directory.api.views import CompetenceViewSet, KindViewSet, OrganisationViewSet, PlaceViewSet
from geodata.api.views import DepartmentViewSet, GeocodeViewSet, RegionViewSet
from practices.api.views import PracticeSheetViewSet, ThemeViewSet
from resources.api.views import NoticeViewSet

app_name = "api"


router = PublicRouter()
router.register("places", PlaceViewSet, basename="place")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("practices", PracticeSheetViewSet, basename="practice")
router.register("notices", NoticeViewSet, basename="notice")
router.register("regions", RegionViewSet, basename="region")
router.register("departments", DepartmentViewSet, basename="department")
router.register("competences", CompetenceViewSet, basename="competence")
router.register("themes", ThemeViewSet, basename="theme")
router.register("kinds", KindViewSet, basename="kind")
router.register("geocode", GeocodeViewSet, basename="geocode")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Redoc (templates/drf_spectacular/redoc.html) rather than Swagger UI, whose colours fail
    # contrast checks and whose operation buttons nest links (tests/browser/test_axe.py).
    path("docs/", SpectacularRedocView.as_view(url_name="api:schema"), name="docs"),
    # The address Redoc had before it became the documentation page; links to it still work.
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    *router.urls,
]
