"""Who may do what with practice sheets: every role against every rule, with and without a sheet.

Then the SQL side: a rule holds on a row exactly when it holds without one and the
row is in `editable_sheets` / `author_centres`. An organisation that left the
network (no longer a member centre) writes no sheets: its editors lose its
sheets, in the admin's list as in its object checks.
"""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse

from core.roles import EDITORS_GROUP, MODERATORS_GROUP
from directory.models import Organisation
from practices.models import PracticeSheet, SheetStatus
from practices.rules import (
    EDITOR_PERMISSIONS,
    author_centres,
    editable_sheets,
    is_member_centre,
    is_moderator_or_centre_editor,
)
from practices.selectors import editable_sheets as selectors_editable_sheets
from tests.factories import UserFactory

from .factories import make_sheet, member_centre
from .test_admin import change_data

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "staff",  # staff account in no group and no organisation
    "editor",  # editors group, edits for member centre A
    "lapsed",  # editors group, edits for N, which is no longer a member centre
    "no_group",  # edits for A, but her account is in no group
    "moderator",  # moderators group
    "superuser",
    "inactive",  # was an editor of A and a moderator; her account is closed
)

# What has_perm answers: without an object / on A's sheet / on B's / on N's (N left the
# network). For add_practicesheet the object is the author centre: A, B or N.
# "y" allowed, "-" refused. Seeing one's own drafts needs no grant (no_group); writing
# needs the group's. An active superuser passes every has_perm (Django's rule).
# One cell per role, in the order of ROLES.
TABLE = {
    "view_draft_practicesheet": ("----", "----", "yy--", "----", "yy--", "yyyy", "yyyy", "----"),
    "add_practicesheet": ("----", "----", "yy--", "y---", "----", "yyy-", "yyyy", "----"),
    "change_practicesheet": ("----", "----", "yy--", "y---", "----", "yyyy", "yyyy", "----"),
    "delete_practicesheet": ("----", "----", "----", "----", "----", "yyyy", "yyyy", "----"),
    "publish_practicesheet": ("----", "----", "----", "----", "----", "yyyy", "yyyy", "----"),
    "restore_practicesheet_version": (
        "----",
        "----",
        "yy--",
        "y---",
        "----",
        "yyyy",
        "yyyy",
        "----",
    ),
}
TARGETS = ("model", "A", "B", "N")


@pytest.fixture
def world():
    """Member centres A and B, N that left the network, a sheet of each, one user per role."""
    a = member_centre("Centre A")
    b = member_centre("Centre B")
    n = member_centre("Centre N")
    sheets = {
        "A": make_sheet("Pratique de A", status=SheetStatus.DRAFT, author_centre=a),
        "B": make_sheet("Pratique de B", status=SheetStatus.IN_REVIEW, author_centre=b),
        "N": make_sheet("Pratique de N", status=SheetStatus.DRAFT, author_centre=n),
    }
    n.is_member_centre = False
    n.save()
    editors = Group.objects.get(name=EDITORS_GROUP)
    moderators = Group.objects.get(name=MODERATORS_GROUP)
    users = {
        "anonymous": AnonymousUser(),
        "staff": UserFactory(username="personnel"),
        "editor": UserFactory(username="redactrice"),
        "lapsed": UserFactory(username="ancienne"),
        "no_group": UserFactory(username="sans-groupe"),
        "moderator": UserFactory(username="moderatrice"),
        "superuser": UserFactory(username="admin", is_superuser=True),
        "inactive": UserFactory(username="partie", is_active=False),
    }
    users["editor"].groups.add(editors)
    users["lapsed"].groups.add(editors)
    users["moderator"].groups.add(moderators)
    users["inactive"].groups.add(editors, moderators)
    a.editors.add(users["editor"], users["no_group"], users["inactive"])
    n.editors.add(users["lapsed"])
    return {"users": users, "sheets": sheets, "centres": {"A": a, "B": b, "N": n}}


@pytest.mark.parametrize("action", TABLE)
@pytest.mark.parametrize("role", ROLES)
def test_rule_table(world, role, action):
    user = world["users"][role]
    rows = world["centres"] if action == "add_practicesheet" else world["sheets"]
    perm = f"practices.{action}"
    answers = {"model": user.has_perm(perm)}
    answers.update({key: user.has_perm(perm, rows[key]) for key in ("A", "B", "N")})
    cells = TABLE[action][ROLES.index(role)]
    assert answers == {target: cell == "y" for target, cell in zip(TARGETS, cells, strict=True)}


@pytest.mark.parametrize("role", ROLES)
def test_sql_side_holds_exactly_what_the_rules_allow(world, role):
    user = world["users"][role]
    sheets = set(editable_sheets(user))
    assert set(selectors_editable_sheets(user)) == sheets  # the name other code imports
    centres = set(author_centres(user))
    # Whose rows: the SQL and the predicate agree on every row, whatever her grants.
    everything = PracticeSheet.objects.all()
    assert sheets == {
        s for s in everything if user.has_perm("practices.view_draft_practicesheet", s)
    }
    writes_for = is_member_centre & is_moderator_or_centre_editor
    assert centres == {o for o in Organisation.objects.all() if writes_for.test(user, o)}
    # Each rule: that, provided it holds without an object.
    for action in TABLE:
        perm = f"practices.{action}"
        if action == "add_practicesheet":
            # The rule itself: Django's has_perm() lets an active superuser write for N
            # too, which the model refuses (author centres are member centres).
            allowed = {o for o in Organisation.objects.all() if rules.has_perm(perm, user, o)}
            in_sql = centres
        else:
            allowed = {s for s in PracticeSheet.objects.all() if user.has_perm(perm, s)}
            in_sql = sheets
        assert allowed == (in_sql if user.has_perm(perm) else set()), action


def test_editors_get_the_practices_codenames_declared_in_the_rules():
    editors = Group.objects.get(name=EDITORS_GROUP)
    codenames = editors.permissions.filter(content_type__app_label="practices")
    assert set(codenames.values_list("codename", flat=True)) == set(EDITOR_PERMISSIONS)


# -- the admin and the pages ask the rules ------------------------------------------------


def history_url(sheet: PracticeSheet, version) -> str:
    return reverse("admin:practices_practicesheet_simple_history", args=[sheet.pk, version.pk])


def test_an_editor_whose_organisation_left_the_network_loses_its_sheets(client, world):
    sheet = world["sheets"]["N"]
    client.force_login(world["users"]["lapsed"])
    changelist = client.get(reverse("admin:practices_practicesheet_changelist"))
    assert list(changelist.context["cl"].queryset) == []
    change = reverse("admin:practices_practicesheet_change", args=[sheet.pk])
    assert client.get(change).status_code == 302  # "does not exist" for her
    assert client.get(sheet.get_absolute_url()).status_code == 404  # no preview of the draft either


def test_editor_cannot_open_or_restore_a_version_of_a_sheet_no_longer_hers(client, world):
    sheet = world["sheets"]["A"]
    old_version = sheet.history.latest("history_date")
    sheet.author_centre = world["centres"]["B"]  # a moderator hands it to another centre
    sheet.save()
    client.force_login(world["users"]["editor"])
    url = history_url(sheet, old_version)
    assert client.get(url).status_code == 403
    response = client.post(url, {**change_data(sheet), "_change_history": "1"})
    assert response.status_code == 403
    sheet.refresh_from_db()
    assert sheet.author_centre == world["centres"]["B"]


def test_editor_restores_an_old_version_of_her_own_sheet(client, world):
    sheet = world["sheets"]["A"]
    old_version = sheet.history.latest("history_date")
    sheet.title = "Titre changé"
    sheet.save()
    client.force_login(world["users"]["editor"])
    url = history_url(sheet, old_version)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {**change_data(sheet, title="Pratique de A"), "_change_history": "1"}
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.title == "Pratique de A"
    assert sheet.status == SheetStatus.DRAFT


def test_moving_a_published_sheet_back_to_draft_asks_the_publish_rule(client, world):
    sheet = world["sheets"]["A"]
    sheet.status = SheetStatus.PUBLISHED
    sheet.save()
    changelist = reverse("admin:practices_practicesheet_changelist")
    back = {"action": "back_to_draft", "_selected_action": [sheet.pk]}
    client.force_login(world["users"]["editor"])
    client.post(changelist, back)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.PUBLISHED
    client.force_login(world["users"]["moderator"])
    client.post(changelist, back)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT
