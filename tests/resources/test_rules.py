"""Who may do what with notices and bibliographies: the practice sheets' table, for the
documentary base, and its SQL side (editable_notices, author_centres)."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from core.roles import EDITORS_GROUP, MODERATORS_GROUP
from resources.models import Bibliography, Notice, NoticeStatus
from resources.rules import EDITOR_PERMISSIONS, editable_bibliographies, editable_notices
from tests.factories import UserFactory
from tests.practices.factories import member_centre

from .factories import make_bibliography, make_notice

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "staff", "editor", "lapsed", "moderator", "superuser", "inactive")
# Without an object / on A's entry / on B's / on N's (N left the network); "y" allowed.
TABLE = {
    "view_draft_notice": ("----", "----", "yy--", "----", "yyyy", "yyyy", "----"),
    "add_notice": ("----", "----", "yy--", "y---", "yyy-", "yyyy", "----"),
    "change_notice": ("----", "----", "yy--", "y---", "yyyy", "yyyy", "----"),
    "delete_notice": ("----", "----", "----", "----", "yyyy", "yyyy", "----"),
    "publish_notice": ("----", "----", "----", "----", "yyyy", "yyyy", "----"),
    "restore_notice_version": ("----", "----", "yy--", "y---", "yyyy", "yyyy", "----"),
    "change_bibliography": ("----", "----", "yy--", "y---", "yyyy", "yyyy", "----"),
    "publish_bibliography": ("----", "----", "----", "----", "yyyy", "yyyy", "----"),
}


@pytest.fixture
def world():
    a, b, n = member_centre("Centre A"), member_centre("Centre B"), member_centre("Centre N")
    notices = {
        "A": make_notice("Notice de A", status=NoticeStatus.DRAFT, author_centre=a),
        "B": make_notice("Notice de B", status=NoticeStatus.IN_REVIEW, author_centre=b),
        "N": make_notice("Notice de N", status=NoticeStatus.DRAFT, author_centre=n),
    }
    bibliographies = {
        key: make_bibliography(f"Bibliographie {key}", [n]) for key, n in notices.items()
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
        "moderator": UserFactory(username="moderatrice"),
        "superuser": UserFactory(username="admin", is_superuser=True),
        "inactive": UserFactory(username="partie", is_active=False),
    }
    users["editor"].groups.add(editors)
    users["lapsed"].groups.add(editors)
    users["moderator"].groups.add(moderators)
    users["inactive"].groups.add(editors, moderators)
    a.editors.add(users["editor"], users["inactive"])
    n.editors.add(users["lapsed"])
    centres = {"A": a, "B": b, "N": n}
    return {
        "users": users,
        "notices": notices,
        "bibliographies": bibliographies,
        "centres": centres,
    }


@pytest.mark.parametrize("action", TABLE)
@pytest.mark.parametrize("role", ROLES)
def test_rule_table(world, role, action):
    user = world["users"][role]
    if action.startswith("add_"):
        rows = world["centres"]
    elif action.endswith("bibliography"):
        rows = world["bibliographies"]
    else:
        rows = world["notices"]
    perm = f"resources.{action}"
    answers = {"model": user.has_perm(perm)}
    answers.update({key: user.has_perm(perm, rows[key]) for key in ("A", "B", "N")})
    cells = TABLE[action][ROLES.index(role)]
    assert answers == {t: c == "y" for t, c in zip(("model", "A", "B", "N"), cells, strict=True)}


@pytest.mark.parametrize("role", ROLES)
def test_sql_side_matches_the_rule(world, role):
    user = world["users"][role]
    assert set(editable_notices(user)) == {
        n for n in Notice.objects.all() if user.has_perm("resources.view_draft_notice", n)
    }
    assert set(editable_bibliographies(user)) == {
        b
        for b in Bibliography.objects.all()
        if user.has_perm("resources.view_draft_bibliography", b)
    }


def test_editors_group_gets_the_declared_permissions_only():
    granted = set(
        Group.objects.get(name=EDITORS_GROUP)
        .permissions.filter(content_type__app_label="resources")
        .values_list("codename", flat=True)
    )
    assert granted == set(EDITOR_PERMISSIONS)
    assert "moderate_notice" in set(
        Group.objects.get(name=MODERATORS_GROUP).permissions.values_list("codename", flat=True)
    )
