"""The press watch as an embeddable list: `/embed/veille/?theme=…&region=…&limite=10`.

The same items as the panorama page and its feeds (resources' selector), in a minimal page
framed like the maps (framing.py: a member centre's declared domains when `centre` names
one, else anyone), counted like them (USAGE_EMBEDS). Its form and view live here rather
than in forms.py and views.py, which hold the map's.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from directory.models import Organisation
from resources.forms import WatchFilterForm
from resources.selectors import filter_watch_items, watch_query

from .forms import member_centre, safe_frame_id, safe_language
from .framing import frameable, set_frame_ancestors
from .views import EMBED_MAX_AGE, invalid_embed, with_language

DEFAULT_LIMIT = 10
MAX_LIMIT = 50


class WatchEmbedForm(WatchFilterForm):
    limite = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        error_messages={
            "invalid": _("un nombre entier est attendu (ex. 10)."),
            "min_value": _("au moins %(limit_value)s."),
            "max_value": _("au plus %(limit_value)s."),
        },
    )
    centre = forms.CharField(required=False, max_length=220)
    lang = forms.CharField(required=False, max_length=10)
    id = forms.CharField(required=False, max_length=64)

    def clean_limite(self) -> int:
        return self.cleaned_data["limite"] or DEFAULT_LIMIT

    def clean_centre(self) -> Organisation | None:
        return member_centre(self.cleaned_data["centre"])


@frameable
@require_safe
def embed_watch(request: HttpRequest) -> HttpResponse:
    negotiated = translation.get_language_from_request(request)
    lang = safe_language(request.GET.get("lang"), negotiated)
    with translation.override(lang):
        form = WatchEmbedForm(request.GET)
        frame_id = safe_frame_id(request.GET.get("id"))
        if form.is_valid():
            filters = form.filters()
            data = form.cleaned_data
            query = urlencode(watch_query(filters))
            panorama = reverse("resources:watch") + (f"?{query}" if query else "")
            context = {
                "lang": lang,
                "filters": filters,
                "items": list(filter_watch_items(filters)[: data["limite"]]),
                "centre": data["centre"],
                "frame_id": frame_id,
                "panorama_url": request.build_absolute_uri(panorama),
            }
            response = render(request, "embeds/watch.html", context)
            patch_cache_control(response, public=True, max_age=EMBED_MAX_AGE)
            set_frame_ancestors(response, data["centre"])
        else:
            response = invalid_embed(request, form, lang, reverse("resources:watch"))
    return with_language(request, response, lang)
