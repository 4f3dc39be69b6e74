"""The pages behind a one-click link (core/signing.py): confirm, done, or why it failed.

No login: the signed link is the credential. A GET only shows what the link would
do; the visitor's POST (a button) does it, so that mail scanners following links
change nothing. A bad link changes nothing either and says why, with status 400.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .signing import InvalidLink

TEMPLATE = "core/one_click.html"


def one_click_page(
    request: HttpRequest,
    *,
    state: str,
    heading: str,
    lines: list[str],
    button_label: str = "",
    links: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """`state`: "confirm" (shows the button), "done" or "invalid"; `links`: (url, label)."""
    response = render(
        request,
        TEMPLATE,
        {
            "state": state,
            "heading": heading,
            "lines": lines,
            "button_label": button_label,
            "links": [(url, label) for url, label in links or [] if url],
        },
        status=status,
    )
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def invalid_link_page(
    request: HttpRequest, error: InvalidLink, *, revoked: bool = False
) -> HttpResponse:
    """400: expired, altered, or no longer hers (`revoked`); nothing was changed."""
    if error.expired:
        heading = _("Ce lien a expiré")
        reason = _(
            "Les liens de confirmation ne sont valables qu'un temps limité. Le prochain courriel "
            "de rappel vous en donnera un nouveau ; vous pouvez aussi confirmer depuis "
            "l'administration."
        )
    elif revoked:
        heading = _("Ce lien n'est plus valable")
        reason = _(
            "Le compte auquel ce lien a été envoyé ne peut plus modifier ces informations, "
            "ou elles n'existent plus."
        )
    else:
        heading = _("Ce lien n'est pas valable")
        reason = _(
            "Le lien est incomplet ou a été modifié. Copiez-le en entier depuis le courriel de "
            "rappel, ou confirmez depuis l'administration."
        )
    return one_click_page(
        request,
        state="invalid",
        heading=heading,
        lines=[reason, _("Rien n'a été modifié.")],
        status=400,
    )
