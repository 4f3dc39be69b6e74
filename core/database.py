"""A request whose database failed: one retry when the connection was lost, else a 503.

Under load, a database restart, a failover or `pg_terminate_backend` leaves some requests on
a connection the server has closed. CONN_HEALTH_CHECKS (settings) replaces such a connection
before a request's first query; a connection lost *during* a request still fails that request.
Nothing has been sent yet (the response is built whole before it leaves), so a safe request
(GET, HEAD, OPTIONS) is run once more on a new connection. Otherwise, and for a statement the
server cancelled (DATABASE_STATEMENT_TIMEOUT) or a database that cannot be reached, the client
gets a 503 with Retry-After, as JSON under /api/ (core/errors.py), never a 500 with a trace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

from .errors import service_unavailable

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def drop_lost_connections() -> bool:
    """Close this thread's connections that are lost (the server closed them, or they could
    not be opened); True if any was. A statement the server cancelled leaves its connection
    open: that is not a loss, and the request is not run again."""
    lost = False
    for conn in connections.all(initialized_only=True):
        raw = conn.connection
        # psycopg marks a connection whose server went away as closed.
        if raw is None or getattr(raw, "closed", False):
            conn.close()
            lost = True
    return lost


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "_database_retry", False):
            request._database_retry = False
            request._database_retried = True
            response = self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        lost = drop_lost_connections()
        if (
            lost
            and request.method in SAFE_METHODS
            and not getattr(request, "_database_retried", False)
        ):
            logger.warning("Database connection lost during %s; retrying once", request.path)
            request._database_retry = True
        else:
            logger.error(
                "Database unavailable during %s %s: %s", request.method, request.path, exception
            )
        return service_unavailable(request)
