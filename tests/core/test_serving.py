"""Production serving: static files through WhiteNoise, and gunicorn's configuration.

The static files are collected once for the module with production's storage (fingerprinted
names, gzip copies), as `make serve` does; the pages and files are then requested under
production's middleware and storage. gunicorn is started for real, on a free port, with
deploy/gunicorn.conf.py.
"""

import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import override_settings

from .prod_settings import ROOT, prod_environment, prod_settings

GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).with_name("gunicorn")
YEAR = 365 * 24 * 3600


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    prod = prod_settings()
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(
        STATIC_ROOT=str(root),
        STORAGES=prod["STORAGES"],
        MIDDLEWARE=prod["MIDDLEWARE"],
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        # Fails here if a stylesheet or script names a file that is not shipped.
        call_command("collectstatic", "--noinput", verbosity=0)
        yield root


@pytest.fixture(scope="module")
def manifest(static_root):
    return json.loads((static_root / "staticfiles.json").read_text())["paths"]


def max_age(response) -> int:
    directives = dict(
        part.strip().partition("=")[::2] for part in response["Cache-Control"].split(",")
    )
    return int(directives["max-age"])


def test_prod_serves_static_files_through_whitenoise():
    prod = prod_settings()
    assert prod["MIDDLEWARE"][:2] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    assert prod["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert prod["DEBUG"] is False


def test_fingerprinted_file_is_cached_for_good(static_root, client):
    url = static("css/site.css")
    assert url != "/static/css/site.css"  # the manifest's name, with its content hash
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert "immutable" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert max_age(response) >= YEAR
    assert (
        b"".join(response.streaming_content) == (static_root / url[len("/static/") :]).read_bytes()
    )


def test_compressed_copy_for_clients_that_accept_it(static_root, client):
    url = static("css/site.css")
    assert (static_root / (url[len("/static/") :] + ".gz")).exists()
    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    # Brotli (installed with WeasyPrint's fonttools) gives a smaller copy still.
    assert (static_root / (url[len("/static/") :] + ".br")).exists()
    smaller = client.get(url, headers={"accept-encoding": "gzip, br"})
    assert smaller["Content-Encoding"] == "br"
    plain = client.get(url)
    assert "Content-Encoding" not in plain


def test_unversioned_name_is_served_briefly_cached(static_root, client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
    assert 0 < max_age(response) <= 3600


def test_conditional_request_gets_304(static_root, client):
    url = static("favicon.svg")
    first = client.get(url)
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_unknown_static_file_is_404(static_root, client):
    assert client.get("/static/css/nothing-here.css").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/", "/regions/auvergne-rhone-alpes/", "/annuaire/", "/pratiques/", "/integrer/"],
)
def test_pages_link_fingerprinted_files(static_root, manifest, client, url):
    # Under the manifest storage a {% static %} naming a file that was not collected is a
    # 500: every file a page names (its own, and the sections other apps add) must be there.
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/static/{manifest['css/site.css']}" in html
    assert "/static/css/site.css" not in html


@pytest.mark.django_db
def test_api_docs_use_collected_files(static_root, client):
    assert client.get("/api/v1/docs/").status_code == 200


# --- gunicorn ------------------------------------------------------------------------------


def load_gunicorn_conf(**env: str) -> dict:
    saved = dict(os.environ)
    try:
        for name in ("WEB_CONCURRENCY", "GUNICORN_BIND", "GUNICORN_TIMEOUT", "GUNICORN_THREADS"):
            os.environ.pop(name, None)
        os.environ.update(env)
        return runpy.run_path(str(GUNICORN_CONF))
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_gunicorn_defaults_are_sane():
    conf = load_gunicorn_conf()
    assert conf["wsgi_app"] == "config.wsgi:application"
    assert Path(conf["chdir"]) == ROOT
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["workers"] == 2 * (os.cpu_count() or 1) + 1
    assert conf["threads"] == 1
    assert 10 <= conf["timeout"] <= 120
    assert 0 < conf["graceful_timeout"] <= conf["timeout"]
    assert conf["max_requests"] >= 100
    assert 0 < conf["max_requests_jitter"] < conf["max_requests"]
    assert conf["preload_app"] is True
    assert conf["accesslog"] == "-"
    assert "%(M)s" in conf["access_log_format"]


def test_gunicorn_reads_the_environment():
    conf = load_gunicorn_conf(
        WEB_CONCURRENCY="3",
        GUNICORN_BIND="0.0.0.0:9000, unix:/tmp/reperes.sock",
        GUNICORN_TIMEOUT="60",
    )
    assert conf["workers"] == 3
    assert conf["bind"] == ["0.0.0.0:9000", "unix:/tmp/reperes.sock"]
    assert conf["timeout"] == 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    try:
        with _opener.open(
            urllib.request.Request(url, headers=headers or {}), timeout=5
        ) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_gunicorn_serves_the_site(static_root, tmp_path):
    port = free_port()
    env = prod_environment()
    del env["DJANGO_SETTINGS_MODULE"]  # config/wsgi.py's default
    env.update(
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        STATIC_ROOT=str(static_root),
        # An empty SpatiaLite file of its own: the test database lives in this process only.
        DATABASE_URL=f"spatialite:///{tmp_path / 'serve.sqlite3'}",
    )
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(GUNICORN), "-c", str(GUNICORN_CONF)],
            cwd=tmp_path,  # chdir in the configuration finds the project
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, log.read_text()
            try:
                status, headers, body = get(f"{base}/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        assert status == 200, body
        assert json.loads(body)["status"] == "ok"

        css = json.loads((static_root / "staticfiles.json").read_text())["paths"]["css/site.css"]
        # Plain HTTP is sent to HTTPS (the health check above excepted)...
        status, headers, _ = get(f"{base}/static/{css}")
        assert status == 301
        assert headers["Location"] == f"https://127.0.0.1:{port}/static/{css}"
        # ...and what came in over HTTPS, as the reverse proxy says, is served with HSTS.
        status, headers, _ = get(f"{base}/static/{css}", {"X-Forwarded-Proto": "https"})
        assert status == 200
        assert "immutable" in headers["Cache-Control"]
        status, headers, _ = get(f"{base}/healthz", {"X-Forwarded-Proto": "https"})
        assert status == 200
        assert headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=40)
    text = log.read_text()
    assert "Booting worker" in text
    assert f'"GET /static/{css} HTTP/1.1" 200' in text  # the access log, with its format
