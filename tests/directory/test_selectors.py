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
