"""What the embeds add to other apps' pages (core/sections.py): under the press watch's
panorama, the code that shows the same list on a member centre's site."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse

from core import sections
from resources.selectors import watch_query

WATCH_CODE = "embeds/_watch_code.html"
WATCH_CODE_HEAD = "embeds/_watch_code_head.html"


def register_sections() -> None:
    def for_watch(filters, request: HttpRequest | None):
        if filters is None or request is None:
            return None
        query = urlencode(watch_query(filters))
        src = request.build_absolute_uri(reverse("embeds:watch")) + (f"?{query}" if query else "")
        return sections.Fragment(WATCH_CODE, {"embed_src": src})

    sections.register("watch", "embeds.watch_code", for_watch, head=WATCH_CODE_HEAD)
