import pytest
from django.urls import reverse

from directory.models import Competence, Status
from tests.factories import OrganisationFactory, PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    sejour = Competence.objects.get(slug="sejour")
    francais = Competence.objects.get(slug="apprentissage-francais")
    org = OrganisationFactory(name="Accueil Rhône")
    near = PlaceFactory(
        name="Point droits Gratte-Ciel",
        organisation=org,
        lon=4.8805,
        lat=45.7670,
        competences=[sejour],
    )
    mid = PlaceFactory(
        name="Maison des langues Lyon 3",
        organisation=org,
        lon=4.8500,
        lat=45.7580,
        competences=[francais],
    )
    far = PlaceFactory(name="Permanence Vénissieux", lon=4.8870, lat=45.6970, competences=[sejour])
    draft = PlaceFactory(
        name="Brouillon", lon=4.8801, lat=45.7668, competences=[sejour], status=Status.DRAFT
    )
    return near, mid, far, draft


def search(client, **params):
    return client.get(reverse("directory:search"), params)


def test_search_by_commune_sorted_by_distance(client, places):
    near, mid, far, draft = places
    response = search(client, q="Villeurbanne", radius=20)
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(p.name) for p in (near, mid, far)]
    assert positions == sorted(positions)
    assert draft.name not in html
    assert "3 lieux trouvés" in html
    assert response.context["precision"] == "commune"


def test_competence_filter(client, places):
    near, mid, far, _ = places
    html = search(client, q="Villeurbanne", radius=20, competence="sejour").content.decode()
    assert near.name in html and far.name in html and mid.name not in html


def test_my_position(client, places):
    near, *_ = places
    response = search(client, lat=45.7670, lon=4.8805, radius=1)
    assert [p.pk for p in response.context["results"]] == [near.pk]


def test_map_and_list_share_the_same_places(client, places):
    response = search(client, q="69100", radius=20)
    assert [f["id"] for f in response.context["map_data"]] == [
        p.pk for p in response.context["results"]
    ]


@pytest.mark.parametrize("radius", ["0", "0.05", "250", "-3", "abc"])
def test_radius_outside_bounds_is_a_form_error(client, radius):
    response = search(client, q="Villeurbanne", radius=radius)
    assert response.status_code == 200
    assert "radius" in response.context["form"].errors
    assert "rayon" in response.content.decode().lower()


def test_unknown_address_offers_communes(client, places):
    response = search(client, q="12 rue imaginaire Villeurbane")
    html = response.content.decode()
    assert response.status_code == 200 and "Adresse introuvable" in html
    assert [c.code for c in response.context["suggestions"]][:1] == ["69266"]
    assert "Villeurbanne (69)" in html


def test_no_result_says_what_to_widen(client, places):
    html = search(client, q="Villeurbanne", radius=0.1, competence="sante").content.decode()
    assert "Aucun lieu" in html and "Élargissez le rayon" in html and "Décochez" in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 5000},
        {"q": "Villeurbanne", "competence": "inconnue"},
        {"q": "Villeurbanne", "region": "zz"},
        {"lat": "200", "lon": "4"},
        {"lat": "45"},
        {"q": "🙂", "page": "abc"},
        {"q": "Villeurbanne", "page": "99999"},
    ],
)
def test_bad_input_is_never_a_500(client, places, params):
    assert search(client, **params).status_code == 200


def test_pages_of_results(client):
    sejour = Competence.objects.get(slug="sejour")
    for i in range(25):
        PlaceFactory(lon=4.88 + i * 0.001, lat=45.767, competences=[sejour])
    first = search(client, q="Villeurbanne", radius=20)
    second = search(client, q="Villeurbanne", radius=20, page=2)
    assert len(first.context["results"]) == 20 and len(second.context["results"]) == 5
    last_first = first.context["results"][-1].distance_m
    assert all(p.distance_m >= last_first for p in second.context["results"])
    assert "page=2" in first.content.decode()


def test_list_without_origin_filters_by_region(client, places):
    html = search(client, region="84").content.decode()
    assert "3 lieux trouvés" in html


def test_place_page(client, places):
    near, *_ = places
    html = client.get(near.get_absolute_url()).content.decode()
    assert near.name in html and "Villeurbanne" in html
    assert "geo:45.767000,4.880500" in html and "openstreetmap.org/?mlat=45.767000" in html
    # Directions that work on any device, then the address, the hours, and the map last.
    assert "openstreetmap.org/directions?to=45.767000%2C4.880500" in html
    order = [
        html.index(mark)
        for mark in ('class="place-actions"', "contact-title", "hours-title", 'id="place-map"')
    ]
    assert order == sorted(order)
    assert "Maison des langues Lyon 3" in html  # the organisation's other place
    assert "Lundi" in html and "09:00–12:00, 14:00–17:00" in html


def test_draft_place_page_is_404(client, places):
    *_, draft = places
    assert client.get(reverse("directory:place", args=[draft.slug])).status_code == 404


def test_organisation_page(client, places):
    near, mid, *_ = places
    html = client.get(near.organisation.get_absolute_url()).content.decode()
    assert near.name in html and mid.name in html


def test_region_and_department_pages_list_their_places(client, places):
    near, mid, far, draft = places
    marseille = PlaceFactory(name="Point accès Marseille", lon=5.3698, lat=43.2965)
    region_html = client.get("/regions/auvergne-rhone-alpes/").content.decode()
    assert "3 lieux d'accueil" in region_html
    assert near.name in region_html and far.name in region_html
    assert draft.name not in region_html and marseille.name not in region_html
    assert 'id="area-places-map"' in region_html
    department_html = client.get("/departements/bouches-du-rhone-13/").content.decode()
    assert marseille.name in department_html and near.name not in department_html


@pytest.mark.parametrize("page", ["99", "99999999999999999999999", "461168601842738791"])
def test_page_past_the_end_shows_the_last_page(client, places, page):
    response = search(client, q="Villeurbanne", radius=20, page=page)
    assert response.status_code == 200
    assert len(response.context["results"]) == 3
    assert "Aucun lieu" not in response.content.decode()


def test_open_now_without_a_position(client, places):
    from directory.selectors import is_open

    always = PlaceFactory(name="Ouvert tout le temps", opening_hours="24/7")
    never = PlaceFactory(name="Fermé pour travaux", opening_hours="off")
    response = search(client, region="84", open_now="on")
    found = {p.pk for p in response.context["results"]}
    assert always.pk in found and never.pk not in found
    assert all(is_open(p) for p in response.context["results"])


def test_area_list_is_by_commune_then_name(client, places):
    """The région list reads its communes in name order, and each commune's places by name."""
    near, mid, far, _draft = places
    extra = [
        PlaceFactory(name="Zèbre accueil", lon=near.location.x, lat=near.location.y),
        PlaceFactory(name="Abri central", lon=near.location.x, lat=near.location.y),
    ]
    response = client.get("/regions/auvergne-rhone-alpes/")
    listed = [p.name for p in response.context["places"]]
    expected = sorted(
        [near, mid, far, *extra], key=lambda p: (p.commune.name, p.commune_id, p.name, p.pk)
    )
    assert listed == [p.name for p in expected]
    assert response.context["total"] == 5
