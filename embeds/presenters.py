"""What the embed templates show: items for the map and its list, titles, the snippet."""

from __future__ import annotations

from dataclasses import replace

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.models import Place
from directory.tiles.views import place_tiles_url
from geodata.geocoding import GeocodeResult
from practices.models import PracticeSheet

from . import selectors
from .forms import EmbedConfig
from .selectors import area_bounds

INK, WHITE = "#1b1f24", "#ffffff"
# Rough heights of what surrounds the map in the frame, for oEmbed's fixed iframe.
SEARCH_BOX_PX, CHIPS_PX, BAR_PX = 52, 44, 64


def _absolute(request: HttpRequest, obj) -> str:
    try:
        return request.build_absolute_uri(obj.get_absolute_url())
    except NoReverseMatch:  # a page not published by the site (yet): no link
        return ""


def place_item(request: HttpRequest, place: Place, *, with_competences: bool) -> dict:
    item = {
        "id": place.pk,
        "name": place.name,
        "lat": round(place.location.y, 6),
        "lon": round(place.location.x, 6),
        "url": _absolute(request, place),
        "address": place.address,
    }
    if getattr(place, "distance_m", None) is not None:
        item["distance_m"] = place.distance_m
    if with_competences:
        item["competences"] = [c.slug for c in place.competences.all()]
    return item


def sheet_item(request: HttpRequest, sheet: PracticeSheet) -> dict:
    area = sheet.department or sheet.region
    item = {
        "id": sheet.pk,
        "name": sheet.title,
        "lat": round(sheet.location.y, 6),
        "lon": round(sheet.location.x, 6),
        "url": _absolute(request, sheet),
        "address": area.name if area else "",
    }
    if getattr(sheet, "distance_m", None) is not None:
        item["distance_m"] = sheet.distance_m
    return item


def map_title(config: EmbedConfig) -> str:
    if config.department:
        where = f"{config.department.name} ({config.department.code})"
    elif config.region:
        where = config.region.name
    else:
        where = _("France")
    return _("Carte Repères — %(where)s") % {"where": where}


def frame_height(config: EmbedConfig) -> int:
    """The frame height that shows the whole embed without its list opened."""
    return (
        config.height
        + (SEARCH_BOX_PX if config.search else 0)
        + (CHIPS_PX if config.chips else 0)
        + BAR_PX
    )


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def accent_ink(colour: str) -> str:
    """Text colour on the accent: whichever of white or ink contrasts more (WCAG ratio)."""
    lum = _luminance(colour)
    on_white = 1.05 / (lum + 0.05)
    on_ink = (lum + 0.05) / (_luminance(INK) + 0.05)
    return WHITE if on_white >= on_ink else INK


def _count_text(config: EmbedConfig, places: list, sheets: list, origin) -> str:
    parts = []
    if "places" in config.layers:
        parts.append(ngettext("%(n)s lieu", "%(n)s lieux", len(places)) % {"n": len(places)})
    if "practices" in config.layers:
        parts.append(
            ngettext("%(n)s pratique", "%(n)s pratiques", len(sheets)) % {"n": len(sheets)}
        )
    text = " · ".join(parts)
    if origin is not None:
        text = _("%(counts)s, du plus proche au plus loin de « %(label)s »") % {
            "counts": text,
            "label": origin.label,
        }
    return text


def _chips(config: EmbedConfig, places: list[Place]) -> list:
    if not config.chips or "places" not in config.layers:
        return []
    if config.competences:
        return list(config.competences)
    seen: dict[int, object] = {}
    for place in places:
        for competence in place.competences.all():
            seen.setdefault(competence.pk, competence)
    return sorted(seen.values(), key=lambda c: (c.position, c.name))


def _outline_url(config: EmbedConfig) -> str:
    if config.department:
        return reverse("geodata:department-geojson", kwargs={"slug": config.department.slug})
    if config.region:
        return reverse("geodata:region-geojson", kwargs={"slug": config.region.slug})
    return ""


def _tiles(config: EmbedConfig, origin: GeocodeResult | None) -> dict | None:
    """The place tiles of the map: their URL without competences (the chips choose them)."""
    if "places" not in config.layers:
        return None
    filters = replace(selectors._place_filters(config), competences=[])
    url = place_tiles_url(
        filters,
        origin=origin.point if origin else None,
        radius_km=config.radius_km if origin else None,
        open_now=config.open_now,
    )
    return {"url": url, "competences": [c.slug for c in config.competences]}


def map_context(
    request: HttpRequest,
    config: EmbedConfig,
    *,
    places: list[Place],
    sheets: list[PracticeSheet],
    capped: bool,
    origin: GeocodeResult | None,
) -> dict:
    chips = _chips(config, places)
    place_items = [place_item(request, p, with_competences=bool(chips)) for p in places]
    sheet_items = [sheet_item(request, s) for s in sheets]
    title = map_title(config)
    return {
        "config": config,
        "lang": config.lang,
        "title": title,
        "place_items": place_items,
        "sheet_items": sheet_items,
        "both_layers": len(config.layers) == 2,
        "chips": chips,
        "count_text": _count_text(config, places, sheets, origin),
        "capped": capped,
        "max_items": selectors.MAX_ITEMS,
        "search_limited": origin is not None and len(places) >= selectors.SEARCH_LIMIT,
        "search_limit": selectors.SEARCH_LIMIT,
        "accent_ink": accent_ink(config.colour),
        "site_url": request.build_absolute_uri(reverse("geodata:home")),
        "map_data": {"places": place_items, "practices": sheet_items},
        "map_config": {
            "frameId": config.frame_id,
            "view": list(config.view) if config.view else None,
            "bounds": area_bounds(config.area) if config.area else None,
            "origin": (
                {"lat": origin.point.y, "lon": origin.point.x, "label": origin.label}
                if origin
                else None
            ),
            "outline": _outline_url(config),
            "tiles": _tiles(config, origin),
            "labels": {
                "newTab": _("(s’ouvre dans un nouvel onglet)"),
                "place": _("Lieu"),
                "practice": _("Pratique"),
                "showList": _("Afficher la liste"),
                "hideList": _("Masquer la liste"),
                "shown": _("Lieux affichés : %(n)s sur %(total)s"),
                "cluster": _("%(n)s lieux ici : zoomer"),
            },
        },
    }


def snippet(attributes: list[tuple[str, str]], script_url: str) -> str:
    """The two lines a member site pastes, as plain text (the template escapes it)."""
    attrs = format_html_join("", ' data-{}="{}"', attributes)
    return str(
        format_html(
            '<div data-reperes-map{}></div>\n<script src="{}" async></script>', attrs, script_url
        )
    )
