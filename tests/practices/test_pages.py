"""The list of practices with its filters and map, and the sheet page."""

from datetime import date

import pytest
from django.urls import reverse

from directory.models import Status
from practices.models import ActorRole, SheetStatus, SourceLink
from tests.factories import OrganisationFactory, PlaceFactory, UserFactory

from .factories import make_sheet, member_centre

pytestmark = pytest.mark.django_db

LIST_URL = reverse("practices:list")


def listed(client, **params) -> list[str]:
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return [s.title for s in response.context["sheets"] or []]


@pytest.fixture
def catalogue():
    """Sheets in three régions (84, 93, 11), one national, running or ended."""
    return {
        "langue-villeurbanne": make_sheet(
            "Langue Villeurbanne", communes=["69266"], start_date=date(2012, 1, 1)
        ),
        "langue-marseille": make_sheet("Langue Marseille", communes=["13055"]),
        "langue-lyon-finie": make_sheet(
            "Langue Lyon terminée",
            communes=["69123"],
            start_date=date(2005, 3, 1),
            end_date=date(2010, 6, 30),
        ),
        "logement-villeurbanne": make_sheet(
            "Logement Villeurbanne", communes=["69266"], themes=["logement"]
        ),
        "emploi-region": make_sheet(
            "Emploi Auvergne-Rhône-Alpes",
            region="84",
            themes=["emploi"],
            start_date=date(2008, 1, 1),
            end_date=date(2011, 1, 1),
            became_regular_service=True,
        ),
        "national": make_sheet(
            "Hébergement citoyen", themes=["logement", "accueil-primo-arrivants"]
        ),
        "garges": make_sheet("Langue Garges", communes=["95268"]),
        "brouillon": make_sheet("Langue brouillon", communes=["69266"], status=SheetStatus.DRAFT),
        "relecture": make_sheet(
            "Langue en relecture", communes=["69266"], status=SheetStatus.IN_REVIEW
        ),
    }


def test_lists_every_published_sheet_and_only_those(client, catalogue):
    titles = listed(client)
    assert len(titles) == 7
    assert "Langue brouillon" not in titles and "Langue en relecture" not in titles


def test_filters_combine(client, catalogue):
    assert listed(client, theme="langue", region="84", running="yes") == ["Langue Villeurbanne"]
    assert listed(client, theme="langue", region="84", running="no") == ["Langue Lyon terminée"]
    assert set(listed(client, theme=["langue", "logement"], region="84")) == {
        "Langue Villeurbanne",
        "Langue Lyon terminée",
        "Logement Villeurbanne",
    }
    # A practice that became a regular service is still running, whatever its end date.
    assert "Emploi Auvergne-Rhône-Alpes" in listed(client, region="84", running="yes")
    assert set(listed(client, theme="logement")) == {"Logement Villeurbanne", "Hébergement citoyen"}
    assert listed(client, region="11") == ["Langue Garges"]


def test_period_filter_keeps_the_practices_active_in_those_years(client, catalogue):
    active_2006_2009 = set(listed(client, year_from=2006, year_to=2009, region="84"))
    # Started 2005 and ended 2010; started 2008 and still a service; undated sheets overlap.
    assert {"Langue Lyon terminée", "Emploi Auvergne-Rhône-Alpes"} <= active_2006_2009
    assert "Langue Villeurbanne" not in active_2006_2009  # started 2012
    assert "Langue Lyon terminée" not in listed(client, year_from=2011)


def test_unknown_theme_is_ignored_and_said(client, catalogue):
    response = client.get(LIST_URL, {"theme": ["no-such-theme", "logement"]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thème inconnu, filtre ignoré : « no-such-theme »" in html
    assert {s.title for s in response.context["sheets"]} == {
        "Logement Villeurbanne",
        "Hébergement citoyen",
    }


@pytest.mark.parametrize("code", ["99", "32", "<b>x</b>", "x" * 300])
def test_unknown_region_is_ignored_and_said(client, catalogue, code):
    response = client.get(LIST_URL, {"region": code, "theme": "logement"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Région inconnue, filtre ignoré" in html
    assert "<b>x</b>" not in html
    assert len(response.context["sheets"]) == 2


@pytest.mark.parametrize(
    "params, field",
    [
        ({"year_from": "deux mille"}, "year_from"),
        ({"year_from": "1200"}, "year_from"),
        ({"year_from": "2015", "year_to": "2010"}, "year_to"),
        ({"running": "peut-être"}, "running"),
        ({"q": "logement\x00"}, "q"),
    ],
)
def test_malformed_filters_are_field_errors(client, catalogue, params, field):
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["sheets"] is None
    assert "ne sont pas valables" in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "-1", "0", "999"])
def test_any_page_number_gives_a_page(client, catalogue, page):
    assert client.get(LIST_URL, {"page": page}).status_code == 200


def test_map_shows_the_sheets_of_the_list(client, catalogue):
    response = client.get(LIST_URL, {"theme": "logement"})
    sheets = response.context["sheets"]
    markers = response.context["map_data"]
    # The national practice has no position: listed, said to be off the map.
    assert [m["id"] for m in markers] == [s.pk for s in sheets if s.location]
    assert [s.title for s in response.context["unplaced"]] == ["Hébergement citoyen"]
    villeurbanne = next(m for m in markers if m["name"] == "Logement Villeurbanne")
    assert villeurbanne["lat"] == pytest.approx(45.77, abs=0.05)
    assert villeurbanne["lon"] == pytest.approx(4.88, abs=0.05)
    html = response.content.decode()
    assert 'id="sheets-map-data"' in html and "pas sur la carte" in html


def test_pagination_by_twenty_with_the_filters_kept(client):
    centre = member_centre()
    for n in range(23):
        make_sheet(f"Pratique {n:02d}", communes=["69266"], author_centre=centre)
    first = client.get(LIST_URL, {"region": "84"})
    assert len(first.context["sheets"]) == 20
    assert len(first.context["map_data"]) == 20
    html = first.content.decode()
    assert "region=84&amp;page=2" in html
    second = client.get(LIST_URL, {"region": "84", "page": 2})
    assert [s.number for s in second.context["sheets"]] == [21, 22, 23]
    assert [m["number"] for m in second.context["map_data"]] == [21, 22, 23]


# -- the sheet ----------------------------------------------------------------


@pytest.fixture
def full_sheet():
    centre = member_centre("Centre ressources Rhône")
    carrier = OrganisationFactory(name="Ville de Villeurbanne", slug="ville-de-villeurbanne")
    partner = OrganisationFactory(name="Défenseur des droits", slug="defenseur-des-droits")
    funder = OrganisationFactory(name="Préfecture du Rhône", slug="prefecture-du-rhone")
    place = PlaceFactory(name="Permanence du délégué", organisation=partner)
    hidden = PlaceFactory(name="Lieu en brouillon", organisation=partner, status=Status.DRAFT)
    sheet = make_sheet(
        "Réseau de vigilance contre les discriminations",
        communes=["69266"],
        themes=["lutte-discriminations", "emploi"],
        author_centre=centre,
        actors=[
            (carrier, ActorRole.CARRIER),
            (partner, ActorRole.PARTNER),
            (centre, ActorRole.PARTNER),
            (funder, ActorRole.FUNDER),
        ],
        places=[place, hidden],
        summary="Les intermédiaires **refusent ensemble** les demandes discriminatoires.",
        goals="- former\n- outiller\n- orienter",
        evaluation="",
        start_date=date(2011, 1, 1),
        became_regular_service=True,
        review_date=date(2026, 10, 1),
    )
    SourceLink.objects.create(sheet=sheet, url="https://example.org/fiche", label="Fiche d'origine")
    return sheet


def test_sheet_page(client, full_sheet):
    response = client.get(full_sheet.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>refusent ensemble</strong>" in html
    assert "<li>former</li>" in html
    assert "Évaluation" not in html  # empty sections are left out
    groups = {label: [o.name for o in orgs] for label, orgs in response.context["actor_groups"]}
    assert groups == {
        "Porteur": ["Ville de Villeurbanne"],
        "Partenaires": ["Centre ressources Rhône", "Défenseur des droits"],
        "Financeur": ["Préfecture du Rhône"],
    }
    assert 'href="/annuaire/organisations/ville-de-villeurbanne/"' in html
    assert "Permanence du délégué" in html and "Lieu en brouillon" not in html
    assert 'href="/regions/auvergne-rhone-alpes/"' in html
    assert "depuis 2011, devenue un service pérenne" in html.lower()
    assert "vérifié le 1 octobre 2026" in html
    assert 'href="https://example.org/fiche"' in html
    assert response.context["map_data"][0]["lat"] == pytest.approx(45.77, abs=0.05)


def test_an_ended_practice_says_so(client):
    sheet = make_sheet("Ancienne action", communes=["13055"], end_date=date(2014, 12, 31))
    html = client.get(sheet.get_absolute_url()).content.decode()
    assert "Non, terminée en 2014" in html
    assert "jamais vérifié" in html


def test_points_place_the_markers_of_the_sheet(client):
    from django.contrib.gis.geos import MultiPoint, Point

    points = MultiPoint(Point(4.85, 45.75), Point(4.88, 45.77), srid=4326)
    sheet = make_sheet("Deux lieux", communes=["69123"], points=points)
    markers = client.get(sheet.get_absolute_url()).context["map_data"]
    assert [(m["lon"], m["lat"]) for m in markers] == [(4.85, 45.75), (4.88, 45.77)]


@pytest.mark.parametrize("status", [SheetStatus.DRAFT, SheetStatus.IN_REVIEW])
def test_unpublished_sheets_are_not_found_publicly(client, status):
    sheet = make_sheet("Pas encore publiée", communes=["69266"], status=status)
    assert client.get(sheet.get_absolute_url()).status_code == 404
    assert client.get(reverse("practices:sheet", args=["no-such-sheet"])).status_code == 404


def test_their_author_previews_unpublished_sheets(client):
    editor = UserFactory(username="autrice")
    centre = member_centre()
    centre.editors.add(editor)
    sheet = make_sheet(
        "Ma fiche", communes=["69266"], status=SheetStatus.DRAFT, author_centre=centre
    )
    other = make_sheet("Fiche d'un autre centre", communes=["69266"], status=SheetStatus.DRAFT)
    client.force_login(editor)
    response = client.get(sheet.get_absolute_url())
    assert response.status_code == 200
    assert "Aperçu : cette fiche n'est pas publiée" in response.content.decode()
    assert client.get(other.get_absolute_url()).status_code == 404
    assert "Ma fiche" not in [s.title for s in client.get(LIST_URL).context["sheets"]]
