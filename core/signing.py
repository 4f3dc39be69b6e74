"""One-click links sent by e-mail: which row, for whom, signed and dated.

A reminder lets an editor confirm a row without logging in, so the link itself is
the credential: the row's id and the recipient's id, signed with SECRET_KEY under
a salt of its own per action (a link confirming a place cannot confirm a sheet),
with the time of signing (TimestampSigner). It stops working after
FRESHNESS_LINK_DAYS, or when SECRET_KEY changes. Whoever checks a link must also
check that its recipient may still act on the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing


@dataclass(frozen=True)
class LinkPayload:
    object_id: int
    user_id: int


class InvalidLink(Exception):
    """The link is tampered with, truncated, signed for another action, or expired."""

    def __init__(self, *, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def link_max_age() -> timedelta:
    return timedelta(days=settings.FRESHNESS_LINK_DAYS)


def link_signer(salt: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=salt)


def sign_link(*, salt: str, object_id: int, user_id: int) -> str:
    """A token for a URL path segment (URL-safe base64 and colons, no slash)."""
    return link_signer(salt).sign_object({"id": object_id, "by": user_id})


def read_link(token: str, *, salt: str) -> LinkPayload:
    """The payload of a valid token; InvalidLink otherwise (`expired` says which case)."""
    try:
        data = link_signer(salt).unsign_object(token, max_age=link_max_age())
    except signing.SignatureExpired as error:
        raise InvalidLink(expired=True) from error
    except signing.BadSignature as error:
        raise InvalidLink() from error
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("id"), int)
        or not isinstance(data.get("by"), int)
    ):
        raise InvalidLink()
    return LinkPayload(object_id=data["id"], user_id=data["by"])


def absolute_url(path: str) -> str:
    """`path` on the site's own address (SITE_URL): for e-mails, written without a request."""
    return settings.SITE_URL.rstrip("/") + path
