"""The press watch's panorama page (its feeds: feeds.py; its embeddable list: embeds/watch.py);
all three read the same selector."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.parameters import page_number

from .forms import WatchFilterForm
from .selectors import filter_watch_items, watch_query

PAGE_SIZE = 20


def watch_list(request: HttpRequest) -> HttpResponse:
    form = WatchFilterForm(request.GET)
    if not form.is_valid():
        # The form stays on the page with its message: the visitor picks a known value.
        context = {"form": form, "errors": form.error_lines(), "items": [], "total": 0}
        return render(request, "resources/watch_list.html", context, status=400)
    filters = form.filters()
    paginator = Paginator(filter_watch_items(filters), PAGE_SIZE)
    page_obj = paginator.get_page(page_number(request))
    # Pages and feeds carry the validated filters only.
    query = urlencode(watch_query(filters))
    context = {
        "form": form,
        "filters": filters,
        "items": list(page_obj.object_list),
        "page_obj": page_obj,
        "total": paginator.count,
        "query_string": query,
    }
    return render(request, "resources/watch_list.html", context)
