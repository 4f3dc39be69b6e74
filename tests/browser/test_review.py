"""A published place corrected by its editor, held for review, then accepted by a moderator,
in a real headless Chromium (screenshots in test-artifacts/)."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from core.roles import EDITORS_GROUP, MODERATORS_GROUP
from directory.models import Competence, Kind, Place, Status
from tests.factories import OrganisationFactory, PlaceFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def people(geography):
    editor = UserFactory(username="editrice")
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    moderator = UserFactory(username="moderatrice")
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    organisation = OrganisationFactory(name="Forum des réfugiés")
    organisation.editors.add(editor)
    place = PlaceFactory(
        name="Permanence Gratte-Ciel",
        organisation=organisation,
        status=Status.PUBLISHED,
        kinds=[Kind.objects.get(slug="accueil-primo-arrivants")],
        competences=[Competence.objects.get(slug="sejour")],
    )
    return place


def _log_in(visit, username: str, then: str) -> None:
    visit.goto("/admin/logout/")
    visit.goto(f"/admin/login/?next={then}")
    visit.page.fill("#id_username", username)
    visit.page.fill("#id_password", "motdepasse-test")
    visit.page.click("input[type=submit]")


def test_editor_correction_waits_then_a_moderator_accepts_it(visit_with, people):
    place = people
    visit = visit_with("desktop")
    page = visit.page
    _log_in(visit, "editrice", f"/admin/directory/place/{place.pk}/change/")
    page.fill("#id_phone", "04 72 00 00 00")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("attend la relecture d'un modérateur")
    visit.screenshot("review-held-desktop")
    assert Place.objects.get(pk=place.pk).phone == ""  # still the published version

    page.get_by_role("button", name="Déconnexion").click()
    _log_in(visit, "moderatrice", "/admin/core/heldchange/")
    page.get_by_role("link", name="Permanence Gratte-Ciel").click()
    comparison = page.locator("table").filter(has_text="proposé")
    expect(comparison).to_contain_text("04 72 00 00 00")
    visit.screenshot("review-comparison-desktop")
    page.go_back()
    page.locator("input[name=_selected_action]").first.check()
    page.select_option("select[name=action]", "accept")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator(".messagelist")).to_contain_text("1 modification mise en ligne.")
    assert Place.objects.get(pk=place.pk).phone == "04 72 00 00 00"
    assert visit.errors == []
