"""The search page, the API and the embed share one search (`directory.selectors.search_places`).

For the same filters, "open now" and radius, all three must return the same places
in the same order, and agree on how many there are, on both databases.
"""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from rest_framework.test import APIClient

from directory.models import Competence, Kind
from directory.selectors import PlaceFilters, search_places
from tests.factories import OrganisationFactory, PlaceFactory

pytestmark = pytest.mark.django_db

PAGE = 20  # the search page's page size; the API is asked for the same
EMBED_NEAR_LIMIT = 50  # embeds.selectors.SEARCH_LIMIT
ADDRESS = "Villeurbanne"  # resolved by the offline gazetteer (online geocoders are stubbed)
COMPETENCES = ["sejour", "apprentissage-francais", "conseil-juridique"]
KINDS = ["maison-des-langues", "point-acces-droit"]

# (lon, lat) around Villeurbanne (0.3 to ~60 km: Rhône, Ain, Loire), plus far ones.
RING = [
    (4.8799 + 0.004 * k * (-1) ** k, 45.7667 + 0.003 * k * (1 if k % 3 else -1))
    for k in range(1, 41)
]
RING += [(5.2, 46.0), (4.4, 45.45), (4.39, 45.43), (5.37, 43.30), (2.25, 49.03)]


@pytest.fixture
def places():
    competence = {c.slug: c for c in Competence.objects.filter(slug__in=COMPETENCES)}
    kind = {k.slug: k for k in Kind.objects.filter(slug__in=KINDS)}
    organisations = [OrganisationFactory(), OrganisationFactory()]
    created = []
    for i, (lon, lat) in enumerate(RING):
        offered = [competence[COMPETENCES[i % 3]]]
        if i % 4 == 0:
            offered.append(competence[COMPETENCES[(i + 1) % 3]])
        created.append(
            PlaceFactory(
                # Names repeat, so the name order needs its id tie-break.
                name=f"Lieu {'ABCDEFG'[i % 7]}",
                lon=lon,
                lat=lat,
                organisation=organisations[i % 2],
                competences=offered,
                kinds=[kind[KINDS[i % 2]]] if i % 5 else [],
                # 24/7 or no hours at all: "open now" is the same at any moment.
                opening_hours="24/7" if i % 3 != 1 else "",
            )
        )
    return created


FILTERS = {
    "none": {},
    "one-competence": {"competence": ["sejour"]},
    "two-competences": {"competence": ["sejour", "conseil-juridique"]},
    "kind": {"kind": "maison-des-langues"},
    "region": {"region": "84"},
    "department": {"department": "42"},
    "competence-in-department": {"competence": ["apprentissage-francais"], "department": "69"},
}
ORIGINS = {"by-name": None, "2km": 2, "10km": 10, "50km": 50}


def _page_ids(client, filters, open_now, radius, page=1):
    params = {key: value for key, value in filters.items()}
    if open_now:
        params["open_now"] = "on"
    if radius is not None:
        params.update(q=ADDRESS, radius=radius)
    response = client.get("/annuaire/", {**params, "page": page})
    assert response.status_code == 200
    return [p.pk for p in response.context["results"]], response.context["total"]


def _api_ids(filters, open_now, radius, page=1):
    params = {key: ",".join(v) if isinstance(v, list) else v for key, v in filters.items()}
    if open_now:
        params["open_now"] = "true"
    if radius is not None:
        params.update(address=ADDRESS, radius=radius)
    response = APIClient().get("/api/v1/places/", {**params, "page_size": PAGE, "page": page})
    assert response.status_code == 200, response.content
    body = response.json()
    return [f["id"] for f in body["features"]], body["count"]


def _embed_ids(client, filters, open_now, radius):
    params = {key: ",".join(v) if isinstance(v, list) else v for key, v in filters.items()}
    if open_now:
        params["open"] = "1"
    if radius is not None:
        params.update(search="1", q=ADDRESS, radius=radius)
    response = client.get("/embed/", params)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.context["map_data"]["places"]]


@pytest.mark.parametrize("radius", ORIGINS.values(), ids=ORIGINS.keys())
@pytest.mark.parametrize("open_now", [False, True], ids=["any-time", "open-now"])
@pytest.mark.parametrize("filters", FILTERS.values(), ids=FILTERS.keys())
def test_page_api_and_embed_return_the_same_places_in_the_same_order(
    client, places, filters, open_now, radius
):
    page_ids, page_total = _page_ids(client, filters, open_now, radius)
    api_ids, api_total = _api_ids(filters, open_now, radius)
    embed_ids = _embed_ids(client, filters, open_now, radius)

    assert page_ids == api_ids
    assert page_total == api_total
    assert embed_ids[:PAGE] == page_ids
    limit = EMBED_NEAR_LIMIT if radius is not None else 2000
    assert len(embed_ids) == min(page_total, limit)
    if page_total > PAGE:  # the second pages agree too
        assert (
            _page_ids(client, filters, open_now, radius, page=2)[0]
            == (_api_ids(filters, open_now, radius, page=2)[0])
        )
        assert embed_ids[PAGE : 2 * PAGE] == _page_ids(client, filters, open_now, radius, 2)[0]


def test_the_cases_are_not_trivial(client, places):
    """Each dimension of the table above changes the result somewhere."""
    everything = _api_ids({}, False, None)[1]
    assert everything == len(RING)
    assert 0 < _api_ids({}, True, None)[1] < everything
    near = [_api_ids({}, False, radius)[1] for radius in (2, 10, 50)]
    assert 0 < near[0] < near[1] < near[2] < everything
    for filters in list(FILTERS.values())[1:]:
        assert 0 < _api_ids(filters, False, None)[1] < everything


def test_search_places_orders_by_distance_then_pages(places):
    origin = Point(4.8799, 45.7667, srid=4326)
    first = search_places(PlaceFilters(), origin=origin, radius_km=50, page=1, page_size=7)
    second = search_places(PlaceFilters(), origin=origin, radius_km=50, page=2, page_size=7)
    distances = [p.distance_m for p in first.places + second.places]
    assert distances == sorted(distances) and len(distances) == 14
    assert first.total == second.total > 14
    assert not {p.pk for p in first.places} & {p.pk for p in second.places}


def test_a_page_past_the_end_is_empty_or_the_last(places):
    origin = Point(4.8799, 45.7667, srid=4326)
    past = search_places(PlaceFilters(), origin=origin, radius_km=10, page=50, page_size=10)
    assert past.places == [] and past.total > 0
    last = search_places(
        PlaceFilters(),
        origin=origin,
        radius_km=10,
        page=50,
        page_size=10,
        last_page_if_past_end=True,
    )
    assert last.number == last.last_number and 0 < len(last.places) <= 10
    by_name = search_places(PlaceFilters(), page=99, page_size=10, last_page_if_past_end=True)
    assert by_name.number == 5 and len(by_name.places) == len(RING) - 40


@pytest.mark.parametrize("radius", [None, 50], ids=["by-name", "near"])
def test_totals_are_exact_up_to_the_cap(client, places, monkeypatch, radius):
    origin = Point(4.8799, 45.7667, srid=4326) if radius else None
    exact = search_places(PlaceFilters(), origin=origin, radius_km=radius or 10, page_size=5)
    assert exact.total > 12 and not exact.capped
    capped = search_places(
        PlaceFilters(), origin=origin, radius_km=radius or 10, page_size=5, count_cap=12
    )
    assert (capped.total, capped.capped) == (12, True)
    assert [p.pk for p in capped.places] == [p.pk for p in exact.places]
    # Past the cap, full pages still lead to the next one.
    deep = search_places(
        PlaceFilters(), origin=origin, radius_km=radius or 10, page=3, page_size=5, count_cap=12
    )
    assert deep.capped and len(deep.places) == 5 and deep.pageable_rows > 15

    monkeypatch.setattr("directory.selectors.COUNT_CAP", 12)
    params = {"page_size": 5, **({"near": "4.8799,45.7667", "radius": radius} if radius else {})}
    body = APIClient().get("/api/v1/places/", params).json()
    assert (body["count"], body["count_capped"]) == (12, True)
    assert body["next"] and len(body["features"]) == 5
    # The page shows 20 places: at least that many, said so.
    page = client.get("/annuaire/", {"q": ADDRESS, "radius": radius} if radius else {"kind": ""})
    if radius:
        assert "Plus de 20 lieux trouvés" in page.content.decode()
    else:
        assert page.context["total_capped"] and page.context["total"] == 20


def test_pages_by_name_follow_next_by_keyset(places):
    """`next` carries a cursor (name, id): following it walks every place once, in order."""
    api = APIClient()
    expected = [p.pk for p in sorted(places, key=lambda p: (p.name, p.pk))]
    seen, url, pages = [], "/api/v1/places/?page_size=7", 0
    while url:
        body = api.get(url).json()
        seen += [f["id"] for f in body["features"]]
        url, pages = body["next"], pages + 1
        assert url is None or ("cursor=" in url and "page=" not in url.replace("page_size", ""))
    assert seen == expected and pages == -(-len(expected) // 7)
    by_page = api.get("/api/v1/places/", {"page_size": 7, "page": 3}).json()
    assert [f["id"] for f in by_page["features"]] == expected[14:21]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"cursor": "%%%"}, "Curseur invalide"),
        ({"cursor": "WzEsMl0"}, "Curseur invalide"),  # [1,2]: not (name, id)
        ({"cursor": "WyJhIiwxXQ", "near": "4.88,45.76"}, "sans near ni address"),
        ({"cursor": "WyJhIiwxXQ", "page": 2}, "page ou cursor"),
    ],
)
def test_bad_cursors_are_a_400_that_says_why(params, message):
    response = APIClient().get("/api/v1/places/", params)
    assert response.status_code == 400
    assert message in response.json()["cursor"][0]


# --- The API's nearest page on PostGIS: its filters written as SQL (directory/place_sql.py) ---

WRITTEN_FILTERS = {
    "none": PlaceFilters(),
    "one-competence": PlaceFilters(competences=["sejour"]),
    "two-competences": PlaceFilters(competences=["sejour", "conseil-juridique"]),
    "all-competences": PlaceFilters(
        competences=["sejour", "apprentissage-francais"], competences_all=True
    ),
    "all-with-unknown": PlaceFilters(competences=["sejour", "inconnue"], competences_all=True),
    "unknown-competence": PlaceFilters(competences=["inconnue"]),
    "kinds": PlaceFilters(kinds=["maison-des-langues", "point-acces-droit"]),
    "unknown-kind": PlaceFilters(kinds=["inconnu"]),
    "region": PlaceFilters(region="84"),
    "department": PlaceFilters(department="42"),
    "commune": PlaceFilters(commune="69266"),
    "language": PlaceFilters(language="AR"),
    "text-in-place-name": PlaceFilters(text="lieu b"),
    "text-in-organisation": PlaceFilters(text="Centre_100%"),
    "bbox": PlaceFilters(bbox=(4.85, 45.74, 4.95, 45.80)),
    "fresh": PlaceFilters(fresh=True),
    "everything-at-once": PlaceFilters(
        competences=["sejour", "apprentissage-francais"],
        region="84",
        department="69",
        language="ar",
        text="lieu",
        bbox=(4.0, 45.0, 5.5, 46.5),
        fresh=True,
    ),
}


@pytest.fixture
def varied(places):
    """The ring, with what the other filters read: languages, verification dates, an
    organisation whose name holds LIKE's wildcards, and drafts that no filter may show."""
    from datetime import timedelta

    from django.utils import timezone

    from directory.models import Place, Status

    today = timezone.localdate()
    for i, place in enumerate(places):
        updates = {}
        if i % 3 == 0:
            updates["languages"] = "fr, ar" if i % 2 else "ar"
        elif i % 3 == 1:
            updates["languages"] = "fr;arc"  # Aramaic: not Arabic
        if i % 4 != 3:
            updates["last_verified"] = today - timedelta(days=30 * (i % 10))
        if i % 11 == 5:
            updates["status"] = Status.DRAFT
        Place.objects.filter(pk=place.pk).update(**updates)
    wildcard = OrganisationFactory(name="Centre_100% accueil")
    Place.objects.filter(pk__in=[places[2].pk, places[9].pk]).update(organisation=wildcard)
    OrganisationFactory(name="Centrex1000 accueil")  # what an unescaped _ or % would match
    return places


@pytest.mark.parametrize("filters", WRITTEN_FILTERS.values(), ids=WRITTEN_FILTERS.keys())
def test_written_filters_select_the_places_of_the_orm_filters(varied, filters):
    from django.db import connection

    from directory import place_sql
    from directory.selectors import filter_places, published_places

    if connection.vendor != "postgresql":
        pytest.skip("place_sql is the PostGIS path of the API's nearest page")
    expected = set(filter_places(published_places(), filters).values_list("pk", flat=True))
    where, params = place_sql.where_sql(filters)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT p.id FROM {place_sql.PLACE} p WHERE {where}", params)
        written = {row[0] for row in cursor.fetchall()}
    assert written == expected
    if "unknown" not in str(filters) and "inconnu" not in str(filters):
        assert 0 < len(expected) < len(varied)  # each case keeps some places, not all


@pytest.mark.parametrize("few", [False, True], ids=["index-walk", "sorted"])
@pytest.mark.parametrize("filters", WRITTEN_FILTERS.values(), ids=WRITTEN_FILTERS.keys())
def test_the_light_nearest_page_is_the_querysets_page(varied, monkeypatch, filters, few):
    """search_places(light=True), the API's path, walks SQL written by place_sql; the same
    search through the ORM gives the same places, distances and totals, page after page."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("place_sql is the PostGIS path of the API's nearest page")
    monkeypatch.setattr("directory.selectors.few_places", lambda *args: few)
    origin = Point(4.8799, 45.7667, srid=4326)
    for page in (1, 2):
        pages = {
            light: search_places(
                filters, origin=origin, radius_km=50, page=page, page_size=6, light=light
            )
            for light in (False, True)
        }
        assert [(p.pk, p.distance_m) for p in pages[True].places] == [
            (p.pk, p.distance_m) for p in pages[False].places
        ]
        assert (pages[True].total, pages[True].capped) == (pages[False].total, pages[False].capped)


def test_a_rare_filters_page_counts_its_total_up_to_the_cap(places, monkeypatch):
    """For a rare filter the page's statement counts too (place_sql.few_page_sql)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("place_sql is the PostGIS path of the API's nearest page")
    monkeypatch.setattr("directory.selectors.few_places", lambda *args: True)
    origin = Point(4.8799, 45.7667, srid=4326)
    search = {"origin": origin, "radius_km": 50, "page_size": 5, "light": True}
    exact = search_places(PlaceFilters(), **search)
    assert exact.total > 12 and not exact.capped
    capped = search_places(PlaceFilters(), count_cap=12, **search)
    assert (capped.total, capped.capped) == (12, True)
    assert [p.pk for p in capped.places] == [p.pk for p in exact.places]
    deep = search_places(PlaceFilters(), page=4, count_cap=12, **search)
    assert deep.capped and len(deep.places) == 5 and deep.pageable_rows > 20
