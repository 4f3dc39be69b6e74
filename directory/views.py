"""HTML pages of the directory; queries live in selectors."""

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.contrib.gis.geos import Point
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from core.parameters import page_number
from core.presenters import map_features
from core.ratelimit import client_ip
from geodata.geocoding import (
    GeocodeResult,
    GeocodingInputError,
    GeocodingLimited,
    commune_chosen,
    geocode,
    homonyms,
)
from geodata.models import WGS84
from geodata.selectors import suggest_communes

from . import hours as hours_text
from .forms import RADIUS_CHOICES_KM, SearchForm
from .languages import names_text
from .models import Organisation
from .selectors import PlacePage, organisation_places, published_places, search_places
from .tiles.views import search_map

PAGE_SIZE = 20


MAX_PAGE = 10_000  # beyond, an OFFSET would overflow the database's integers


def _homonym_choices(request, results) -> list[dict]:
    """One link per commune of the name, to the same search with that commune chosen."""
    choices = []
    for result in results:
        query = request.GET.copy()
        query["commune"] = result.commune.code
        query.pop("page", None)
        choices.append(
            {
                "commune": result.commune,
                "url": f"?{query.urlencode()}#resultats",
            }
        )
    return choices


@dataclass
class SearchRun:
    """What a search's parameters gave: its origin and places, or why there are none."""

    origin: Point | None = None
    origin_label: str = ""
    precision: str = ""
    homonyms: list[GeocodeResult] = field(default_factory=list)  # the person must choose
    not_found: bool = False
    limited: GeocodingLimited | None = None
    result: PlacePage | None = None


def run_search(
    request, form: SearchForm, *, page: int = 1, page_size: int = PAGE_SIZE
) -> SearchRun:
    """Parameters → origin → the selector: the search page and the orientation sheet
    (directory/orientation.py) read a search the same way. Call with a valid form; an
    address the geocoder refuses, or a client past its geocoding budget, becomes an error
    on the form's `q`."""
    data = form.cleaned_data
    run = SearchRun()
    if data["lat"] is not None:
        run.origin = Point(data["lon"], data["lat"], srid=WGS84)
        run.origin_label = _("votre position")
    elif data["q"]:
        try:
            found = commune_chosen(data["q"], data["commune"]) if data["commune"] else None
            if found is None:
                candidates = geocode(data["q"], limit=8, client=client_ip(request))
                found = candidates[0] if candidates else None
                if homonym_results := homonyms(candidates):
                    run.homonyms = homonym_results
                    return run
        except GeocodingInputError as exc:
            form.add_error("q", str(exc))
            return run
        except GeocodingLimited as exc:
            form.add_error("q", str(exc))
            run.limited = exc
            return run
        if found is None:
            run.not_found = True
            return run
        run.origin, run.origin_label = found.point, found.label
        run.precision = found.precision.label

    run.result = search_places(
        form.place_filters(),
        origin=run.origin,
        radius_km=data["radius"],
        open_at=timezone.now() if data["open_now"] else None,
        page=page,
        page_size=page_size,
        last_page_if_past_end=True,
    )
    return run


def search(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "searched": bool(request.GET), "radius_presets": RADIUS_CHOICES_KM}
    if not form.is_bound or not form.is_valid():
        return render(request, "directory/search.html", context)
    data = form.cleaned_data
    # Filters folded under « Filtres (n) » on a phone: how many are set.
    context["active_filters"] = len(data.get("competence") or []) + sum(
        bool(data.get(name)) for name in ("kind", "region", "department", "fresh")
    )

    found = run_search(
        request, form, page=page_number(request, maximum=MAX_PAGE), page_size=PAGE_SIZE
    )
    if found.limited is not None:
        # The page still answers, with the form and why no result is listed.
        response = render(request, "directory/search.html", context)
        response["Retry-After"] = str(found.limited.wait)
        add_never_cache_headers(response)
        return response
    if found.homonyms:
        context["homonyms"] = _homonym_choices(request, found.homonyms)
        return render(request, "directory/search.html", context)
    if found.not_found:
        context["not_found"] = data["q"]
        context["suggestions"] = suggest_communes(data["q"])
        return render(request, "directory/search.html", context)
    if found.result is None:  # the address was refused: the form says why
        return render(request, "directory/search.html", context)
    result, origin, origin_label = found.result, found.origin, found.origin_label
    context["precision"] = found.precision
    # The template's pager reads a Django page; the rows are the selector's.
    page_obj = Paginator(range(result.pageable_rows), PAGE_SIZE).get_page(result.number)
    query = request.GET.copy()
    query.pop("page", None)
    for place in result.places:
        place.hours_status = hours_text.status(place.hours)
    context.update(
        results=result.places,
        total=result.total,
        total_capped=result.capped,
        page_obj=page_obj,
        origin=origin,
        origin_label=origin_label,
        radius=data["radius"],
        query_string=query.urlencode(),
        map_data=map_features(result.places),
        origin_data={"lat": origin.y, "lon": origin.x} if origin else None,
    )
    # The map shows every result from the vector tiles; the list, this page.
    context.update(
        search_map(
            form.place_filters(),
            origin=origin,
            radius_km=data["radius"],
            open_now=data["open_now"],
            places=result.places,
        )
    )
    return render(request, "directory/search.html", context)


def place_detail(request, slug):
    place = get_object_or_404(
        published_places().select_related("organisation", "commune__department", "commune__region"),
        slug=slug,
    )
    page_url = request.build_absolute_uri(place.get_absolute_url())
    context = {
        "place": place,
        "hours_status": hours_text.status(place.hours),
        "week": hours_text.week(place.hours),
        "other_places": organisation_places(place.organisation, exclude=place),
        "map_data": map_features([place]),
        "osm_url": f"https://www.openstreetmap.org/?mlat={place.location.y:.6f}&mlon={place.location.x:.6f}#map=17/{place.location.y:.6f}/{place.location.x:.6f}",
        "geo_uri": f"geo:{place.location.y:.6f},{place.location.x:.6f}",
        # Directions that work on any device (the `geo:` link is offered on Android only).
        "directions_url": "https://www.openstreetmap.org/directions?"
        + urlencode({"to": f"{place.location.y:.6f},{place.location.x:.6f}"}),
        "page_url": page_url,
        "share_mailto": "mailto:?"
        + urlencode({"subject": place.name, "body": page_url}, quote_via=quote),
        "search_url": reverse("directory:search"),
        "spoken_languages": names_text(place.language_codes),
    }
    return render(request, "directory/place_detail.html", context)


def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    places = organisation_places(organisation)
    return render(
        request,
        "directory/organisation_detail.html",
        {"organisation": organisation, "places": places, "map_data": map_features(places)},
    )
