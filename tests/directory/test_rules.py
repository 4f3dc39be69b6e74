"""Who may do what in the directory: every role against every rule, with and without a row.

Then the SQL side: a rule holds on a row exactly when it holds without one and the
row is in `editable_places` / `editor_organisations`, so the admin's lists and its
object checks cannot disagree.
"""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse

from core.roles import EDITORS_GROUP, MODERATORS_GROUP
from directory.models import Organisation, Place, Status
from directory.rules import editable_places, editor_organisations, is_moderator_or_editor
from directory.selectors import editable_places as selectors_editable_places
from tests.factories import OrganisationFactory, PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "staff",  # staff account in no group and no organisation
    "editor",  # editors group, edits for organisation A
    "no_group",  # edits for organisation A, but her account is in no group
    "moderator",  # moderators group
    "superuser",
    "inactive",  # was an editor of A and a moderator; her account is closed
)

# What has_perm answers: without an object / on organisation A's row / on B's row.
# "y" allowed, "-" refused. Places are A's or B's; organisations are A and B.
# Seeing one's own drafts needs no grant (no_group); writing needs the group's.
# One cell per role, in the order of ROLES.
TABLE = {
    "view_draft_place": ("---", "---", "yy-", "yy-", "yyy", "yyy", "---"),
    "add_place": ("---", "---", "yy-", "---", "yyy", "yyy", "---"),  # object: the organisation
    "change_place": ("---", "---", "yy-", "---", "yyy", "yyy", "---"),
    "delete_place": ("---", "---", "---", "---", "yyy", "yyy", "---"),
    "publish_place": ("---", "---", "---", "---", "yyy", "yyy", "---"),
    "archive_place": ("---", "---", "---", "---", "yyy", "yyy", "---"),
    "restore_place_version": ("---", "---", "yy-", "---", "yyy", "yyy", "---"),
    "view_organisation": ("---", "---", "yy-", "---", "yyy", "yyy", "---"),
    "change_organisation": ("---", "---", "---", "---", "yyy", "yyy", "---"),
    "delete_organisation": ("---", "---", "---", "---", "yyy", "yyy", "---"),
    "moderate_organisation": ("---", "---", "---", "---", "yyy", "yyy", "---"),
    # Editors may not change their organisation, so neither its embedding domains.
    "manage_embed_domains": ("---", "---", "---", "---", "yyy", "yyy", "---"),
    "restore_organisation_version": ("---", "---", "---", "---", "yyy", "yyy", "---"),
}
PLACE_RULES = {"view_draft_place", "change_place", "delete_place", "publish_place"}
PLACE_RULES |= {"archive_place", "restore_place_version"}


@pytest.fixture
def world():
    """Organisations A and B, a draft place of each, and one user per role."""
    a = OrganisationFactory(name="Organisation A")
    b = OrganisationFactory(name="Organisation B")
    editors = Group.objects.get(name=EDITORS_GROUP)
    moderators = Group.objects.get(name=MODERATORS_GROUP)
    users = {
        "anonymous": AnonymousUser(),
        "staff": UserFactory(username="personnel"),
        "editor": UserFactory(username="editrice"),
        "no_group": UserFactory(username="sans-groupe"),
        "moderator": UserFactory(username="moderatrice"),
        "superuser": UserFactory(username="admin", is_superuser=True),
        "inactive": UserFactory(username="partie", is_active=False),
    }
    users["editor"].groups.add(editors)
    users["moderator"].groups.add(moderators)
    users["inactive"].groups.add(editors, moderators)
    a.editors.add(users["editor"], users["no_group"], users["inactive"])
    places = {
        "own": PlaceFactory(name="Lieu de A", organisation=a, status=Status.DRAFT),
        "other": PlaceFactory(name="Lieu de B", organisation=b, lon=5.37, lat=43.30),
    }
    return {"users": users, "places": places, "organisations": {"own": a, "other": b}}


@pytest.mark.parametrize("action", TABLE)
@pytest.mark.parametrize("role", ROLES)
def test_rule_table(world, role, action):
    user = world["users"][role]
    rows = world["places"] if action in PLACE_RULES else world["organisations"]
    expected = dict(zip(("model", "own", "other"), TABLE[action][ROLES.index(role)], strict=True))
    answers = {
        "model": user.has_perm(f"directory.{action}"),
        "own": user.has_perm(f"directory.{action}", rows["own"]),
        "other": user.has_perm(f"directory.{action}", rows["other"]),
    }
    assert answers == {target: cell == "y" for target, cell in expected.items()}


@pytest.mark.parametrize("role", ROLES)
def test_sql_side_holds_exactly_what_the_rules_allow(world, role):
    user = world["users"][role]
    places = set(editable_places(user))
    assert set(selectors_editable_places(user)) == places  # the name other code imports
    organisations = set(editor_organisations(user))
    # Whose rows: the SQL and the predicate agree on every row, whatever her grants.
    assert places == {
        p for p in Place.objects.all() if user.has_perm("directory.view_draft_place", p)
    }
    assert organisations == {
        o for o in Organisation.objects.all() if is_moderator_or_editor.test(user, o)
    }
    # Each rule: that, provided it holds without an object.
    for action in TABLE:
        perm = f"directory.{action}"
        in_sql = places if action in PLACE_RULES else organisations
        rows = Place.objects.all() if action in PLACE_RULES else Organisation.objects.all()
        allowed = {row for row in rows if user.has_perm(perm, row)}
        assert allowed == (in_sql if user.has_perm(perm) else set()), action


def test_rows_read_from_history_are_judged_by_their_organisation(world):
    editor = world["users"]["editor"]
    place = world["places"]["own"]
    old = place.history.latest("history_date").instance
    place.organisation = world["organisations"]["other"]
    place.save()
    assert editor.has_perm("directory.change_place", old)  # the version was hers...
    assert not editor.has_perm("directory.restore_place_version", place)  # ...the place is not


# -- the admin asks the rules -----------------------------------------------------------


@pytest.fixture
def swap_rule():
    """Replace a rule for one test, to show that a view asks that very rule."""
    saved = {}

    def swap(name, predicate):
        saved.setdefault(name, rules.permissions.permissions[name])
        rules.set_perm(name, predicate)

    yield swap
    for name, predicate in saved.items():
        rules.set_perm(name, predicate)


def test_editor_is_refused_another_organisations_place(client, world):
    client.force_login(world["users"]["editor"])
    other = world["places"]["other"]
    assert client.get(reverse("admin:directory_place_change", args=[other.pk])).status_code == 302
    assert client.get(reverse("admin:directory_place_history", args=[other.pk])).status_code == 403
    own = world["places"]["own"]
    assert client.get(reverse("admin:directory_place_change", args=[own.pk])).status_code == 200


def test_restoring_a_version_asks_the_restore_rule_on_the_current_row(client, world, swap_rule):
    moderator = world["users"]["moderator"]
    place = world["places"]["own"]
    old_version = place.history.latest("history_date")
    place.name = "Nom changé"
    place.save()
    url = reverse("admin:directory_place_simple_history", args=[place.pk, old_version.pk])
    client.force_login(moderator)
    swap_rule("directory.restore_place_version", rules.always_deny)
    assert client.get(url).status_code == 200  # seeing an old version is not restoring it
    assert client.post(url, {"_change_history": "1"}).status_code == 403
    place.refresh_from_db()
    assert place.name == "Nom changé"


def test_status_field_and_actions_follow_the_publish_and_archive_rules(client, world, swap_rule):
    client.force_login(world["users"]["moderator"])
    place = world["places"]["own"]
    changelist = reverse("admin:directory_place_changelist")
    change = reverse("admin:directory_place_change", args=[place.pk])
    actions = client.get(changelist).context["action_form"].fields["action"].choices
    assert {"publish", "archive"} <= {name for name, _label in actions}
    assert "status" in client.get(change).context["adminform"].form.fields

    swap_rule("directory.publish_place", rules.always_deny)
    actions = client.get(changelist).context["action_form"].fields["action"].choices
    assert "publish" not in {name for name, _label in actions}
    assert "archive" in {name for name, _label in actions}
    assert "status" not in client.get(change).context["adminform"].form.fields
