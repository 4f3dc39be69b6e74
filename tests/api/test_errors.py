"""Malformed query parameters: a 400 whose JSON body names the parameter, in French."""

import pytest

pytestmark = pytest.mark.django_db

V = "near=4.88,45.77"  # a valid point, for the cases that need one

CASES = [
    # (endpoint, query string, parameter named in the body, words of the message)
    ("places", "bbox=1,2,3", "bbox", "4 nombres"),
    ("places", "bbox=5,45,4,46", "bbox", "inversée"),
    ("places", "bbox=4,46,5,45", "bbox", "inversée"),
    ("places", "bbox=a,b,c,d", "bbox", "Nombres attendus"),
    ("places", "bbox=-200,40,5,45", "bbox", "Longitude hors limites"),
    ("places", "bbox=1,-95,2,45", "bbox", "Latitude hors limites"),
    ("places", "bbox=nan,40,5,45", "bbox", "finis"),
    ("places", "near=4,200", "near", "Latitude hors limites : 200"),
    ("places", "near=190,45", "near", "Longitude hors limites"),
    ("places", "near=abc", "near", "2 nombres"),
    ("places", "near=4.8", "near", "2 nombres"),
    ("places", "near=4.8,inf", "near", "finis"),
    ("places", "competence=xyz", "competence", "Compétence inconnue : « xyz »"),
    ("places", "competence=sejour,xyz", "competence", "Compétence inconnue : « xyz »"),
    ("places", "competence=sejour&competence=nope", "competence", "« nope »"),
    ("places", "competence_match=some", "competence_match", "any ou all"),
    ("places", "kind=nope", "kind", "Type de lieu inconnu : « nope »"),
    ("places", f"{V}&radius=0", "radius", "entre 0,1 et 200"),
    ("places", f"{V}&radius=500", "radius", "entre 0,1 et 200"),
    ("places", f"{V}&radius=-3", "radius", "entre 0,1 et 200"),
    ("places", f"{V}&radius=dix", "radius", "entre 0,1 et 200"),
    ("places", f"{V}&radius=nan", "radius", "entre 0,1 et 200"),
    ("places", "radius=5", "radius", "qu'avec near ou address"),
    ("places", "page_size=10000", "page_size", "entre 1 et 200"),
    ("places", "page_size=0", "page_size", "entre 1 et 200"),
    ("places", "page=0", "page", "nombre entier"),
    ("places", "page=abc", "page", "nombre entier"),
    ("places", f"{V}&page=-1", "page", "nombre entier"),
    ("places", "open_now=maybe", "open_now", "true ou false"),
    ("places", "region=99", "region", "Région inconnue : « 99 »"),
    ("places", "department=999", "department", "Département inconnu : « 999 »"),
    ("places", "commune=99999", "commune", "Commune inconnue"),
    ("places", "commune=" + "9" * 30, "commune", "trop long"),
    ("places", "language=xx", "language", "Langue inconnue : « xx »"),
    ("places", "q=" + "a" * 201, "q", "trop long"),
    ("places", "address=Zzyqxw%20Introuvable", "address", "Adresse introuvable"),
    ("places", "address=" + "a" * 201, "address", "trop longue (200 caractères au plus)"),
    ("places", f"{V}&address=Lyon", "address", "pas les deux"),
    ("organisations", "member_centre=perhaps", "member_centre", "true ou false"),
    ("organisations", "page_size=201", "page_size", "entre 1 et 200"),
    ("practices", "theme=nope", "theme", "Thème inconnu : « nope »"),
    ("practices", "region=00", "region", "Région inconnue"),
    ("practices", "running=perhaps", "running", "true ou false"),
    ("practices", "year_from=1800", "year_from", "entre 1900 et 2100"),
    ("practices", "year_to=deux-mille", "year_to", "entre 1900 et 2100"),
    ("practices", "year_from=2020&year_to=2010", "year_to", "précède year_from"),
    ("regions", "simplify=0.5", "simplify", "entre 0 et 0,1"),
    ("regions", "simplify=-1", "simplify", "entre 0 et 0,1"),
    ("regions", "simplify=fort", "simplify", "entre 0 et 0,1"),
    ("departments", "region=99", "region", "Région inconnue"),
    ("departments", "simplify=1", "simplify", "entre 0 et 0,1"),
    ("geocode", "", "q", "obligatoire"),
    ("geocode", "q=", "q", "vide"),
    ("geocode", "q=%20%20", "q", "vide"),
    ("geocode", "q=" + "a" * 201, "q", "L'adresse est trop longue (200 caractères au plus)."),
    ("geocode", "q=Lyon&limit=50", "limit", "entre 1 et 20"),
]


@pytest.mark.parametrize(("endpoint", "query", "parameter", "words"), CASES)
def test_bad_parameter_is_a_400_naming_it(api, endpoint, query, parameter, words):
    response = api.get(f"/api/v1/{endpoint}/?{query}")
    assert response.status_code == 400, response.content
    body = response.json()
    assert parameter in body, body
    messages = body[parameter]
    assert isinstance(messages, list) and all(isinstance(m, str) for m in messages)
    assert any(words in m for m in messages), messages


def test_catalogue_is_large_enough():
    assert len(CASES) >= 15
    assert len({parameter for _, _, parameter, _ in CASES}) >= 15


def test_unknown_competence_lists_the_possible_values(api):
    message = api.get("/api/v1/places/?competence=xyz").json()["competence"][0]
    assert message.startswith("Compétence inconnue : « xyz ». Valeurs possibles : ")
    assert "apprentissage-francais" in message and "sejour" in message


def test_messages_stay_french_whatever_the_accept_language(api):
    response = api.get("/api/v1/places/?radius=500&near=4,45", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "entre 0,1 et 200" in response.json()["radius"][0]


def test_every_error_of_a_request_is_reported(api):
    body = api.get("/api/v1/places/?bbox=1&open_now=maybe&competence=xyz").json()
    assert {"bbox", "open_now", "competence"} <= set(body)


def test_empty_values_are_ignored(api):
    response = api.get("/api/v1/places/?competence=&region=&near=&open_now=&q=")
    assert response.status_code == 200
