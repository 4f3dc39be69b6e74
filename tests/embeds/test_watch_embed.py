"""The press watch as an embeddable list (/embed/veille/): filtered and limited by its URL,
framed and counted like the maps."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape

import pytest

from core.usage.models import UsageCounter
from resources.models import NoticeStatus
from tests.factories import OrganisationFactory
from tests.resources.watch_factories import make_watch_item

pytestmark = pytest.mark.django_db

URL = "/embed/veille/"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def directive(response, name: str) -> str:
    for part in response["Content-Security-Policy"].split(";"):
        if part.strip().startswith(name + " "):
            return part.strip()
    return ""


@pytest.fixture
def items():
    start = date(2025, 1, 1)
    made = [
        make_watch_item(
            f"Article {n:02d}",
            published_on=start + timedelta(days=n),
            themes=["logement" if n % 2 else "langue"],
            regions=["84" if n < 6 else "93"],
        )
        for n in range(12)
    ]
    make_watch_item("Brouillon caché", status=NoticeStatus.DRAFT, published_on=date(2026, 1, 1))
    return made


def titles(response) -> list[str]:
    page = unescape(response.content.decode())
    return [line.split(">")[-1] for line in page.split("</a></h2>")[:-1]]


def test_the_ten_latest_published_by_default(client, items):
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == [f"Article {n:02d}" for n in range(11, 1, -1)]
    page = response.content.decode()
    assert "Brouillon caché" not in page
    assert 'target="_blank" rel="noopener"' in page
    assert '<time datetime="2025-01-12">' in page


def test_filters_and_limit(client, items):
    response = client.get(URL, {"theme": "logement", "region": "84", "limite": "2"})
    assert titles(response) == ["Article 05", "Article 03"]
    assert "/documentation/veille/?theme=logement&amp;region=84" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"theme": "cuisine"}, "Thème inconnu"),
        ({"region": "00"}, "Région inconnue"),
        ({"limite": "mille"}, "un nombre entier est attendu"),
        ({"limite": "500"}, "au plus 50"),
        ({"centre": "inconnu"}, "aucun centre ressources"),
    ],
)
def test_bad_parameters_are_a_400_that_names_them(client, items, params, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert message in page and f"<code>{next(iter(params))}</code>" in page
    assert "X-Frame-Options" not in response


def test_the_list_is_frameable_like_the_maps(client, items):
    response = client.get(URL)
    assert "X-Frame-Options" not in response
    assert directive(response, "frame-ancestors") == "frame-ancestors *"
    assert directive(response, "script-src").startswith("script-src 'self'")
    # Any other page of the site refuses to be framed.
    panorama = client.get("/documentation/veille/")
    assert panorama["X-Frame-Options"] == "DENY"


def test_a_centres_domains_restrict_framing(client, items):
    centre = OrganisationFactory(
        name="Centre Rhône", slug="centre-rhone", is_member_centre=True,
        embed_domains="www.exemple.fr",
    )  # fmt: skip
    response = client.get(URL, {"centre": centre.slug})
    assert response.status_code == 200
    assert directive(response, "frame-ancestors") == (
        "frame-ancestors 'self' https://www.exemple.fr http://www.exemple.fr"
    )
    assert "proposée par Centre Rhône" in unescape(response.content.decode())


def test_the_embed_is_counted_with_its_host(client, items):
    response = client.get(
        URL, HTTP_USER_AGENT=BROWSER, HTTP_REFERER="https://partenaire.example.org/veille"
    )
    assert response.status_code == 200
    counts = {(c.metric, c.key): c.count for c in UsageCounter.objects.all()}
    assert counts[("embed", "partenaire.example.org")] == 1
    assert counts[("section", "embed")] == 1
    assert ("pageviews", "") not in counts  # an embed is not a page of the site


def test_the_panorama_offers_the_embed_code_of_its_filters(client, items):
    import re

    page = client.get("/documentation/veille/", {"theme": "logement", "region": "84"})
    body = page.content.decode()
    assert "Afficher cette veille sur votre site" in body
    code = unescape(
        re.search(r'<textarea id="watch-embed-code"[^>]*>(.*?)</textarea>', body, re.S)[1]
    )
    src = re.search(r'<iframe src="([^"]+)"', code)[1]
    assert src.startswith("http://testserver/embed/veille/?")
    assert "theme=logement" in src and "region=84" in src
    # The code gives the same list as the page: the embed at that address lists them.
    framed = client.get(src.removeprefix("http://testserver"))
    assert framed.status_code == 200
    listed = {item.title for item in page.context["items"]}
    assert listed and all(title in framed.content.decode() for title in listed)
    # No filter: the code embeds the whole watch.
    whole = client.get("/documentation/veille/").content.decode()
    assert 'src="http://testserver/embed/veille/"' in unescape(whole)
