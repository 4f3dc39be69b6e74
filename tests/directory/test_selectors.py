from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point

from directory.models import Competence, Status
from directory.selectors import (
    PlaceFilters,
    count_near,
    filter_places,
    haversine_m,
    is_open,
    places_near,
    published_places,
    search_places,
)
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
VILLEURBANNE = Point(4.8799, 45.7667, srid=4326)

# A deterministic ring of points around Villeurbanne, 0.4 to 40 km away.
OFFSETS = [(0.004 * k * (-1) ** k, 0.003 * k * (1 if k % 3 else -1)) for k in range(1, 31)]
OFFSETS += [(0.3, 0.2), (-0.35, -0.1), (0.45, -0.25)]


@pytest.fixture
def comp():
    return {c.slug: c for c in Competence.objects.all()}


@pytest.fixture
def ring(comp):
    places = []
    for i, (dx, dy) in enumerate(OFFSETS):
        competences = [comp["sejour"]] if i % 2 else [comp["apprentissage-francais"]]
        if i % 5 == 0:
            competences.append(comp["sejour"])
        places.append(
            PlaceFactory(lon=VILLEURBANNE.x + dx, lat=VILLEURBANNE.y + dy, competences=competences)
        )
    return places


def test_nearest_order_agrees_with_haversine(ring):
    found = places_near(VILLEURBANNE, limit=15)
    expected = sorted(ring, key=lambda p: haversine_m(VILLEURBANNE, p.location))[:15]
    assert [p.pk for p in found] == [p.pk for p in expected]
    for place in found:
        # PostGIS measures on the ellipsoid, the haversine on a sphere: within 0.5 %.
        assert place.distance_m == pytest.approx(
            haversine_m(VILLEURBANNE, place.location), rel=5e-3
        )


def test_pages_continue_the_order(ring):
    first = places_near(VILLEURBANNE, limit=10)
    second = places_near(VILLEURBANNE, limit=10, offset=10)
    all_20 = places_near(VILLEURBANNE, limit=20)
    assert [p.pk for p in first + second] == [p.pk for p in all_20]


def test_radius_limits_results(ring):
    within_5km = places_near(VILLEURBANNE, radius_m=5_000, limit=100)
    assert within_5km and all(p.distance_m <= 5_000 for p in within_5km)
    outside = [p for p in ring if haversine_m(VILLEURBANNE, p.location) > 5_100]
    assert not {p.pk for p in outside} & {p.pk for p in within_5km}
    assert count_near(VILLEURBANNE, queryset=published_places(), radius_m=5_000) == len(within_5km)


def test_far_places_found_when_nothing_is_close(ring):
    # From Saint-Étienne, ~50 km away: the nearest are still found, in order.
    saint_etienne = Point(4.3872, 45.4397, srid=4326)
    found = places_near(saint_etienne, limit=3)
    expected = sorted(ring, key=lambda p: haversine_m(saint_etienne, p.location))[:3]
    assert [p.pk for p in found] == [p.pk for p in expected]


def test_several_competences_mean_any(ring, comp):
    any_qs = filter_places(
        published_places(), PlaceFilters(competences=["sejour", "apprentissage-francais"])
    )
    assert any_qs.count() == len(ring)
    only_sejour = filter_places(published_places(), PlaceFilters(competences=["sejour"]))
    assert only_sejour.count() == sum(1 for p in ring if comp["sejour"] in p.competences.all())


def test_competences_all_requires_each(ring, comp):
    both = filter_places(
        published_places(),
        PlaceFilters(competences=["sejour", "apprentissage-francais"], competences_all=True),
    )
    expected = {
        p.pk
        for p in ring
        if {comp["sejour"], comp["apprentissage-francais"]} <= set(p.competences.all())
    }
    assert expected and set(both.values_list("pk", flat=True)) == expected


def test_filtered_nearest_keeps_distance_order(ring):
    qs = filter_places(published_places(), PlaceFilters(competences=["sejour"]))
    found = places_near(VILLEURBANNE, queryset=qs, limit=5)
    assert [p.distance_m for p in found] == sorted(p.distance_m for p in found)
    assert all(p.competences.filter(slug="sejour").exists() for p in found)


def test_unpublished_places_are_not_found(ring):
    ring[0].status = Status.DRAFT
    ring[0].save()
    assert ring[0].pk not in {p.pk for p in places_near(VILLEURBANNE, limit=100)}


def test_region_and_language_filters(ring):
    PlaceFactory(lon=5.3698, lat=43.2965, languages="fr,ar")  # Marseille
    in_paca = filter_places(published_places(), PlaceFilters(region="93"))
    assert [p.commune.code for p in in_paca] == ["13055"]
    assert filter_places(published_places(), PlaceFilters(language="ar")).count() == 1
    assert filter_places(published_places(), PlaceFilters(language="a")).count() == 0


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 23, 10, 0, tzinfo=PARIS), True),  # Monday morning
        (datetime(2026, 11, 23, 13, 0, tzinfo=PARIS), False),  # lunch break
        (datetime(2026, 11, 28, 10, 0, tzinfo=PARIS), False),  # Saturday
        (datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("UTC")), False),  # 10:30 Paris? no: 10:30
    ],
)
def test_open_now_at_fixed_times(moment, expected):
    place = PlaceFactory(opening_hours="Mo-Fr 09:00-12:00,14:00-17:00")
    if moment.tzinfo == ZoneInfo("UTC"):
        # 09:30 UTC is 10:30 in Paris in November: open.
        expected = True
    assert is_open(place, moment) is expected


def test_open_now_filter_in_search():
    open_place = PlaceFactory(opening_hours="Mo-Fr 08:00-18:00", lon=4.88, lat=45.767)
    PlaceFactory(opening_hours="Sa 09:00-12:00", lon=4.881, lat=45.767)
    PlaceFactory(opening_hours="", lon=4.882, lat=45.767)
    result = search_places(
        PlaceFilters(), origin=VILLEURBANNE, open_at=datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
    )
    assert [p.pk for p in result.places] == [open_place.pk]
    assert result.total == 1


def test_commune_follows_from_point():
    place = PlaceFactory(lon=4.8320, lat=45.7578)
    assert place.commune.code == "69123"
    assert place.commune.department.code == "69" and place.commune.region.code == "84"


def test_public_holidays_close_places_marked_ph_off():
    place = PlaceFactory(opening_hours="Mo-Fr 09:00-17:00; PH off")
    assert is_open(place, datetime(2026, 7, 15, 10, 0, tzinfo=PARIS)) is True  # a Wednesday
    assert is_open(place, datetime(2026, 7, 14, 10, 0, tzinfo=PARIS)) is False  # Bastille Day


def test_languages_typed_in_capitals_are_found(ring):
    place = ring[0]
    place.languages = "FR, AR"
    place.full_clean()
    place.save()
    assert place.languages == "fr,ar"
    assert filter_places(published_places(), PlaceFilters(language="ar")).count() == 1


# --- Totals from the cluster tables (directory/tiles/disc.py) ----------------------------


def _corners(code: int, zoom: int):
    import mercantile

    from directory.tiles import grid

    x, y = grid.unmorton(code)
    west, south, east, north = mercantile.bounds(mercantile.Tile(x, y, zoom + grid.CELL_LEVELS))
    return west, south, east, north


@pytest.mark.parametrize("radius_m", [1_000, 5_000, 10_000, 50_000, 200_000])
def test_disc_cells_split_inside_and_edge(radius_m):
    from directory.tiles.disc import disc_cells

    lon, lat = VILLEURBANNE.x, VILLEURBANNE.y
    cells = disc_cells(lon, lat, radius_m)
    assert cells.edge and not set(cells.inside) & set(cells.edge)
    for code in cells.inside:
        west, south, east, north = _corners(code, cells.zoom)
        for x, y in ((west, south), (west, north), (east, south), (east, north)):
            assert haversine_m(VILLEURBANNE, Point(x, y, srid=4326)) <= radius_m
    # Every point of the disc lies in a cell of one list or the other (a ring of points
    # just inside the radius, and the centre).
    import math

    from directory.tiles import grid

    listed = set(cells.inside) | set(cells.edge)
    shift = grid.cell_shift(cells.zoom)
    for k in range(72):
        bearing = math.radians(5 * k)
        d = 0.999 * radius_m / 111_195.0
        x = lon + d * math.sin(bearing) / math.cos(math.radians(lat))
        y = lat + d * math.cos(bearing)
        if haversine_m(VILLEURBANNE, Point(x, y, srid=4326)) <= radius_m:
            assert grid.finest_cell(x, y) >> shift in listed
    assert grid.finest_cell(lon, lat) >> shift in listed
    if radius_m >= 10_000:
        assert len(cells.inside) > len(cells.edge) / 4  # the sums do most of the work


@pytest.fixture
def crowd(comp):
    """40 places within 1.5 km of Villeurbanne, half of them offering "sejour"; 10 farther."""
    near = [
        PlaceFactory(
            lon=4.8799 + 0.0004 * (i % 7) - 0.0012,
            lat=45.7667 + 0.0003 * (i // 7) - 0.0009,
            competences=[comp["sejour"] if i % 2 else comp["apprentissage-francais"]],
        )
        for i in range(40)
    ]
    # Around the edge of a 20 km disc (0.2578° of longitude there): five a little inside,
    # five a little outside, 116 m or more from the edge (beyond the sphere/spheroid gap).
    far = [
        PlaceFactory(
            lon=4.8799 + 0.2578 + 0.003 * (i - 4.5), lat=45.7667, competences=[comp["sejour"]]
        )
        for i in range(10)
    ]
    return near + far


def _brute_count(filters, radius_m):
    return sum(
        1
        for place in filter_places(published_places(), filters)
        if haversine_m(VILLEURBANNE, place.location) <= radius_m
    )


@pytest.mark.parametrize("radius_m", [1_000, 5_000, 20_000, 50_000])
@pytest.mark.parametrize(
    "filters",
    [
        PlaceFilters(),
        PlaceFilters(competences=["sejour"]),
        PlaceFilters(region="84"),
        PlaceFilters(department="69"),
    ],
    ids=["all", "competence", "region", "department"],
)
def test_count_in_disc_is_exact_up_to_the_limit(crowd, filters, radius_m):
    from django.db import connection

    from directory.selectors import cluster_dimension
    from directory.tiles.disc import count_in_disc

    dimension = cluster_dimension(filters)
    exact = count_near(
        VILLEURBANNE,
        queryset=filter_places(published_places(), filters),
        radius_m=radius_m,
    )
    assert exact == _brute_count(filters, radius_m)  # the points are not on the edge itself
    counted = count_in_disc(VILLEURBANNE.x, VILLEURBANNE.y, radius_m, dimension, 1000)
    if connection.vendor == "postgresql":
        assert counted == exact
    else:  # SpatiaLite: only the inside sums, when they pass the limit
        assert counted is None or counted == 1000
    small = count_in_disc(VILLEURBANNE.x, VILLEURBANNE.y, radius_m, dimension, 3)
    if connection.vendor == "postgresql":
        assert small == min(exact, 3)
    else:
        assert small is None or (small == 3 and exact >= 3)


def test_count_in_disc_leaves_a_crowded_edge_to_the_caller(crowd, monkeypatch):
    """Past EDGE_SCAN_MAX places in the edge cells, PostGIS does not scan them: None."""
    from django.db import connection

    from directory.tiles import disc

    if connection.vendor != "postgresql":
        pytest.skip("the edge scan is PostGIS SQL")
    dimension = ("all", 0)
    args = (VILLEURBANNE.x, VILLEURBANNE.y, 20_000, dimension)
    assert disc.count_in_disc(*args, 1000) == _brute_count(PlaceFilters(), 20_000)
    monkeypatch.setattr(disc, "EDGE_SCAN_MAX", 0)
    assert disc.count_in_disc(*args, 1000) is None
    assert disc.count_in_disc(*args, 1) == 1  # the inside cells pass the limit: no scan


@pytest.mark.parametrize(
    "filters, from_clusters",
    [
        (PlaceFilters(), True),
        (PlaceFilters(competences=["sejour"]), True),
        (PlaceFilters(bbox=(4.6, 45.6, 5.2, 45.9)), False),  # no cluster dimension for a box
    ],
)
def test_search_totals_from_clusters(crowd, monkeypatch, filters, from_clusters):
    import directory.selectors as selectors

    counted = []
    real_count_near = selectors.count_near
    monkeypatch.setattr(
        selectors, "count_near", lambda *a, **k: counted.append(1) or real_count_near(*a, **k)
    )
    page = search_places(filters, origin=VILLEURBANNE, radius_km=20, page_size=5, count_cap=10)
    assert (page.total, page.capped) == (10, True)
    assert len(page.places) == 5
    assert bool(counted) is not from_clusters
    page = search_places(filters, origin=VILLEURBANNE, radius_km=20, page_size=5, count_cap=100)
    assert page.capped is False and page.total == _brute_count(filters, 20_000)


def test_archived_places_leave_the_counts(crowd):
    for place in crowd[:5]:
        place.status = Status.ARCHIVED
        place.save()
    page = search_places(
        PlaceFilters(), origin=VILLEURBANNE, radius_km=20, page_size=5, count_cap=100
    )
    assert (page.total, page.capped) == (_brute_count(PlaceFilters(), 20_000), False)
    assert page.total == 40  # 35 near, 5 of the far ones inside 20 km


@pytest.mark.parametrize("radius_km", [5, 50])
@pytest.mark.parametrize("slugs", [["sejour"], ["sejour", "apprentissage-francais"]])
def test_few_places_sorted_give_the_walk_s_pages(ring, crowd, monkeypatch, radius_km, slugs):
    """A rare filter's places sorted by distance: the same pages and totals as the KNN walk."""
    import directory.selectors as selectors

    filters = PlaceFilters(competences=slugs)
    pages = {}
    for few in (False, True):
        monkeypatch.setattr(selectors, "few_places", lambda f, wanted, few=few: few)
        pages[few] = [
            search_places(filters, origin=VILLEURBANNE, radius_km=radius_km, page=n, page_size=7)
            for n in (1, 2, 3)
        ]
    # Places at the same distance may come in either order (the walk has no tie-break).
    for walked, sorted_ in zip(pages[False], pages[True], strict=True):
        assert [p.distance_m for p in sorted_.places] == [p.distance_m for p in walked.places]
        assert (sorted_.total, sorted_.capped) == (walked.total, walked.capped)
    assert pages[True][0].total > 7
    whole = {}
    for few in (False, True):
        monkeypatch.setattr(selectors, "few_places", lambda f, wanted, few=few: few)
        found = search_places(filters, origin=VILLEURBANNE, radius_km=radius_km, page_size=200)
        whole[few] = {p.pk for p in found.places}
    assert whole[True] == whole[False]


def test_few_places_compares_the_filter_with_all_places(crowd):
    from directory.selectors import few_places

    # 50 places, 30 offering "sejour", 20 "apprentissage-francais": 20² ≤ 10 × 50 < 30².
    assert few_places(PlaceFilters(competences=["apprentissage-francais"]), 10)
    assert not few_places(PlaceFilters(competences=["sejour"]), 10)
    assert not few_places(PlaceFilters(), 20)
