"""The embeddable map, its loader script, its oEmbed endpoint and the builder page."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition, require_safe

from core.parameters import parameter_errors
from core.ratelimit import client_ip
from directory.selectors import competences, kinds
from geodata.geocoding import GeocodeResult, GeocodingInputError, GeocodingLimited, geocode_one

from . import presenters
from .forms import (
    DEFAULTS,
    PARAMETERS,
    EmbedConfig,
    EmbedForm,
    safe_frame_id,
    safe_language,
    snippet_attributes,
)
from .framing import frameable, set_frame_ancestors
from .selectors import (
    area_choices,
    embed_places,
    embed_sheets,
    member_centres,
    sort_by_distance,
)

SCRIPT = "embeds/embed.js"
SCRIPT_MAX_AGE = 3600  # not fingerprinted: member sites pick up fixes within the hour
EMBED_MAX_AGE = 300
OEMBED_WIDTH = 800
OEMBED_CACHE_AGE = 24 * 3600
OEMBED_PARAMETERS = ("url", "format", "maxwidth", "maxheight")


@frameable
@gzip_page  # a région's map is mostly repetitive JSON and list; no secret in it (BREACH)
@require_safe
def embed_map(request: HttpRequest) -> HttpResponse:
    negotiated = translation.get_language_from_request(request)
    lang = safe_language(request.GET.get("lang"), negotiated)
    with translation.override(lang):
        form = EmbedForm(request.GET, language=negotiated)
        if form.is_valid():
            config = form.config
            context = _map_context(request, config)
            response = render(request, "embeds/map.html", context)
            set_frame_ancestors(response, config.centre)
            if context["geocoding_wait"]:
                # One visitor's spent budget must not be served to the others from a cache.
                response["Retry-After"] = str(context["geocoding_wait"])
                add_never_cache_headers(response)
            else:
                patch_cache_control(response, public=True, max_age=EMBED_MAX_AGE)
        else:
            response = invalid_embed(request, form, lang, reverse("embeds:builder"))
    return with_language(request, response, lang)


def invalid_embed(request: HttpRequest, form, lang: str, help_path: str) -> HttpResponse:
    """A 400 inside the frame: what is wrong with the embed's address, and where to make a
    right one."""
    response = render(
        request,
        "embeds/error.html",
        {
            "lang": lang,
            "errors": form.error_lines(),
            "frame_id": safe_frame_id(request.GET.get("id")),
            "builder_url": request.build_absolute_uri(help_path),
        },
        status=400,
    )
    set_frame_ancestors(response, (form.cleaned_data or {}).get("centre"))
    return response


def with_language(request: HttpRequest, response: HttpResponse, lang: str) -> HttpResponse:
    response["Content-Language"] = lang
    if lang != (request.GET.get("lang") or "").strip().lower():
        # Chosen from the visitor's language cookie or Accept-Language (LocaleMiddleware
        # names the latter): a shared cache keeps one copy per language.
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def _geocode(query: str, client: str) -> tuple[GeocodeResult | None, str, int]:
    """The searched address, or why there is none (a message for the visitor), and the
    seconds to wait when the client's geocoding budget is spent (else 0)."""
    if not query:
        return None, "", 0
    try:
        found = geocode_one(query, client=client)
    except GeocodingInputError as error:
        return None, str(error), 0
    except GeocodingLimited as error:
        return None, str(error), error.wait
    if found is None:
        message = _("Adresse introuvable : « %(q)s ». Essayez une commune ou un code postal.")
        return None, message % {"q": query}, 0
    return found, "", 0


def _map_context(request: HttpRequest, config: EmbedConfig) -> dict:
    origin, notice, wait = _geocode(config.query, client_ip(request))
    places, sheets, capped = [], [], False
    if "places" in config.layers:
        places, capped = embed_places(config, origin=origin.point if origin else None)
    if "practices" in config.layers:
        sheets, sheets_capped = embed_sheets(config)
        capped = capped or sheets_capped
        if origin is not None:
            sheets = sort_by_distance(sheets, origin.point)
    context = presenters.map_context(
        request, config, places=places, sheets=sheets, capped=capped, origin=origin
    )
    # The search form resubmits the map's own parameters; oEmbed gets the map without
    # the frame id and the visitor's search.
    params = [
        (name, value)
        for name, values in request.GET.lists()
        if name in PARAMETERS or name == "id"
        for value in values
    ]
    context["search_notice"] = notice
    context["geocoding_wait"] = wait
    context["hidden_params"] = params
    map_url = request.build_absolute_uri(reverse("embeds:map"))
    public = urlencode([(name, value) for name, value in params if name != "id"])
    context["oembed_url"] = request.build_absolute_uri(
        reverse("embeds:oembed")
        + "?"
        + urlencode({"url": map_url + (f"?{public}" if public else ""), "format": "json"})
    )
    return context


# --- embed.js ------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _read_script(path: str, mtime_ns: int) -> tuple[bytes, str]:
    content = Path(path).read_bytes()
    return content, '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _script() -> tuple[bytes, str]:
    path = finders.find(SCRIPT)
    return _read_script(path, Path(path).stat().st_mtime_ns)


@require_safe
@condition(etag_func=lambda request: _script()[1].strip('"'))
def script(request: HttpRequest) -> HttpResponse:
    content, _etag = _script()
    response = HttpResponse(content, content_type="text/javascript; charset=utf-8")
    patch_cache_control(response, public=True, max_age=SCRIPT_MAX_AGE)
    # Read by <script> tags on other sites; nothing in it is private.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


# --- oEmbed ----------------------------------------------------------------------------


def _positive_int(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    number = int(value)
    if number <= 0:
        raise ValueError(value)
    return number


@require_safe
def oembed(request: HttpRequest) -> HttpResponse:
    """oEmbed 1.0 (https://oembed.com/) for this site's embed URLs: a "rich" iframe.

    `format` is optional and json by default (the spec's words); given empty, it is taken as
    not given. xml, the spec's other format, is its 501 (not implemented); anything else is
    no format at all: a 400 naming the parameter, as is any malformed parameter.
    """
    refused = parameter_errors(request.GET, OEMBED_PARAMETERS)
    if refused:
        return HttpResponse(
            " ".join(refused.values()), status=400, content_type="text/plain; charset=utf-8"
        )
    answer_format = (request.GET.get("format") or "").strip()
    if answer_format == "xml":
        return HttpResponse(
            _("format : seul « json » est disponible (ou format absent)."),
            status=501,
            content_type="text/plain; charset=utf-8",
        )
    if answer_format not in ("", "json"):
        return HttpResponse(
            _("format : « %(value)s » inconnu ; « json » attendu (ou format absent).")
            % {"value": answer_format[:20]},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    url = request.GET.get("url", "").strip()
    try:
        max_width = _positive_int(request.GET.get("maxwidth"))
        max_height = _positive_int(request.GET.get("maxheight"))
    except ValueError:
        return HttpResponse(
            _("maxwidth et maxheight : nombres entiers positifs attendus."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if not url:
        return HttpResponse(
            _("url : paramètre obligatoire (l'adresse d'une carte /embed/ de ce site)."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. "http://[::1/embed/": not a URL at all
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or parts.netloc.lower() != request.get_host().lower()
        or parts.path != reverse("embeds:map")
    ):
        return HttpResponse("Not an embed map of this site.", status=404, content_type="text/plain")
    query = QueryDict(parts.query)
    negotiated = translation.get_language_from_request(request)
    with translation.override(safe_language(query.get("lang"), negotiated)):
        form = EmbedForm(query, language=negotiated)
        if not form.is_valid():
            return HttpResponse(
                "This embed URL has invalid parameters.", status=404, content_type="text/plain"
            )
        config = form.config
        title = presenters.map_title(config)
    width = min(OEMBED_WIDTH, max_width or OEMBED_WIDTH)
    height = presenters.frame_height(config)
    if max_height:
        height = min(height, max_height)
    src = request.build_absolute_uri(reverse("embeds:map")) + (
        f"?{parts.query}" if parts.query else ""
    )
    html = format_html(
        '<iframe src="{}" title="{}" width="{}" height="{}" style="border:0;max-width:100%" '
        'loading="lazy"></iframe>',
        src,
        title,
        width,
        height,
    )
    response = JsonResponse(
        {
            "version": "1.0",
            "type": "rich",
            "provider_name": "Repères",
            "provider_url": request.build_absolute_uri(reverse("geodata:home")),
            "title": title,
            "html": str(html),
            "width": width,
            "height": height,
            "cache_age": OEMBED_CACHE_AGE,
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=3600)
    if not config.lang_asked:  # the title is in the requester's language
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


# --- The builder -------------------------------------------------------------------------


@require_safe
def builder(request: HttpRequest) -> HttpResponse:
    """Pick what the map shows, see it, copy the code. Works without JS (GET form)."""
    params = request.GET.copy()
    # The map's language starts as the page's; an empty choice leaves it to the visitor.
    params.setdefault("lang", translation.get_language())
    area = params.pop("area", [""])[-1]
    kind, _sep, code = area.partition(":")
    if kind in ("region", "department"):
        params[kind] = code
    language = translation.get_language()
    form = EmbedForm(params, language=language)
    valid = form.is_valid()
    if not valid:  # hand-edited URL: start again from the defaults, and say what was wrong
        form_errors = form.error_lines()
        form = EmbedForm(QueryDict(f"lang={language}"), language=language)
        form.is_valid()
    config = form.config
    attributes = snippet_attributes(config)
    script_url = request.build_absolute_uri(reverse("embeds:script"))
    embed_url = request.build_absolute_uri(reverse("embeds:map"))
    return render(
        request,
        "embeds/builder.html",
        {
            "errors": [] if valid else form_errors,
            "config": config,
            "areas": area_choices(),
            "competences": competences(),
            "kinds": kinds(),
            "centres": member_centres(),
            "attributes": attributes,
            "snippet": presenters.snippet(attributes, script_url),
            "embed_url": embed_url + ("?" + urlencode(attributes) if attributes else ""),
            "builder_data": {
                "defaults": DEFAULTS,
                "parameters": list(PARAMETERS),
                "scriptUrl": script_url,
                "embedUrl": embed_url,
            },
        },
    )
