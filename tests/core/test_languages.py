"""The interface in French, English, Arabic, Ukrainian and Dari (issue 12, item 5).

Only what does not depend on a catalogue's progress is asserted here (test_catalogues.py
checks the catalogues): the language chosen, its direction, the names of languages (the
settings, CLDR) and of the taxonomies (the database), numbers, dates and the embed's language.
"""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info

from directory.languages import LANGUAGES, language_choices, language_name
from directory.models import Competence, Kind
from directory.templatetags.directory_tags import distance
from practices.models import Theme
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

INTERFACE = {  # code: (native name, direction)
    "fr": ("Français", "ltr"),
    "en": ("English", "ltr"),
    "ar": ("العربيّة", "rtl"),  # as Django's table writes it
    "uk": ("Українська", "ltr"),
    "fa-af": ("دری", "rtl"),
}
HTML_TAG = re.compile(r'<html lang="([^"]+)" dir="([^"]+)">')


def html_of(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.mark.parametrize(("code", "direction"), [(c, d) for c, (_n, d) in INTERFACE.items()])
def test_the_switch_sets_language_and_direction(client, code, direction):
    response = client.post(reverse("set_language"), {"language": code, "next": "/annuaire/"})
    assert response.status_code == 302 and response["Location"] == "/annuaire/"
    html = html_of(client.get("/annuaire/"))
    assert HTML_TAG.search(html).groups() == (code, direction)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("ar", "ar"), ("uk-UA,uk;q=0.9", "uk"), ("fa-AF", "fa-af"), ("prs,fa;q=0.8", "fa-af")],
)
def test_the_browser_language_is_taken_first(client, accept, expected):
    html = html_of(client.get("/annuaire/", HTTP_ACCEPT_LANGUAGE=accept))
    assert HTML_TAG.search(html).group(1) == expected


def test_the_switcher_names_each_language_in_itself(client):
    html = html_of(client.get("/annuaire/", HTTP_ACCEPT_LANGUAGE="en"))
    switcher = html.split('class="lang-switch"')[1].split("</form>")[0]
    for code, (name, direction) in INTERFACE.items():
        assert re.search(
            rf'value="{code}" lang="{code}"\s+dir="{direction}"\s+aria-pressed="(true|false)">'
            rf"{name}</button>",
            switcher,
        ), code
    # Dari, not Persian: Django knows only "fa".
    assert "فارسی" not in switcher and "Persian" not in switcher


def test_dari_is_named_as_cldr_names_it():
    info = get_language_info("fa-af")
    assert (info["name"], info["name_local"], info["bidi"]) == ("Dari", "دری", True)
    with translation.override("fa-af"):
        assert translation.get_language_bidi()
        assert translation.to_locale(translation.get_language()) == "fa_AF"


# --- Taxonomies ------------------------------------------------------------------------------

SEEDED = {  # model, slug: {language: name}
    (Competence, "asile"): {
        "fr": "Asile",
        "en": "Asylum",
        "ar": "اللجوء",
        "uk": "Притулок",
        "fa-af": "پناهندگی",
    },
    (Kind, "centre-ressources"): {
        "fr": "Centre ressources",
        "en": "Resource centre",
        "ar": "مركز موارد",
        "uk": "Ресурсний центр",
        "fa-af": "مرکز منابع",
    },
    (Theme, "langue"): {
        "fr": "Langue",
        "en": "Language",
        "ar": "اللغة",
        "uk": "Мова",
        "fa-af": "زبان",
    },
}


@pytest.mark.parametrize(("model", "slug"), list(SEEDED))
def test_seeded_taxonomies_are_named_in_every_language(model, slug):
    item = model.objects.get(slug=slug)
    for code, name in SEEDED[model, slug].items():
        with translation.override(code):
            assert (item.label, str(item)) == (name, name)
    # Every seeded item has a name in each language, English kept as it was.
    for each in model.objects.all():
        assert all(each.names.values()), each.slug


def test_a_missing_translation_falls_back_on_french():
    competence = Competence.objects.create(slug="nouvelle", name="Nouvelle compétence")
    for code in INTERFACE:
        with translation.override(code):
            assert competence.label == "Nouvelle compétence"


@pytest.mark.parametrize(
    ("endpoint", "model", "slug"),
    [
        ("competences", Competence, "asile"),
        ("kinds", Kind, "centre-ressources"),
        ("themes", Theme, "langue"),
    ],
)
def test_the_api_keeps_its_fields_and_gives_every_name(client, endpoint, model, slug):
    expected = SEEDED[model, slug]
    for accept in ("fr", "ar"):  # the same answer whatever the reader's language
        row = client.get(f"/api/v1/{endpoint}/{slug}/", HTTP_ACCEPT_LANGUAGE=accept).json()
        assert (row["name"], row["name_en"]) == (expected["fr"], expected["en"])
        assert row["names"] == expected


@pytest.mark.parametrize("code", list(INTERFACE))
def test_pages_show_taxonomies_in_the_interface_language(client, code):
    kind = Kind.objects.get(slug="centre-ressources")
    asile = Competence.objects.get(slug="asile")
    place = PlaceFactory(kinds=[kind], competences=[asile])
    page = html_of(client.get(place.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=code))
    assert SEEDED[Kind, "centre-ressources"][code] in page
    assert SEEDED[Competence, "asile"][code] in page
    # The search form's competence filter (no place listed on an empty search).
    search = html_of(client.get("/annuaire/", HTTP_ACCEPT_LANGUAGE=code))
    assert SEEDED[Competence, "asile"][code] in search
    exports = html_of(client.get("/exports/", HTTP_ACCEPT_LANGUAGE=code))
    assert f"{SEEDED[Competence, 'asile'][code]} <code>asile</code>" in exports


# --- Spoken languages (CLDR) -----------------------------------------------------------------

SPOKEN = {  # interface language: names of Ukrainian, Arabic, Persian; "uk,ar" as a list
    "fr": ("ukrainien", "arabe", "persan", "ukrainien et arabe"),
    "en": ("Ukrainian", "Arabic", "Persian", "Ukrainian and Arabic"),
    "ar": ("الأوكرانية", "العربية", "الفارسية", "الأوكرانية والعربية"),
    "uk": ("українська", "арабська", "перська", "українська і арабська"),
    "fa-af": ("اوکراینی", "عربی", "فارسی", "اوکراینی و عربی"),
}


@pytest.mark.parametrize("code", list(SPOKEN))
def test_spoken_languages_are_named_in_the_interface_language(client, code):
    with translation.override(code):
        assert tuple(language_name(c) for c in ("uk", "ar", "fa")) == SPOKEN[code][:3]
        choices = language_choices()
    assert sorted(c for c, _name in choices) == sorted(LANGUAGES)  # the same codes offered

    place = PlaceFactory(languages="uk,ar")
    page = html_of(client.get(place.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=code))
    assert f"<dd>{SPOKEN[code][3]}" in page
    search = html_of(client.get("/annuaire/", HTTP_ACCEPT_LANGUAGE=code))
    assert f'<option value="uk">{SPOKEN[code][0]}</option>' in search


def test_spoken_languages_are_in_the_alphabetical_order_of_the_reader():
    with translation.override("fr"):
        names = [name for _code, name in language_choices()]
        # Accents do not count: « hébreu » between « haoussa » and « hindi ».
        assert names.index("haoussa") < names.index("hébreu") < names.index("hindi")
    with translation.override("uk"):
        names = [name for _code, name in language_choices()]
        # і comes after и in the Ukrainian alphabet, not after я as in Unicode.
        assert names.index("гінді") < names.index("грецька")
        assert names[-1] != "італійська"


def test_open_data_keeps_french_language_names():
    # The exports publish the reference names, whatever the reader's language.
    assert (LANGUAGES["uk"], LANGUAGES["bs"], LANGUAGES["fa"]) == ("ukrainien", "bosnien", "persan")


# --- Numbers and dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "far", "near"),
    [
        ("fr", "4,2 km", "850 m"),
        ("en", "4.2 km", "850 m"),
        ("ar", "4,2 كم", "850 م"),
        ("uk", "4,2 км", "850 м"),
        ("fa-af", "4.2 کیلومتر", "850 متر"),
    ],
)
def test_distances_are_rounded_and_localised(code, far, near):
    with translation.override(code):
        assert (distance(4199.6), distance(849)) == (far, near)


@pytest.mark.parametrize(
    ("code", "text"),
    [("fr", "1 décembre 2026"), ("en", "Dec. 1, 2026"), ("uk", "01 грудня 2026"), ("ar", "ديسمبر")],
)
def test_dates_follow_the_interface_language(client, code, text):
    place = PlaceFactory(last_verified=date(2026, 12, 1))
    assert text in html_of(client.get(place.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=code))


def test_phone_address_and_hours_stay_left_to_right(client):
    place = PlaceFactory(
        phone="04 78 12 34 56", street="10 place Lazare Goujon", postal_code="69100"
    )
    page = html_of(client.get(place.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar"))
    assert '<bdi class="place-action__detail" dir="ltr">04 78 12 34 56</bdi>' in page
    assert 'dir="ltr">04 78 12 34 56</a>' in page
    assert "<bdi>10 place Lazare Goujon, 69100 Villeurbanne</bdi>" in page
    assert re.search(r'<td><bdi dir="ltr">09:00–12:00, 14:00–17:00</bdi></td>', page)
    # The map stays left-to-right in a right-to-left page, its buttons named.
    assert re.search(
        r'id="place-map" class="map map--small" data-places="place-map-data"\s+dir="ltr"', page
    )
    assert 'data-zoom-in="' in page and 'data-attribution="' in page


# --- The embed -------------------------------------------------------------------------------


def test_the_embed_speaks_its_visitors_language_unless_told(client):
    response = client.get("/embed/", HTTP_ACCEPT_LANGUAGE="uk")
    assert response.status_code == 200
    assert '<html lang="uk"' in response.content.decode()
    assert response["Content-Language"] == "uk"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}

    told = client.get("/embed/", {"lang": "ar"}, HTTP_ACCEPT_LANGUAGE="uk")
    assert '<html lang="ar" dir="rtl"' in told.content.decode() and told["Content-Language"] == "ar"
    assert "Cookie" not in told["Vary"]  # the URL says it all
    assert client.get("/embed/").context["config"].lang == "fr"


def test_the_builder_starts_in_the_page_language(client):
    html = html_of(client.get(reverse("embeds:builder"), HTTP_ACCEPT_LANGUAGE="uk"))
    assert '<option value="uk" selected lang="uk">Українська</option>' in html
    snippet = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)[1]
    assert 'data-lang="uk"' in snippet
    # The empty choice leaves the language to the page that embeds the map.
    chosen = html_of(client.get(reverse("embeds:builder"), {"lang": ""}, HTTP_ACCEPT_LANGUAGE="uk"))
    assert "data-lang" not in re.search(r"<textarea[^>]*>(.*?)</textarea>", chosen, re.S)[1]
