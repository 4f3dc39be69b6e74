"""Edits of published entries wait for a moderator; the live entry is unchanged until then
(core/review.py), through the admin as editors and moderators use it."""

import pytest
from django.urls import reverse

from core.models import HeldChange, HeldStatus
from directory.models import Competence, Place, Status
from practices.models import PracticeSheet, SheetStatus, Theme
from tests.directory import test_admin as places
from tests.directory.test_admin import change_data, change_url, texts
from tests.practices import test_admin as sheets

pytestmark = pytest.mark.django_db

# The directory admin's fixtures: its editor, moderator, organisation, place and geocoders.
editor, moderator, organisation, place, http = (
    places.editor,
    places.moderator,
    places.organisation,
    places.place,
    places.http,
)

QUEUE_URL = reverse("admin:core_heldchange_changelist")
HELD_MESSAGE = "attend la relecture d'un modérateur"


@pytest.fixture
def published(place):
    place.status = Status.PUBLISHED
    place.save()
    return place


def _accept(client, change: HeldChange):
    return client.post(
        QUEUE_URL, {"action": "accept", "_selected_action": [change.pk]}, follow=True
    )


def test_editor_change_to_a_published_place_waits_and_the_live_place_stays(
    client, editor, moderator, published
):
    client.force_login(editor)
    sejour = Competence.objects.get(slug="sejour")
    droits = Competence.objects.get(slug="droits-sociaux")
    response = client.post(
        change_url(published),
        change_data(published, name="Permanence Gratte-Ciel (fermée)", competences=[droits.pk]),
        follow=True,
    )
    assert any(HELD_MESSAGE in text for text in texts(response))
    live = Place.objects.get(pk=published.pk)
    assert live.name == "Permanence Gratte-Ciel"
    assert list(live.competences.all()) == [sejour]
    assert client.get(live.get_absolute_url()).status_code == 200
    assert (
        "Permanence Gratte-Ciel (fermée)"
        not in client.get(live.get_absolute_url()).content.decode()
    )

    change = HeldChange.objects.get()
    assert change.values == {"name": "Permanence Gratte-Ciel (fermée)"}
    assert change.relations == {"competences": [droits.pk]}
    assert change.author == editor and change.status == HeldStatus.PENDING
    # She sees her proposal in the queue but cannot accept it herself.
    assert client.get(QUEUE_URL).context["cl"].result_count == 1
    _accept(client, change)
    assert HeldChange.objects.get().status == HeldStatus.PENDING
    assert Place.objects.get(pk=published.pk).name == "Permanence Gratte-Ciel"

    client.force_login(moderator)
    page = client.get(reverse("admin:core_heldchange_change", args=[change.pk])).content.decode()
    assert "Permanence Gratte-Ciel (fermée)" in page and "Permanence Gratte-Ciel" in page
    response = _accept(client, change)
    assert "1 modification mise en ligne." in texts(response)
    live = Place.objects.get(pk=published.pk)
    assert live.name == "Permanence Gratte-Ciel (fermée)"
    assert list(live.competences.all()) == [droits]
    assert live.status == Status.PUBLISHED
    entry = live.history.first()
    assert entry.history_change_reason == "Modification de editrice, relue par moderatrice"
    assert entry.history_user == moderator
    change.refresh_from_db()
    assert (change.status, change.handled_by) == (HeldStatus.ACCEPTED, moderator)


def test_a_refused_change_leaves_the_place_as_it_was(client, editor, moderator, published):
    client.force_login(editor)
    client.post(change_url(published), change_data(published, phone="04 00 00 00 00"))
    change = HeldChange.objects.get()
    client.force_login(moderator)
    client.post(QUEUE_URL, {"action": "refuse", "_selected_action": [change.pk]})
    change.refresh_from_db()
    assert change.status == HeldStatus.REFUSED
    assert Place.objects.get(pk=published.pk).phone == ""


def test_moved_marker_is_held_with_the_rest(client, editor, moderator, published):
    client.force_login(editor)
    moved = '{"type": "Point", "coordinates": [4.85, 45.76]}'
    client.post(change_url(published), change_data(published, location=moved))
    change = HeldChange.objects.get()
    assert set(change.values) == {"location"}
    assert Place.objects.get(pk=published.pk).location.x == pytest.approx(published.location.x)
    client.force_login(moderator)
    _accept(client, change)
    live = Place.objects.get(pk=published.pk)
    assert (round(live.location.x, 5), round(live.location.y, 5)) == (4.85, 45.76)
    assert live.commune.name == "Lyon"  # derived again by the save service


@pytest.mark.parametrize("who", ["draft", "trusted", "moderator"])
def test_changes_that_go_live_at_once(client, editor, moderator, place, who):
    if who != "draft":
        place.status = Status.PUBLISHED
        place.save()
    if who == "trusted":
        place.organisation.trusted_editors = True
        place.organisation.save()
    client.force_login(moderator if who == "moderator" else editor)
    response = client.post(change_url(place), change_data(place, name="Nouveau nom"), follow=True)
    assert not any(HELD_MESSAGE in text for text in texts(response))
    assert Place.objects.get(pk=place.pk).name == "Nouveau nom"
    assert not HeldChange.objects.exists()


def test_saving_a_published_place_unchanged_holds_nothing(client, editor, published):
    client.force_login(editor)
    response = client.post(change_url(published), change_data(published), follow=True)
    assert "Aucune modification à enregistrer." in texts(response)
    assert not HeldChange.objects.exists()


def test_editor_change_to_a_published_sheet_waits(client, moderator):
    editor = sheets.UserFactory(username="redactrice")
    editor.groups.add(sheets.Group.objects.get(name=sheets.EDITORS_GROUP))
    centre = sheets.member_centre("Centre ressources Rhône")
    centre.editors.add(editor)
    sheet = sheets.make_sheet(
        "Notre pratique", communes=["69266"], author_centre=centre, status=SheetStatus.PUBLISHED
    )
    client.force_login(editor)
    page = client.get(sheets.change_url(sheet)).content.decode()
    # Actors and sources are a moderator's to change on a sheet held for review.
    assert 'name="actors-TOTAL_FORMS"' not in page or "actors-0-organisation" not in page
    emploi = Theme.objects.get(slug="emploi")
    data = sheets.change_data(sheet, summary="Un nouveau résumé.", themes=[emploi.pk])
    response = client.post(sheets.change_url(sheet), data, follow=True)
    assert response.status_code == 200
    assert any(HELD_MESSAGE in text for text in texts(response))
    live = PracticeSheet.objects.get(pk=sheet.pk)
    assert live.summary != "Un nouveau résumé." and emploi not in live.themes.all()
    change = HeldChange.objects.get()
    assert change.values == {"summary": "Un nouveau résumé."}
    client.force_login(moderator)
    _accept(client, change)
    live = PracticeSheet.objects.get(pk=sheet.pk)
    assert live.summary == "Un nouveau résumé."
    assert list(live.themes.all()) == [emploi]
    assert live.status == SheetStatus.PUBLISHED
