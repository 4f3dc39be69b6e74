"""Fault tests on PostgreSQL: backends terminated under a burst of requests, a statement that
runs past the timeout, a database that cannot be reached or never answers.

Requests run in threads of their own, each with its own connection (autocommit, outside the
test's transaction), reading the geography committed once per session; the test's own
connection is never touched by the faults.
"""

import socket
import subprocess
import sys
import threading
import time
from collections import Counter

import psycopg
import pytest
from django.db import connection, connections
from django.test import Client

from .prod_settings import ROOT

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="faults of a PostgreSQL server (PostGIS only)"
    ),
]

SECRETS = ("127.0.0.1", "localhost", "postgres", "5432", "connection", "password")


def in_thread(function, *args):
    """Run `function` in a thread of its own, with its own database connections."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function(*args)
        except BaseException as error:  # noqa: BLE001 — raised again in the test's thread
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the request never returned"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def admin_connection() -> psycopg.Connection:
    """A connection of the test's own, to the test database, outside Django."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    return psycopg.connect(**params, autocommit=True)


def assert_clean_503(response, *, api: bool) -> str:
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    if api:
        assert response["Content-Type"] == "application/json"
        text = response.json()["detail"]
    else:
        assert response["Content-Type"].startswith("text/html")
        text = response.content.decode()
    assert "momentanément indisponible" in text
    return text


# --- configuration --------------------------------------------------------------------------


def test_web_connections_have_timeouts_and_health_checks():
    def read():
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            statement = cursor.fetchone()[0]
        settings = connection.settings_dict
        return statement, settings["OPTIONS"]["connect_timeout"], settings["CONN_HEALTH_CHECKS"]

    assert in_thread(read) == ("10s", 5, True)


@pytest.mark.parametrize(
    ("env", "expected"), [({}, "0"), ({"COMMAND_STATEMENT_TIMEOUT": "600"}, "10min")]
)
def test_management_commands_are_not_held_to_the_web_timeout(env, expected):
    # Imports, export builds and geography loads run statements longer than a page may.
    script = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SHOW statement_timeout'); print(c.fetchone()[0])\n"
    )
    settings = connection.settings_dict
    url = f"postgis://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == expected


# --- a statement past the timeout -----------------------------------------------------------


@pytest.fixture
def regions_locked():
    """Another session holds geodata_region: every read of it waits."""
    with admin_connection() as locker:
        locker.execute("BEGIN")
        locker.execute("LOCK TABLE geodata_region IN ACCESS EXCLUSIVE MODE")
        yield
        locker.execute("ROLLBACK")


def slow_get(url):
    def get():
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 300")
        started = time.monotonic()
        response = Client().get(url)
        return response, time.monotonic() - started

    return in_thread(get)


@pytest.mark.parametrize(
    ("url", "api"), [("/api/v1/regions/", True), ("/regions/auvergne-rhone-alpes/", False)]
)
def test_statement_past_the_timeout_is_a_clean_503(regions_locked, caplog, url, api):
    response, seconds = slow_get(url)
    assert_clean_503(response, api=api)
    assert seconds < 2  # cancelled at 300 ms, not run again
    assert "retrying" not in caplog.text


# --- a database out of reach ------------------------------------------------------------------


@pytest.fixture(scope="module")
def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_server():
    """Accepts TCP connections and never answers (the kernel completes the handshakes)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield server.getsockname()[1]


def get_with_database_at(port: int, url: str):
    def get():
        conn = connections["default"]
        conn.settings_dict = {
            **conn.settings_dict,
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "OPTIONS": {**conn.settings_dict["OPTIONS"], "connect_timeout": 2},
        }
        started = time.monotonic()
        response = Client().get(url)
        return response, time.monotonic() - started

    return in_thread(get)


@pytest.mark.parametrize("database", ["closed_port", "silent_server"])
def test_health_check_says_unavailable_without_details(request, database, caplog):
    port = request.getfixturevalue(database)
    response, seconds = get_with_database_at(port, "/healthz")
    assert response.status_code == 503
    body = response.content.decode()
    assert response.json() == {"status": "error", "detail": "Base de données indisponible."}
    for secret in (*SECRETS, str(port)):
        assert secret not in body
    assert seconds < 5.5  # two connection attempts of 2 s (one retry), not the worker's 30 s
    assert "Health check: the database did not answer" in caplog.text  # with the error


@pytest.mark.parametrize("database", ["closed_port", "silent_server"])
@pytest.mark.parametrize(
    ("url", "api"), [("/api/v1/regions/", True), ("/regions/auvergne-rhone-alpes/", False)]
)
def test_api_and_pages_answer_503_when_the_database_is_out_of_reach(request, database, url, api):
    port = request.getfixturevalue(database)
    response, seconds = get_with_database_at(port, url)
    text = assert_clean_503(response, api=api)
    for secret in (*SECRETS, str(port)):
        assert secret not in text
    assert seconds < 7  # two connection attempts (one retry) of 2 s


# --- backends terminated under load ---------------------------------------------------------

BURST_URLS = [
    "/api/v1/regions/",
    "/api/v1/competences/",
    "/regions/auvergne-rhone-alpes/",
    "/healthz",
    "/api/v1/places/?region=84",
]


MAX_BURST_REQUESTS = 400  # per client thread
KILL_ROUNDS = 3


def test_backends_terminated_during_a_burst_give_no_5xx(caplog):
    statuses: Counter = Counter()
    lock = threading.Lock()
    stop = threading.Event()
    protected = {connection.cursor().connection.info.backend_pid}

    def client_loop(offset):
        # Requests until the killer has done its rounds (bounded, should it never): however
        # fast the machine, the burst outlasts several terminations.
        client = Client()
        for n in range(MAX_BURST_REQUESTS):
            if stop.is_set():
                return
            status = client.get(BURST_URLS[(offset + n) % len(BURST_URLS)]).status_code
            with lock:
                statuses[status] += 1

    threads = [
        threading.Thread(target=in_thread, args=(client_loop, offset)) for offset in range(6)
    ]
    terminated = rounds = 0
    with admin_connection() as killer:
        protected.add(killer.info.backend_pid)
        for thread in threads:
            thread.start()
        # Every second: a request's one retry (on a fresh connection) gets the time to finish
        # on this shared machine; every 0.3 s a slow page could lose both of its attempts.
        while rounds < KILL_ROUNDS and any(t.is_alive() for t in threads):
            time.sleep(0.5 if rounds == 0 else 1.0)
            rows = killer.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> ALL(%s)",
                [list(protected)],
            ).fetchall()
            terminated += sum(1 for (killed,) in rows if killed)
            rounds += 1
        stop.set()
        for thread in threads:
            thread.join(120)
    assert sum(statuses.values()) >= 6
    assert terminated > 0, "no backend was terminated: the burst was over too soon"
    assert not [s for s in statuses if s >= 500], statuses
    assert set(statuses) == {200}, statuses
