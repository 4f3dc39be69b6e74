"""HTML pages of the directory; queries live in selectors."""

from urllib.parse import quote, urlencode

from django.contrib.gis.geos import Point
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from core.presenters import map_features
from core.ratelimit import client_ip
from geodata.geocoding import GeocodingInputError, GeocodingLimited, geocode_one
from geodata.models import WGS84
from geodata.selectors import suggest_communes

from . import hours as hours_text
from .forms import RADIUS_CHOICES_KM, SearchForm
from .languages import LANGUAGES
from .models import Organisation
from .selectors import organisation_places, published_places, search_places
from .tiles.views import search_map

PAGE_SIZE = 20


MAX_PAGE = 10_000  # beyond, an OFFSET would overflow the database's integers


def _page_number(request) -> int:
    try:
        return min(max(1, int(request.GET.get("page", 1))), MAX_PAGE)
    except ValueError:
        return 1


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

    origin, origin_label = None, ""
    if data["lat"] is not None:
        origin, origin_label = Point(data["lon"], data["lat"], srid=WGS84), _("votre position")
    elif data["q"]:
        try:
            found = geocode_one(data["q"], client=client_ip(request))
        except GeocodingInputError as exc:
            form.add_error("q", str(exc))
            return render(request, "directory/search.html", context)
        except GeocodingLimited as exc:
            # The page still answers, with the form and why no result is listed.
            form.add_error("q", str(exc))
            response = render(request, "directory/search.html", context)
            response["Retry-After"] = str(exc.wait)
            add_never_cache_headers(response)
            return response
        if found is None:
            context["not_found"] = data["q"]
            context["suggestions"] = suggest_communes(data["q"])
            return render(request, "directory/search.html", context)
        origin, origin_label = found.point, found.label
        context["precision"] = found.precision.label

    result = search_places(
        form.place_filters(),
        origin=origin,
        radius_km=data["radius"],
        open_at=timezone.now() if data["open_now"] else None,
        page=_page_number(request),
        page_size=PAGE_SIZE,
        last_page_if_past_end=True,
    )
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
        "spoken_languages": [
            LANGUAGES[c][0] if c in LANGUAGES else c for c in place.language_codes
        ],
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
