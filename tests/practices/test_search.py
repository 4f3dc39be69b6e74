"""Full-text search of the sheets, through the page a person uses, on both backends."""

import pytest
from django.urls import reverse

from practices.models import PracticeSheet, SheetStatus
from practices.search import search_sheets
from practices.selectors import published_sheets

from .factories import make_sheet

pytestmark = pytest.mark.django_db

LIST_URL = reverse("practices:list")


@pytest.fixture
def sheets():
    in_title = make_sheet(
        "Logement accompagné des réfugiés",
        communes=["69266"],
        summary="Un accompagnement vers un premier toit.",
    )
    in_body = make_sheet(
        "Accueil au guichet unique",
        communes=["13055"],
        summary="Un accueil pour toutes les démarches.",
        how_it_works="On y parle aussi de logement, parmi beaucoup d'autres sujets.",
    )
    laicite = make_sheet(
        "Former les agents à la laïcité",
        communes=["95268"],
        themes=["laicite"],
        summary="Des formations sur le principe de laïcité pour les agents d'accueil.",
    )
    arabic = make_sheet(
        "Accueil en plusieurs langues",
        region="84",
        summary="Le mot d'accueil affiché à l'entrée : « مرحبا », « bienvenue », « welcome ».",
    )
    draft = make_sheet("Logement brouillon", communes=["69266"], status=SheetStatus.DRAFT)
    return {
        "in_title": in_title,
        "in_body": in_body,
        "laicite": laicite,
        "arabic": arabic,
        "draft": draft,
    }


def listed(response) -> list[PracticeSheet]:
    assert response.status_code == 200
    return response.context["sheets"] or []


def test_a_title_match_ranks_above_a_body_match(client, sheets):
    found = listed(client.get(LIST_URL, {"q": "logement"}))
    assert found == [sheets["in_title"], sheets["in_body"]]  # the draft is never listed
    html = client.get(LIST_URL, {"q": "logement"}).content.decode()
    html = html[html.index('id="sheets-list"') :]
    assert html.index("Logement accompagné") < html.index("Accueil au guichet unique")


def test_the_selector_ranks_the_same_way(sheets):
    assert list(search_sheets(published_sheets(), "logement")) == [
        sheets["in_title"],
        sheets["in_body"],
    ]


@pytest.mark.parametrize("query", ["laicite", "LAÏCITÉ", "laïcité", "Laicité agents"])
def test_accents_and_case_do_not_matter(client, sheets, query):
    assert listed(client.get(LIST_URL, {"q": query})) == [sheets["laicite"]]


def test_an_arabic_word_is_found(client, sheets):
    assert listed(client.get(LIST_URL, {"q": "مرحبا"})) == [sheets["arabic"]]


def test_an_unknown_arabic_word_finds_nothing_quietly(client, sheets):
    response = client.get(LIST_URL, {"q": "شكرا"})
    assert listed(response) == []
    assert "Aucune fiche ne correspond" in response.content.decode()


def test_emoji_alone_says_there_is_no_word_to_search(client, sheets):
    response = client.get(LIST_URL, {"q": "🏠🙂"})
    assert listed(response) == []
    assert "ne contient aucun mot à chercher" in response.content.decode()


def test_emoji_beside_a_word_are_ignored(client, sheets):
    assert listed(client.get(LIST_URL, {"q": "🏠 logement 🙂"}))[0] == sheets["in_title"]


def test_a_5000_character_query_is_cut_not_refused(client, sheets):
    response = client.get(LIST_URL, {"q": ("logement " * 600)[:5000]})
    assert response.context["form"].cleaned_data["q"] == ("logement " * 600)[:500]
    assert listed(response)[0] == sheets["in_title"]


def test_a_5000_character_word_finds_nothing(client, sheets):
    assert listed(client.get(LIST_URL, {"q": "x" * 5000})) == []


@pytest.mark.parametrize(
    "query",
    [
        '"logement',
        "logement OR -accueil",
        "NEAR(logement accueil)",
        "logement*",
        "l'accueil",
        "a & b | !c",
        "(logement",
        "%_\\",
        "' OR 1=1 --",
        "\u200b\u200blogement",
    ],
)
def test_search_syntax_typed_by_a_person_is_read_as_words(client, sheets, query):
    listed(client.get(LIST_URL, {"q": query}))  # 200, never an SQL error


def test_search_combines_with_the_filters(client, sheets):
    assert listed(client.get(LIST_URL, {"q": "logement", "region": "93"})) == [sheets["in_body"]]
    assert listed(client.get(LIST_URL, {"q": "accueil", "theme": "laicite"})) == [sheets["laicite"]]
