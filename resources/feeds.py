"""The press watch as RSS 2.0 and Atom feeds (django.contrib.syndication), with the
panorama's filters read from the query string: `?theme=logement&region=84`."""

from __future__ import annotations

from datetime import datetime, time
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from .forms import WatchFilterForm
from .oai.dublin_core import xml_text
from .selectors import WatchFilters, filter_watch_items, watch_query
from .watch_models import WatchItem

FEED_SIZE = 50
# An item carries its day of publication only: noon keeps that day in every time zone
# a reader may convert it to.
PUBLICATION_TIME = time(12, 0)


class WatchRssFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "fr"

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = WatchFilterForm(request.GET)
        if not form.is_valid():
            message = " ".join(f"{name} : {text}" for name, text in form.error_lines())
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest, *args, **kwargs) -> WatchFilters:
        form = WatchFilterForm(request.GET)
        form.is_valid()  # checked in __call__
        return form.filters()

    def _query(self, filters: WatchFilters) -> str:
        query = urlencode(watch_query(filters))
        return f"?{query}" if query else ""

    def title(self, filters: WatchFilters) -> str:
        parts = [_("Repères — la veille du réseau")]
        if filters.theme is not None:
            parts.append(filters.theme.label)
        if filters.region is not None:
            parts.append(filters.region.name)
        # XML 1.0 cannot carry control characters (a summary pasted from a word processor may).
        return xml_text(" — ".join(parts))

    def description(self, filters: WatchFilters) -> str:
        return _(
            "Articles de presse repérés et résumés par les centres ressources : accueil et "
            "intégration des personnes nouvellement arrivées."
        )

    subtitle = description

    def link(self, filters: WatchFilters) -> str:
        return reverse("resources:watch") + self._query(filters)

    def feed_url(self, filters: WatchFilters) -> str:
        name = "resources:watch-atom" if self.feed_type is Atom1Feed else "resources:watch-rss"
        return reverse(name) + self._query(filters)

    def items(self, filters: WatchFilters) -> list[WatchItem]:
        return list(filter_watch_items(filters)[:FEED_SIZE])

    def item_title(self, item: WatchItem) -> str:
        return xml_text(item.title)

    def item_description(self, item: WatchItem) -> str:
        # Read as HTML by feed readers: the summary is text.
        return escape(xml_text(item.summary))

    def item_link(self, item: WatchItem) -> str:
        return item.url

    def item_guid(self, item: WatchItem) -> str:
        return item.url

    def item_author_name(self, item: WatchItem) -> str:
        # The publication the article appeared in.
        return xml_text(item.source)

    def item_pubdate(self, item: WatchItem) -> datetime:
        return datetime.combine(item.published_on, PUBLICATION_TIME)

    def item_updateddate(self, item: WatchItem) -> datetime:
        return item.updated_at

    def item_categories(self, item: WatchItem) -> list[str]:
        return [xml_text(theme.label) for theme in item.themes.all()] + [
            xml_text(region.name) for region in item.regions.all()
        ]


class WatchAtomFeed(WatchRssFeed):
    feed_type = Atom1Feed
