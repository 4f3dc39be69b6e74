"""Stale places (directory/freshness.py): one definition, marked on every public list,
left out on request by the page, the API and the map alike; the moderators' dashboard.
"""

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from core.dates import add_months
from core.roles import EDITORS_GROUP, MODERATORS_GROUP
from directory.freshness import is_stale, stale_cutoff, stale_notice
from directory.models import Place, Status
from directory.selectors import PlaceFilters, cluster_dimension, filter_places, published_places
from tests.api.support import PLACES, names
from tests.factories import OrganisationFactory, PlaceFactory, UserFactory
from tests.tiles.conftest import decode, shown

pytestmark = pytest.mark.django_db

SIX_MONTHS = "Informations vérifiées il y a plus de 6 mois"
NEVER = "Informations jamais vérifiées"
DASHBOARD = "/admin/directory/place/freshness/"


@pytest.fixture
def places():
    """Around Villeurbanne (Rhône, région 84): verified last month, seven months ago, never;
    a stale draft that no public list or count may show; a fresh place of another organisation."""
    today = timezone.localdate()
    organisation = OrganisationFactory(name="Accueil Rhône", slug="accueil-rhone")
    other = OrganisationFactory(name="Forum Loire", slug="forum-loire")
    return SimpleNamespace(
        organisation=organisation,
        other=other,
        fresh=PlaceFactory(
            name="Point droits vérifié",
            organisation=organisation,
            lon=4.8805,
            lat=45.7670,
            last_verified=today - timedelta(days=30),
        ),
        old=PlaceFactory(
            name="Maison des langues ancienne",
            organisation=organisation,
            lon=4.8500,
            lat=45.7580,
            last_verified=add_months(today, -7),
        ),
        never=PlaceFactory(
            name="Permanence jamais vérifiée",
            organisation=organisation,
            lon=4.8870,
            lat=45.6970,
            last_verified=None,
        ),
        draft=PlaceFactory(
            name="Brouillon ancien",
            organisation=organisation,
            lon=4.8801,
            lat=45.7668,
            status=Status.DRAFT,
        ),
        elsewhere=PlaceFactory(
            name="Accueil Saint-Étienne",
            organisation=other,
            lon=4.3872,
            lat=45.4397,
            last_verified=today,
        ),
    )


def cards(html: str) -> dict[str, str]:
    """Each listed place's name → the HTML of its list item."""
    found = {}
    for item in re.findall(r'<li class="place-card".*?</li>', html, flags=re.S):
        name = re.search(r'<a href="/annuaire/lieux/[^"]+/">([^<]+)</a>', item)
        if name:
            found[name.group(1)] = item
    return found


def notices(html: str) -> dict[str, str]:
    """Each listed place's name → its freshness notice ("" when none)."""
    return {
        name: (m.group(1) if (m := re.search(r'class="stale-notice">([^<]+)<', item)) else "")
        for name, item in cards(html).items()
    }


EXPECTED = {
    "Point droits vérifié": "",
    "Maison des langues ancienne": SIX_MONTHS,
    "Permanence jamais vérifiée": NEVER,
}


# -- the definition -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 8, 31), -6, date(2026, 2, 28)),
        (date(2024, 8, 31), -6, date(2024, 2, 29)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2026, 3, 1), -12, date(2025, 3, 1)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_stale_means_verified_before_the_cutoff_or_never(settings):
    settings.FRESHNESS_MONTHS = 6
    today = date(2026, 8, 31)
    assert stale_cutoff(today) == date(2026, 2, 28)
    assert not is_stale(Place(last_verified=date(2026, 2, 28)), today)
    assert is_stale(Place(last_verified=date(2026, 2, 27)), today)
    assert is_stale(Place(last_verified=None), today)


def test_sql_and_python_agree_on_what_is_stale(places):
    fresh_only = filter_places(published_places(), PlaceFilters(fresh=True))
    assert set(fresh_only) == {p for p in published_places() if not is_stale(p)}
    assert set(fresh_only) == {places.fresh, places.elsewhere}


def test_the_period_comes_from_the_setting(settings, places):
    settings.FRESHNESS_MONTHS = 12
    assert not is_stale(places.old)
    assert stale_notice(places.never) == NEVER
    settings.FRESHNESS_MONTHS = 3
    assert stale_notice(places.old) == "Informations vérifiées il y a plus de 3 mois"
    assert stale_notice(places.fresh) == ""


# -- marked on the public pages --------------------------------------------------------------


def test_place_page_says_when_information_is_old(client, places):
    def page(place):
        return client.get(reverse("directory:place", args=[place.slug])).content.decode()

    assert SIX_MONTHS in page(places.old)
    assert NEVER in page(places.never)
    fresh = page(places.fresh)
    assert "stale-notice" not in fresh
    assert "Informations vérifiées le" in fresh  # its date, as before


def test_search_results_are_marked(client, places):
    html = client.get("/annuaire/", {"q": "Villeurbanne", "radius": 20}).content.decode()
    assert notices(html) == EXPECTED


def test_area_and_organisation_lists_are_marked(client, places):
    for url in ("/regions/auvergne-rhone-alpes/", "/departements/rhone-69/"):
        found = notices(client.get(url).content.decode())
        assert {name: found[name] for name in EXPECTED} == EXPECTED, url
        assert "Brouillon ancien" not in found
    organisation = client.get(places.organisation.get_absolute_url()).content.decode()
    assert notices(organisation) == EXPECTED


# -- leaving stale places out: page, API and map agree ----------------------------------------


def test_page_checkbox_keeps_recently_verified_places(client, places):
    response = client.get("/annuaire/", {"q": "Villeurbanne", "radius": 20, "fresh": "on"})
    assert [p.name for p in response.context["results"]] == ["Point droits vérifié"]
    html = response.content.decode()
    assert "Seulement les informations vérifiées récemment" in html
    assert re.search(r'<input type="checkbox" name="fresh"[^>]* checked', html)
    # The map draws the same places: its tiles are asked for with the same filter.
    assert "fresh=true" in response.context["tiles_url"]
    unfiltered = client.get("/annuaire/", {"q": "Villeurbanne", "radius": 20})
    assert "fresh=" not in unfiltered.context["tiles_url"]
    assert len(unfiltered.context["results"]) == 3


@pytest.mark.parametrize(
    "params",
    [
        {"q": "Villeurbanne", "radius": "100"},  # nearest first
        {"region": "84"},  # by name
    ],
)
def test_api_and_page_agree(client, places, params):
    page = client.get("/annuaire/", {**params, "fresh": "on"})
    api_params = {"region": params["region"]} if "region" in params else {}
    if "q" in params:
        api_params = {"address": params["q"], "radius": params["radius"]}
    api = client.get(PLACES, {**api_params, "fresh": "true"})
    assert api.status_code == 200
    assert names(api) == [p.name for p in page.context["results"]]
    assert set(names(api)) == {"Point droits vérifié", "Accueil Saint-Étienne"}
    everything = client.get(PLACES, {**api_params, "fresh": "false"})
    assert len(names(everything)) == 4


def test_embed_agrees_with_page_and_api(client, places):
    api = client.get(PLACES, {"region": "84", "fresh": "true"})
    embed = client.get("/embed/", {"region": "84", "fresh": "1"})
    assert embed.status_code == 200
    assert [item["name"] for item in embed.context["map_data"]["places"]] == names(api)
    assert "fresh=true" in embed.context["map_config"]["tiles"]["url"]
    everything = client.get("/embed/", {"region": "84"})
    assert len(everything.context["map_data"]["places"]) == 4
    assert "fresh=" not in everything.context["map_config"]["tiles"]["url"]
    # The builder writes it into the snippet, and a bad value is named.
    assert 'data-fresh="1"' in client.get("/integrer/", {"fresh": "1"}).content.decode()
    bad = client.get("/embed/", {"fresh": "oui"})
    assert bad.status_code == 400 and "fresh" in bad.content.decode()


def test_api_fresh_must_be_a_boolean(client, db):
    response = client.get(PLACES, {"fresh": "peut-être"})
    assert response.status_code == 400
    assert "fresh" in response.json()


def test_map_tiles_leave_stale_places_out(client, places):
    # Clusters count every published place: a fresh-only tile is grouped on request.
    assert cluster_dimension(PlaceFilters(fresh=True)) is None
    tile = reverse("tiles:place-tile", kwargs={"z": 0, "x": 0, "y": 0})
    assert shown(decode(client.get(tile))) == 4
    assert shown(decode(client.get(tile, {"fresh": "true"}))) == 2


# -- the moderators' dashboard -----------------------------------------------------------


@pytest.fixture
def moderator():
    user = UserFactory(username="moderatrice")
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


@pytest.fixture
def editor(places):
    user = UserFactory(username="editrice")
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    places.organisation.editors.add(user)
    return user


def test_dashboard_counts_stale_published_places(client, places, moderator):
    PlaceFactory(name="Ancien à Marseille", lon=5.3698, lat=43.2965, organisation=places.other)
    client.force_login(moderator)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    by_organisation = {
        row["organisation__name"]: (row["stale"], row["published"])
        for row in response.context["organisations"]
    }
    assert by_organisation == {"Accueil Rhône": (2, 3), "Forum Loire": (1, 2)}
    by_region = {
        row["commune__region__code"]: (row["stale"], row["published"])
        for row in response.context["regions"]
    }
    assert by_region == {"84": (2, 4), "93": (1, 1)}
    assert response.context["stale_total"] == 3
    html = response.content.decode()
    assert "Par organisation" in html and "Par région" in html


def test_dashboard_links_open_the_filtered_list(client, places, moderator):
    client.force_login(moderator)
    context = client.get(DASHBOARD).context
    row = next(r for r in context["organisations"] if r["organisation__name"] == "Accueil Rhône")
    listed = client.get(row["url"])
    assert listed.status_code == 200
    assert {p.name for p in listed.context["cl"].result_list} == {
        "Maison des langues ancienne",
        "Permanence jamais vérifiée",
    }
    region = client.get(context["regions"][0]["url"])
    assert {p.name for p in region.context["cl"].result_list} == {
        "Maison des langues ancienne",
        "Permanence jamais vérifiée",
    }


def test_freshness_list_filter(client, places, moderator):
    client.force_login(moderator)
    changelist = reverse("admin:directory_place_changelist")
    fresh = client.get(changelist, {"fraicheur": "fresh"}).context["cl"].result_list
    assert {p.name for p in fresh} == {"Point droits vérifié", "Accueil Saint-Étienne"}
    stale = client.get(changelist, {"fraicheur": "stale"}).context["cl"].result_list
    assert {p.name for p in stale} == {
        "Maison des langues ancienne",
        "Permanence jamais vérifiée",
        "Brouillon ancien",  # the filter alone: any status
    }
    html = client.get(changelist).content.decode()
    assert "fraîcheur" in html and f'href="{DASHBOARD}"' in html


def test_dashboard_is_for_moderators_only(client, places, editor):
    assert client.get(DASHBOARD).status_code == 302  # to the admin's login
    client.force_login(editor)
    assert client.get(DASHBOARD).status_code == 403
    changelist = client.get(reverse("admin:directory_place_changelist"))
    assert changelist.status_code == 200
    assert DASHBOARD not in changelist.content.decode()
