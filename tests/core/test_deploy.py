"""The deployment posture: `check --deploy` clean under the production settings, HTTPS and
HSTS from the environment, and a Content-Security-Policy on every page whose inline scripts
all carry its nonce."""

import re
import secrets
import subprocess
import sys

import pytest

from .prod_settings import ROOT, prod_environment, prod_settings


def test_check_deploy_has_nothing_to_say():
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=prod_environment(SECRET_KEY=secrets.token_urlsafe(50)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_https_settings_are_secure_by_default_and_configurable():
    prod = prod_settings()
    assert prod["SECURE_SSL_REDIRECT"] is True
    assert prod["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert prod["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    # `make serve` speaks plain HTTP on a developer's machine.
    plain = prod_settings(SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0")
    assert plain["SECURE_SSL_REDIRECT"] is False
    assert plain["SECURE_HSTS_SECONDS"] == 0


# --- Content-Security-Policy ----------------------------------------------------------------


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


SCRIPT_RE = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/regions/auvergne-rhone-alpes/",
        "/annuaire/?q=Villeurbanne",
        "/pratiques/",
        "/integrer/",
        "/embed/?region=84",
        "/admin/login/",
        "/api/v1/regions/",
        "/api/v1/docs/",
        "/api/v1/redoc/",
    ],
)
def test_every_page_has_a_policy_that_its_inline_scripts_meet(client, url):
    response = client.get(url)
    assert response.status_code == 200
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    scripts = csp["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    nonces = [s for s in scripts if s.startswith("'nonce-")]
    html = response.content.decode()
    for attributes in SCRIPT_RE.findall(html):
        if "src=" in attributes or 'type="application/json"' in attributes:
            continue
        # An inline script runs only with the response's nonce.
        assert nonces, f"inline script without a nonce in the policy: <script{attributes}>"
        assert f'nonce="{nonces[0][len("nonce-") + 1 : -1]}"' in attributes


@pytest.mark.django_db
def test_map_tile_host_is_allowed(client, settings):
    response = client.get("/")
    assert "https://tile.openstreetmap.org" in policy(response)["img-src"]


@pytest.mark.django_db
def test_each_response_has_its_own_nonce(client):
    first, second = (policy(client.get("/"))["script-src"] for _ in range(2))
    assert first != second
