"""Sending the requests: one e-mail to whoever answers, an acknowledgement to the requester,
and one more in the usage counters. Nothing about the requester is stored."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.usage.recording import record_safely
from geodata.models import Region
from practices.models import Theme

from ..citation import citation_text
from ..models import Notice

logger = logging.getLogger(__name__)

EMAILS = "resources/email"


class RequestNotSent(Exception):
    """The mail server refused the request: nothing was sent, nothing counted."""


class NotRequestable(ValueError):
    """The notice cannot be requested (not published, not lendable, no centre e-mail)."""


@dataclass(frozen=True)
class Requester:
    name: str
    email: str
    message: str
    phone: str = ""
    organisation: str = ""


def _render(name: str, context: dict, language: str) -> tuple[str, str]:
    with translation.override(language):
        subject = render_to_string(f"{EMAILS}/{name}_subject.txt", context)
        body = render_to_string(f"{EMAILS}/{name}_body.txt", context)
    return " ".join(subject.split()), body


def _send(name: str, context: dict, *, to: str, reply_to: str, language: str) -> None:
    subject, body = _render(name, context, language)
    EmailMessage(subject, body, None, [to], reply_to=[reply_to] if reply_to else None).send()


def count_request(kind: str, key: str) -> None:
    """One more request of `kind` today; only the kind and the key (a centre, a région)."""
    if settings.USAGE_COUNTING:
        record_safely({(f"request:{kind}", key): 1}, day=timezone.localdate())


def _deliver(
    kind: str, context: dict, *, to: str, requester: Requester, count_key: str, language: str
) -> None:
    """The request to `to` (Reply-To: the requester), counted once it has left, then the
    requester's copy (Reply-To: `to`). RequestNotSent when the request could not leave; a
    copy that fails is only logged: her request has left all the same."""
    try:
        _send(
            f"{kind}_request",
            context,
            to=to,
            reply_to=requester.email,
            language=settings.LANGUAGE_CODE,
        )
    except OSError as error:  # smtplib's errors included
        logger.exception("Could not e-mail a %s request", kind)
        raise RequestNotSent from error
    count_request(kind, count_key)
    try:
        _send(
            f"{kind}_ack",
            context,
            to=requester.email,
            reply_to=to,
            language=language or settings.LANGUAGE_CODE,
        )
    except OSError:
        logger.exception("Could not send the acknowledgement of a %s request", kind)


def document_request_send(
    *, notice: Notice, requester: Requester, notice_url: str, language: str = ""
) -> None:
    """E-mail the request to the notice's holding centre (Reply-To: the requester), then her
    acknowledgement; count it. Raises NotRequestable, or RequestNotSent when the centre's
    e-mail could not leave."""
    if not notice.requestable:
        raise NotRequestable(notice.pk)
    centre = notice.holding_centre
    context = {
        "notice": notice,
        "citation": citation_text(notice),
        "notice_url": notice_url,
        "centre": centre,
        "requester": requester,
    }
    _deliver(
        "document",
        context,
        to=centre.email,
        requester=requester,
        count_key=str(centre.pk),
        language=language,
    )


def organisation_request_send(
    *, requester: Requester, region: Region, theme: Theme | None = None, language: str = ""
) -> None:
    """E-mail a « Trouver une structure ressource » request to the network's address
    (Reply-To: the requester), then her acknowledgement; count it by région."""
    context = {"requester": requester, "region": region, "theme": theme}
    _deliver(
        "organisation",
        context,
        to=settings.CONTACT_EMAIL,
        requester=requester,
        count_key=region.code,
        language=language,
    )
