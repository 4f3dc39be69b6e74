"""Full-text search of the sheets, through the page a person uses, on both backends."""

import pytest
from django.urls import reverse

from practices.models import PracticeSheet, SheetStatus
from practices.search import search_sheets, suggest_text
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


# -- search that forgives: stems, accents, « did you mean » -----------------------------


@pytest.fixture
def forgiving():
    singular = make_sheet(
        "Ateliers de langue française", region="84", summary="Des cours du soir pour adultes."
    )
    plural = make_sheet(
        "Accueil en plusieurs langues", region="11", summary="Un mot d'accueil par pays."
    )
    education = make_sheet(
        "Éducation populaire au quartier",
        region="84",
        summary="Des ateliers ouverts à tous les habitants.",
    )
    plain = make_sheet(
        "Soutien scolaire",
        region="11",
        summary="Pour une education partagée entre parents et enseignants.",
    )
    vigilance = make_sheet(
        "Vigilance contre les arnaques au titre de séjour",
        region="84",
        summary="Repérer les faux intermédiaires.",
    )
    draft = make_sheet(
        "Permanence juridique",
        region="84",
        summary="Une permanence hebdomadaire.",
        status=SheetStatus.DRAFT,
    )
    return {
        "singular": singular,
        "plural": plural,
        "education": education,
        "plain": plain,
        "vigilance": vigilance,
        "draft": draft,
    }


def test_a_plural_finds_what_the_singular_finds(client, forgiving):
    expected = {forgiving["singular"], forgiving["plural"]}
    assert set(listed(client.get(LIST_URL, {"q": "langue"}))) == expected
    assert set(listed(client.get(LIST_URL, {"q": "langues"}))) == expected


def test_the_selector_stems_too(forgiving):
    assert set(search_sheets(published_sheets(), "langues")) == {
        forgiving["singular"],
        forgiving["plural"],
    }


@pytest.mark.parametrize("query", ["éducation", "education", "EDUCATION", "éducatives"])
def test_accents_are_folded_and_words_stemmed(client, forgiving, query):
    assert set(listed(client.get(LIST_URL, {"q": query}))) == {
        forgiving["education"],
        forgiving["plain"],
    }


def test_a_near_miss_gets_a_suggestion_that_finds_the_sheet(client, forgiving):
    response = client.get(LIST_URL, {"q": "vigilence", "region": "84"})
    assert listed(response) == []
    assert response.context["suggestion"] == "vigilance"
    html = response.content.decode()
    assert "Vouliez-vous dire : <a href=" in html
    link = html.split("Vouliez-vous dire : <a href=", 1)[1].split('"')[1].replace("&amp;", "&")
    assert "q=vigilance" in link and "region=84" in link
    assert listed(client.get(link)) == [forgiving["vigilance"]]


def test_the_suggestion_corrects_only_the_unknown_word(forgiving):
    assert suggest_text("arnaques vigilence") == "arnaques vigilance"
    assert suggest_text("Vigilance arnaques") is None  # both known: nothing to correct


def test_no_suggestion_that_would_find_nothing_with_the_filters(client, forgiving):
    response = client.get(LIST_URL, {"q": "vigilence", "region": "11"})
    assert listed(response) == []
    assert "suggestion" not in response.context
    assert "Vouliez-vous dire" not in response.content.decode()


def test_a_draft_never_lends_a_word(client, forgiving):
    assert suggest_text("permanense") is None
    assert suggest_text("juridiqe") is None
    response = client.get(LIST_URL, {"q": "permanense"})
    assert listed(response) == []
    assert "Vouliez-vous dire" not in response.content.decode()


def test_a_published_sheet_lends_its_words_once_published(client, forgiving):
    draft = forgiving["draft"]
    draft.status = SheetStatus.PUBLISHED
    draft.save()
    assert suggest_text("permanense") == "permanence"
    response = client.get(LIST_URL, {"q": "permanense"})
    assert response.context["suggestion"] == "permanence"


def test_no_suggestion_when_the_search_finds_sheets(client, forgiving):
    make_sheet("Vigilence", region="84", summary="Une fiche au titre mal orthographié.")
    response = client.get(LIST_URL, {"q": "vigilence"})
    assert [s.title for s in listed(response)] == ["Vigilence"]
    assert "suggestion" not in response.context
    assert "Vouliez-vous dire" not in response.content.decode()


def test_stop_words_are_not_required(client, forgiving):
    assert listed(client.get(LIST_URL, {"q": "accueil des langues"})) == [forgiving["plural"]]
    assert listed(client.get(LIST_URL, {"q": "cours du soir pour des adultes"})) == [
        forgiving["singular"]
    ]


def test_stop_words_alone_find_nothing_quietly(client, forgiving):
    assert listed(client.get(LIST_URL, {"q": "des du de la"})) == []
