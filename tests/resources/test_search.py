"""Full-text search of notices (French stems, accents folded) and the list's facets."""

import pytest

from resources.models import NoticeStatus
from resources.selectors import NoticeFilters, facets, filter_notices, published_notices

from .factories import make_notice

pytestmark = pytest.mark.django_db


def titles(filters: NoticeFilters) -> list[str]:
    return [n.title for n in filter_notices(published_notices(), filters)]


@pytest.fixture
def notices():
    return [
        make_notice(
            "Apprendre une langue à l'âge adulte", themes=["langue"], region="84", year=2019
        ),
        make_notice(
            "Le logement des personnes âgées",
            abstract="Vieillir en foyer : droits, santé, éducation populaire.",
            themes=["logement"],
            region="93",
            year=2021,
            type="report",
        ),
        make_notice(
            "Guide de l'accueil",
            authors=[("person", "Langlois, Édith")],
            themes=["accueil-primo-arrivants"],
            year=2021,
            type="guide",
        ),
        make_notice("Brouillon sur les langues", status=NoticeStatus.DRAFT),
    ]


def test_langues_finds_langue_and_never_a_draft(notices):
    assert titles(NoticeFilters(text="langues")) == ["Apprendre une langue à l'âge adulte"]


def test_accents_are_folded(notices):
    assert titles(NoticeFilters(text="education")) == ["Le logement des personnes âgées"]
    assert titles(NoticeFilters(text="ÉDUCATION Populaire")) == ["Le logement des personnes âgées"]


def test_authors_are_searched(notices):
    assert titles(NoticeFilters(text="Edith Langlois")) == ["Guide de l'accueil"]


def test_a_title_match_ranks_above_an_abstract_match():
    make_notice("Document sur la santé", abstract="Rien d'autre.")
    make_notice("Autre document", abstract="On y parle de santé aussi.")
    assert titles(NoticeFilters(text="santé")) == ["Document sur la santé", "Autre document"]


def test_facets_count_with_the_other_facets_applied(notices):
    chosen = NoticeFilters(years=[2021])
    counted = facets(chosen)
    assert [(v, n) for v, _label, n in counted["years"]] == [("2021", 2), ("2019", 1)]
    assert {v: n for v, _label, n in counted["types"]} == {"report": 1, "guide": 1}
    assert titles(NoticeFilters(years=[2021], regions=["93"])) == [
        "Le logement des personnes âgées"
    ]
    assert titles(NoticeFilters(types=["guide", "report"], themes=["logement"])) == [
        "Le logement des personnes âgées"
    ]


def test_nothing_to_search_finds_nothing(notices):
    assert titles(NoticeFilters(text="de la")) == []


def test_a_misspelt_search_suggests_the_words_of_published_notices(client, notices):
    response = client.get("/documentation/", {"q": "logment"})
    assert response.context["total"] == 0
    assert response.context["suggestion"] == "logement"
    assert "Vouliez-vous dire" in response.content.decode()
    # A draft lends no word.
    response = client.get("/documentation/", {"q": "brouilon"})
    assert "suggestion" not in response.context


def test_the_suggestion_vocabulary_is_cached_until_the_notices_change(notices):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from resources.search import published_vocabulary

    assert "logement" in published_vocabulary()
    with CaptureQueriesContext(connection) as captured:
        published_vocabulary()
    assert len(captured) == 1  # the state of the published notices, not their texts
    make_notice("Hébergement d'urgence", abstract="Hébergement solidaire.")
    assert "hebergement" in published_vocabulary()


def test_a_suggestion_considers_only_the_first_unknown_words(notices):
    from resources.search import MAX_SUGGESTED_WORDS, suggest_text

    assert suggest_text("logment") == "logement"
    filler = ["zzzza", "zzzzb", "zzzzc", "zzzzd", "zzzze", "zzzzf"][:MAX_SUGGESTED_WORDS]
    assert suggest_text(" ".join([*filler, "logment"])) is None
