"""The printed orientation sheet (directory/orientation.py): the nearest places of a search,
French beside the reader's language, as a page and as a one-page A4 PDF."""

import io
import re
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from pypdf import PdfReader

from core.pdf import static_fetcher
from directory.models import Competence
from directory.orientation import SHEET_SIZE, place_qr
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

ORIGIN = {"lat": "45.7670", "lon": "4.8805", "radius": "20"}
RTL = {"ar", "fa-af"}
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "fr"]


@pytest.fixture
def places():
    """Ten places east of the origin, each farther than the last (~0.4 km apart)."""
    competences = list(Competence.objects.all()[:3])
    return [
        PlaceFactory(
            name=f"Permanence d’accès aux droits et à la langue n° {n}",
            slug=f"permanence-{n}",
            lon=4.8805 + 0.005 * n,
            lat=45.7670,
            street=f"{10 + n} avenue Henri Barbusse",
            postal_code="69100",
            phone=f"04 72 00 00 {n:02d}",
            opening_hours="Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:30-12:00",
            appointment_only=n % 3 == 0,
            competences=competences,
        )
        for n in range(1, 11)
    ]


def sheet(client, **params):
    return client.get(reverse("directory:orientation"), {**ORIGIN, **params})


def blocks(html: str, code: str) -> list[str]:
    """The opening tags of the sheet's blocks in language `code`."""
    return re.findall(rf'<td class="sheet-place__text" lang="{re.escape(code)}" dir="(\w+)">', html)


def test_the_nearest_places_in_order(client, places):
    response = sheet(client)
    assert response.status_code == 200
    html = response.content.decode()
    shown = [entry["place"].pk for entry in response.context["entries"]]
    assert shown == [p.pk for p in places[:SHEET_SIZE]]
    # The search page lists the same places first, in the same order.
    searched = client.get(reverse("directory:search"), ORIGIN).context["results"]
    assert [p.pk for p in searched[:SHEET_SIZE]] == shown
    positions = [html.index(f"</span> {p.name} ") for p in places[:SHEET_SIZE]]
    assert positions == sorted(positions)
    for place in places[SHEET_SIZE:]:
        assert f"</span> {place.name} " not in html
    assert places[0].phone in html and places[0].address in html
    # Hours in words, days alike grouped; a time span never breaks across lines.
    text = re.sub(r"<[^>]+>", "", html)
    assert "Lundi – vendredi : 09:00–12:00, 14:00–17:30" in text
    assert "Samedi : 09:30–12:00" in text
    assert "Dimanche : fermé" in text
    assert '<bdi class="sheet-nowrap" dir="ltr">14:00–17:30</bdi>' in html
    assert "sur rendez-vous uniquement" in html  # places 3, 6: appointment only


def test_each_place_has_the_qr_code_of_its_page(client, places):
    response = sheet(client)
    html = response.content.decode()
    assert html.count('<svg viewBox="0 0 ') == SHEET_SIZE
    for place in places[:SHEET_SIZE]:
        url = f"http://testserver/annuaire/lieux/{place.slug}/"
        assert place_qr(url) in html  # the SVG segno made from the place page's full URL


def test_qr_code_of_a_url():
    svg = place_qr("https://reperes.example/annuaire/lieux/a/")
    assert svg.startswith("<svg") and 'class="sheet-qr"' in svg
    assert "<?xml" not in svg and "width=" not in svg  # inline, sized by the stylesheet
    assert svg != place_qr("https://reperes.example/annuaire/lieux/b/")


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_french_beside_the_chosen_language(client, places, code):
    html = sheet(client, langue=code).content.decode()
    assert blocks(html, "fr") == ["ltr"] * SHEET_SIZE
    assert blocks(html, code) == ["rtl" if code in RTL else "ltr"] * SHEET_SIZE
    # The second block speaks its language: the weekday names are that language's.
    with translation.override(code):
        monday = formats.date_format(date(2026, 11, 30), "l").capitalize()
    assert monday != "Lundi"
    assert f'lang="{code}" dir="{"rtl" if code in RTL else "ltr"}">' in html
    second_block = html.split(f'<td class="sheet-place__text" lang="{code}"', 1)[1]
    assert second_block.split("</td>", 1)[0].count(monday) == 1
    assert "Lundi" in html  # French stays


def test_default_is_the_interface_language(client, places):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = OTHER_LANGUAGES[-1]
    html = sheet(client).content.decode()
    assert blocks(html, OTHER_LANGUAGES[-1]) and blocks(html, "fr")
    # The sheet itself stays French: the page is French, the second blocks are marked.
    assert '<html lang="fr" dir="ltr">' in html


def test_french_interface_gives_french_only(client, places):
    html = sheet(client).content.decode()
    assert len(blocks(html, "fr")) == SHEET_SIZE
    assert 'dir="rtl"' not in html.split("<main", 1)[1]
    assert 'class="sheet"' in html  # not the bilingual layout
    assert sheet(client, langue="fr").context["second"] is None


def test_language_links_keep_the_search(client, places):
    response = sheet(client, competence="sejour", langue=OTHER_LANGUAGES[0])
    links = {link["code"]: link for link in response.context["languages"]}
    assert set(links) == {code for code, _name in settings.LANGUAGES}
    assert links[OTHER_LANGUAGES[0]]["current"]
    assert "competence=sejour" in links["fr"]["url"] and "langue=fr" in links["fr"]["url"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"radius": "abc"}, "rayon"),
        ({"radius": "999"}, "rayon"),
        ({"lat": "45.7", "lon": ""}, "latitude et longitude"),
        ({"langue": "xx"}, "Cette langue n’est pas proposée"),
        ({"q": "ab\x00c", "lat": "", "lon": ""}, "caractère de contrôle"),
        ({"q": "", "lat": "", "lon": ""}, "indiquez une adresse"),
        ({"q": "zzzz qqqq introuvable", "lat": "", "lon": ""}, "Adresse introuvable"),
    ],
)
@pytest.mark.parametrize("name", ["directory:orientation", "directory:orientation-pdf"])
def test_bad_parameters_are_a_400_that_says_why(client, places, params, message, name):
    response = client.get(reverse(name), {**ORIGIN, **params})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


def test_an_empty_search_says_so(client, places):
    response = sheet(client, lat="43.2965", lon="5.3698", radius="1")  # Marseille
    assert response.status_code == 200
    assert "Aucun lieu ne correspond à cette recherche." in response.content.decode()


def test_the_search_page_links_to_its_sheet(client, places):
    html = client.get(reverse("directory:search"), {**ORIGIN, "page": "1"}).content.decode()
    link = re.search(
        r'href="(/annuaire/fiche/\?[^"]+)"[^>]*>\s*Imprimer une fiche d’orientation', html
    )
    assert link is not None
    response = client.get(link.group(1).replace("&amp;", "&"))
    assert [e["place"].pk for e in response.context["entries"]] == [
        p.pk for p in places[:SHEET_SIZE]
    ]


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_pdf_of_eight_places_fits_one_a4_page_in_french_and_another_language(
    client, places, language
):
    response = client.get(reverse("directory:orientation-pdf"), {**ORIGIN, "langue": language})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert f"-{language}.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (
        210,
        297,
    )
    text = reader.pages[0].extract_text()
    for place in places[:SHEET_SIZE]:
        assert place.phone in text
    assert places[SHEET_SIZE].phone not in text


def test_pdfs_are_limited_per_client_address(client, places, settings):
    settings.ORIENTATION_PDF_RATE = "1/hour"
    url = reverse("directory:orientation-pdf")
    assert client.get(url, ORIGIN)["Content-Type"] == "application/pdf"
    response = client.get(url, ORIGIN)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert "Trop de PDF demandés depuis cette adresse" in response.content.decode()
    assert sheet(client).status_code == 200  # the HTML sheet stays open
    other = client.get(url, ORIGIN, REMOTE_ADDR="192.0.2.7")
    assert other["Content-Type"] == "application/pdf"


def test_pdf_reads_static_files_from_disk_and_nothing_else():
    fetcher = static_fetcher("http://testserver/")
    css = fetcher.fetch("http://testserver/static/directory/orientation.css")
    assert b"@page" in css.read() and css.content_type == "text/css"
    for url in (
        "https://tile.openstreetmap.org/1/1/1.png",
        "http://testserver/annuaire/",
        "file:///etc/passwd",
        "http://testserver/static/../../config/settings/base.py",
        "http://testserver/static/nothing-here.css",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
