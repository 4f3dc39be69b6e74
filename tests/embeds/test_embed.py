"""The embeddable map: its parameters, its data, who may frame it, oEmbed, embed.js, builder."""

import re
from html import unescape
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse

from embeds import selectors
from embeds.forms import EmbedForm, snippet_attributes
from embeds.framing import domain_sources, frame_ancestors
from embeds.presenters import accent_ink
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

EMBED = "/embed/"


def embed(client, **params):
    return client.get(EMBED, params)


def names(response, layer="places"):
    return {item["name"] for item in response.context["map_data"][layer]}


# --- Parameters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        ({"region": "99"}, "region", "aucune région n'a le code « 99 »"),
        ({"region": "84'--"}, "region", "aucune région"),
        ({"department": "2C"}, "department", "aucun département"),
        ({"region": "93", "department": "69"}, "department", "n'est pas dans la région 93"),
        ({"color": "red"}, "color", "#RRGGBB"),
        ({"color": "#12345"}, "color", "#RRGGBB"),
        ({"color": "#1234567"}, "color", "#RRGGBB"),
        ({"view": "45.7,4.8"}, "view", "latitude,longitude,zoom"),
        ({"view": "45.7,4.8,30"}, "view", "zoom entre 3 et 18"),
        ({"view": "95,4.8,10"}, "view", "latitude,longitude,zoom"),
        ({"view": "nan,4.8,10"}, "view", "latitude,longitude,zoom"),
        ({"view": "45.7,4.8,12,3"}, "view", "latitude,longitude,zoom"),
        ({"layers": "roads"}, "layers", "places, practices ou places,practices"),
        ({"layers": "places,roads"}, "layers", "« roads »"),
        ({"competence": "sejour,astrologie"}, "competence", "« astrologie »"),
        ({"kind": "chateau"}, "kind", "« chateau »"),
        ({"search": "yes"}, "search", "mettez 1 (oui) ou 0 (non)"),
        ({"list": "2"}, "list", "mettez 1 (oui) ou 0 (non)"),
        ({"lang": "de"}, "lang", "fr, en, ar, uk, fa-af"),
        ({"height": "50"}, "height", "entre 200 et 1200"),
        ({"height": "grand"}, "height", "entre 200 et 1200"),
        ({"centre": "inconnu"}, "centre", "aucun centre ressources"),
        ({"id": "<script>"}, "id", "lettres, chiffres"),
    ],
)
def test_bad_parameters_give_a_400_that_names_them(client, params, parameter, message):
    response = embed(client, **params)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert f"<code>{parameter}</code>" in html
    assert message in html
    assert "Cette carte ne peut pas s’afficher" in html
    # The message shows inside the member's page: the error page is frameable too.
    assert "X-Frame-Options" not in response
    assert "<script>" not in response.content.decode().split("<body>")[1].split("<script src")[0]


def test_several_bad_parameters_are_all_listed(client):
    html = unescape(embed(client, region="99", color="bleu", layers="x").content.decode())
    for parameter in ("region", "color", "layers"):
        assert f"<code>{parameter}</code>" in html


def test_error_page_follows_lang(client):
    response = embed(client, region="99", lang="en")
    assert response.status_code == 400
    assert '<html lang="en">' in response.content.decode()
    assert "This map cannot be shown" in unescape(response.content.decode())


def test_a_non_member_organisation_is_no_centre(client):
    OrganisationFactory(slug="asso-locale", is_member_centre=False)
    assert embed(client, centre="asso-locale").status_code == 400


def test_unknown_parameters_are_ignored(client, data):
    assert embed(client, region="84", utm_source="newsletter").status_code == 200


def test_defaults(client, data):
    response = embed(client)
    assert response.status_code == 200
    config = response.context["config"]
    assert config.layers == ("places",)
    assert config.list and not config.search and not config.chips
    assert config.colour == "#1f4b8f" and config.lang == "fr" and config.height == 420
    html = response.content.decode()
    assert 'id="embed-list-toggle"' in html and 'aria-expanded="false"' in html
    assert 'role="search"' not in html
    # Published places of all France, drafts left out.
    assert names(response) == {
        "Point droits Villeurbanne",
        "Maison des langues Lyon",
        "Accueil Saint-Étienne",
        "Permanence Marseille",
    }


def test_values_are_normalised(client, data):
    response = embed(
        client, color="C0392B", department="69", competence=["sejour", "apprentissage-francais"]
    )
    config = response.context["config"]
    assert config.colour == "#c0392b"
    assert config.region.code == "84"  # follows from the département
    assert [c.slug for c in config.competences] == ["sejour", "apprentissage-francais"]


# --- Data ----------------------------------------------------------------------------


def test_region_filter(client, data):
    assert names(embed(client, region="84")) == {
        "Point droits Villeurbanne",
        "Maison des langues Lyon",
        "Accueil Saint-Étienne",
    }
    assert names(embed(client, region="93")) == {"Permanence Marseille"}


def test_department_filter(client, data):
    assert names(embed(client, department="69")) == {
        "Point droits Villeurbanne",
        "Maison des langues Lyon",
    }


def test_competence_filter_any_of_them(client, data):
    assert names(embed(client, region="84", competence="apprentissage-francais")) == {
        "Maison des langues Lyon",
        "Accueil Saint-Étienne",
    }
    # Repeated or comma-separated: the same.
    both = {"Point droits Villeurbanne", "Maison des langues Lyon", "Accueil Saint-Étienne"}
    assert names(embed(client, region="84", competence="sejour,apprentissage-francais")) == both
    assert (
        names(embed(client, region="84", competence=["sejour", "apprentissage-francais"])) == both
    )


def test_kind_filter(client, data):
    from directory.models import Kind

    kind = Kind.objects.get(slug="maison-des-langues")
    data["places"]["lyon"].kinds.set([kind])
    assert names(embed(client, kind="maison-des-langues")) == {"Maison des langues Lyon"}


def test_items_have_what_the_map_needs(client, data):
    response = embed(client, department="69")
    item = next(
        i for i in response.context["map_data"]["places"] if i["name"] == "Maison des langues Lyon"
    )
    place = data["places"]["lyon"]
    assert item["id"] == place.pk
    assert (item["lat"], item["lon"]) == (pytest.approx(45.764), pytest.approx(4.8357))
    assert item["url"] == f"http://testserver{place.get_absolute_url()}"
    assert "Lyon" in item["address"]
    html = response.content.decode()
    # The same items in the list, opening in a new tab; the data as JSON, not as code.
    assert f'href="{item["url"]}" target="_blank" rel="noopener"' in html
    assert '<script id="embed-data" type="application/json">' in html
    assert response.context["map_config"]["bounds"][0][0] == pytest.approx(45.45, abs=0.05)


def test_practices_layer(client, data):
    response = embed(client, layers="practices")
    assert names(response) == set()
    assert names(response, "practices") == {
        "Ateliers sociolinguistiques du Rhône",
        "Parrainage à Marseille",
    }
    assert names(embed(client, layers="practices", region="93"), "practices") == {
        "Parrainage à Marseille"
    }
    assert names(embed(client, layers="practices", department="69"), "practices") == {
        "Ateliers sociolinguistiques du Rhône"
    }
    both = embed(client, layers="practices,places", department="69")
    assert both.context["config"].layers == ("places", "practices")
    assert len(both.context["map_data"]["places"]) == 2
    assert "embed-legend" in both.content.decode()


def test_search_lists_nearest_first(client, data):
    response = embed(client, search="1", q="Villeurbanne", competence="sejour")
    assert response.status_code == 200
    found = [i["name"] for i in response.context["map_data"]["places"]]
    assert found == ["Point droits Villeurbanne", "Accueil Saint-Étienne"]  # Marseille: > 200 km
    assert response.context["map_config"]["origin"]["label"].startswith("Villeurbanne")
    html = unescape(response.content.decode())
    assert 'role="search"' in html and 'value="Villeurbanne"' in html
    # The other parameters survive the search.
    assert '<input type="hidden" name="competence" value="sejour">' in html
    assert "du plus proche au plus loin" in html


def test_search_not_found_is_a_message_not_an_error(client, data):
    response = embed(client, search="1", q="Zzyzzyva")
    assert response.status_code == 200
    assert "Adresse introuvable" in unescape(response.content.decode())
    assert len(response.context["map_data"]["places"]) == 4


def test_query_ignored_without_search_box(client, data):
    response = embed(client, q="Marseille")
    assert response.context["map_config"]["origin"] is None


def test_items_are_capped_and_it_says_so(client, data, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_ITEMS", 2)
    response = embed(client)
    assert len(response.context["map_data"]["places"]) == 2
    assert response.context["capped"]
    assert "Seuls les 2 premiers éléments sont affichés" in unescape(response.content.decode())
    assert not embed(client, region="93").context["capped"]


def test_chips_offer_the_competences_asked_for(client, data):
    html = embed(client, chips="1", competence="sejour,apprentissage-francais").content.decode()
    assert html.count('class="embed-chip"') == 2
    assert 'aria-pressed="false" data-competence="sejour"' in html
    response = embed(client, chips="1", region="93")
    assert [c.slug for c in response.context["chips"]] == ["sejour"]
    assert response.context["map_data"]["places"][0]["competences"] == ["sejour"]


def test_list_can_be_left_out(client, data):
    html = embed(client, list="0").content.decode()
    assert "embed-list-toggle" not in html and 'id="embed-list"' not in html


def test_colour_height_and_language(client, data):
    response = embed(client, color="#ffd700", height="300", lang="en")
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "--accent: #ffd700; --accent-ink: #1b1f24; --map-height: 300px" in html
    assert "Show the list" in html
    assert response["Content-Language"] == "en"


def test_accent_ink_keeps_contrast():
    assert accent_ink("#1f4b8f") == "#ffffff"
    assert accent_ink("#ffff00") == "#1b1f24"
    assert accent_ink("#000000") == "#ffffff"


def test_view_parameter(client, data):
    config = embed(client, view="45.76,4.85,12").context["map_config"]
    assert config["view"] == [45.76, 4.85, 12]


def test_oembed_discovery_link(client, data):
    html = unescape(embed(client, region="84", id="reperes-map-1").content.decode())
    match = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', html)
    assert match
    query = dict(parse_qsl(urlsplit(match.group(1)).query))
    assert query == {"url": "http://testserver/embed/?region=84", "format": "json"}


def test_embed_page_is_compressed(client, data):
    response = client.get(EMBED, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]


def test_snippet_attributes_round_trip(data, centre):
    params = QueryDict(mutable=True)
    params.update(
        {"department": "69", "layers": "places,practices", "search": "1", "color": "#c0392b"}
    )
    params.setlist("competence", ["sejour", "apprentissage-francais"])
    params["centre"] = centre.slug
    form = EmbedForm(params)
    assert form.is_valid()
    attributes = snippet_attributes(form.config)
    assert attributes == [
        ("department", "69"),
        ("competence", "sejour,apprentissage-francais"),
        ("layers", "places,practices"),
        ("search", "1"),
        ("color", "#c0392b"),
        ("centre", "cr-rhone-alpes"),
        ("height", "420"),
    ]
    again = EmbedForm(QueryDict(urlencode(attributes)))
    assert again.is_valid() and snippet_attributes(again.config) == attributes


# --- Framing -------------------------------------------------------------------------


def directive(response, name: str) -> str:
    """One directive of the response's Content-Security-Policy ("" when absent)."""
    for part in response["Content-Security-Policy"].split(";"):
        if part.strip().startswith(name + " "):
            return part.strip()
    return ""


def test_embed_is_frameable_by_anyone_by_default(client, data):
    response = embed(client, region="84")
    assert "X-Frame-Options" not in response
    assert directive(response, "frame-ancestors") == "frame-ancestors *"
    # The rest of the site's policy still applies to the embed.
    assert directive(response, "script-src").startswith("script-src 'self' 'nonce-")


def test_centre_without_domains_lets_anyone_frame(client, data, centre):
    response = embed(client, centre=centre.slug)
    assert directive(response, "frame-ancestors") == "frame-ancestors *"
    assert "proposée par Centre ressources Rhône-Alpes" in unescape(response.content.decode())


def test_centre_domains_restrict_framing(client, data, centre):
    centre.embed_domains = "www.exemple.fr\n\n  http://127.0.0.1:9000/  \nexemple.org/page"
    centre.save()
    response = embed(client, centre=centre.slug)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert directive(response, "frame-ancestors") == (
        "frame-ancestors 'self' https://www.exemple.fr http://www.exemple.fr "
        "http://127.0.0.1:9000 https://exemple.org http://exemple.org"
    )
    # An error page of this centre's map keeps its policy.
    bad = embed(client, centre=centre.slug, color="rouge")
    assert bad.status_code == 400
    assert directive(bad, "frame-ancestors").startswith(
        "frame-ancestors 'self' https://www.exemple.fr"
    )


@pytest.mark.parametrize(
    ("line", "sources"),
    [
        ("WWW.Exemple.fr", ["https://www.exemple.fr", "http://www.exemple.fr"]),
        ("https://www.exemple.fr/cartes/", ["https://www.exemple.fr"]),
        ("localhost:8000", ["https://localhost:8000", "http://localhost:8000"]),
        ("*.exemple.fr", ["https://*.exemple.fr", "http://*.exemple.fr"]),
        ("métropole.fr", ["https://xn--mtropole-b1a.fr", "http://xn--mtropole-b1a.fr"]),
        ("# commentaire", []),
        ("exemple.fr; script-src *", []),
        ("exemple.fr 'unsafe-inline'", []),
        ("javascript://exemple.fr", []),
        ("data:text/html,x", []),
        ("exe\r\nmple.fr", []),
    ],
)
def test_domain_lines(line, sources):
    assert domain_sources(line) == sources


def test_only_invalid_domains_means_only_this_site(centre):
    centre.embed_domains = "pas un domaine !"
    assert frame_ancestors(centre) == "'self'"


@pytest.mark.parametrize("url", ["/", "/annuaire/", "/admin/login/", "/integrer/"])
def test_other_pages_refuse_to_be_framed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert directive(response, "frame-ancestors") == "frame-ancestors 'none'"


# --- oEmbed --------------------------------------------------------------------------


def oembed(client, url, **params):
    return client.get(reverse("embeds:oembed"), {"url": url, **params})


def test_oembed_json(client, data):
    url = "http://testserver/embed/?region=84&competence=sejour&search=1"
    response = oembed(client, url, format="json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["version"] == "1.0" and body["type"] == "rich"
    assert body["provider_name"] == "Repères"
    assert body["title"] == "Carte Repères — Auvergne-Rhône-Alpes"
    assert body["width"] == 800 and body["height"] == 420 + 52 + 64
    iframe = body["html"]
    assert iframe.startswith("<iframe ") and iframe.endswith("</iframe>")
    assert 'src="http://testserver/embed/?region=84&amp;competence=sejour&amp;search=1"' in iframe
    assert f'width="{body["width"]}" height="{body["height"]}"' in iframe
    assert 'title="Carte Repères — Auvergne-Rhône-Alpes"' in iframe


def test_oembed_respects_max_sizes(client, data):
    body = oembed(client, "http://testserver/embed/", maxwidth="500", maxheight="300").json()
    assert (body["width"], body["height"]) == (500, 300)
    assert 'width="500" height="300"' in body["html"]
    body = oembed(client, "http://testserver/embed/", maxwidth="2000").json()
    assert body["width"] == 800


def test_oembed_title_follows_lang(client, data):
    body = oembed(client, "http://testserver/embed/?lang=en").json()
    assert body["title"] == "Repères map — France"


@pytest.mark.parametrize(
    "url",
    [
        "http://elsewhere.example/embed/?region=84",
        "http://testserver/annuaire/",
        "http://testserver/embed.js",
        "ftp://testserver/embed/",
        "http://testserver/embed/?region=99",
        "javascript:alert(1)",
        "pas une adresse",
    ],
)
def test_oembed_404_for_what_is_not_our_embed(client, data, url):
    assert oembed(client, url).status_code == 404


def test_oembed_formats_and_bad_requests(client, data):
    good = "http://testserver/embed/"
    assert oembed(client, good, format="xml").status_code == 501
    assert oembed(client, good, format="yaml").status_code == 400
    assert oembed(client, good, format="").status_code == 200  # as if absent: json
    assert client.get(reverse("embeds:oembed")).status_code == 400
    assert oembed(client, good, maxwidth="large").status_code == 400
    assert oembed(client, good, maxheight="-5").status_code == 400


# --- embed.js and the builder -------------------------------------------------------------


def test_embed_js_is_served_as_javascript_with_cache_headers(client):
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert "max-age=3600" in response["Cache-Control"] and "public" in response["Cache-Control"]
    body = response.content.decode()
    assert "reperes:resize" in body and "event.origin !== origin" in body
    etag = response["ETag"]
    assert client.get("/embed.js", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_builder_page(client, data, centre):
    response = client.get(reverse("embeds:builder"))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Copier le code" in html and "readonly" in html
    assert '<option value="region:84">' in html and '<option value="department:69">' in html
    assert f'<option value="{centre.slug}">' in html
    assert '<script src="http://testserver/embed.js" async></script>' in html


def test_builder_makes_the_snippet_from_its_form(client, data):
    response = client.get(
        reverse("embeds:builder"),
        {"area": "region:84", "competence": ["sejour"], "layers": "places", "list": ["0", "1"]},
    )
    snippet = unescape(
        re.search(r"<textarea[^>]*>(.*?)</textarea>", response.content.decode(), re.S)[1]
    )
    # The map's language starts as the builder page's.
    assert snippet == (
        '<div data-reperes-map data-region="84" data-competence="sejour" data-lang="fr"'
        ' data-height="420"></div>\n'
        '<script src="http://testserver/embed.js" async></script>'
    )
    html = response.content.decode()
    assert '<option value="region:84" selected>' in html
    assert 'value="sejour" checked' in html
    assert (
        "http://testserver/embed/?region=84&amp;competence=sejour&amp;lang=fr&amp;height=420"
        in html
    )


def test_builder_reports_bad_parameters(client, data):
    response = client.get(reverse("embeds:builder"), {"color": "rouge"})
    assert response.status_code == 200
    assert "<code>color</code>" in response.content.decode()


def test_embed_url_with_a_quoted_query(client, data):
    # oEmbed consumers send the URL percent-encoded once more.
    url = "http://testserver/embed/?" + quote("competence=sejour,apprentissage-francais", safe="=")
    assert oembed(client, url).status_code == 200


def test_oembed_with_a_malformed_url_is_a_404(client):
    response = client.get("/oembed", {"url": "http://[::1/embed/", "format": "json"})
    assert response.status_code == 404
