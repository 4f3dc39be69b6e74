import pytest
from django.contrib.gis.geos import Point

from geodata.selectors import commune_for_point, search_communes
from geodata.text import normalize_name

pytestmark = pytest.mark.django_db


def codes(query, limit=10):
    return [c.code for c in search_communes(query, limit=limit)]


@pytest.mark.parametrize(
    "query",
    [
        "saint etienne",
        "Saint-Étienne",
        "SAINT ETIENNE",
        "st etienne",
        "st-étienne",
        "saint-etienne ",
    ],
)
def test_saint_etienne_first_whatever_the_spelling(query):
    assert codes(query)[0] == "42218"


def test_postal_code_gives_villeurbanne():
    assert codes("69100")[0] == "69266"


def test_postal_code_shared_by_several_communes_ranks_by_population():
    found = search_communes("13800")  # Istres only
    assert [c.name for c in found] == ["Istres"]
    lyon_area = search_communes("69007")
    assert lyon_area[0].name == "Lyon"


def test_insee_code():
    assert codes("42218") == ["42218"]


@pytest.mark.parametrize("query", ["garges les gonesse", "Garges-lès-Gonesse", "garges"])
def test_garges(query):
    assert codes(query)[0] == "95268"


@pytest.mark.parametrize(
    "query", ["L'Abergement-Clémenciat", "abergement clemenciat", "l abergement-clemenciat"]
)
def test_with_or_without_article(query):
    assert codes(query)[0] == "01001"


def test_exact_name_beats_larger_prefix_match():
    # "Lyon" must come before communes that merely start with or contain "lyon".
    assert codes("lyon")[0] == "69123"


def test_ties_broken_by_population():
    found = search_communes("saint", limit=5)
    populations = [c.population for c in found]
    assert populations == sorted(populations, reverse=True)


@pytest.mark.parametrize(
    "query", ["", "   ", "xqzwvk", "x" * 5000, "🙂🙂", "%", "_", "' OR 1=1 --"]
)
def test_bad_queries_give_nothing(query):
    assert search_communes(query) == []


def test_normalize_name():
    assert normalize_name("L'Abergement-Clémenciat") == "abergement clemenciat"
    assert normalize_name("Garges-lès-Gonesse") == "garges les gonesse"
    assert normalize_name("St-Étienne") == "saint etienne"


def test_commune_for_point_inside():
    # Place Bellecour, Lyon; Villeurbanne town hall.
    assert commune_for_point(Point(4.8320, 45.7578, srid=4326)).code == "69123"
    assert commune_for_point(Point(4.8799, 45.7667, srid=4326)).code == "69266"


def test_commune_for_point_on_the_coast_takes_the_nearest():
    # On the water's edge of the Étang de Berre at Istres, outside simplified polygons.
    commune = commune_for_point(Point(4.9870, 43.5020, srid=4326))
    assert commune is not None and commune.department.code == "13"


def test_commune_for_point_far_away():
    assert commune_for_point(Point(-30.0, 40.0, srid=4326)) is None
