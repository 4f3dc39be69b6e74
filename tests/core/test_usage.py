"""Usage figures without trackers (core/usage/): what the counting stores, and the report."""

from __future__ import annotations

import csv
import io
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import close_old_connections, connection, connections
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import resolve
from django.utils import timezone

from core.roles import EDITORS_GROUP, MODERATORS_GROUP
from core.usage import middleware, recording, report
from core.usage.middleware import UsageMiddleware, vocabularies
from core.usage.models import UsageCounter, UsageSalt, UsageVisitor
from directory.models import Competence
from tests.factories import PlaceFactory, UserFactory
from tests.practices.factories import make_sheet

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120 Mobile"
IP = "203.0.113.77"
TYPED = "12 rue des Confidences Villeurbanne"


@pytest.fixture(autouse=True)
def _fresh_state(monkeypatch):
    # Process-wide caches must not carry a salt or a vocabulary across tests' rollbacks.
    monkeypatch.setattr(middleware, "salts", recording.Salts())
    monkeypatch.setattr(middleware, "embed_hosts", middleware.EmbedHosts())
    vocabularies.clear()


def counters() -> dict[tuple[str, str], int]:
    return {(c.metric, c.key): c.count for c in UsageCounter.objects.all()}  # one day here


def metric(name: str) -> dict[str, int]:
    """Counts of `name` by key, every day added."""
    sums: dict[str, int] = {}
    for c in UsageCounter.objects.filter(metric=name):
        sums[c.key] = sums.get(c.key, 0) + c.count
    return sums


def stored_values() -> list[str]:
    """Every column value of every usage row, as text."""
    values = []
    for model in (UsageCounter, UsageVisitor, UsageSalt):
        for row in model.objects.values():
            values += [str(value) for value in row.values()]
    return values


def browser(agent: str = BROWSER, ip: str = IP, **headers) -> Client:
    return Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=ip, **headers)


@pytest.fixture
def site(db):
    competence = Competence.objects.order_by("slug").first()
    place = PlaceFactory(name="Maison des langues", slug="maison-des-langues")
    place.competences.set([competence])
    sheet = make_sheet("Ateliers sociolinguistiques", slug="ateliers-socio")
    return {"competence": competence, "place": place, "sheet": sheet}


@pytest.mark.django_db
def test_requests_are_counted_and_nothing_identifying_is_stored(site):
    client = browser()
    competence = site["competence"].slug
    pages = [
        ("/", {}),
        (
            "/annuaire/",
            {"q": TYPED, "competence": [competence, "pas-une-competence"], "region": "84"},
        ),
        ("/annuaire/lieux/maison-des-langues/", {}),
        ("/pratiques/ateliers-socio/", {}),
        ("/pratiques/", {"q": "confidences"}),
    ]
    for path, query in pages:
        assert client.get(path, query, HTTP_REFERER="https://www.example.com/").status_code == 200
    embed = client.get("/embed/", HTTP_REFERER="https://partenaire.example.org/carte?jeton=secret")
    assert embed.status_code == 200
    assert client.get("/api/v1/places/", {"address": TYPED}).status_code == 200
    download = client.get("/exports/places.csv", {"region": "84"})
    assert download.status_code == 200
    b"".join(download.streaming_content)
    # Not counted: map data, a 404, the health check, a crawler, a client without user agent.
    client.get("/regions.geojson")
    client.get("/annuaire/lieux/inconnu/")
    client.get("/healthz")
    browser("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)").get("/")
    Client(REMOTE_ADDR=IP).get("/")

    assert metric("pageviews") == {"": 5}
    assert metric("visits") == {"": 5}  # each page arrived from another site
    assert metric("visitors") == {"": 1}
    assert metric("section") == {
        "home": 1,
        "annuaire": 1,
        "lieu": 1,
        "fiche": 1,
        "pratiques": 1,
        "embed": 1,
        "api": 1,
        "exports": 1,
    }
    assert metric("search:competence") == {competence: 1}  # the unknown slug is not kept
    assert metric("search:region") == {"84": 1}
    assert metric("search") == {"directory:search": 1}
    assert metric("read:place") == {str(site["place"].pk): 1}
    assert metric("read:sheet") == {str(site["sheet"].pk): 1}
    assert metric("embed") == {"partenaire.example.org": 1}
    assert metric("api") == {"place-list": 1}
    assert metric("download") == {"exports/places.csv": 1}
    assert UsageVisitor.objects.count() == 1 and UsageSalt.objects.count() == 1

    # The report names what the keys stand for.
    today = timezone.localdate()
    tables = {t.metric: t for t in report.build(today.year, today.month).tables}
    assert [r.label for r in tables["search:competence"].rows] == [site["competence"].name]
    assert [r.label for r in tables["search:region"].rows] == ["Auvergne-Rhône-Alpes"]
    assert [r.label for r in tables["read:place"].rows] == ["Maison des langues"]
    assert [r.label for r in tables["read:sheet"].rows] == ["Ateliers sociolinguistiques"]

    values = stored_values()
    forbidden = [IP, BROWSER, "Firefox", "Confidences", "confidences", "secret", "jeton", "/carte"]
    for value in values:
        for text in forbidden:
            assert text not in value, (text, value)
    # Nothing looks like an address either.
    assert not [v for v in values if v.count(".") == 3 and v.replace(".", "").isdigit()]


@pytest.mark.django_db
def test_navigation_inside_the_site_is_one_visit(site):
    client = browser()
    client.get("/", HTTP_REFERER="https://moteur.example/")
    client.get("/annuaire/lieux/maison-des-langues/", HTTP_REFERER="http://testserver/")
    client.get("/pratiques/", HTTP_REFERER="http://testserver/annuaire/lieux/maison-des-langues/")
    assert metric("pageviews") == {"": 3}
    assert metric("visits") == {"": 1}


@pytest.mark.django_db
def test_distinct_visitors_per_day(site):
    browser().get("/")
    browser().get("/pratiques/")  # same address and browser: the same visitor
    browser(ip="198.51.100.4").get("/")  # another address
    browser(agent=PHONE).get("/")  # another browser behind the same address
    assert metric("visitors") == {"": 3}
    assert metric("pageviews") == {"": 4}


@pytest.mark.django_db
@pytest.mark.parametrize("header", [{"HTTP_DNT": "1"}, {"HTTP_SEC_GPC": "1"}])
def test_do_not_track_is_counted_but_never_identified(site, header):
    browser(**header).get("/")
    assert metric("pageviews") == {"": 1}
    assert metric("untracked") == {"": 1}
    assert "visitors" not in dict(counters()) and metric("visitors") == {}
    assert UsageVisitor.objects.count() == 0 and UsageSalt.objects.count() == 0


@pytest.mark.django_db
def test_staff_admin_and_scripts(site):
    staff = browser()
    staff.force_login(UserFactory(username="equipe"))
    staff.get("/")
    staff.get("/admin/")
    script = browser(agent="python-requests/2.32.3")
    script.get("/")  # a script reading a page: not a visitor
    assert script.get("/api/v1/regions/").status_code == 200
    assert counters() == {("api", "region-list"): 1}


def close(response: HttpResponse) -> None:
    """What the WSGI server does once the body is sent; the test's connection is kept open,
    as Django's test client keeps it."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def _request_at(middleware_clock, path="/", agent=BROWSER, ip=IP):
    request = RequestFactory().get(path, HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    request.resolver_match = resolve(path)
    page = HttpResponse("<p>page</p>", content_type="text/html; charset=utf-8")
    response = UsageMiddleware(lambda request: page, clock=middleware_clock)(request)
    close(response)


@pytest.mark.django_db
def test_the_count_is_written_once_the_response_is_closed():
    request = RequestFactory().get("/", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=IP)
    request.resolver_match = resolve("/")
    page = HttpResponse("<p>page</p>", content_type="text/html; charset=utf-8")
    response = UsageMiddleware(lambda request: page)(request)
    assert not UsageCounter.objects.exists()  # the client is not kept waiting
    close(response)
    assert metric("pageviews") == {"": 1} and metric("visitors") == {"": 1}


@pytest.mark.django_db
def test_the_salt_rotates_each_day_and_old_ids_are_deleted():
    monday = datetime(2026, 11, 30, 10, tzinfo=UTC)
    tuesday = monday + timedelta(days=1)
    salts = recording.Salts()
    first = recording.visitor_id(salts.for_day(monday.date()), IP, BROWSER)
    assert recording.visitor_id(salts.for_day(monday.date()), IP, BROWSER) == first
    second = recording.visitor_id(salts.for_day(tuesday.date()), IP, BROWSER)
    assert second != first
    assert list(UsageSalt.objects.values_list("day", flat=True)) == [tuesday.date()]

    # Through the middleware, with its clock: one visitor each day, yesterday's id forgotten.
    _request_at(lambda: monday)
    _request_at(lambda: monday)
    assert UsageVisitor.objects.filter(day=date(2026, 11, 30)).count() == 1
    _request_at(lambda: tuesday)
    assert list(UsageVisitor.objects.values_list("day", flat=True)) == [date(2026, 12, 1)]
    assert dict(UsageCounter.objects.filter(metric="visitors").values_list("day", "count")) == {
        date(2026, 11, 30): 1,
        date(2026, 12, 1): 1,
    }
    assert list(UsageSalt.objects.values_list("day", flat=True)) == [tuesday.date()]


@pytest.mark.django_db
def test_the_rotation_command_forgets_earlier_days():
    yesterday = timezone.localdate() - timedelta(days=1)
    recording.rotate(yesterday)
    recording.record({("pageviews", ""): 1}, day=yesterday, visitor="abc")
    call_command("rotate_usage_salt", stdout=io.StringIO())
    assert list(UsageSalt.objects.values_list("day", flat=True)) == [timezone.localdate()]
    assert not UsageVisitor.objects.exists()
    assert metric("visitors") == {"": 1}  # the count stays, the id is gone


@pytest.mark.django_db
def test_the_rotation_command_forgets_everything_when_counting_is_off(settings):
    today = timezone.localdate()
    recording.rotate(today)
    recording.record({("pageviews", ""): 1}, day=today, visitor="abc")
    settings.USAGE_COUNTING = False
    call_command("rotate_usage_salt", stdout=io.StringIO())
    assert not UsageSalt.objects.exists() and not UsageVisitor.objects.exists()
    assert metric("visitors") == {"": 1}


@pytest.mark.django_db
def test_embedding_hosts_are_names_and_a_day_names_only_so_many(monkeypatch):
    monkeypatch.setattr(middleware, "MAX_EMBED_HOSTS", 2)
    client = browser()
    referers = [
        "http://192.168.1.20/ma-page",
        "https://[2001:db8::1]/carte",
        "https://un.example.org/a",
        "https://deux.example.org/b",
        "https://trois.example.org/c",
        "https://un.example.org/d",
        "https://quatre.example.org/e",
    ]
    for referer in referers:
        assert client.get("/embed/", HTTP_REFERER=referer).status_code == 200
    assert metric("embed") == {"": 2, "un.example.org": 2, "deux.example.org": 1, "*": 2}
    # Another process (a fresh memory) reads the day's hosts from the counters.
    monkeypatch.setattr(middleware, "embed_hosts", middleware.EmbedHosts())
    client.get("/embed/", HTTP_REFERER="https://deux.example.org/")
    client.get("/embed/", HTTP_REFERER="https://cinq.example.org/")
    assert metric("embed") == {"": 2, "un.example.org": 2, "deux.example.org": 2, "*": 3}
    today = timezone.localdate()
    table = {t.metric: t for t in report.build(today.year, today.month).tables}["embed"]
    assert any(r.label.startswith("(autres sites, au-delà de") for r in table.rows)


@pytest.fixture
def moderator(db):
    user = UserFactory(username="moderatrice")
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


def _events() -> None:
    """Two months of events, written as the middleware writes them."""
    for day, n in ((date(2026, 10, 3), 4), (date(2026, 10, 17), 6), (date(2026, 11, 2), 5)):
        for i in range(n):
            recording.record(
                {
                    ("pageviews", ""): 2,
                    ("visits", ""): 1,
                    ("section", "home"): 1,
                    ("section", "fiche"): 1,
                    ("read:sheet", "999999"): 1,
                    ("download", "exports/places.csv"): i % 2,
                    ("embed", "partenaire.example.org"): 1,
                    ("api", "place-list"): 3,
                },
                day=day,
                visitor=f"v{i}",
            )
    recording.record({("download", '=HYPERLINK("http://x")'): 1}, day=date(2026, 11, 3))


@pytest.mark.django_db
def test_the_report_adds_up_the_events():
    _events()
    year = report.build(2026)
    totals = {row.key: row.count for row in year.totals}
    assert totals["visits"] == 15 and totals["pageviews"] == 30 and totals["visitors"] == 15
    series = {row.key: row.count for row in year.series.rows}
    assert series["2026-10-01"] == 10 and series["2026-11-01"] == 5 and len(series) == 12
    tables = {table.metric: table for table in year.tables}
    assert {row.key: row.count for row in tables["section"].rows} == {"home": 15, "fiche": 15}
    assert tables["read:sheet"].rows[0].count == 15
    assert {r.key: r.count for r in tables["api"].rows} == {"place-list": 45}
    assert {r.key: r.count for r in tables["download"].rows}["exports/places.csv"] == 2 + 3 + 2

    november = report.build(2026, 11)
    assert {row.key: row.count for row in november.totals}["visits"] == 5
    assert len(november.series.rows) == 30


@pytest.mark.django_db
def test_report_page_and_csv(client, moderator):
    _events()
    client.force_login(moderator)
    page = client.get("/admin/rapport-activite/", {"year": 2026, "month": 10})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "<table>" in html and "partenaire.example.org" in html
    assert page.context["report"].totals[0].count == 10  # visits in October

    export = client.get("/admin/rapport-activite/", {"year": 2026, "format": "csv"})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0] == ["période", "mesure", "clé", "libellé", "nombre"]
    assert ["2026", "visits", "", "Visites", "15"] in rows
    assert ["2026", "api", "place-list", "place-list", "45"] in rows
    formula = [row for row in rows if "HYPERLINK" in row[2]][0]
    assert formula[2].startswith("'=") and formula[3].startswith("'=")

    bad = client.get("/admin/rapport-activite/", {"year": "deux-mille"})
    assert bad.status_code == 400 and "nombre entier" in bad.content.decode()


@pytest.mark.django_db
def test_only_moderators_read_the_report(client, moderator):
    assert client.get("/admin/rapport-activite/").status_code == 302  # to the login page
    editor = UserFactory(username="editrice")
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    client.force_login(editor)
    assert client.get("/admin/rapport-activite/").status_code == 403
    assert "/admin/core/usagecounter/" not in client.get("/admin/").content.decode()
    client.force_login(moderator)
    assert client.get("/admin/rapport-activite/").status_code == 200
    # The admin's menu leads there.
    assert "/admin/core/usagecounter/" in client.get("/admin/").content.decode()
    menu = client.get("/admin/core/usagecounter/")
    assert menu.status_code == 302 and menu["Location"] == "/admin/rapport-activite/"


@pytest.mark.django_db(transaction=True)
def test_no_increment_is_lost_under_64_concurrent_clients():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the concurrency claim is PostgreSQL's")
    threads, each = 64, 25
    day = date(2026, 12, 1)
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def client(number: int) -> None:
        try:
            start.wait()
            for i in range(each):
                recording.record(
                    {("pageviews", ""): 1, ("section", "home"): 1, ("section", f"s{i % 3}"): 1},
                    day=day,
                    visitor=f"visiteur-{number % 8}",
                )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert metric("pageviews") == {"": threads * each}
    assert metric("section")["home"] == threads * each
    assert sum(v for k, v in metric("section").items() if k != "home") == threads * each
    assert metric("visitors") == {"": 8}
