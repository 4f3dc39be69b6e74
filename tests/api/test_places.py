"""GET /api/v1/places/: the GeoJSON of published places, each filter alone and combined."""

import pytest
from django.contrib.gis.geos import Point

from directory.selectors import count_near, haversine_m, published_places

from .support import PLACES, VILLEURBANNE, name_set, names

pytestmark = pytest.mark.django_db

PROPERTIES = {
    "id",
    "slug",
    "name",
    "url",
    "organisation",
    "kinds",
    "competences",
    "address",
    "postal_code",
    "commune",
    "department",
    "region",
    "opening_hours",
    "open_now",
    "appointment_only",
    "languages",
    "interpreting",
    "wheelchair",
    "phone",
    "email",
    "website",
    "last_verified",
    "updated_at",
}
PUBLISHED = {
    "Maison des langues de Villeurbanne",
    "Permanence juridique",
    "Accueil Marseille",
    "Santé Saint-Étienne",
    "Accueil Cergy",
    "Droits des étrangers Bourg",
}


def test_feature_collection_of_published_places(api, directory):
    response = api.get(PLACES)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["count"] == 6 and body["next"] is None and body["previous"] is None
    assert name_set(response) == PUBLISHED  # the draft is not there
    assert names(response) == sorted(names(response))  # by name


def test_feature_shape(api, directory):
    place = directory["villeurbanne"]
    feature = next(f for f in api.get(PLACES).json()["features"] if f["id"] == place.pk)
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [4.8799, 45.7667]}
    props = feature["properties"]
    assert set(props) == PROPERTIES  # no distance_m without a point to measure from
    assert props["id"] == place.pk
    assert props["url"] == f"http://testserver/annuaire/lieux/{place.slug}/"
    assert props["organisation"] == {
        "id": place.organisation.pk,
        "name": "Centre ressources Rhône",
        "slug": "centre-rhone",
    }
    assert props["kinds"] == ["maison-des-langues"]
    assert props["competences"] == ["apprentissage-francais"]
    assert props["commune"] == {"code": "69266", "name": "Villeurbanne"}
    assert (props["department"], props["region"]) == ("69", "84")
    assert props["languages"] == ["fr", "ar"]
    assert props["open_now"] is True and props["opening_hours"] == "24/7"
    assert "Villeurbanne" in props["address"]


def test_json_media_type_on_request(api, directory):
    response = api.get(PLACES, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["type"] == "FeatureCollection"


# --- each filter alone ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "competence=sejour",
            {"Permanence juridique", "Accueil Marseille", "Droits des étrangers Bourg"},
        ),
        # several competences: ANY of them, as a comma list or a repeated parameter
        (
            "competence=sante,accueil-orientation",
            {"Santé Saint-Étienne", "Accueil Cergy"},
        ),
        (
            "competence=sante&competence=accueil-orientation",
            {"Santé Saint-Étienne", "Accueil Cergy"},
        ),
        (
            "competence=sejour,apprentissage-francais&competence_match=all",
            {"Accueil Marseille"},
        ),
        (
            "kind=point-acces-droits-etrangers",
            {"Permanence juridique", "Droits des étrangers Bourg"},
        ),
        (
            "kind=acces-sante,maison-des-langues",
            {"Santé Saint-Étienne", "Maison des langues de Villeurbanne"},
        ),
        (
            "region=84",
            {
                "Maison des langues de Villeurbanne",
                "Permanence juridique",
                "Santé Saint-Étienne",
                "Droits des étrangers Bourg",
            },
        ),
        ("region=93", {"Accueil Marseille"}),
        ("department=69", {"Maison des langues de Villeurbanne", "Permanence juridique"}),
        ("department=95", {"Accueil Cergy"}),
        ("commune=69266", {"Maison des langues de Villeurbanne"}),
        # Lyon and Villeurbanne, not Saint-Étienne (4.39) nor Bourg (46.2)
        ("bbox=4.7,45.6,5.0,45.9", {"Maison des langues de Villeurbanne", "Permanence juridique"}),
        ("bbox=-5,42,10,51", PUBLISHED),
        ("bbox=0,0,1,1", set()),
        (
            "open_now=true",
            {
                "Maison des langues de Villeurbanne",
                "Accueil Marseille",
                "Accueil Cergy",
                "Droits des étrangers Bourg",
            },
        ),  # fmt: skip
        ("open_now=false", PUBLISHED),
        ("language=ar", {"Maison des langues de Villeurbanne", "Accueil Marseille"}),
        ("language=ES", {"Accueil Marseille"}),
        ("language=en", {"Permanence juridique"}),
        ("q=accueil", {"Accueil Marseille", "Accueil Cergy"}),
        ("q=forum", {"Permanence juridique", "Droits des étrangers Bourg"}),  # organisation
        ("q=zzzz", set()),
        ("unknown_parameter=1&competence=sante", {"Santé Saint-Étienne"}),
    ],
)
def test_each_filter_alone(api, directory, query, expected):
    response = api.get(f"{PLACES}?{query}")
    assert response.status_code == 200, response.content
    assert name_set(response) == expected
    assert response.json()["count"] == len(expected)


def test_near_alone_sorts_by_distance(api, directory):
    response = api.get(PLACES, {"near": "4.8799,45.7667", "radius": "200"})
    assert response.status_code == 200
    assert names(response) == [
        "Maison des langues de Villeurbanne",
        "Permanence juridique",
        "Santé Saint-Étienne",
        "Droits des étrangers Bourg",
    ]
    body = response.json()
    assert body["origin"] == {"lon": 4.8799, "lat": 45.7667, "label": "", "radius_km": 200.0}
    distances = [f["properties"]["distance_m"] for f in body["features"]]
    assert distances[0] == pytest.approx(0, abs=1)
    assert distances == sorted(distances)


def test_radius_defaults_to_10_km(api, directory):
    response = api.get(PLACES, {"near": "4.8799,45.7667"})
    assert names(response) == ["Maison des langues de Villeurbanne", "Permanence juridique"]
    assert response.json()["origin"]["radius_km"] == 10.0
    # Lyon's place is ~3.4 km away
    assert names(api.get(PLACES, {"near": "4.8799,45.7667", "radius": "2"})) == [
        "Maison des langues de Villeurbanne"
    ]


def test_address_is_geocoded_offline_by_the_gazetteer(api, directory):
    # The online geocoder is unreachable in tests: the chain falls back to the gazetteer.
    response = api.get(PLACES, {"address": "Villeurbanne", "radius": "5"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert "Villeurbanne" in body["origin"]["label"]
    assert names(response) == ["Maison des langues de Villeurbanne", "Permanence juridique"]
    assert all("distance_m" in f["properties"] for f in body["features"])


def test_address_not_found_names_address(api, directory):
    response = api.get(PLACES, {"address": "Zzyqxw Introuvable"})
    assert response.status_code == 400
    assert "introuvable" in response.json()["address"][0]


# --- combined filters -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("competence=sejour&region=84", {"Permanence juridique", "Droits des étrangers Bourg"}),
        ("competence=sejour&region=84&language=en", {"Permanence juridique"}),
        ("competence=sejour&open_now=true", {"Accueil Marseille", "Droits des étrangers Bourg"}),
        ("kind=accueil-primo-arrivants&department=13", {"Accueil Marseille"}),
        ("q=forum&department=01", {"Droits des étrangers Bourg"}),
        (
            "competence=apprentissage-francais&bbox=4,45,6,46",
            {"Maison des langues de Villeurbanne"},
        ),
        (
            "near=4.8799,45.7667&radius=100&competence=sejour",
            {"Permanence juridique", "Droits des étrangers Bourg"},
        ),  # fmt: skip
        (
            "near=4.8799,45.7667&radius=100&open_now=true",
            {"Maison des langues de Villeurbanne", "Droits des étrangers Bourg"},
        ),  # fmt: skip
        ("address=Villeurbanne&radius=100&kind=acces-sante", {"Santé Saint-Étienne"}),
        (
            "near=4.8799,45.7667&radius=200&bbox=4.5,45,6,47",
            {
                "Maison des langues de Villeurbanne",
                "Permanence juridique",
                "Droits des étrangers Bourg",
            },
        ),  # fmt: skip
        (
            "near=5.37,43.3&radius=50&competence=sejour&competence_match=all&language=ar",
            {"Accueil Marseille"},
        ),  # fmt: skip
    ],
)
def test_filters_combined(api, directory, query, expected):
    response = api.get(f"{PLACES}?{query}")
    assert response.status_code == 200, response.content
    assert name_set(response) == expected
    assert response.json()["count"] == len(expected)


# --- distances, order and pages around a point ----------------------------------------


def test_distances_agree_with_haversine_nearest_first(api, ring):
    response = api.get(PLACES, {"near": "4.8799,45.7667", "radius": "200", "page_size": 200})
    features = response.json()["features"]
    assert len(features) == len(ring)
    expected = sorted(ring, key=lambda p: haversine_m(VILLEURBANNE, p.location))
    assert [f["id"] for f in features] == [p.pk for p in expected]
    by_id = {p.pk: p for p in ring}
    for feature in features:
        exact = haversine_m(VILLEURBANNE, by_id[feature["id"]].location)
        # PostGIS measures on the ellipsoid, the haversine on a sphere: within 0.5 %.
        assert feature["properties"]["distance_m"] == pytest.approx(exact, rel=5e-3)


def test_pages_around_a_point_continue_the_order(api, ring):
    params = {
        "near": "4.8799,45.7667",
        "radius": "20",
        "competence": "sejour,apprentissage-francais",
    }
    whole = api.get(PLACES, {**params, "page_size": 24}).json()
    first = api.get(PLACES, {**params, "page_size": 10}).json()
    assert first["next"] is not None and first["previous"] is None
    second = api.get(first["next"]).json()
    assert "page=2" in first["next"] and "near=" in first["next"]
    third = api.get(PLACES, {**params, "page_size": 10, "page": 3}).json()
    ids = [f["id"] for page in (first, second, third) for f in page["features"]]
    assert ids[:24] == [f["id"] for f in whole["features"]]
    within = [p for p in ring if haversine_m(VILLEURBANNE, p.location) <= 20_000]
    assert first["count"] == second["count"] == len(within)
    assert len(ids) == len(within)
    distances = [
        f["properties"]["distance_m"] for p in (first, second, third) for f in p["features"]
    ]
    assert distances == sorted(distances)


def test_count_around_a_point_comes_from_count_near(api, ring):
    body = api.get(PLACES, {"near": "4.8799,45.7667", "radius": "5", "page_size": 3}).json()
    assert body["count"] == count_near(VILLEURBANNE, queryset=published_places(), radius_m=5_000)
    assert len(body["features"]) == 3


def test_count_of_a_partial_page_needs_no_count_query(api, ring):
    total = count_near(VILLEURBANNE, queryset=published_places(), radius_m=5_000)
    body = api.get(PLACES, {"near": "4.8799,45.7667", "radius": "5", "page_size": 200}).json()
    assert body["count"] == len(body["features"]) == total
    last = (total - 1) // 3 + 1
    body = api.get(PLACES, {"near": "4.8799,45.7667", "radius": "5", "page_size": 3, "page": last})
    assert body.json()["count"] == total and body.json()["next"] is None


def test_open_now_around_a_point(api, ring):
    response = api.get(PLACES, {"near": "4.8799,45.7667", "radius": "200", "open_now": "true",
                                "page_size": 5})  # fmt: skip
    body = response.json()
    open_ring = [p for i, p in enumerate(ring) if i % 3]
    assert body["count"] == len(open_ring)
    expected = sorted(open_ring, key=lambda p: haversine_m(VILLEURBANNE, p.location))[:5]
    assert [f["id"] for f in body["features"]] == [p.pk for p in expected]
    assert all(f["properties"]["open_now"] for f in body["features"])


def test_page_beyond_the_last_is_404(api, ring):
    response = api.get(PLACES, {"near": "4.8799,45.7667", "radius": "1", "page": 50})
    assert response.status_code == 404
    assert api.get(PLACES, {"page": 50}).status_code == 404


def test_empty_search_around_a_point(api, ring):
    body = api.get(PLACES, {"near": "-1.5,47.2", "radius": "1"}).json()  # Nantes
    assert body["count"] == 0 and body["features"] == []


def test_pages_without_a_point(api, ring):
    first = api.get(PLACES, {"page_size": 20}).json()
    second = api.get(first["next"]).json()
    assert first["count"] == len(ring)
    ids = [f["id"] for f in first["features"] + second["features"]]
    assert len(ids) == len(set(ids)) == len(ring)


# --- detail ---------------------------------------------------------------------------


def test_detail_of_a_published_place(api, directory):
    place = directory["lyon"]
    response = api.get(f"{PLACES}{place.pk}/")
    assert response.status_code == 200
    feature = response.json()
    assert feature["type"] == "Feature" and feature["id"] == place.pk
    assert set(feature["properties"]) == PROPERTIES
    assert set(feature["properties"]["competences"]) == {"sejour", "conseil-juridique"}
    assert feature["properties"]["open_now"] is False


def test_detail_of_a_draft_or_unknown_place_is_404(api, directory):
    assert api.get(f"{PLACES}{directory['draft'].pk}/").status_code == 404
    assert api.get(f"{PLACES}999999/").status_code == 404
    assert api.get(f"{PLACES}abc/").status_code == 404


def test_writes_are_refused(api, directory):
    assert api.post(PLACES, {"name": "x"}, format="json").status_code in (403, 405)
    place = directory["lyon"]
    assert api.delete(f"{PLACES}{place.pk}/").status_code in (403, 405)
    assert api.put(f"{PLACES}{place.pk}/", {}, format="json").status_code in (403, 405)


@pytest.mark.parametrize("around", [False, True])
def test_written_features_equal_the_declared_fields(rf, directory, around):
    """The hand-written feature (speed) says exactly what the declared fields say."""
    from django.utils import timezone

    from directory.api.serializers import PlaceFeatureSerializer
    from directory.api.views import _attach_vocabularies
    from directory.selectors import with_page_related

    places = list(with_page_related(published_places()))
    places[0].last_verified = None  # a null date, and an unplaced one
    places[1].commune = None
    places[1].commune_id = None
    if around:
        for place in places:
            place.distance_m = 1234.5
    _attach_vocabularies(places)
    request = rf.get(PLACES)
    serializer = PlaceFeatureSerializer(context={"request": request, "now": timezone.now()})
    assert len(places) == 6
    for place in places:
        written = serializer.to_representation(place)
        declared = serializer.declared_representation(place)
        assert written == declared
        assert list(written["properties"]) == list(declared["properties"])
        assert ("distance_m" in written["properties"]) is around


def test_light_page_rows_give_the_same_features_as_model_instances(rf, directory):
    """Around a point on PostGIS, the API serialises PageRows read by one raw query
    (selectors._page_rows); they must write exactly what the model instances write."""
    from django.db import connection
    from django.utils import timezone

    from directory.api.serializers import PlaceFeatureSerializer
    from directory.api.views import _attach_vocabularies
    from directory.models import Place
    from directory.selectors import PlaceFilters, search_places

    if connection.vendor != "postgresql":
        pytest.skip("PageRows are the PostGIS path; SpatiaLite gives model instances")
    unplaced = Place.objects.get(name="Permanence juridique")
    Place.objects.filter(pk=unplaced.pk).update(commune=None, city="Hors commune")
    origin = Point(*VILLEURBANNE, srid=4326)
    pages = {
        light: search_places(PlaceFilters(), origin=origin, radius_km=200, light=light)
        for light in (False, True)
    }
    assert type(pages[True].places[0]).__name__ == "PageRow"
    assert isinstance(pages[False].places[0], Place)
    request = rf.get(PLACES)
    now = timezone.now()
    written = {}
    for light, page in pages.items():
        _attach_vocabularies(page.places)
        serializer = PlaceFeatureSerializer(context={"request": request, "now": now})
        written[light] = [serializer.to_representation(place) for place in page.places]
    assert written[True] == written[False]
    assert len(written[True]) >= 4
    assert any(f["properties"]["commune"] is None for f in written[True])
    assert (pages[True].total, pages[True].capped) == (pages[False].total, pages[False].capped)
