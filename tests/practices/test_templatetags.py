"""The sheets shown on the directory's place and organisation pages, and the filters."""

from datetime import date

import pytest
from django.template import Context, Template

from practices.models import ActorRole, SheetStatus
from practices.templatetags.practices_tags import excerpt, period
from tests.factories import OrganisationFactory, PlaceFactory

from .factories import make_sheet, member_centre

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load practices_tags %}" + source).render(Context(context))


@pytest.fixture
def network():
    centre = member_centre("Centre ressources Rhône")
    association = OrganisationFactory(name="Maison des familles")
    place = PlaceFactory(name="Maison des familles — Gratte-Ciel", organisation=association)
    other_place = PlaceFactory(name="Autre lieu")
    make_sheet(
        "Ateliers parents-école",
        communes=["69266"],
        author_centre=centre,
        actors=[(association, ActorRole.CARRIER)],
    )
    by_place = make_sheet("Permanence partagée", communes=["69266"], author_centre=centre)
    by_place.places.set([place])
    make_sheet(
        "Brouillon lié",
        communes=["69266"],
        author_centre=centre,
        actors=[(association, ActorRole.PARTNER)],
        status=SheetStatus.DRAFT,
    )
    return {
        "centre": centre,
        "association": association,
        "place": place,
        "other_place": other_place,
    }


def test_place_page_lists_the_published_sheets_of_the_place_and_its_organisation(network):
    html = render("{% practices_for_place place %}", place=network["place"])
    assert "Ateliers parents-école" in html and "Permanence partagée" in html
    assert "Brouillon lié" not in html
    assert 'href="/pratiques/ateliers-parents-ecole/"' in html
    assert "Auvergne-Rhône-Alpes" in html


def test_nothing_at_all_for_a_place_without_sheets(network):
    assert render("{% practices_for_place place %}", place=network["other_place"]).strip() == ""


def test_organisation_page_lists_its_sheets(network):
    html = render("{% practices_for_organisation org %}", org=network["association"])
    assert "Ateliers parents-école" in html and "Permanence partagée" not in html


def test_member_centre_page_lists_the_sheets_it_wrote(network):
    html = render("{% practices_for_organisation org %}", org=network["centre"])
    assert "Fiches rédigées par ce centre ressources" in html
    assert "Ateliers parents-école" in html and "Permanence partagée" in html
    assert "Brouillon lié" not in html


def test_excerpt_is_plain_escaped_text():
    text = "**Gras** & <b>balise</b> [lien](https://example.org)\n\n- un\n- deux " + "mot " * 100
    short = excerpt(text, 60)
    assert short.startswith("Gras & balise lien un deux")
    assert len(short) <= 60 and short.endswith("…")
    html = render("{{ text|excerpt:40 }}", text="<script>alert(1)</script> a < b")
    assert "<script" not in html and "a &lt; b" in html


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({}, ""),
        ({"start_date": date(2012, 5, 1)}, "depuis 2012"),
        ({"start_date": date(2012, 5, 1), "end_date": date(2015, 1, 1)}, "2012 – 2015"),
        ({"end_date": date(2015, 1, 1)}, "jusqu'en 2015"),
        (
            {"start_date": date(2012, 5, 1), "became_regular_service": True},
            "depuis 2012, devenue un service pérenne",
        ),
    ],
)
def test_period(fields, expected):
    from practices.models import PracticeSheet

    assert period(PracticeSheet(**fields)) == expected
