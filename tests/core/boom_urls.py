"""The project's URLs (and its error handlers), plus views that fail, for tests/core/test_errors.py."""

from django.urls import path

from config.urls import *  # noqa: F403 — handler400…handler500 come with the patterns
from config.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("api/v1/boom/", boom),
    path("boom/", boom),
    *project_urlpatterns,
]
