"""The accessibility statement, the footer links every page carries, and the admin's map
widgets (whose inline script must carry the response's nonce, never nonce="None")."""

import re

import pytest
from django.contrib.auth import get_user_model

from geodata.models import Region
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

FOOTER = re.compile(r'<footer class="site-footer">(.*?)</footer>', re.DOTALL)
HREF = re.compile(r'href="([^"]+)"')
NONCE = re.compile(r"'nonce-([^']+)'")


def footer_links(response) -> list[str]:
    footer = FOOTER.search(response.content.decode())
    assert footer, "no footer"
    return HREF.findall(footer.group(1))


def test_statement_says_what_was_tested_and_where_to_write(client, settings):
    settings.CONTACT_EMAIL = "accessibilite@reseau.example.fr"
    response = client.get("/accessibilite/")
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    html = response.content.decode()
    assert "<h1>Déclaration d’accessibilité</h1>" in html
    assert "partiellement conforme" in html
    assert "axe-core" in html and "390 × 844" in html and "1280 × 800" in html
    assert 'href="mailto:accessibilite@reseau.example.fr"' in html
    assert "Défenseur des droits" in html
    assert "Libre réponse 71120" in html


@pytest.mark.parametrize(
    "url", ["/", "/annuaire/", "/pratiques/", "/integrer/", "/exports/", "/accessibilite/"]
)
def test_footer_links_on_every_page_and_they_answer(client, url):
    response = client.get(url)
    assert response.status_code == 200
    links = footer_links(response)
    assert links[:3] == ["/exports/", "/api/v1/docs/", "/accessibilite/"]
    for link in links[:3]:
        assert client.get(link).status_code == 200, link
    assert "contributeurs OpenStreetMap" in FOOTER.search(response.content.decode()).group(1)


def test_the_not_found_page_has_the_footer_too(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "/accessibilite/" in footer_links(response)


def test_api_docs_page_has_a_language_and_no_swagger(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert '<html lang="fr">' in html
    assert "<redoc " in html and "swagger" not in html.lower()


def test_admin_map_widgets_carry_the_nonce(client):
    place = PlaceFactory()
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    region = Region.objects.get(code="84")
    for url in (
        f"/admin/directory/place/{place.pk}/change/",
        "/admin/directory/place/add/",
        f"/admin/geodata/region/{region.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        nonce = NONCE.search(response["Content-Security-Policy"]).group(1)
        assert 'nonce="None"' not in html
        assert html.count(f'nonce="{nonce}"') >= 2, url  # the widget's and the map's scripts
