"""Who may do what in the directory: one rule per action, for the admin and any other view.

Ask with `user.has_perm("directory.change_place", place)`. Two halves make a rule:

* whose row it is: a moderator's (superuser, or holder of `directory.moderate_place`)
  or, for an editor, a row of an organisation she edits for (`is_moderator_or_editor`);
* for writes, the model permission her group grants (core/roles.py). Without an
  object a rule named after a model permission answers as that permission does
  (ModelBackend answers too, and backends are OR-ed).

`view_draft_place` is the first half alone: seeing one's own unpublished rows needs
no grant. `editable_places` and `editor_organisations` are that half in SQL, for
the admin's lists and choices: a rule holds on a row exactly when it holds without
one and the row is in them (tests/directory/test_rules.py checks it for every role).
"""

from __future__ import annotations

import rules
from django.db.models import Q, QuerySet

from core.roles import has_model_perm, without_object

from .models import Organisation, Place, Status, Suggestion, SuggestionKind

# What an organisation's editor may do; which places and organisations: the rules below.
EDITOR_PERMISSIONS = (
    "view_place",
    "add_place",
    "change_place",
    "view_historicalplace",
    "view_organisation",
    "view_competence",
    "view_kind",
    # Corrections sent from the public pages, for her organisations' places (below).
    "view_suggestion",
    "change_suggestion",
)

is_moderator = has_model_perm("directory.moderate_place")


def _organisation_ids(user) -> frozenset[int]:
    """The organisations she edits for, read once per user object (as ModelBackend's _perm_cache)."""
    if not getattr(user, "is_active", False):
        return frozenset()
    if not hasattr(user, "_directory_organisation_ids"):
        user._directory_organisation_ids = frozenset(
            Organisation.objects.filter(editors=user).values_list("pk", flat=True)
        )
    return user._directory_organisation_ids


@rules.predicate
def is_organisation_editor(user, target: Organisation | Place | None) -> bool:
    """She edits for the organisation, or for the place's organisation; without one: for any."""
    ids = _organisation_ids(user)
    if target is None:
        return bool(ids)
    if isinstance(target, Organisation):
        return target.pk in ids
    return target.organisation_id in ids


is_moderator_or_editor = is_moderator | is_organisation_editor


def _write(*perms: str) -> rules.Predicate:
    """Holds one of the model permissions and, given a row, the row is hers (or she moderates)."""
    return has_model_perm(*perms) & (without_object | is_moderator_or_editor)


# -- places -------------------------------------------------------------------------

# An unpublished place is shown to whom it belongs (admin, history, previews). Without
# an object: is there any she may see (she moderates, or edits for an organisation)?
view_draft_place = is_moderator_or_editor
# The object is the organisation the place is added for (None: may she add places at all?).
add_place = _write("directory.add_place")
change_place = _write("directory.change_place")

rules.add_perm("directory.view_draft_place", view_draft_place)
rules.add_perm("directory.add_place", add_place)
rules.add_perm("directory.change_place", change_place)
rules.add_perm("directory.delete_place", _write("directory.delete_place"))
# The status is the network's: only moderators publish and archive.
rules.add_perm("directory.publish_place", is_moderator)
rules.add_perm("directory.archive_place", is_moderator)
# Judged on the place as it is now, not as it was in the version brought back.
rules.add_perm("directory.restore_place_version", change_place)
# How many places await a check, per organisation and région (admin_freshness.py).
rules.add_perm("directory.view_freshness", is_moderator)

# -- organisations ------------------------------------------------------------------

change_organisation = _write("directory.change_organisation")

rules.add_perm(
    "directory.view_organisation",
    _write("directory.view_organisation", "directory.change_organisation"),
)
rules.add_perm("directory.change_organisation", change_organisation)
rules.add_perm("directory.delete_organisation", _write("directory.delete_organisation"))
# Who edits for whom, and who belongs to the network (member centre, referent centre).
rules.add_perm("directory.moderate_organisation", is_moderator)
# Whoever may change the organisation: moderators, and an editor of it who also holds
# change_organisation (the editors group does not grant it, so today: moderators only).
rules.add_perm("directory.manage_embed_domains", change_organisation)
rules.add_perm("directory.restore_organisation_version", change_organisation)


# -- suggestions (« Signaler une erreur ») -------------------------------------------
# Judged on the suggestion's place: its organisation's editors and moderators handle it.


@rules.predicate
def is_suggestion_editor(user, suggestion: Suggestion | None) -> bool:
    return is_moderator_or_editor.test(user, suggestion.place if suggestion is not None else None)


@rules.predicate
def reports_a_closure(user, suggestion: Suggestion | None) -> bool:
    return suggestion is not None and suggestion.kind == SuggestionKind.CLOSED


def _suggestion(*perms: str) -> rules.Predicate:
    return has_model_perm(*perms) & (without_object | is_suggestion_editor)


# Accepting or refusing is changing the suggestion; the model permission is the grant.
handle_suggestion = _suggestion("directory.change_suggestion")

rules.add_perm(
    "directory.view_suggestion",
    _suggestion("directory.view_suggestion", "directory.change_suggestion"),
)
rules.add_perm("directory.change_suggestion", handle_suggestion)
# Accepting "le lieu a fermé" archives the place, which only moderators do.
rules.add_perm(
    "directory.accept_suggestion", handle_suggestion & (~reports_a_closure | is_moderator)
)
# Deleting (spam) is the network's; editors refuse.
rules.add_perm("directory.delete_suggestion", _suggestion("directory.delete_suggestion"))


# -- the same in SQL ----------------------------------------------------------------


def editor_organisations(user) -> QuerySet[Organisation]:
    """`is_moderator_or_editor` in SQL: the organisations she edits for, all for a moderator.

    The admin's list of organisations, and the organisations a place may be given.
    """
    if is_moderator(user):
        return Organisation.objects.all()
    if not getattr(user, "is_active", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(editors=user)


def editable_places(user) -> QuerySet[Place]:
    """`directory.view_draft_place` in SQL: her organisations' places, all for a moderator.

    The admin's list of places; those she may change when she holds change_place.
    """
    if is_moderator(user):
        return Place.objects.all()
    if not getattr(user, "is_active", False):
        return Place.objects.none()
    return Place.objects.filter(organisation__editors=user)


def visible_places(user) -> QuerySet[Place]:
    """The places she may see, hence name and pick elsewhere (a practice sheet's places):
    every published place, and hers in any status (`directory.view_draft_place`); all for
    a moderator. Another organisation's draft or archived place is not among them."""
    if is_moderator(user):
        return Place.objects.all()
    return Place.objects.filter(
        Q(status=Status.PUBLISHED) | Q(pk__in=editable_places(user).values("pk"))
    )


def visible_suggestions(user) -> QuerySet[Suggestion]:
    """`is_suggestion_editor` in SQL: those of her organisations' places, all for a moderator.

    The admin's queue of suggestions.
    """
    if is_moderator(user):
        return Suggestion.objects.all()
    return Suggestion.objects.filter(place__in=editable_places(user))


# -- member centres: who writes the network's own entries (practice sheets, notices…) -------


def member_centre_ids(user) -> frozenset[int]:
    """The member centres she edits for, read once per user object."""
    if not getattr(user, "is_active", False):
        return frozenset()
    if not hasattr(user, "_directory_member_centre_ids"):
        user._directory_member_centre_ids = frozenset(
            Organisation.objects.filter(editors=user, is_member_centre=True).values_list(
                "pk", flat=True
            )
        )
    return user._directory_member_centre_ids


@rules.predicate
def is_author_centre_editor(user, target) -> bool:
    """She edits for the entry's author centre (`author_centre_id`), or for this centre, and
    it is a member centre; without one: for any member centre."""
    ids = member_centre_ids(user)
    if target is None:
        return bool(ids)
    if isinstance(target, Organisation):
        return target.pk in ids
    return target.author_centre_id in ids


@rules.predicate
def is_member_centre(user, organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.is_member_centre


def centres_written_for(user, is_moderator: rules.Predicate) -> QuerySet[Organisation]:
    """The centres she may write entries for: the member centres she edits for, every
    member centre for a moderator (`is_moderator`: the entries' own moderators)."""
    centres = Organisation.objects.filter(is_member_centre=True)
    if is_moderator(user):
        return centres
    if not getattr(user, "is_active", False):
        return Organisation.objects.none()
    return centres.filter(editors=user)


def written_by_her_centres(model, user, is_moderator: rules.Predicate) -> QuerySet:
    """`model`'s entries (it has an `author_centre`) of the member centres she edits for,
    all of them for a moderator: `is_moderator | is_author_centre_editor` in SQL."""
    if is_moderator(user):
        return model.objects.all()
    if not getattr(user, "is_active", False):
        return model.objects.none()
    return model.objects.filter(author_centre__editors=user, author_centre__is_member_centre=True)
