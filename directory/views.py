"""HTML pages of the directory; queries live in selectors."""

from django.contrib.gis.geos import Point
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from geodata.geocoding import GeocodingInputError, geocode_one
from geodata.selectors import suggest_communes

from . import hours as hours_text
from .forms import RADIUS_CHOICES_KM, SearchForm
from .languages import LANGUAGES
from .models import Organisation
from .selectors import (
    PlaceFilters,
    count_near,
    filter_places,
    organisation_places,
    places_near,
    places_open_at,
    published_places,
)

PAGE_SIZE = 20


def map_features(places) -> list[dict]:
    return [
        {
            "id": p.pk,
            "name": p.name,
            "lat": p.location.y,
            "lon": p.location.x,
            "url": p.get_absolute_url(),
            "distance_m": getattr(p, "distance_m", None),
        }
        for p in places
    ]


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
    filters = PlaceFilters(
        competences=data["competence"],
        competences_all=data["match"] == "all",
        kinds=[data["kind"]] if data["kind"] else [],
        region=data["region"],
        department=data["department"],
        language=data["language"],
    )
    queryset = filter_places(published_places(), filters)
    page = _page_number(request)
    open_at = timezone.now() if data["open_now"] else None

    origin, origin_label = None, ""
    if data["lat"] is not None:
        origin, origin_label = Point(data["lon"], data["lat"], srid=4326), _("votre position")
    elif data["q"]:
        try:
            found = geocode_one(data["q"])
        except GeocodingInputError as exc:
            form.add_error("q", str(exc))
            return render(request, "directory/search.html", context)
        if found is None:
            context["not_found"] = data["q"]
            context["suggestions"] = suggest_communes(data["q"])
            return render(request, "directory/search.html", context)
        origin, origin_label = found.point, found.label
        context["precision"] = found.precision.label

    if origin is not None:
        radius_m = data["radius"] * 1000
        if open_at is None:
            total = count_near(origin, queryset=queryset, radius_m=radius_m)
        else:
            total = len(
                places_near(
                    origin, queryset=queryset, radius_m=radius_m, limit=2000, open_at=open_at
                )
            )
        paginator = Paginator(range(total), PAGE_SIZE)
        # A page past the end shows the last one, as the paginator says.
        page = paginator.get_page(page).number
        results = places_near(
            origin,
            queryset=queryset,
            radius_m=radius_m,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
            open_at=open_at,
        )
    else:
        ordered = queryset.select_related("organisation", "commune").order_by("name", "pk")
        if open_at is not None:
            # Opening hours are evaluated once per distinct text, then filtered in SQL.
            ordered = places_open_at(ordered, open_at)
        paginator = Paginator(ordered, PAGE_SIZE)
        results = list(paginator.get_page(page).object_list)
        total = paginator.count
    page_obj = paginator.get_page(page)
    query = request.GET.copy()
    query.pop("page", None)
    for place in results:
        place.hours_status = hours_text.status(place.hours)
    context.update(
        results=results,
        total=total,
        page_obj=page_obj,
        origin=origin,
        origin_label=origin_label,
        radius=data["radius"],
        query_string=query.urlencode(),
        map_data=map_features(results),
        origin_data={"lat": origin.y, "lon": origin.x} if origin else None,
    )
    return render(request, "directory/search.html", context)


def place_detail(request, slug):
    place = get_object_or_404(
        published_places().select_related("organisation", "commune__department", "commune__region"),
        slug=slug,
    )
    context = {
        "place": place,
        "hours_status": hours_text.status(place.hours),
        "week": hours_text.week(place.hours),
        "other_places": organisation_places(place.organisation, exclude=place),
        "map_data": map_features([place]),
        "osm_url": f"https://www.openstreetmap.org/?mlat={place.location.y:.6f}&mlon={place.location.x:.6f}#map=17/{place.location.y:.6f}/{place.location.x:.6f}",
        "geo_uri": f"geo:{place.location.y:.6f},{place.location.x:.6f}",
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
