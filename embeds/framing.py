"""Who may frame the embed pages.

The site sends `X-Frame-Options: DENY` and CSP `frame-ancestors 'none'` everywhere
(settings). The embed views alone drop the first and replace the second, within the
site's Content-Security-Policy (django-csp), with who may frame them: the pages of the
member centre's declared domains, or anyone when the centre declared none.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.views.decorators.clickjacking import xframe_options_exempt

from directory.models import Organisation

logger = logging.getLogger(__name__)

ANYONE = "*"
# A CSP host source: an optional leading wildcard label, labels, an optional port.
HOST_RE = re.compile(
    r"^(\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::(?:\d{1,5}|\*))?$"
)


def _host(text: str) -> str | None:
    host, _, port = text.partition(":")
    try:
        # Internationalised names (ex. « métropole.fr ») become their ASCII form.
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return None
    value = f"{host}:{port}" if port else host
    return value if HOST_RE.match(value) else None


def domain_sources(line: str) -> list[str]:
    """CSP sources for one line of `Organisation.embed_domains`.

    "www.exemple.fr" → https:// and http:// of it; "http://127.0.0.1:9000" (a scheme
    written) → as written. Paths and trailing slashes are dropped; anything that is
    not a plain host gives nothing (and a log line), never a header injection.
    """
    text = line.strip().lower()
    if not text or text.startswith("#"):
        return []
    scheme = ""
    if "://" in text:
        scheme, _, text = text.partition("://")
        if scheme not in ("http", "https"):
            logger.warning("Ignored embed domain with scheme %r", scheme)
            return []
    host = _host(text.split("/", 1)[0])
    if host is None:
        logger.warning("Ignored invalid embed domain %r", line[:100])
        return []
    if scheme:
        return [f"{scheme}://{host}"]
    return [f"https://{host}", f"http://{host}"]


def frame_ancestors(centre: Organisation | None) -> str:
    """The `frame-ancestors` source list for an embed of `centre`'s map."""
    if centre is None or not centre.embed_domains.strip():
        return ANYONE
    sources = ["'self'"]
    for line in centre.embed_domains.splitlines():
        sources += domain_sources(line)
    # Lines all invalid: the centre meant to restrict, so only this site may frame.
    return " ".join(dict.fromkeys(sources))


def set_frame_ancestors(response: HttpResponse, centre: Organisation | None) -> HttpResponse:
    # django-csp's middleware writes the header with this directive replaced.
    response._csp_replace = {"frame-ancestors": frame_ancestors(centre).split()}
    return response


def frameable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let a view's pages be framed: no X-Frame-Options, and a frame-ancestors policy.

    The view may set a narrower policy with `set_frame_ancestors`; otherwise anyone
    may frame it.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not getattr(response, "_csp_replace", None):
            set_frame_ancestors(response, None)
        return response

    return xframe_options_exempt(wrapped)
