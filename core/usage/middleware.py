"""The counting middleware: after the response is built, what this request counts for,
written when the server closes the response (the client has its answer by then).

Only GET requests answered 200 whose URL name is listed in the settings are counted
(USAGE_SECTIONS and the others, config/settings/base.py): map tiles, GeoJSON fetched by the
maps, the admin, health checks and static files are not. What is read from the request:

- its URL name (section, API endpoint) and the URL's own keyword (a place's slug, turned into
  its id);
- on a search page, the values of the listed parameters that are known slugs or codes of
  their vocabulary (a typed address or text is never read);
- for an embed, the host name of the Referer (no path, no query);
- for a download, the path of the file (fixed by the URL patterns);
- the address and user agent, only to compute today's visitor id, then dropped.

Not counted at all: crawlers and headless browsers (by user agent), requests without a user
agent, staff members. Scripts (curl, python-requests…) count only as API requests and
downloads, which is what they do. "Do Not Track" or "Global Privacy Control": the request is
counted like any other but no visitor id is computed for it (docs/usage.md says why).
"""

from __future__ import annotations

import ipaddress
import logging
import re
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from functools import partial
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils import timezone

from core.ratelimit import client_ip

from .models import UsageCounter
from .recording import Salts, record_safely, visitor_id

CRAWLERS = re.compile(
    r"bot|crawl|spider|slurp|archiver|headless|lighthouse|facebookexternalhit|preview"
    r"|monitor|uptime|scanner|phantomjs",
    re.IGNORECASE,
)
SCRIPTS = re.compile(
    r"^(curl|wget|python|httpie|go-http-client|java|okhttp|libwww|node|axios|php|ruby|perl"
    r"|rust|reqwest|aiohttp|httpx|qgis|gdal|R |ogr)",
    re.IGNORECASE,
)
# Sections whose requests are not pages of the site (no visit, no visitor).
NOT_SITE_PAGES = frozenset({"api", "embed"})
SLUG = re.compile(r"[A-Za-z0-9_-]{1,60}")
HOST = re.compile(r"[a-z0-9.-]{1,200}")
MAX_VALUES = 10  # per search parameter
# Embedding sites counted by name per day; the ones past this count together under OTHER_HOSTS
# (not a host name), so a flood of forged Referers cannot add rows without end.
MAX_EMBED_HOSTS = 200
OTHER_HOSTS = "*"
VOCABULARY_SECONDS = 300

logger = logging.getLogger(__name__)
salts = Salts()


def _lookup(table: dict, match) -> object | None:
    """The value for the URL's full name ("ns:name"), else for its namespace ("ns")."""
    if match.view_name in table:
        return table[match.view_name]
    return table.get(match.namespace) if match.namespace else None


def _listed(names: tuple[str, ...], match) -> bool:
    """Whether the URL's full name, or its namespace, is among `names`."""
    return match.view_name in names or bool(match.namespace and match.namespace in names)


class Vocabularies:
    """Known values of the search vocabularies (USAGE_VOCABULARIES), per process, refreshed
    every few minutes: only those are counted, so junk parameters add no rows."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[float, frozenset[str]]] = {}

    def known(self, name: str) -> frozenset[str]:
        loaded_at, values = self._known.get(name, (0.0, frozenset()))
        if time.monotonic() - loaded_at > VOCABULARY_SECONDS:
            model_label, field, _label = settings.USAGE_VOCABULARIES[name]
            model = apps.get_model(model_label)
            values = frozenset(model._default_manager.values_list(field, flat=True))
            self._known[name] = (time.monotonic(), values)
        return values

    def clear(self) -> None:
        self._known.clear()


vocabularies = Vocabularies()


def signals_opt_out(request: HttpRequest) -> bool:
    return request.headers.get("DNT") == "1" or request.headers.get("Sec-GPC") == "1"


def referer_host(request: HttpRequest) -> str:
    try:
        host = (urlsplit(request.headers.get("Referer", "")).hostname or "").lower()
    except ValueError:
        return ""
    return host if HOST.fullmatch(host) else ""


def embed_host(request: HttpRequest) -> str:
    """The embedding site's host name; an address is not a site's name (and may be a
    person's: a page opened from a home server), so it counts as not given."""
    host = referer_host(request)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host
    return ""


class EmbedHosts:
    """The embedding hosts already admitted today, per process; a new one is admitted while
    the day's counters name fewer than MAX_EMBED_HOSTS hosts."""

    def __init__(self) -> None:
        self._day = None
        self._known: set[str] = set()

    def key(self, day, host: str) -> str:
        if not host:
            return host
        if self._day != day:
            self._day, self._known = day, set()
        if host in self._known:
            return host
        if len(self._known) < MAX_EMBED_HOSTS:
            named = UsageCounter.objects.filter(day=day, metric="embed").exclude(
                key__in=["", OTHER_HOSTS]
            )
            if named.filter(key=host).exists() or named.count() < MAX_EMBED_HOSTS:
                self._known.add(host)
                return host
        return OTHER_HOSTS


embed_hosts = EmbedHosts()


def counts_for(request: HttpRequest, response: HttpResponse) -> tuple[Counter, bool]:
    """What the request counts for, and whether it is a page of the site (a visitor's)."""
    counts: Counter = Counter()
    match = getattr(request, "resolver_match", None)
    if request.method != "GET" or response.status_code != 200 or match is None:
        return counts, False
    agent = request.headers.get("User-Agent", "")
    if not agent or CRAWLERS.search(agent):
        return counts, False
    user = getattr(request, "user", None)
    if user is not None and user.is_staff:
        return counts, False
    script = bool(SCRIPTS.match(agent))
    html = response.get("Content-Type", "").startswith("text/html")

    if _listed(settings.USAGE_API, match):
        counts["api", match.url_name or ""] += 1
    if _listed(settings.USAGE_DOWNLOADS, match) and not html:
        counts["download", request.path_info.lstrip("/")] += 1
    if script:
        return counts, False

    section = _lookup(settings.USAGE_SECTIONS, match)
    if section is None:
        return counts, False
    counts["section", section] += 1
    if html and _listed(settings.USAGE_EMBEDS, match):
        counts["embed", embed_host(request)] += 1
    site_page = html and section not in NOT_SITE_PAGES
    if not site_page:
        return counts, False
    counts["pageviews", ""] += 1
    if referer_host(request) != split_domain_port(request.get_host())[0].strip("[]"):
        counts["visits", ""] += 1
    _count_search(request, match, counts)
    _count_read(match, counts)
    return counts, True


def _count_search(request: HttpRequest, match, counts: Counter) -> None:
    parameters = settings.USAGE_SEARCHES.get(match.view_name)
    if not parameters or request.GET.get("page", "1") != "1":
        return
    if not any(value for name, value in request.GET.items() if name != "page"):
        return  # the page opened, nothing searched yet
    counts["search", match.view_name] += 1
    for name in parameters:
        values = [v for v in request.GET.getlist(name)[:MAX_VALUES] if SLUG.fullmatch(v)]
        known = vocabularies.known(name) if values else frozenset()
        for value in dict.fromkeys(values):
            if value in known:
                counts[f"search:{name}", value] += 1


def _count_read(match, counts: Counter) -> None:
    read = settings.USAGE_READS.get(match.view_name)
    if read is None:
        return
    what, model_label, keyword = read
    value = match.kwargs.get(keyword)
    if value is None:
        return
    try:
        model = apps.get_model(model_label)
    except LookupError:
        return
    pk = model._default_manager.filter(**{keyword: value}).values_list("pk", flat=True).first()
    if pk is not None:
        counts[f"read:{what}", str(pk)] += 1


class UsageMiddleware:
    """Counts the request once its response is built (see the module's docstring)."""

    def __init__(
        self, get_response: Callable, *, clock: Callable[[], datetime] = timezone.now
    ) -> None:
        self.get_response = get_response
        self.clock = clock

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.USAGE_COUNTING:
            # Written when the server closes the response, once its body has been sent: the
            # client does not wait for the write. Django calls these closers from close()
            # (FileResponse closes its file the same way), before request_finished closes
            # the database connection.
            closers = getattr(response, "_resource_closers", None)
            if closers is None:
                self.count_safely(request, response)
            else:
                closers.append(partial(self.count_safely, request, response))
        return response

    def count_safely(self, request: HttpRequest, response: HttpResponse) -> None:
        try:
            self.count(request, response)
        except DatabaseError:
            logger.warning("Usage counts not recorded", exc_info=True)
        except Exception:
            # close() would swallow it silently; a bug here must show in the logs.
            logger.exception("Usage counting failed")

    def count(self, request: HttpRequest, response: HttpResponse) -> None:
        counts, site_page = counts_for(request, response)
        if not counts:
            return
        day = timezone.localdate(self.clock())
        for key in [key for metric, key in counts if metric == "embed"]:
            n = counts.pop(("embed", key))
            counts["embed", embed_hosts.key(day, key)] += n
        visitor = None
        if site_page and not signals_opt_out(request):
            agent = request.headers.get("User-Agent", "")
            visitor = visitor_id(salts.for_day(day), client_ip(request), agent)
        elif site_page:
            counts["untracked", ""] += 1
        record_safely(counts, day=day, visitor=visitor)
