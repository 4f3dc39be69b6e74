"""The press watch (« veille »): who may write an item, the panorama page and its filters,
the RSS and Atom feeds, the demo, the usage counts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import feedparser
import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from core import review
from core.demo import load_demo
from core.models import HeldChange
from core.roles import EDITORS_GROUP, MODERATORS_GROUP
from core.usage.models import UsageCounter
from practices.models import Theme
from resources.models import NoticeStatus, WatchItem
from resources.rules import editable_watch_items
from resources.watch_demo import WATCH_ITEMS
from tests.factories import UserFactory
from tests.practices.factories import member_centre

from .watch_factories import make_watch_item

pytestmark = pytest.mark.django_db

PANORAMA = "/documentation/veille/"
RSS = "/documentation/veille/rss.xml"
ATOM = "/documentation/veille/atom.xml"
ATOM_NS = "http://www.w3.org/2005/Atom"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


# --- The model and who may write -----------------------------------------------------------


@pytest.fixture
def people():
    a, b = member_centre("Centre A"), member_centre("Centre B")
    editor = UserFactory(username="veilleuse")
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    a.editors.add(editor)
    moderator = UserFactory(username="moderatrice")
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    items = {
        "A": make_watch_item("Article de A", status=NoticeStatus.DRAFT, author_centre=a),
        "B": make_watch_item("Article de B", status=NoticeStatus.DRAFT, author_centre=b),
    }
    return {"editor": editor, "moderator": moderator, "items": items, "A": a, "B": b}


def test_an_editor_changes_her_centres_items_only(people):
    editor, items = people["editor"], people["items"]
    assert editor.has_perm("resources.change_watchitem", items["A"])
    assert not editor.has_perm("resources.change_watchitem", items["B"])
    assert not editor.has_perm("resources.publish_watchitem", items["A"])
    assert not editor.has_perm("resources.delete_watchitem", items["A"])
    assert set(editable_watch_items(editor)) == {items["A"]}


def test_a_moderator_changes_and_publishes_everything(people):
    moderator, items = people["moderator"], people["items"]
    for item in items.values():
        assert moderator.has_perm("resources.change_watchitem", item)
        assert moderator.has_perm("resources.publish_watchitem", item)
    assert set(editable_watch_items(moderator)) == set(items.values())
    assert not AnonymousUser().has_perm("resources.change_watchitem", items["A"])
    assert not editable_watch_items(AnonymousUser()).exists()


def test_the_admin_shows_an_editor_her_centres_items_and_refuses_the_others(client, people):
    client.force_login(people["editor"])
    page = client.get(reverse("admin:resources_watchitem_changelist")).content.decode()
    assert "Article de A" in page and "Article de B" not in page
    url = reverse("admin:resources_watchitem_change", args=[people["items"]["B"].pk])
    response = client.post(url, {"title": "Réécrit par une autre", "summary": "x"})
    assert response.status_code in (302, 403, 404)
    people["items"]["B"].refresh_from_db()
    assert people["items"]["B"].title == "Article de B"


def test_an_editor_writes_a_draft_for_her_centre_not_for_another(client, people):
    client.force_login(people["editor"])
    data = {
        "title": "Un nouvel article",
        "url": "exemple.org/presse/nouvel-article",
        "source": "Le Quotidien",
        "published_on": "2025-06-02",
        "summary": "Un résumé court.",
        "themes": [],
        "regions": [],
        "author_centre": people["B"].pk,
        "status": "published",
        "_save": "Enregistrer",
    }
    response = client.post(reverse("admin:resources_watchitem_add"), data)
    assert "author_centre" in response.context["adminform"].form.errors
    data.update(author_centre=people["A"].pk, status="draft")
    response = client.post(reverse("admin:resources_watchitem_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = WatchItem.objects.get(title="Un nouvel article")
    assert item.url == "https://exemple.org/presse/nouvel-article"
    assert item.status == NoticeStatus.DRAFT


def test_an_editors_change_to_a_published_item_waits_for_review(client, people):
    item = make_watch_item("Publié", author_centre=people["A"], themes=["langue"])
    client.force_login(people["editor"])
    data = {
        "title": "Publié (corrigé)",
        "url": item.url,
        "source": item.source,
        "published_on": "2025-03-14",
        "summary": item.summary,
        "themes": [Theme.objects.get(slug="logement").pk],
        "regions": [],
        "author_centre": people["A"].pk,
        "status": "published",
        "_save": "Enregistrer",
    }
    response = client.post(reverse("admin:resources_watchitem_change", args=[item.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Publié" and [t.slug for t in item.themes.all()] == ["langue"]
    change = HeldChange.objects.get()
    assert change.values["title"] == "Publié (corrigé)"
    review.accept(change, reviewer=people["moderator"])
    item.refresh_from_db()
    assert item.title == "Publié (corrigé)" and [t.slug for t in item.themes.all()] == ["logement"]


def test_the_summary_is_required_and_short():
    with pytest.raises(ValidationError) as error:
        make_watch_item("Trop long", summary="a" * 601)
    assert "summary" in error.value.message_dict
    with pytest.raises(ValidationError):
        make_watch_item("Sans résumé", summary="   ")
    item = make_watch_item("Juste", summary="b" * 600)
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        WatchItem.objects.filter(pk=item.pk).update(summary="")


def test_the_history_keeps_the_versions():
    item = make_watch_item("Version 1")
    item.title = "Version 2"
    item.save()
    titles = [h.title for h in item.history.order_by("history_date")]
    assert list(dict.fromkeys(titles)) == ["Version 1", "Version 2"]
    # The themes are kept with each version.
    first = item.history.order_by("history_date").last()
    assert [t.theme.slug for t in first.themes.all()] == ["langue"]


# --- The panorama --------------------------------------------------------------------------


def test_the_panorama_lists_published_items_newest_first(client):
    make_watch_item("Ancien", published_on=date(2024, 1, 5))
    make_watch_item("Récent", published_on=date(2025, 5, 6), source="Le Petit Rhodanien")
    make_watch_item("Brouillon", status=NoticeStatus.DRAFT)
    make_watch_item("En relecture", status=NoticeStatus.IN_REVIEW)
    response = client.get(PANORAMA)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Brouillon" not in page and "En relecture" not in page
    assert page.index("Récent") < page.index("Ancien")
    assert '<time datetime="2025-05-06">6 mai 2025</time>' in page
    assert "Le Petit Rhodanien" in page
    assert 'href="https://exemple.org/presse/recent" rel="noopener"' in page
    assert "2 articles" in page


def test_the_panorama_filters_by_theme_and_region(client):
    make_watch_item("Se loger à Lyon", themes=["logement"], regions=["84"])
    make_watch_item("Se loger à Marseille", themes=["logement"], regions=["93"])
    make_watch_item("Apprendre à Lyon", themes=["langue"], regions=["84"])
    page = client.get(PANORAMA, {"theme": "logement"}).content.decode()
    assert "Se loger à Lyon" in page and "Se loger à Marseille" in page
    assert "Apprendre à Lyon" not in page
    page = client.get(PANORAMA, {"theme": "logement", "region": "84"}).content.decode()
    assert "Se loger à Lyon" in page
    assert "Se loger à Marseille" not in page and "Apprendre à Lyon" not in page
    # The feeds offered in the head follow the filters.
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Veille du réseau (RSS)" '
        'href="/documentation/veille/rss.xml?theme=logement&amp;region=84">'
    ) in page
    assert 'type="application/atom+xml"' in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"theme": "cuisine"}, "Thème inconnu : « cuisine »"),
        ({"region": "999"}, "Région inconnue : « 999 »"),
        ({"region": "8\x004"}, "caractère de contrôle interdit"),
    ],
)
def test_a_bad_filter_says_what_is_wrong(client, params, message):
    make_watch_item("Un article")
    response = client.get(PANORAMA, params)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Un article" not in page
    assert 'href="/documentation/veille/"' in page  # a way back


def test_the_panorama_is_paginated(client):
    first = date(2025, 1, 1)
    for n in range(25):
        make_watch_item(f"Article {n:02d}", published_on=first + timedelta(days=n))
    page = client.get(PANORAMA).content.decode()
    assert "Article 24" in page and "Article 05" in page and "Article 04" not in page
    assert "Page 1 sur 2" in page
    page = client.get(PANORAMA, {"page": "2"}).content.decode()
    assert "Article 04" in page and "Article 05" not in page
    assert client.get(PANORAMA, {"page": "abc"}).status_code == 200


def test_the_documentation_page_links_to_the_panorama(client):
    assert 'href="/documentation/veille/"' in client.get("/documentation/").content.decode()


# --- The feeds -----------------------------------------------------------------------------


@pytest.fixture
def watched():
    items = [
        make_watch_item(
            "Logement : la colocation solidaire",
            published_on=date(2025, 10, 14),
            themes=["logement"],
            regions=["84"],
            url="https://exemple.org/presse/colocation",
        ),
        make_watch_item(
            "Cours de français & listes d'attente",
            published_on=date(2025, 11, 6),
            themes=["langue"],
            regions=["93"],
            url="https://exemple.org/presse/attente",
            summary="Des délais <longs> avant une place en cours.",
        ),
    ]
    make_watch_item("Brouillon de veille", status=NoticeStatus.DRAFT)
    return items


@pytest.mark.parametrize("url", [RSS, ATOM])
def test_the_feeds_are_valid_and_give_the_published_items(client, watched, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == ("rss20" if url == RSS else "atom10")
    assert [e.title for e in feed.entries] == [
        "Cours de français & listes d'attente",
        "Logement : la colocation solidaire",
    ]
    assert [e.link for e in feed.entries] == [
        "https://exemple.org/presse/attente",
        "https://exemple.org/presse/colocation",
    ]
    assert [date(*e.published_parsed[:3]) for e in feed.entries] == [
        date(2025, 11, 6),
        date(2025, 10, 14),
    ]
    # The summary is text: an HTML reader shows its « < » as written.
    assert feed.entries[0].summary == "Des délais &lt;longs&gt; avant une place en cours."
    assert feed.entries[0].author == "La Gazette des tests"  # the source
    assert [t.term for t in feed.entries[1].tags] == ["Logement", "Auvergne-Rhône-Alpes"]
    assert feed.feed.link.endswith("/documentation/veille/")


@pytest.mark.parametrize("url", [RSS, ATOM])
def test_control_characters_pasted_in_an_item_do_not_break_the_feeds(client, url):
    make_watch_item("Titre\x0bcollé", summary="Résumé\x01 collé", source="Le\x0c Journal")
    response = client.get(url)
    assert response.status_code == 200
    entry = feedparser.parse(response.content).entries[0]
    assert entry.title == "Titrecollé"
    assert entry.summary == "Résumé collé"


def test_the_atom_feed_is_well_formed_atom(client, watched):
    root = ET.fromstring(client.get(ATOM).content)
    assert root.tag == f"{{{ATOM_NS}}}feed"
    entries = root.findall(f"{{{ATOM_NS}}}entry")
    assert len(entries) == 2
    assert entries[0].find(f"{{{ATOM_NS}}}id").text == "https://exemple.org/presse/attente"
    self_link = root.find(f"{{{ATOM_NS}}}link[@rel='self']").get("href")
    assert self_link.endswith("/documentation/veille/atom.xml")


@pytest.mark.parametrize("url", [RSS, ATOM])
def test_the_feeds_take_the_filters(client, watched, url):
    feed = feedparser.parse(client.get(url, {"theme": "logement"}).content)
    assert [e.link for e in feed.entries] == ["https://exemple.org/presse/colocation"]
    assert "Logement" in feed.feed.title
    feed = feedparser.parse(client.get(url, {"region": "93"}).content)
    assert [e.link for e in feed.entries] == ["https://exemple.org/presse/attente"]
    bad = client.get(url, {"theme": "cuisine"})
    assert bad.status_code == 400
    assert "Thème inconnu" in bad.content.decode()


def test_a_feed_holds_the_fifty_latest(client):
    centre = member_centre()
    for n in range(52):
        make_watch_item(
            f"Article {n:02d}",
            published_on=date(2025, 1, 1) + timedelta(days=n),
            author_centre=centre,
        )
    feed = feedparser.parse(client.get(RSS).content)
    assert len(feed.entries) == 50
    assert feed.entries[0].title == "Article 51" and feed.entries[-1].title == "Article 02"


# --- Demo and usage ------------------------------------------------------------------------


def test_the_demo_loads_twelve_items_twice_without_duplicates(client):
    load_demo(write=True)
    report = load_demo(write=True)["resources.demo"]
    assert len(WATCH_ITEMS) == 12
    assert report["articles de veille créés"] == 0
    assert report["articles de veille réécrits"] == 12
    assert WatchItem.objects.filter(status=NoticeStatus.PUBLISHED).count() == 12
    page = client.get(PANORAMA).content.decode()
    assert "12 articles" in page
    assert client.get(PANORAMA, {"theme": "logement"}).status_code == 200


def test_the_panorama_is_counted_as_its_own_section(client):
    make_watch_item("Un article")
    assert client.get(PANORAMA, HTTP_USER_AGENT=BROWSER).status_code == 200
    assert UsageCounter.objects.filter(metric="section", key="veille").exists()
