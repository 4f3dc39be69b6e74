"""Who may do what with practice sheets: one rule per action, for the admin and any other view.

Ask with `user.has_perm("practices.change_practicesheet", sheet)`. As in
directory/rules.py, two halves make a rule: whose sheet it is (a moderator's —
superuser, or holder of `practices.moderate_sheet` — or, for an editor, one
written by a member centre she edits for) and, for writes, the model permission
her group grants (core/roles.py); without an object a rule named after a model
permission answers as that permission does. An organisation that is not (or no
longer) a member centre writes no sheets: its editors do not touch those it wrote.

`view_draft_practicesheet` is the first half alone (authors preview their drafts).
`editable_sheets` and `author_centres` are that half in SQL: a rule holds on a row
exactly when it holds without one and the row is in them
(tests/practices/test_rules.py checks it for every role).
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

from .models import PracticeSheet

# What a member centre's editor may do; which sheets: the rules below.
EDITOR_PERMISSIONS = (
    "view_practicesheet",
    "add_practicesheet",
    "change_practicesheet",
    "view_historicalpracticesheet",
    "view_sheetactor",
    "add_sheetactor",
    "change_sheetactor",
    "delete_sheetactor",  # removing a partner from one's own sheet is an edit of the sheet
    "view_sourcelink",
    "add_sourcelink",
    "change_sourcelink",
    "delete_sourcelink",
    "view_theme",
)

is_moderator = has_model_perm("practices.moderate_sheet")


# She edits for the sheet's author centre (or this centre), a member centre.
is_member_centre_editor = is_author_centre_editor


is_moderator_or_centre_editor = is_moderator | is_member_centre_editor


def _write(*perms: str) -> rules.Predicate:
    """Holds one of the model permissions and, given a sheet, it is hers (or she moderates)."""
    return has_model_perm(*perms) & (without_object | is_moderator_or_centre_editor)


# An unpublished sheet is shown to whom it belongs (admin, history, previews). Without an
# object: is there any she may see (she moderates, or edits for a member centre)?
view_draft_practicesheet = is_moderator_or_centre_editor
change_practicesheet = _write("practices.change_practicesheet")
# The object is the author centre she would write for: a member centre, hers unless she
# moderates. Without one, ModelBackend answers from the groups alone; the admin also wants
# a centre to write for (`author_centres(user).exists()`).
add_practicesheet = has_model_perm("practices.add_practicesheet") & (
    without_object | (is_member_centre & is_moderator_or_centre_editor)
)

rules.add_perm("practices.view_draft_practicesheet", view_draft_practicesheet)
rules.add_perm("practices.add_practicesheet", add_practicesheet)
rules.add_perm("practices.change_practicesheet", change_practicesheet)
rules.add_perm("practices.delete_practicesheet", _write("practices.delete_practicesheet"))
# Publishing, and taking a published sheet back to draft, is the moderators' decision.
rules.add_perm("practices.publish_practicesheet", is_moderator)
# Judged on the sheet as it is now, not as it was in the version brought back.
rules.add_perm("practices.restore_practicesheet_version", change_practicesheet)


# -- the same in SQL ----------------------------------------------------------------


def author_centres(user) -> QuerySet[Organisation]:
    """The centres the add rule lets her write for, in SQL: the member centres she edits
    for, every member centre for a moderator (when she holds add_practicesheet)."""
    return centres_written_for(user, is_moderator)


def editable_sheets(user) -> QuerySet[PracticeSheet]:
    """`practices.view_draft_practicesheet` in SQL: the sheets of the member centres she
    edits for, all for a moderator.

    The admin's list of sheets (those she may change when she holds change_practicesheet),
    and the unpublished sheets the site lets her preview.
    """
    return written_by_her_centres(PracticeSheet, user, is_moderator)
