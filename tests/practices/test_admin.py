"""Writing and publishing sheets in the admin: who may do what, and what a save derives."""

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from geodata.models import Commune
from practices.apps import EDITORS_GROUP, MODERATORS_GROUP
from practices.models import ActorRole, PracticeSheet, SheetStatus, Theme
from tests.factories import OrganisationFactory, UserFactory

from .factories import make_sheet, member_centre

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:practices_practicesheet_add")
CHANGELIST_URL = reverse("admin:practices_practicesheet_changelist")


def change_url(sheet: PracticeSheet) -> str:
    return reverse("admin:practices_practicesheet_change", args=[sheet.pk])


def lookup_url(kind: str) -> str:
    return reverse("admin:practices_sheet_lookup", args=[kind])


@pytest.fixture
def editor():
    user = UserFactory(username="redactrice")
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def moderator():
    user = UserFactory(username="moderatrice")
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


@pytest.fixture
def centre(editor):
    centre = member_centre("Centre ressources Rhône")
    centre.editors.add(editor)
    return centre


@pytest.fixture
def other_centre():
    return member_centre("Centre ressources Méditerranée")


@pytest.fixture
def own_sheet(centre):
    return make_sheet(
        "Notre pratique", communes=["69266"], author_centre=centre, status=SheetStatus.DRAFT
    )


@pytest.fixture
def other_sheet(other_centre):
    return make_sheet("Leur pratique", communes=["13055"], author_centre=other_centre)


def form_data(centre, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Cours de français au centre social",
        "slug": "cours-de-francais-au-centre-social",
        "author_centre": centre.pk,
        "themes": [Theme.objects.get(slug="langue").pk],
        "summary": "Des cours **gratuits**.",
        "context": "",
        "goals": "",
        "how_it_works": "",
        "results": "",
        "evaluation": "",
        "beneficiaries": "",
        "funding": "",
        "transferability": "",
        "start_date": "",
        "end_date": "",
        "review_date": "",
        "scope": "communes",
        "communes": [Commune.objects.get(code="69266").pk],
        "department": "",
        "region": "",
        "points": "",
        "places": [],
        "status": "draft",
        "actors-TOTAL_FORMS": "0",
        "actors-INITIAL_FORMS": "0",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
        "_save": "Enregistrer",
    }
    data.update(overrides)
    return data


def change_data(sheet: PracticeSheet, **overrides: Any) -> dict[str, Any]:
    data = form_data(
        sheet.author_centre,
        title=sheet.title,
        themes=[t.pk for t in sheet.themes.all()],
        summary=sheet.summary,
        scope=sheet.scope,
        communes=[c.pk for c in sheet.communes.all()],
        region=sheet.region_id or "",
        status=sheet.status,
    )
    data.pop("slug")
    data.update(overrides)
    return data


# -- groups -------------------------------------------------------------------


def test_groups_get_their_permissions():
    editors = Group.objects.get(name=EDITORS_GROUP)
    moderators = Group.objects.get(name=MODERATORS_GROUP)
    editor_perms = set(editors.permissions.values_list("codename", flat=True))
    assert {"add_practicesheet", "change_practicesheet", "add_sheetactor"} <= editor_perms
    assert "moderate_sheet" not in editor_perms and "delete_practicesheet" not in editor_perms
    assert "place" in " ".join(editor_perms)  # the directory's permissions are kept
    moderator_perms = set(moderators.permissions.values_list("codename", flat=True))
    assert {"moderate_sheet", "delete_practicesheet", "change_theme"} <= moderator_perms


# -- editors ------------------------------------------------------------------


def test_editor_sees_only_her_centres_sheets(client, editor, own_sheet, other_sheet):
    client.force_login(editor)
    response = client.get(CHANGELIST_URL)
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [own_sheet]
    assert client.get(change_url(own_sheet)).status_code == 200
    assert client.get(change_url(other_sheet)).status_code in (302, 403, 404)
    history = reverse("admin:practices_practicesheet_history", args=[other_sheet.pk])
    assert client.get(history).status_code in (302, 403, 404)


def test_editor_writes_only_for_her_member_centres(client, editor, centre, other_centre):
    OrganisationFactory(name="Association où elle édite aussi").editors.add(editor)  # not a centre
    client.force_login(editor)
    form = client.get(ADD_URL).context["adminform"].form
    assert list(form.fields["author_centre"].queryset) == [centre]
    assert [value for value, _label in form.fields["status"].choices] == ["draft", "in_review"]
    response = client.post(ADD_URL, form_data(other_centre))
    assert response.status_code == 200
    assert "author_centre" in response.context["adminform"].form.errors
    assert not PracticeSheet.objects.exists()


def test_editor_without_member_centre_cannot_write(client, editor):
    client.force_login(editor)
    assert client.get(ADD_URL).status_code == 403


def test_editor_adds_a_sheet_and_the_region_and_position_follow(client, editor, centre):
    client.force_login(editor)
    response = client.post(ADD_URL, form_data(centre, status="in_review"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    sheet = PracticeSheet.objects.get()
    assert sheet.status == SheetStatus.IN_REVIEW
    assert sheet.region.code == "84"
    assert sheet.location is not None
    assert sheet.location.distance(Commune.objects.get(code="69266").centre) < 1e-6
    assert sheet.history.first().history_user == editor


def test_changing_the_commune_moves_the_region_and_the_marker(client, editor, own_sheet):
    client.force_login(editor)
    marseille = Commune.objects.get(code="13055")
    response = client.post(change_url(own_sheet), change_data(own_sheet, communes=[marseille.pk]))
    assert response.status_code == 302
    own_sheet.refresh_from_db()
    assert own_sheet.region.code == "93"
    assert own_sheet.location.distance(marseille.centre) < 1e-6


def test_editor_cannot_publish_by_posting_the_status(client, editor, centre, own_sheet):
    client.force_login(editor)
    response = client.post(ADD_URL, form_data(centre, status="published"))
    assert "status" in response.context["adminform"].form.errors
    response = client.post(change_url(own_sheet), change_data(own_sheet, status="published"))
    assert "status" in response.context["adminform"].form.errors
    assert not PracticeSheet.objects.filter(status=SheetStatus.PUBLISHED).exists()


def test_editor_has_no_publish_action(client, editor, own_sheet):
    client.force_login(editor)
    response = client.get(CHANGELIST_URL)
    actions = [name for name, _label in response.context["action_form"].fields["action"].choices]
    assert "publish" not in actions and "submit_for_review" in actions
    client.post(CHANGELIST_URL, {"action": "publish", "_selected_action": [own_sheet.pk]})
    own_sheet.refresh_from_db()
    assert own_sheet.status == SheetStatus.DRAFT
    client.post(CHANGELIST_URL, {"action": "submit_for_review", "_selected_action": [own_sheet.pk]})
    own_sheet.refresh_from_db()
    assert own_sheet.status == SheetStatus.IN_REVIEW


def test_a_published_sheet_stays_published_when_its_editor_corrects_it(client, editor, own_sheet):
    own_sheet.status = SheetStatus.PUBLISHED
    own_sheet.save()
    client.force_login(editor)
    form = client.get(change_url(own_sheet)).context["adminform"].form
    assert "status" not in form.fields  # read-only
    response = client.post(change_url(own_sheet), change_data(own_sheet, summary="Corrigé."))
    assert response.status_code == 302
    own_sheet.refresh_from_db()
    # Held for a moderator (tests/core/test_review.py); a trusted centre's goes live.
    assert own_sheet.summary != "Corrigé." and own_sheet.status == SheetStatus.PUBLISHED
    own_sheet.author_centre.trusted_editors = True
    own_sheet.author_centre.save()
    client.post(change_url(own_sheet), change_data(own_sheet, summary="Corrigé."))
    own_sheet.refresh_from_db()
    assert own_sheet.summary == "Corrigé." and own_sheet.status == SheetStatus.PUBLISHED


def test_editor_names_actors_and_sources_inline(client, editor, centre, own_sheet):
    partner = OrganisationFactory(name="Association partenaire d'un autre centre")
    client.force_login(editor)
    data = change_data(
        own_sheet,
        **{
            "actors-TOTAL_FORMS": "2",
            "actors-0-organisation": partner.pk,
            "actors-0-role": ActorRole.PARTNER,
            "actors-1-organisation": centre.pk,
            "actors-1-role": ActorRole.CARRIER,
            "sources-TOTAL_FORMS": "1",
            "sources-0-url": "www.example.org/fiche",
            "sources-0-label": "Fiche d'origine",
        },
    )
    response = client.post(change_url(own_sheet), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert {(a.organisation, a.role) for a in own_sheet.actors.all()} == {
        (partner, "partner"),
        (centre, "carrier"),
    }
    assert own_sheet.sources.get().url == "https://www.example.org/fiche"


# -- the look-ups of the select2 widgets --------------------------------------------


def test_lookups_find_communes_places_and_any_organisation(client, editor, centre):
    from tests.factories import PlaceFactory

    other = OrganisationFactory(name="Maison des familles")
    PlaceFactory(name="Maison des familles — Gratte-Ciel", organisation=other)
    client.force_login(editor)
    communes = client.get(lookup_url("communes"), {"term": "villeurb"}).json()
    assert communes["results"][0]["text"] == "Villeurbanne (69)"
    places = client.get(lookup_url("places"), {"term": "gratte"}).json()
    assert [r["text"] for r in places["results"]] == [
        "Maison des familles — Gratte-Ciel — Villeurbanne"
    ]
    organisations = client.get(lookup_url("organisations"), {"term": "familles"}).json()
    assert [r["text"] for r in organisations["results"]] == ["Maison des familles"]
    many = client.get(lookup_url("communes"), {"term": "saint"}).json()
    assert len(many["results"]) == 20 and many["pagination"]["more"] is True
    assert client.get(lookup_url("nothing"), {"term": "x"}).status_code == 404


def test_lookups_are_for_writers_only(client, centre):
    assert client.get(lookup_url("communes"), {"term": "lyon"}).status_code == 302  # to login
    client.force_login(UserFactory(username="sans-droits"))
    assert client.get(lookup_url("communes"), {"term": "lyon"}).status_code == 403


# -- moderators ---------------------------------------------------------------------


def test_moderator_sees_everything_and_publishes(client, moderator, own_sheet, other_sheet):
    client.force_login(moderator)
    response = client.get(CHANGELIST_URL)
    assert set(response.context["cl"].queryset) == {own_sheet, other_sheet}
    response = client.post(
        CHANGELIST_URL, {"action": "publish", "_selected_action": [own_sheet.pk]}, follow=True
    )
    assert "1 fiche publiée." in response.content.decode()
    own_sheet.refresh_from_db()
    assert own_sheet.status == SheetStatus.PUBLISHED
    assert own_sheet.history.first().history_change_reason == "Publiée"
    assert client.get(own_sheet.get_absolute_url()).status_code == 200


def test_moderator_sets_any_status_in_the_form(client, moderator, own_sheet):
    client.force_login(moderator)
    form = client.get(change_url(own_sheet)).context["adminform"].form
    assert [v for v, _label in form.fields["status"].choices] == [
        "draft",
        "in_review",
        "published",
    ]
    client.post(change_url(own_sheet), change_data(own_sheet, status="published"))
    own_sheet.refresh_from_db()
    assert own_sheet.status == SheetStatus.PUBLISHED


def test_scope_and_area_must_agree(client, moderator, centre):
    client.force_login(moderator)
    response = client.post(ADD_URL, form_data(centre, communes=[]))
    assert "communes" in response.context["adminform"].form.errors
    response = client.post(ADD_URL, form_data(centre, scope="region", communes=[]))
    assert "region" in response.context["adminform"].form.errors
    response = client.post(ADD_URL, form_data(centre, scope="national", communes=[], region=""))
    assert response.status_code == 302
    sheet = PracticeSheet.objects.get()
    assert sheet.region is None and sheet.location is None
