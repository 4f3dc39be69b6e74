"""The OpenAPI schema says what the API does: schemathesis, every check, against the app.

Every operation of /api/v1/schema/ is called in-process (the WSGI app, no server, no
network: the geocoders are stubbed by tests/conftest.py) with the cases schemathesis
derives from the schema — its examples, the boundaries of every parameter (coverage) and
random valid and invalid values (fuzzing) — and every answer goes through all of
schemathesis' checks: status codes, content types, headers and bodies as documented,
invalid input refused, valid input accepted, no 5xx. The seed is fixed and the budget
small enough for CI; any failure names the request (as a curl command) and the check.
"""

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from schemathesis.specs.openapi.checks import positive_data_acceptance

from .test_endpoints import sheets  # noqa: F401 (a fixture: published practice sheets)

pytestmark = pytest.mark.django_db

SEED = 20261201
EXAMPLES_PER_OPERATION = 250


@pytest.fixture
def in_test_transaction():
    """Requests served by the WSGI handler keep the test's connection, as Django's test client
    does: the handler's signals would close it (in the test transaction) after each one."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(in_test_transaction, directory, sheets):  # noqa: F811
    """The served schema, loaded through the app, with places and sheets to answer from."""
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", WSGIHandler())


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis.settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    # The directory fixture is built once per operation, not once per example (reads only),
    # and a fixture-backed app is slower than a bare function: neither is a schema problem.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
@hypothesis.seed(SEED)
def test_api_does_what_its_schema_says(case):
    case.call_and_validate(
        excluded_checks=[positive_data_acceptance],
        additional_checks=[positive_data_acceptance_but_what_no_schema_can_say],
    )


# What OpenAPI cannot say of a value of the right type, so a request valid by the schema may
# still be refused (400) on these parameters — and only on these: a commune code that names
# no commune, an address the geocoders cannot find, a `cursor` not from a `next` link, a
# point or box out of bounds or inverted, parameters that exclude each other (near/address,
# cursor/page, radius without a point) or years in the wrong order.
BEYOND_THE_SCHEMA = {"commune", "address", "cursor", "near", "bbox", "radius", "year_to"}


def positive_data_acceptance_but_what_no_schema_can_say(ctx, response, case):
    if response.status_code == 400 and set(response.json()) <= BEYOND_THE_SCHEMA:
        return None
    return positive_data_acceptance(ctx, response, case)


def test_departments_are_computed_once_then_served_from_the_cache(api, django_assert_num_queries):
    first = api.get("/api/v1/departments/", {"region": "84"})
    assert first.status_code == 200
    assert {f["id"] for f in first.json()["features"]} == {"01", "42", "69"}
    with django_assert_num_queries(1):  # the région checked; no département read or simplified
        again = api.get("/api/v1/departments/", {"region": "84"})
    assert again.content == first.content
    assert len(api.get("/api/v1/departments/").json()["features"]) == 5  # another key


@pytest.mark.parametrize("blank", ["", "%20%20"])
def test_a_blank_search_text_is_no_search(api, directory, blank):
    everything = api.get("/api/v1/places/")
    response = api.get(f"/api/v1/places/?q={blank}&address={blank}")
    assert response.status_code == 200
    assert response.json()["count"] == everything.json()["count"] == 6


def test_an_empty_code_is_no_filter_but_spaces_are_refused_by_name(api, directory):
    assert api.get("/api/v1/places/?region=").json()["count"] == 6
    response = api.get("/api/v1/places/?region=%20")
    assert response.status_code == 400
    assert response.json() == {"region": ["Code vide : donnez un code, ou retirez le paramètre."]}
