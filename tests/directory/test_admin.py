"""The directory admin, driven through the test client on the real test geography.

Geocoding goes through the real chain with geopy stubbed at its HTTP adapter
(the fake of tests/geodata/test_geocoding.py): no test reaches the network.
"""

import json
from typing import Any

import geopy.geocoders
import pytest
from django.contrib.auth.models import Group
from django.contrib.gis.geos import Point
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from directory.apps import EDITORS_GROUP, MODERATORS_GROUP, grant_group_permissions
from directory.models import Competence, Kind, Place, Precision, Status
from tests.factories import OrganisationFactory, PlaceFactory, UserFactory
from tests.geodata.test_geocoding import BAN, BAN_LAZARE_GOUJON, LAZARE_GOUJON, FakeHTTP

pytestmark = pytest.mark.django_db

VILLEURBANNE = (4.879921, 45.766715)
BELLECOUR = (4.832011, 45.757814)  # Lyon, 69123
UNKNOWN_ADDRESS = "12 rue de Nulle Part"

ADD_URL = reverse("admin:directory_place_add")
CHANGELIST_URL = reverse("admin:directory_place_changelist")


def change_url(place: Place) -> str:
    return reverse("admin:directory_place_change", args=[place.pk])


def geojson(lon: float, lat: float) -> str:
    return json.dumps({"type": "Point", "coordinates": [lon, lat]})


@pytest.fixture(autouse=True)
def http(monkeypatch, settings) -> FakeHTTP:
    """Every geocoder built during the test talks to the fake; BAN knows one address."""
    fake = FakeHTTP()
    fake.answer(BAN, LAZARE_GOUJON, BAN_LAZARE_GOUJON)
    monkeypatch.setattr(geopy.geocoders.options, "default_adapter_factory", fake.adapter_factory)
    settings.GEOCODERS = ["ban", "gazetteer"]
    return fake


@pytest.fixture
def editor():
    user = UserFactory(username="editrice")
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def moderator():
    user = UserFactory(username="moderatrice")
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


@pytest.fixture
def organisation(editor):
    organisation = OrganisationFactory(name="Forum des réfugiés")
    organisation.editors.add(editor)
    return organisation


@pytest.fixture
def other_organisation():
    return OrganisationFactory(name="Autre association")


@pytest.fixture
def place(organisation):
    place = PlaceFactory(
        name="Permanence Gratte-Ciel",
        organisation=organisation,
        status=Status.DRAFT,
        street="10 place Lazare Goujon",
        postal_code="69100",
        city="Villeurbanne",
        geocode_precision=Precision.ADDRESS,
        geocode_label="10 Place Lazare Goujon 69100 Villeurbanne",
        kinds=[Kind.objects.get(slug="accueil-primo-arrivants")],
        competences=[Competence.objects.get(slug="sejour")],
    )
    return place


@pytest.fixture
def other_place(other_organisation):
    return PlaceFactory(
        name="Lieu d'une autre association", organisation=other_organisation, lon=5.37, lat=43.30
    )


def add_data(organisation, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Accueil Villeurbanne",
        "organisation": organisation.pk,
        "description": "",
        "kinds": [Kind.objects.get(slug="accueil-primo-arrivants").pk],
        "competences": [Competence.objects.get(slug="sejour").pk],
        "street": "10 place Lazare Goujon",
        "postal_code": "69100",
        "city": "Villeurbanne",
        "location": "",
        "opening_hours": "Mo-Fr 09:00-12:00",
        "languages": "fr,ar",
        "wheelchair": "",
        "public": "",
        "phone": "",
        "email": "",
        "website": "",
        "last_verified": "",
        "_save": "Enregistrer",
    }
    data.update(overrides)
    return data


def change_data(place: Place, **overrides: Any) -> dict[str, Any]:
    data = add_data(
        place.organisation,
        name=place.name,
        kinds=[k.pk for k in place.kinds.all()],
        competences=[c.pk for c in place.competences.all()],
        street=place.street,
        postal_code=place.postal_code,
        city=place.city,
        location=place.location.geojson,
        opening_hours=place.opening_hours,
        languages=place.languages,
        status=place.status,
    )
    data.update(overrides)
    return data


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# -- groups -------------------------------------------------------------------


def test_post_migrate_gives_the_groups_their_permissions():
    editors = Group.objects.get(name=EDITORS_GROUP)
    moderators = Group.objects.get(name=MODERATORS_GROUP)
    editor_codenames = set(
        editors.permissions.filter(content_type__app_label="directory").values_list(
            "codename", flat=True
        )
    )
    assert editor_codenames == {
        "view_place",
        "add_place",
        "change_place",
        "view_historicalplace",
        "view_organisation",
        "view_competence",
        "view_kind",
        "view_suggestion",
        "change_suggestion",
    }
    moderator_codenames = set(moderators.permissions.values_list("codename", flat=True))
    assert {"moderate_place", "delete_place", "change_organisation"} <= moderator_codenames

    before = (editors.permissions.count(), moderators.permissions.count())
    grant_group_permissions(sender=None)  # a second migrate changes nothing
    assert (editors.permissions.count(), moderators.permissions.count()) == before


# -- who sees what ------------------------------------------------------------


def test_editor_sees_only_her_organisations_places(client, editor, place, other_place):
    client.force_login(editor)
    response = client.get(CHANGELIST_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert place.name in content
    assert "Lieu d&#x27;une autre association" not in content
    assert "Lieu d'une autre association" not in content


def test_editor_cannot_open_or_change_another_organisations_place(client, editor, other_place):
    client.force_login(editor)
    response = client.get(change_url(other_place))
    assert response.status_code == 302
    assert "n’existe pas" in " ".join(texts(response)) or "n'existe pas" in " ".join(
        texts(response)
    )

    response = client.post(change_url(other_place), change_data(other_place, name="Piraté"))
    assert response.status_code == 302
    other_place.refresh_from_db()
    assert other_place.name == "Lieu d'une autre association"

    history = reverse("admin:directory_place_history", args=[other_place.pk])
    assert client.get(history).status_code == 403


def test_editor_organisation_choices_are_her_organisations(
    client, editor, organisation, other_organisation
):
    client.force_login(editor)
    form = client.get(ADD_URL).context["adminform"].form
    assert list(form.fields["organisation"].queryset) == [organisation]

    response = client.post(ADD_URL, add_data(other_organisation))
    assert response.status_code == 200
    assert "organisation" in response.context["adminform"].form.errors
    assert not Place.objects.exists()


def test_region_filter(client, moderator, place, other_place):
    client.force_login(moderator)
    rhone_alpes = client.get(CHANGELIST_URL, {"region": "84"})
    assert list(rhone_alpes.context["cl"].result_list) == [place]
    provence = client.get(CHANGELIST_URL, {"region": "93"})
    assert list(provence.context["cl"].result_list) == [other_place]
    region_filter = rhone_alpes.context["cl"].filter_specs[1]
    assert region_filter.lookup_choices == [
        ("84", "Auvergne-Rhône-Alpes"),
        ("93", "Provence-Alpes-Côte d'Azur"),
    ]


# -- geocoding on save --------------------------------------------------------


def test_new_place_is_placed_from_its_address(client, editor, organisation, http):
    client.force_login(editor)
    response = client.post(ADD_URL, add_data(organisation), follow=True)
    assert response.status_code == 200
    place = Place.objects.get()
    assert (place.location.x, place.location.y) == pytest.approx(VILLEURBANNE)
    assert place.commune.code == "69266"
    assert place.geocode_precision == Precision.ADDRESS
    assert place.geocode_label == "10 Place Lazare Goujon 69100 Villeurbanne"
    assert place.status == Status.DRAFT
    assert place.organisation == organisation
    assert list(place.kinds.values_list("slug", flat=True)) == ["accueil-primo-arrivants"]
    assert list(place.competences.values_list("slug", flat=True)) == ["sejour"]
    assert http.hosts() == [BAN]  # one question to the geocoders
    content = response.content.decode()
    assert (
        "Position trouvée depuis l&#x27;adresse (précision : adresse — source : ban) : "
        "10 Place Lazare Goujon 69100 Villeurbanne" in content
    )
    assert "Commune : Villeurbanne — Rhône, Auvergne-Rhône-Alpes." in content


def test_address_not_found_keeps_the_given_marker(client, editor, organisation):
    client.force_login(editor)
    data = add_data(
        organisation, street=UNKNOWN_ADDRESS, postal_code="", city="", location=geojson(*BELLECOUR)
    )
    response = client.post(ADD_URL, data)
    assert response.status_code == 302
    place = Place.objects.get()
    assert (place.location.x, place.location.y) == pytest.approx(BELLECOUR)
    assert place.geocode_precision == Precision.MANUAL
    assert place.commune.code == "69123"
    assert any(t.startswith("Adresse introuvable") for t in texts(response))


def test_address_not_found_without_marker_is_a_form_error(client, editor, organisation):
    client.force_login(editor)
    data = add_data(organisation, street=UNKNOWN_ADDRESS, postal_code="", city="")
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["location"]
    assert errors == [
        "Adresse introuvable : placez le marqueur sur la carte ou corrigez l'adresse."
    ]
    assert not Place.objects.exists()


def test_no_address_and_no_marker_is_a_form_error(client, editor, organisation, http):
    client.force_login(editor)
    response = client.post(ADD_URL, add_data(organisation, street="", postal_code="", city=""))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["location"] == [
        "Saisissez l'adresse du lieu ou placez le marqueur sur la carte."
    ]
    assert http.urls == []
    assert not Place.objects.exists()


def test_dragging_the_marker_keeps_the_point_and_the_commune_follows(client, editor, place, http):
    client.force_login(editor)
    response = client.post(change_url(place), change_data(place, location=geojson(*BELLECOUR)))
    assert response.status_code == 302
    place.refresh_from_db()
    assert (place.location.x, place.location.y) == pytest.approx(BELLECOUR)
    assert place.geocode_precision == Precision.MANUAL
    assert place.geocode_label == ""
    assert place.commune.code == "69123"
    assert place.commune.department.code == "69"
    assert http.urls == []  # the address did not change: nobody was asked
    assert "Position placée à la main." in texts(response)


def test_saving_unchanged_keeps_precision_and_asks_nobody(client, editor, place, http):
    client.force_login(editor)
    response = client.post(change_url(place), change_data(place, name="Permanence GC"))
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.name == "Permanence GC"
    assert place.geocode_precision == Precision.ADDRESS
    assert http.urls == []


def test_changing_the_address_relocates(client, editor, place):
    place.location = Point(*BELLECOUR, srid=4326)
    place.geocode_precision = Precision.MANUAL
    place.street = "1 rue Quelconque"
    place.save()
    client.force_login(editor)
    response = client.post(change_url(place), change_data(place, street="10 place Lazare Goujon"))
    assert response.status_code == 302
    place.refresh_from_db()
    assert (place.location.x, place.location.y) == pytest.approx(VILLEURBANNE)
    assert place.geocode_precision == Precision.ADDRESS
    assert place.commune.code == "69266"


def test_relocate_box_geocodes_an_unchanged_address(client, editor, place):
    place.location = Point(*BELLECOUR, srid=4326)
    place.geocode_precision = Precision.MANUAL
    place.save()
    client.force_login(editor)
    response = client.post(change_url(place), change_data(place, relocate="on"))
    assert response.status_code == 302
    place.refresh_from_db()
    assert (place.location.x, place.location.y) == pytest.approx(VILLEURBANNE)
    assert place.geocode_precision == Precision.ADDRESS


def test_changed_address_not_found_keeps_the_point(client, editor, place):
    client.force_login(editor)
    response = client.post(change_url(place), change_data(place, street=UNKNOWN_ADDRESS))
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.street == UNKNOWN_ADDRESS
    assert (place.location.x, place.location.y) == pytest.approx((4.8799, 45.7667))
    assert (
        "Adresse introuvable : la position n'a pas été modifiée ; placez le marqueur à la main."
        in texts(response)
    )


# -- publication --------------------------------------------------------------


def test_editor_cannot_publish(client, editor, organisation, place):
    client.force_login(editor)
    client.post(ADD_URL, add_data(organisation, name="Nouveau lieu", status="published"))
    assert Place.objects.get(name="Nouveau lieu").status == Status.DRAFT

    client.post(change_url(place), change_data(place, status="published"))
    place.refresh_from_db()
    assert place.status == Status.DRAFT

    changelist = client.get(CHANGELIST_URL)
    actions = [name for name, _label in changelist.context["action_form"].fields["action"].choices]
    assert "publish" not in actions and "archive" not in actions
    assert "mark_verified" in actions
    client.post(CHANGELIST_URL, {"action": "publish", "_selected_action": [place.pk]})
    place.refresh_from_db()
    assert place.status == Status.DRAFT


def test_moderator_publishes_and_archives_with_actions(client, moderator, place, other_place):
    client.force_login(moderator)
    response = client.post(
        CHANGELIST_URL, {"action": "publish", "_selected_action": [place.pk]}, follow=True
    )
    assert "1 lieu publié." in texts(response)
    place.refresh_from_db()
    assert place.status == Status.PUBLISHED
    latest = place.history.latest("history_date")
    assert (latest.history_user, latest.status) == (moderator, Status.PUBLISHED)

    client.post(
        CHANGELIST_URL, {"action": "archive", "_selected_action": [place.pk, other_place.pk]}
    )
    assert set(Place.objects.values_list("status", flat=True)) == {Status.ARCHIVED}


def test_moderator_can_set_the_status_in_the_form(client, moderator, place):
    client.force_login(moderator)
    client.post(change_url(place), change_data(place, status="published"))
    place.refresh_from_db()
    assert place.status == Status.PUBLISHED


def test_mark_verified_today(client, editor, place, other_place):
    client.force_login(editor)
    client.post(
        CHANGELIST_URL,
        {"action": "mark_verified", "_selected_action": [place.pk, other_place.pk]},
    )
    place.refresh_from_db()
    other_place.refresh_from_db()
    assert place.last_verified == timezone.localdate()
    assert other_place.last_verified is None  # not hers: outside her queryset


# -- history ------------------------------------------------------------------


def test_history_lists_the_change_and_its_author(client, editor, place):
    client.force_login(editor)
    client.post(change_url(place), change_data(place, name="Permanence République"))
    response = client.get(reverse("admin:directory_place_history", args=[place.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "editrice" in content
    assert "Permanence Gratte-Ciel" in content and "Permanence République" in content
    records = place.history.order_by("-history_date")
    assert records[0].history_user == editor
    assert records[0].name == "Permanence République"


def test_editor_cannot_open_or_restore_an_old_version_of_a_place_no_longer_hers(
    client, editor, place, other_organisation
):
    old_version = place.history.latest("history_date")
    place.organisation = other_organisation  # a moderator moves it to another organisation
    place.save()
    client.force_login(editor)
    url = reverse("admin:directory_place_simple_history", args=[place.pk, old_version.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {**change_data(place), "_change_history": "1"})
    assert response.status_code == 403
    place.refresh_from_db()
    assert place.organisation == other_organisation


# -- organisations and taxonomies ---------------------------------------------


def test_editor_sees_only_her_organisations_and_not_their_editors_field(
    client, editor, organisation, other_organisation
):
    client.force_login(editor)
    response = client.get(reverse("admin:directory_organisation_changelist"))
    assert list(response.context["cl"].result_list) == [organisation]
    url = reverse("admin:directory_organisation_change", args=[organisation.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "editors" not in page.context["adminform"].form.fields
    other = reverse("admin:directory_organisation_change", args=[other_organisation.pk])
    assert client.get(other).status_code == 302


def test_moderator_manages_editors(client, moderator, organisation, editor):
    client.force_login(moderator)
    url = reverse("admin:directory_organisation_change", args=[organisation.pk])
    form = client.get(url).context["adminform"].form
    assert "editors" in form.fields


def test_taxonomy_slug_is_read_only_after_creation(client, moderator):
    client.force_login(moderator)
    competence = Competence.objects.get(slug="sejour")
    url = reverse("admin:directory_competence_change", args=[competence.pk])
    response = client.get(url)
    assert "slug" not in response.context["adminform"].form.fields
    assert (
        "slug"
        in client.get(reverse("admin:directory_competence_add")).context["adminform"].form.fields
    )
    changelist = client.get(reverse("admin:directory_competence_changelist")).content.decode()
    assert "sejour" in changelist and "difficultes-administratives-ou-juridiques" in changelist
