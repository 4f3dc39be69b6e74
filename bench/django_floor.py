"""The floor of the framework for the HTTP and in-process benches: Django serving the bare
WSGI app's query (bench/bare_wsgi.py), nothing else.

`/plancher/?near=lon,lat&competence=<id>&limit=20` runs the same raw KNN SQL as the bare app
through Django's connection and answers the same JSON, through the project's whole middleware
stack (`floor_app`) or through none (`bare_django_app`). Whatever the API does beyond that
query costs more than this: if this floor is already past a target, no change to the API
can reach it without leaving the framework.

    gunicorn -c deploy/gunicorn.conf.py bench.django_floor:floor_app
    gunicorn -c deploy/gunicorn.conf.py bench.django_floor:bare_django_app
"""

from __future__ import annotations

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

import django  # noqa: E402

django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402
from django.core.handlers.exception import convert_exception_to_response  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse, HttpResponseBadRequest  # noqa: E402
from django.urls import include, path  # noqa: E402

from bench.bare_wsgi import SQL  # noqa: E402


def floor(request):
    try:
        lon, lat = (float(v) for v in request.GET["near"].split(","))
        competence = int(request.GET["competence"])
        limit = int(request.GET.get("limit", "20"))
    except (KeyError, ValueError):
        return HttpResponseBadRequest(b"near=lon,lat&competence=<id> expected")
    with connection.cursor() as cursor:
        cursor.execute(SQL, [lon, lat, competence, limit])
        rows = [{"id": i, "name": n, "distance_m": round(d, 1)} for i, n, d in cursor.fetchall()]
    return HttpResponse(json.dumps({"features": rows}), content_type="application/json")


# The project's URLs, and the floor's in front of them.
urlpatterns = [path("plancher/", floor), path("", include("config.urls"))]


class _NoMiddleware(WSGIHandler):
    """Django's request/response cycle with no middleware at all."""

    def load_middleware(self, is_async=False):
        self._view_middleware, self._template_response_middleware = [], []
        self._exception_middleware = []
        self._middleware_chain = convert_exception_to_response(self._get_response)


settings.ROOT_URLCONF = __name__
floor_app = WSGIHandler()
bare_django_app = _NoMiddleware()
