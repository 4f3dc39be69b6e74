"""Who may reach what through the admin: role × action × own/other object, in one table.

Roles: an anonymous visitor, the editor of organisation A (a member centre), a network
moderator. Objects: A's and B's places (draft, published, archived), practice sheets and
organisations; "own" is A's, "other" B's. Actions:

- view_on_site: the admin's « Voir sur le site » shortcut, /admin/r/<content type>/<id>/;
- sheet_lookup: the practice sheet form's own look-up of places (select2);
- autocomplete: Django's admin autocomplete for the sheet's `places` field;
- field_choice: a practice sheet saved with the place among its `places`;
- change_page: the object's change page in the admin.

A draft or archived place of another organisation must never be reachable by the editor,
not even by name.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.urls import reverse

from core.roles import EDITORS_GROUP, MODERATORS_GROUP
from directory.models import Status
from geodata.models import Commune
from practices.models import PracticeSheet, SheetStatus, Theme
from tests.factories import OrganisationFactory, PlaceFactory, UserFactory
from tests.practices.factories import make_sheet

pytestmark = pytest.mark.django_db

# Outcomes
REDIRECT = "redirect to the object's page"
NOT_FOUND = "404"
LOGIN = "redirect to the login page"
LISTED = "listed"
NOT_LISTED = "not listed"
ACCEPTED = "accepted"
REFUSED = "refused"
OPEN = "opens"
CLOSED = "does not open"

ROLES = ("anonymous", "editor", "moderator")

PLACES = (
    "own_draft_place",
    "own_published_place",
    "other_draft_place",
    "other_published_place",
    "other_archived_place",
)
OTHERS = ("own_draft_sheet", "other_draft_sheet", "own_organisation", "other_organisation")

#: action -> target -> (anonymous, editor, moderator)
TABLE: dict[str, dict[str, tuple[str, str, str]]] = {
    "view_on_site": {
        "own_draft_place": (LOGIN, REDIRECT, REDIRECT),
        "own_published_place": (LOGIN, REDIRECT, REDIRECT),
        "other_draft_place": (LOGIN, NOT_FOUND, REDIRECT),
        "other_published_place": (LOGIN, NOT_FOUND, REDIRECT),
        "other_archived_place": (LOGIN, NOT_FOUND, REDIRECT),
        "own_draft_sheet": (LOGIN, REDIRECT, REDIRECT),
        "other_draft_sheet": (LOGIN, NOT_FOUND, REDIRECT),
        "own_organisation": (LOGIN, REDIRECT, REDIRECT),
        "other_organisation": (LOGIN, NOT_FOUND, REDIRECT),
    },
    "sheet_lookup": {
        "own_draft_place": (LOGIN, LISTED, LISTED),
        "own_published_place": (LOGIN, LISTED, LISTED),
        "other_draft_place": (LOGIN, NOT_LISTED, LISTED),
        "other_published_place": (LOGIN, LISTED, LISTED),
        "other_archived_place": (LOGIN, NOT_LISTED, LISTED),
    },
    "autocomplete": {
        # The places admin's own list: an editor's organisations' places only.
        "own_draft_place": (LOGIN, LISTED, LISTED),
        "own_published_place": (LOGIN, LISTED, LISTED),
        "other_draft_place": (LOGIN, NOT_LISTED, LISTED),
        "other_published_place": (LOGIN, NOT_LISTED, LISTED),
        "other_archived_place": (LOGIN, NOT_LISTED, LISTED),
    },
    "field_choice": {
        "own_draft_place": (LOGIN, ACCEPTED, ACCEPTED),
        "own_published_place": (LOGIN, ACCEPTED, ACCEPTED),
        "other_draft_place": (LOGIN, REFUSED, ACCEPTED),
        "other_published_place": (LOGIN, ACCEPTED, ACCEPTED),
        "other_archived_place": (LOGIN, REFUSED, ACCEPTED),
    },
    "change_page": {
        "own_draft_place": (LOGIN, OPEN, OPEN),
        "own_published_place": (LOGIN, OPEN, OPEN),
        "other_draft_place": (LOGIN, CLOSED, OPEN),
        "other_published_place": (LOGIN, CLOSED, OPEN),
        "other_archived_place": (LOGIN, CLOSED, OPEN),
        "own_draft_sheet": (LOGIN, OPEN, OPEN),
        "other_draft_sheet": (LOGIN, CLOSED, OPEN),
        "own_organisation": (LOGIN, OPEN, OPEN),
        "other_organisation": (LOGIN, CLOSED, OPEN),
    },
}

CASES = [
    pytest.param(role, action, target, expected[ROLES.index(role)], id=f"{role}-{action}-{target}")
    for action, targets in TABLE.items()
    for target, expected in targets.items()
    for role in ROLES
]


def test_the_table_covers_every_role_action_and_object():
    for action, targets in TABLE.items():
        wanted = PLACES + OTHERS if action in ("view_on_site", "change_page") else PLACES
        assert tuple(targets) == wanted, action
        assert all(len(row) == len(ROLES) for row in targets.values())


@dataclass
class World:
    editor: object
    moderator: object
    centre_a: object
    objects: dict[str, Model]


@pytest.fixture
def world() -> World:
    editor = UserFactory(username="editrice-a")
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    moderator = UserFactory(username="moderatrice")
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    centre_a = OrganisationFactory(name="Centre A", is_member_centre=True)
    centre_a.editors.add(editor)
    centre_b = OrganisationFactory(name="Centre B", is_member_centre=True)

    def place(name: str, organisation, status: str):
        return PlaceFactory(name=f"Zorglub {name}", organisation=organisation, status=status)

    objects = {
        "own_draft_place": place("brouillon A", centre_a, Status.DRAFT),
        "own_published_place": place("publié A", centre_a, Status.PUBLISHED),
        "other_draft_place": place("brouillon B", centre_b, Status.DRAFT),
        "other_published_place": place("publié B", centre_b, Status.PUBLISHED),
        "other_archived_place": place("archivé B", centre_b, Status.ARCHIVED),
        "own_draft_sheet": make_sheet(
            "Fiche A", author_centre=centre_a, status=SheetStatus.DRAFT, communes=["69266"]
        ),
        "other_draft_sheet": make_sheet(
            "Fiche B", author_centre=centre_b, status=SheetStatus.DRAFT, communes=["13055"]
        ),
        "own_organisation": centre_a,
        "other_organisation": centre_b,
    }
    return World(editor=editor, moderator=moderator, centre_a=centre_a, objects=objects)


def _name(obj: Model) -> str:
    return getattr(obj, "name", None) or obj.title


def _is_login(response) -> bool:
    return response.status_code == 302 and "/admin/login/" in response["Location"]


def view_on_site(client, world: World, obj: Model) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    response = client.get(reverse("admin:view_on_site", args=[content_type.pk, obj.pk]))
    if _is_login(response):
        return LOGIN
    if response.status_code == 404:
        assert _name(obj) not in response.content.decode()
        return NOT_FOUND
    assert response.status_code == 302, response.status_code
    assert response["Location"].endswith(obj.get_absolute_url())
    return REDIRECT


def _listed(response, obj: Model) -> str:
    if _is_login(response):
        return LOGIN
    assert response.status_code == 200, response.status_code
    texts = [row["text"] for row in response.json()["results"]]
    ids = [row["id"] for row in response.json()["results"]]
    assert len(texts) >= 1  # the editor's own places at least match the term
    if str(obj.pk) in ids:
        return LISTED
    assert not any(obj.name in text for text in texts)
    return NOT_LISTED


def sheet_lookup(client, world: World, obj: Model) -> str:
    url = reverse("admin:practices_sheet_lookup", args=["places"])
    return _listed(client.get(url, {"term": "zorglub"}), obj)


def autocomplete(client, world: World, obj: Model) -> str:
    query = {
        "app_label": "practices",
        "model_name": "practicesheet",
        "field_name": "places",
        "term": "zorglub",
    }
    return _listed(client.get(reverse("admin:autocomplete"), query), obj)


def field_choice(client, world: World, obj: Model) -> str:
    add_url = reverse("admin:practices_practicesheet_add")
    page = client.get(add_url)
    if _is_login(page):
        return LOGIN
    choices = page.context["adminform"].form.fields["places"].queryset
    data = {
        "title": "Fiche qui nomme un lieu",
        "slug": "fiche-qui-nomme-un-lieu",
        "author_centre": world.centre_a.pk,
        "themes": [Theme.objects.get(slug="langue").pk],
        "summary": "Un résumé.",
        "scope": "communes",
        "communes": [Commune.objects.get(code="69266").pk],
        "places": [obj.pk],
        "status": "draft",
        "actors-TOTAL_FORMS": "0",
        "actors-INITIAL_FORMS": "0",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
        "_save": "Enregistrer",
    }
    response = client.post(add_url, data)
    if response.status_code == 302:
        sheet = PracticeSheet.objects.get(slug="fiche-qui-nomme-un-lieu")
        assert list(sheet.places.all()) == [obj]
        assert choices.filter(pk=obj.pk).exists()
        return ACCEPTED
    assert response.status_code == 200
    assert "places" in response.context["adminform"].form.errors
    assert not choices.filter(pk=obj.pk).exists()
    assert not PracticeSheet.objects.filter(slug="fiche-qui-nomme-un-lieu").exists()
    return REFUSED


def change_page(client, world: World, obj: Model) -> str:
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    response = client.get(url, follow=False)
    if _is_login(response):
        return LOGIN
    if response.status_code == 200:
        return OPEN
    # The admin answers an object outside her queryset as if it did not exist.
    assert response.status_code in (302, 403, 404)
    assert _name(obj) not in client.get(url, follow=True).content.decode()
    return CLOSED


ACTIONS = {
    "view_on_site": view_on_site,
    "sheet_lookup": sheet_lookup,
    "autocomplete": autocomplete,
    "field_choice": field_choice,
    "change_page": change_page,
}


@pytest.mark.parametrize(("role", "action", "target", "expected"), CASES)
def test_permission_table(client, world, role, action, target, expected):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    assert ACTIONS[action](client, world, world.objects[target]) == expected


def test_an_editors_sheet_does_not_name_a_hidden_place_and_keeps_it(client, world):
    """A moderator linked B's draft place to A's sheet: the editor does not see its name on
    her sheet's page, and saving her sheet keeps the link."""
    sheet = world.objects["own_draft_sheet"]
    hidden = world.objects["other_draft_place"]
    visible = world.objects["other_published_place"]
    sheet.places.set([hidden, visible])
    client.force_login(world.editor)
    url = reverse("admin:practices_practicesheet_change", args=[sheet.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert visible.name in html
    assert hidden.name not in html
    data = {
        "title": sheet.title,
        "author_centre": world.centre_a.pk,
        "themes": [t.pk for t in sheet.themes.all()],
        "summary": sheet.summary,
        "scope": sheet.scope,
        "communes": [c.pk for c in sheet.communes.all()],
        "places": [visible.pk],
        "status": "draft",
        "actors-TOTAL_FORMS": "0",
        "actors-INITIAL_FORMS": "0",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
        "_save": "Enregistrer",
    }
    assert client.post(url, data).status_code == 302
    assert set(sheet.places.all()) == {hidden, visible}
