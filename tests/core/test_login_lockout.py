"""Brute force on the admin login (django-axes): one username from one address is locked out
after a few wrong passwords, even once the right one is tried, then let in again."""

import time
from datetime import timedelta

import pytest
from django.conf import settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-test"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def editor():
    return UserFactory(username="editrice")


def attempt(client, password, *, ip="203.0.113.7", username="editrice"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, follow=False
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_right_password_logs_in(client, editor):
    assert logged_in(attempt(client, PASSWORD))


def test_sixty_wrong_passwords_then_the_right_one_is_refused(client, editor):
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [attempt(client, f"essai-{n}").status_code for n in range(60)]
    # The admin's form says "wrong password" until the limit, then the lockout page answers.
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit:]) == {429}
    locked = attempt(client, PASSWORD)
    assert not logged_in(locked)
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Connexion suspendue" in text
    assert f"pendant {round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)} minutes" in text
    assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    # Still refused on the next page load: the session was not opened.
    assert client.get("/admin/").status_code == 302


def test_lockout_is_per_username_and_address(client, editor):
    UserFactory(username="collegue")
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"essai-{n}")
    assert attempt(client, PASSWORD).status_code == 429
    # The same person from another address, and a colleague behind the same address.
    assert logged_in(attempt(client, PASSWORD, ip="198.51.100.20"))
    client.logout()
    assert logged_in(attempt(client, PASSWORD, username="collegue"))


def test_success_clears_the_count(client, editor):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, f"essai-{n}")
    assert logged_in(attempt(client, PASSWORD))
    client.logout()
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, f"encore-{n}").status_code == 200
    assert logged_in(attempt(client, PASSWORD))


def test_lockout_ends_after_the_cool_off(client, editor, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"essai-{n}")
    assert attempt(client, PASSWORD).status_code == 429
    time.sleep(1.2)
    assert logged_in(attempt(client, PASSWORD))


def test_address_behind_a_proxy_is_the_forwarded_one(client, editor, settings):
    # Behind one reverse proxy every request comes from the proxy: the lockout must follow
    # the client's address (the last X-Forwarded-For hop), as the API throttles do.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "editrice", "password": f"essai-{n}"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    locked = client.post(
        LOGIN,
        {"username": "editrice", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert locked.status_code == 429
    other = client.post(
        LOGIN,
        {"username": "editrice", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert logged_in(other)
