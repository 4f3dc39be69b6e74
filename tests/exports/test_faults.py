"""Exports under a real database fault (PostgreSQL): a statement past `statement_timeout`.

The failures here are PostgreSQL's own: a QueryCanceled raised by the server when a
statement of the export outlasts the connection's statement_timeout (1 ms), not an
exception made up by the test. What must hold, wherever the export stands when it
happens (before its first byte or half-way through its records): a 503 that no cache
keeps, no build published, never a 200 with a cut file. SpatiaLite has no statement
timeout: tests/exports/test_serving.py checks the same answers there with an unreachable
database and a connection lost half-way.
"""

import logging
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection, transaction
from django.urls import reverse

from directory.exports import builds, rows
from directory.selectors import PlaceFilters, filter_places, published_places
from tests.factories import PlaceFactory

from .conftest import streamed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="statement_timeout: PostgreSQL only"
    ),
]


SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@contextmanager
def statement_outlasts_timeout(number: int | None):
    """The export's statement n° `number` (None: none) runs past a 1 ms statement_timeout,
    so PostgreSQL cancels it. Yields the statements run, to count them in a clean run."""
    run_statements: list[str] = []

    def execute(run, sql, params, many, context):
        if sql.startswith(SAVEPOINTS):  # the test's own (_get), not the export's
            return run(sql, params, many, context)
        run_statements.append(sql)
        if number is not None and len(run_statements) == number + 1:
            run("SET LOCAL statement_timeout = 1", None, False, context)
            return run("SELECT pg_sleep(0.2)", None, False, context)
        return run(sql, params, many, context)

    with connection.execute_wrapper(execute):
        yield run_statements


@contextmanager
def copy_outlasts_timeout():
    """PostgreSQL's COPY of the places CSV (run by psycopg, past Django's wrappers) under a
    1 ms statement_timeout, set just before it: it takes ~10 ms on a hundred places."""

    def execute(run, sql, params, many, context):
        result = run(sql, params, many, context)
        if sql == "SET LOCAL jit = off":  # csv_copy's last statement before its COPY
            run("SET LOCAL statement_timeout = 1", None, False, context)
        return result

    with connection.execute_wrapper(execute):
        yield


def _get(client, url, query):
    """The request in a savepoint of the test's transaction, as it would be in a transaction
    of its own: a statement failing outside the export's own savepoint (rows.snapshot)
    leaves the transaction aborted, for the next request of the test too."""
    savepoint = transaction.savepoint()
    try:
        return client.get(url, query)
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.fixture
def failures():
    """The errors the export views log (with the exception that made them answer 503)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = records.append
    logger = logging.getLogger("directory.exports.views")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def _assert_failed_loudly(response, failures):
    assert response.status_code == 503
    assert "no-store" in response["Cache-Control"]
    assert "max-age" not in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "base de l’annuaire ne répond pas" in response.content.decode()
    assert isinstance(failures[-1].exc_info[1].__cause__, psycopg.errors.QueryCanceled)


def _nothing_published(name, exports_root):
    assert builds.latest(name) is None
    assert not [p for p in exports_root.glob("*") if p.name.endswith((".tmp", ".gz", ".json"))]


@pytest.fixture
def many_places(directory):
    return [PlaceFactory(lon=4.80 + i * 0.001, lat=45.75) for i in range(100)]


@pytest.mark.parametrize("query", [{}, {"department": "69"}])
def test_copy_past_the_timeout_is_a_503_and_nothing_is_published(
    client, many_places, exports_root, failures, query
):
    url = reverse("exports:places_csv")
    with copy_outlasts_timeout():
        response = _get(client, url, query)

    _assert_failed_loudly(response, failures)
    _nothing_published("places_csv", exports_root)
    again = client.get(url, query)  # the database answers again: the file is whole
    assert again.status_code == 200
    places = filter_places(published_places(), PlaceFilters(**query))
    assert len(streamed(again).splitlines()) == 1 + places.count()


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("places_geojson", {}),  # built on first download, then served
        ("places_geojson", {"region": "84"}),  # written for the request
        ("data_inclusion_services", {}),
        ("hsds_services", {"region": "84"}),
    ],
)
def test_a_timeout_before_or_half_way_through_an_export_is_a_503_never_a_cut_file(
    client, directory, exports_root, monkeypatch, failures, name, query
):
    url = reverse(f"exports:{name}")
    monkeypatch.setattr(rows, "CHUNK_SIZE", 1)  # many statements, records written between
    with statement_outlasts_timeout(None) as statements:
        whole = client.get(url, query)
    assert whole.status_code == 200
    assert len(statements) >= 3
    for build in exports_root.glob("*"):  # the clean run's build: gone, to be built again
        build.unlink()

    for number in (0, len(statements) // 2, len(statements) - 1):
        with statement_outlasts_timeout(number):
            response = _get(client, url, query)
        _assert_failed_loudly(response, failures)
        _nothing_published(name, exports_root)
