"""Writes of « Signaler une erreur »: store a report, accept or refuse it, tell the reporter."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from core import review

from ..models import Competence, Place, Status, Suggestion, SuggestionKind, SuggestionStatus
from ..services import place_save

logger = logging.getLogger(__name__)


class SuggestionAlreadyHandled(Exception):
    """Someone accepted or refused it in the meantime."""


def suggestion_create(
    *,
    place: Place,
    kind: str,
    message: str,
    email: str = "",
    ip_hash: str = "",
    language: str = "",
) -> Suggestion:
    suggestion = Suggestion(
        place=place, kind=kind, message=message, email=email, ip_hash=ip_hash, language=language
    )
    suggestion.full_clean()
    suggestion.save()
    return suggestion


def change_reason(suggestion: Suggestion) -> str:
    """What the place's history says of a change made from a report."""
    return gettext("Suggestion n° %(number)s (signalement public)") % {"number": suggestion.pk}


def _open_for_update(suggestion: Suggestion) -> Suggestion:
    current = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if current.status != SuggestionStatus.NEW:
        raise SuggestionAlreadyHandled(suggestion.pk)
    return current


def _close(
    suggestion: Suggestion, status: SuggestionStatus, *, user: AbstractBaseUser, reply: str
) -> None:
    suggestion.status = status
    suggestion.handled_by = user
    suggestion.handled_at = timezone.now()
    suggestion.reply = reply
    suggestion.full_clean()
    suggestion.save(update_fields=["status", "handled_by", "handled_at", "reply"])


def suggestion_accept(
    *,
    suggestion: Suggestion,
    user: AbstractBaseUser,
    place: Place | None = None,
    competences: list[Competence] | None = None,
    reply: str = "",
    site_url: str = "",
) -> bool:
    """Apply the corrected place through `place_save`, mark the report accepted, tell her.

    `place` is the report's place with the editor's corrections set (None: nothing to
    change, the place was already right). A closure archives the place. Returns whether
    the reporter was told by e-mail. An editor's correction of a published place waits for
    a moderator's review, as her edits in the admin do (core/review.py). Raises SuggestionAlreadyHandled, and ValidationError
    when the corrected place does not validate (nothing is saved then).
    """
    if place is not None and place.pk != suggestion.place_id:
        raise ValueError("The corrected place is not the suggestion's place.")
    with transaction.atomic():
        current = _open_for_update(suggestion)
        if current.kind == SuggestionKind.CLOSED:
            place = place or current.place
            place.status = Status.ARCHIVED
        if place is not None and review.held(user, place):
            # A published place of hers: the correction waits for a moderator (core/review.py).
            relations = {"competences": [c.pk for c in competences]} if competences else {}
            review.hold(edited=place, relations=relations, author=user, also=("status",))
        elif place is not None:
            place._change_reason = change_reason(current)
            place._history_user = user
            place_save(place=place, competences=competences)
        _close(current, SuggestionStatus.ACCEPTED, user=user, reply=reply)
    _refresh(suggestion, current)
    return notify_reporter(suggestion, site_url=site_url)


def suggestion_refuse(
    *, suggestion: Suggestion, user: AbstractBaseUser, reply: str = "", site_url: str = ""
) -> bool:
    """Mark the report refused and tell her; returns whether she was told by e-mail."""
    with transaction.atomic():
        current = _open_for_update(suggestion)
        _close(current, SuggestionStatus.REFUSED, user=user, reply=reply)
    _refresh(suggestion, current)
    return notify_reporter(suggestion, site_url=site_url)


def _refresh(suggestion: Suggestion, current: Suggestion) -> None:
    for name in ("status", "handled_by", "handled_at", "reply"):
        setattr(suggestion, name, getattr(current, name))


def notify_reporter(suggestion: Suggestion, *, site_url: str = "") -> bool:
    """E-mail the decision to whoever sent the report, in her language, if she left an address.

    A mail server that fails is logged, not raised: the decision is recorded all the same.
    """
    if not suggestion.email or suggestion.status == SuggestionStatus.NEW:
        return False
    place = Place.objects.get(pk=suggestion.place_id)
    accepted = suggestion.status == SuggestionStatus.ACCEPTED
    context = {
        "suggestion": suggestion,
        "place": place,
        "accepted": accepted,
        "closed": accepted and suggestion.kind == SuggestionKind.CLOSED,
        "place_url": (
            site_url.rstrip("/") + place.get_absolute_url()
            if site_url and place.status == Status.PUBLISHED
            else ""
        ),
    }
    with translation.override(suggestion.language or settings.LANGUAGE_CODE):
        subject = render_to_string("directory/suggestions/email_subject.txt", context)
        body = render_to_string("directory/suggestions/email_body.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [suggestion.email])
    except OSError:  # smtplib's errors included
        logger.exception("Could not e-mail the answer to suggestion %s", suggestion.pk)
        return False
    return True
