"""`manage.py send_freshness_reminders` for places, and the signed « toujours exact » link.

Mail goes to Django's locmem outbox (the test runner's backend).
"""

import re
import time
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core import mail, signing
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.dates import add_months
from directory import reminders as place_reminders
from directory.freshness import is_stale
from directory.models import Status
from tests.factories import OrganisationFactory, PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://reperes.example.org"
CONFIRM = re.compile(re.escape(SITE) + r"(/annuaire/toujours-exact/[^/\s]+/)")


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.FRESHNESS_MONTHS = 6
    settings.FRESHNESS_LINK_DAYS = 30


@pytest.fixture
def world():
    """Organisation A: two stale published places, a fresh one, a stale draft; editors Alice
    and Bob (addresses), Carol (none), Dan (account closed). Organisation B: only fresh
    places; editors Alice and Eve. Organisation C: a stale place and no editor."""
    today = timezone.localdate()
    users = {
        name: UserFactory(username=name, email=f"{name}@example.org", first_name=name.title())
        for name in ("alice", "bob", "eve")
    }
    users["carol"] = UserFactory(username="carol", email="")
    users["dan"] = UserFactory(username="dan", email="dan@example.org", is_active=False)
    a = OrganisationFactory(name="Accueil Rhône")
    b = OrganisationFactory(name="Forum Loire")
    c = OrganisationFactory(name="Sans éditeur")
    a.editors.add(users["alice"], users["bob"], users["carol"], users["dan"])
    b.editors.add(users["alice"], users["eve"])
    return SimpleNamespace(
        today=today,
        users=users,
        a=a,
        b=b,
        old=PlaceFactory(
            name="Maison des langues", organisation=a, last_verified=add_months(today, -8)
        ),
        never=PlaceFactory(name="Permanence juridique", organisation=a, last_verified=None),
        fresh=PlaceFactory(name="Point d'accueil à jour", organisation=a, last_verified=today),
        draft=PlaceFactory(name="Brouillon", organisation=a, status=Status.DRAFT),
        b_fresh=PlaceFactory(
            name="Accueil Saint-Étienne",
            organisation=b,
            lon=4.3872,
            lat=45.4397,
            last_verified=today - timedelta(days=10),
        ),
        c_old=PlaceFactory(name="Lieu orphelin", organisation=c, last_verified=None),
    )


def send(*args: str) -> str:
    out = StringIO()
    call_command("send_freshness_reminders", *args, stdout=out)
    return out.getvalue()


def mail_to(address: str):
    (found,) = [m for m in mail.outbox if m.to == [address]]
    return found


def confirm_path(message, place_name: str) -> str:
    """The path of the « toujours exact » link listed under `place_name` in a reminder."""
    block = message.body.split(f"* {place_name} ")[1].split("\n* ")[0]
    return CONFIRM.search(block).group(1)


# -- the reminders ----------------------------------------------------------------------------


def test_one_mail_per_editor_with_an_address(world):
    send()
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees another editor's links


def test_the_mail_lists_stale_places_with_their_links(world):
    send()
    message = mail_to("bob@example.org")
    assert message.subject == "Repères : 2 informations à confirmer"
    body = message.body
    assert "Bonjour Bob," in body
    assert "== Lieux de l'organisation « Accueil Rhône » ==" in body
    assert "* Maison des langues — vérifiées le" in body
    assert "* Permanence juridique — jamais vérifiées" in body
    for place in (world.old, world.never):
        assert f"{SITE}{place.get_absolute_url()}" in body
        assert f"{SITE}/admin/directory/place/{place.pk}/change/" in body
    assert len(CONFIRM.findall(body)) == 2
    assert "Point d'accueil à jour" not in body  # fresh
    assert "Brouillon" not in body  # not published
    assert "Lieu orphelin" not in body  # another organisation's
    assert "valables jusqu'au" in body and "&#x27;" not in body  # plain text, unescaped


def test_fresh_places_bring_no_mail(world):
    send()
    assert "eve@example.org" not in {m.to[0] for m in mail.outbox}
    alice = mail_to("alice@example.org").body
    assert "Forum Loire" not in alice and "Accueil Saint-Étienne" not in alice


def test_links_are_signed_for_each_editor(world):
    send()
    alice = confirm_path(mail_to("alice@example.org"), "Maison des langues")
    bob = confirm_path(mail_to("bob@example.org"), "Maison des langues")
    assert alice != bob


def test_nothing_to_confirm_sends_nothing(world):
    for place in (world.old, world.never):
        place.last_verified = world.today
        place.save()
    assert "0 courriel(s) envoyé(s)" in send()
    assert mail.outbox == []


def test_dry_run_sends_nothing_and_says_to_whom(world):
    out = send("--dry-run")
    assert mail.outbox == []
    assert "alice@example.org" in out and "bob@example.org" in out
    assert "Rien envoyé" in out


def test_a_failed_address_does_not_stop_the_others(world, monkeypatch):
    from django.core.mail import EmailMessage

    real_send = EmailMessage.send

    def send_or_fail(message, *args, **kwargs):
        if message.to == ["bob@example.org"]:
            raise ConnectionRefusedError("SMTP down for Bob")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", send_or_fail)
    with pytest.raises(CommandError, match="bob@example.org"):
        send("-v0")
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_an_organisation_with_many_stale_places_gets_the_oldest_and_a_link(world, monkeypatch):
    monkeypatch.setattr(place_reminders, "MAX_PLACES_PER_ORGANISATION", 1)
    send()
    body = mail_to("bob@example.org").body
    assert "* Permanence juridique" in body  # never verified comes first
    assert "* Maison des langues" not in body
    assert "Voici les 1 plus anciennes sur 2" in body
    assert f"{SITE}/admin/directory/place/?" in body and "fraicheur=stale" in body


# -- the one-click link --------------------------------------------------------------------


def test_link_shows_a_confirmation_then_confirms_with_history(client, world):
    send()
    path = confirm_path(mail_to("bob@example.org"), "Permanence juridique")
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Oui, toujours exact" in html and 'method="post"' in html
    assert 'name="robots" content="noindex' in html
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    world.never.refresh_from_db()
    assert world.never.last_verified is None  # a GET (a mail scanner) changes nothing

    done = client.post(path)
    assert done.status_code == 200
    assert "Merci" in done.content.decode()
    world.never.refresh_from_db()
    assert world.never.last_verified == timezone.localdate()
    latest = world.never.history.latest("history_date")
    assert latest.history_change_reason == "Confirmé par lien de rappel"
    assert latest.history_user == world.users["bob"]
    assert not is_stale(world.never)


def _signed_days_ago(days: int, *, place, user) -> str:
    class PastSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - days * 86400)

    return PastSigner(salt=place_reminders.LINK_SALT).sign_object({"id": place.pk, "by": user.pk})


def _unchanged(place, *, history: int) -> bool:
    place.refresh_from_db()
    return place.last_verified is None and place.history.count() == history


@pytest.mark.parametrize("method", ["get", "post"])
def test_expired_link_is_a_400_and_changes_nothing(client, world, method):
    token = _signed_days_ago(31, place=world.never, user=world.users["bob"])
    history = world.never.history.count()
    response = getattr(client, method)(f"/annuaire/toujours-exact/{token}/")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ce lien a expiré" in html and "Rien n&#x27;a été modifié." in html
    assert "Oui, toujours exact" not in html
    assert _unchanged(world.never, history=history)


def test_link_age_limit_comes_from_the_setting(client, world, settings):
    token = _signed_days_ago(29, place=world.never, user=world.users["bob"])
    assert client.get(f"/annuaire/toujours-exact/{token}/").status_code == 200
    settings.FRESHNESS_LINK_DAYS = 10
    assert client.get(f"/annuaire/toujours-exact/{token}/").status_code == 400


@pytest.mark.parametrize("method", ["get", "post"])
def test_tampered_link_is_a_400_and_changes_nothing(client, world, method):
    send()
    path = confirm_path(mail_to("bob@example.org"), "Permanence juridique")
    token = path.split("/")[-2]
    # Another place's id in the same signed envelope, a character changed, a cut.
    forged = signing.TimestampSigner(salt="autre chose").sign_object(
        {"id": world.never.pk, "by": world.users["bob"].pk}
    )
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    history = world.never.history.count()
    for bad in (altered, token[:20], forged, "n'importe-quoi"):
        response = getattr(client, method)(f"/annuaire/toujours-exact/{bad}/")
        assert response.status_code == 400, bad
        assert "Ce lien n&#x27;est pas valable" in response.content.decode()
    assert _unchanged(world.never, history=history)


def test_link_stops_working_when_she_no_longer_edits_for_the_organisation(client, world):
    send()
    path = confirm_path(mail_to("bob@example.org"), "Permanence juridique")
    world.a.editors.remove(world.users["bob"])
    history = world.never.history.count()
    response = client.post(path)
    assert response.status_code == 400
    assert "n&#x27;est plus valable" in response.content.decode()
    assert _unchanged(world.never, history=history)
