"""The reference for the HTTP bench: a bare WSGI app, no Django, the raw KNN query, JSON out.

    gunicorn -c deploy/gunicorn.conf.py bench.bare_wsgi:app

GET /?near=lon,lat&competence=<id>&limit=20 answers the ids, names and distances of
the nearest published places offering that competence (one connection per worker,
opened at the first request). `DATABASE_URL` (postgis://…) names the database.
"""

from __future__ import annotations

import json
import os
from urllib.parse import parse_qs, urlsplit

import psycopg

SQL = (
    "SELECT id, name, ST_Distance(location, pt) FROM directory_place, "
    "(SELECT ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography AS pt) AS origin "
    "WHERE status = 'published' AND id IN "
    "(SELECT place_id FROM directory_place_competences WHERE competence_id = %s) "
    "ORDER BY location <-> pt LIMIT %s"
)
_connection: psycopg.Connection | None = None


def _dsn() -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return parts._replace(scheme="postgresql").geturl()


def _cursor() -> psycopg.Cursor:
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(_dsn(), autocommit=True)
    return _connection.cursor()


def app(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""))
    try:
        lon, lat = (float(v) for v in query["near"][0].split(","))
        competence = int(query["competence"][0])
        limit = int(query.get("limit", ["20"])[0])
    except (KeyError, ValueError):
        start_response("400 Bad Request", [("Content-Type", "text/plain")])
        return [b"near=lon,lat&competence=<id> expected"]
    with _cursor() as cursor:
        cursor.execute(SQL, [lon, lat, competence, limit])
        rows = [{"id": i, "name": n, "distance_m": round(d, 1)} for i, n, d in cursor]
    body = json.dumps({"features": rows}).encode()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
