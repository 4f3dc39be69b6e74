"""« Toujours en cours ? » for practice sheets: the reminders to the author centre's editors
and the signed one-click confirmation (practices/reminders.py)."""

import re
import time
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.utils import timezone

from core.dates import add_months
from practices import reminders as sheet_reminders
from practices.models import PracticeSheet, SheetStatus
from practices.selectors import sheets_due_for_review
from tests.factories import OrganisationFactory, PlaceFactory, UserFactory
from tests.practices.factories import make_sheet, member_centre

pytestmark = pytest.mark.django_db

SITE = "https://reperes.example.org"
CONFIRM = re.compile(re.escape(SITE) + r"(/pratiques/toujours-en-cours/[^/\s]+/)")


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.PRACTICE_REVIEW_MONTHS = 12
    settings.FRESHNESS_LINK_DAYS = 30


@pytest.fixture
def world():
    """A member centre edited by Alice, with sheets due or not; a former member centre."""
    today = timezone.localdate()
    alice = UserFactory(username="alice", email="alice@example.org", first_name="Alice")
    centre = member_centre("Centre ressources Rhône")
    centre.editors.add(alice)
    former = OrganisationFactory(name="Ancien centre", is_member_centre=False)
    former.editors.add(alice)
    long_ago = add_months(today, -13)
    sheets = SimpleNamespace(
        due=make_sheet("Ateliers de français", author_centre=centre, review_date=long_ago),
        never=make_sheet("Parrainage citoyen", author_centre=centre),
        recent=make_sheet(
            "Café des langues", author_centre=centre, review_date=today - timedelta(days=40)
        ),
        new=make_sheet("Permanence nouvelle", author_centre=centre),  # written today
        ended=make_sheet(
            "Projet terminé",
            author_centre=centre,
            start_date=add_months(today, -40),
            end_date=add_months(today, -20),
        ),
        draft=make_sheet("Brouillon", author_centre=centre, status=SheetStatus.DRAFT),
    )
    # Written long ago, never asked since.
    PracticeSheet.objects.filter(pk__in=[sheets.never.pk, sheets.ended.pk, sheets.draft.pk]).update(
        created_at=timezone.now() - timedelta(days=800)
    )
    sheets.never.refresh_from_db()
    # A sheet of an organisation that left the network: its editors no longer touch it.
    sheets.orphan = make_sheet("Fiche d'un ancien centre", author_centre=member_centre("Parti"))
    PracticeSheet.objects.filter(pk=sheets.orphan.pk).update(
        created_at=timezone.now() - timedelta(days=800), author_centre=former
    )
    return SimpleNamespace(today=today, alice=alice, centre=centre, sheets=sheets)


def send(*args: str) -> str:
    out = StringIO()
    call_command("send_freshness_reminders", *args, stdout=out)
    return out.getvalue()


def confirm_path(body: str, title: str) -> str:
    block = body.split(f"* {title} ")[1].split("\n* ")[0]
    return CONFIRM.search(block).group(1)


def test_due_sheets_are_running_published_and_unconfirmed_for_a_year(world):
    s = world.sheets
    assert set(sheets_due_for_review(world.today)) == {s.due, s.never, s.orphan}


def test_the_author_centres_editors_are_reminded(world):
    send()
    (message,) = mail.outbox
    assert message.to == ["alice@example.org"]
    body = message.body
    assert "== Fiches pratiques du centre « Centre ressources Rhône » ==" in body
    assert "toujours en cours ?" in body
    assert "* Ateliers de français — vérifié le" in body
    assert "* Parrainage citoyen — jamais vérifié depuis la rédaction" in body
    for sheet in (world.sheets.due, world.sheets.never):
        assert f"{SITE}{sheet.get_absolute_url()}" in body
        assert f"{SITE}/admin/practices/practicesheet/{sheet.pk}/change/" in body
    assert len(CONFIRM.findall(body)) == 2
    for title in ("Café des langues", "Permanence nouvelle", "Projet terminé", "Brouillon"):
        assert title not in body
    assert "ancien centre" not in body  # not a member centre: not hers to confirm


def test_one_mail_per_editor_for_places_and_sheets(world):
    organisation = OrganisationFactory(name="Accueil Rhône")
    organisation.editors.add(world.alice)
    PlaceFactory(name="Permanence juridique", organisation=organisation, last_verified=None)
    send()
    (message,) = mail.outbox
    assert message.subject == "Repères : 3 informations à confirmer"
    assert "* Permanence juridique — jamais vérifiées" in message.body
    assert "* Ateliers de français" in message.body


def test_dry_run_sends_nothing(world):
    assert "alice@example.org" in send("--dry-run")
    assert mail.outbox == []


def test_link_confirms_the_practice_still_runs(client, world):
    send()
    path = confirm_path(mail.outbox[0].body, "Parrainage citoyen")
    page = client.get(path)
    assert page.status_code == 200
    assert "Oui, toujours en cours" in page.content.decode()
    sheet = world.sheets.never
    sheet.refresh_from_db()
    assert sheet.review_date is None

    done = client.post(path)
    assert done.status_code == 200
    assert "La question reviendra en" in done.content.decode()
    sheet.refresh_from_db()
    assert sheet.review_date == world.today
    latest = sheet.history.latest("history_date")
    assert latest.history_change_reason == "Confirmé par lien de rappel : toujours en cours"
    assert latest.history_user == world.alice
    assert sheet not in sheets_due_for_review(world.today)
    # Asked again a year later.
    assert sheet in sheets_due_for_review(add_months(world.today, 12) + timedelta(days=1))
    # The sheet's page tells when it was checked.
    assert "vérifié le" in client.get(sheet.get_absolute_url()).content.decode()


def _signed_days_ago(days: int, *, salt: str, sheet, user) -> str:
    class PastSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - days * 86400)

    return PastSigner(salt=salt).sign_object({"id": sheet.pk, "by": user.pk})


def test_expired_or_tampered_link_is_a_400_and_changes_nothing(client, world):
    sheet = world.sheets.never
    history = sheet.history.count()
    expired = _signed_days_ago(31, salt=sheet_reminders.LINK_SALT, sheet=sheet, user=world.alice)
    response = client.post(f"/pratiques/toujours-en-cours/{expired}/")
    assert response.status_code == 400
    assert "Ce lien a expiré" in response.content.decode()
    # A valid link for a place does not confirm a sheet with the same id.
    from directory.reminders import LINK_SALT as PLACE_SALT

    other_salt = _signed_days_ago(0, salt=PLACE_SALT, sheet=sheet, user=world.alice)
    fresh = _signed_days_ago(0, salt=sheet_reminders.LINK_SALT, sheet=sheet, user=world.alice)
    for bad in (other_salt, fresh[:-2] + "xx"):
        response = client.post(f"/pratiques/toujours-en-cours/{bad}/")
        assert response.status_code == 400
        assert "Ce lien n&#x27;est pas valable" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.review_date is None and sheet.history.count() == history
    # The genuine one works.
    assert client.post(f"/pratiques/toujours-en-cours/{fresh}/").status_code == 200
