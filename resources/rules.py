"""Who may do what with notices and bibliographies: the practice sheets' rules, for the
documentary base (practices/rules.py explains the two halves of a rule).

An editor of a member centre writes and changes her centre's notices and bibliographies
(draft, in review); a moderator — superuser, or holder of `resources.moderate_notice` —
publishes. `editable_notices`/`editable_bibliographies`/`editable_watch_items` are the same in SQL.
The press watch's items follow the same rules.
"""

from __future__ import annotations

import rules
from django.db.models import QuerySet

from core.roles import has_model_perm, without_object
from directory.models import Organisation
from directory.rules import (
    centres_written_for,
    is_author_centre_editor,
    is_member_centre,
    written_by_her_centres,
)

from .models import Bibliography, Notice, WatchItem

EDITOR_PERMISSIONS = (
    "view_notice",
    "add_notice",
    "change_notice",
    "view_historicalnotice",
    "view_noticeauthor",
    "add_noticeauthor",
    "change_noticeauthor",
    "delete_noticeauthor",
    "view_bibliography",
    "add_bibliography",
    "change_bibliography",
    "view_historicalbibliography",
    "view_bibliographyentry",
    "add_bibliographyentry",
    "change_bibliographyentry",
    "delete_bibliographyentry",
    "view_watchitem",
    "add_watchitem",
    "change_watchitem",
    "view_historicalwatchitem",
)

is_moderator = has_model_perm("resources.moderate_notice")


is_centre_editor = is_author_centre_editor

is_moderator_or_centre_editor = is_moderator | is_centre_editor


def _write(*perms: str) -> rules.Predicate:
    return has_model_perm(*perms) & (without_object | is_moderator_or_centre_editor)


def _add(perm: str) -> rules.Predicate:
    return has_model_perm(perm) & (
        without_object | (is_member_centre & is_moderator_or_centre_editor)
    )


for model in ("notice", "bibliography", "watchitem"):
    change = _write(f"resources.change_{model}")
    rules.add_perm(f"resources.view_draft_{model}", is_moderator_or_centre_editor)
    rules.add_perm(f"resources.add_{model}", _add(f"resources.add_{model}"))
    rules.add_perm(f"resources.change_{model}", change)
    rules.add_perm(f"resources.delete_{model}", _write(f"resources.delete_{model}"))
    rules.add_perm(f"resources.publish_{model}", is_moderator)
    rules.add_perm(f"resources.restore_{model}_version", change)


def author_centres(user) -> QuerySet[Organisation]:
    return centres_written_for(user, is_moderator)


def _editable(model, user):
    return written_by_her_centres(model, user, is_moderator)


def editable_notices(user) -> QuerySet[Notice]:
    """`resources.view_draft_notice` in SQL."""
    return _editable(Notice, user)


def editable_bibliographies(user) -> QuerySet[Bibliography]:
    return _editable(Bibliography, user)


def editable_watch_items(user) -> QuerySet[WatchItem]:
    """`resources.view_draft_watchitem` in SQL."""
    return _editable(WatchItem, user)
