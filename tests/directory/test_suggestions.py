"""« Signaler une erreur »: the public form, its spam guards, the admin queue and its handling.

Geocoding goes through the real chain with geopy offline (tests/conftest.py): an address is
placed by the gazetteer, as when the national address service is down.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from core.roles import EDITORS_GROUP, MODERATORS_GROUP
from directory.models import (
    Competence,
    Place,
    Status,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
)
from directory.rules import is_suggestion_editor, visible_suggestions
from tests.factories import OrganisationFactory, PlaceFactory, SuggestionFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID = {"kind": "hours", "message": "Fermé le vendredi après-midi.", "email": ""}
CHANGELIST = reverse("admin:directory_suggestion_changelist")


def report_url(place: Place) -> str:
    return reverse("directory:place-report", kwargs={"slug": place.slug})


def thanks_url(place: Place) -> str:
    return reverse("directory:place-report-thanks", kwargs={"slug": place.slug})


def accept_url(suggestion: Suggestion) -> str:
    return reverse("admin:directory_suggestion_accept", args=[suggestion.pk])


def refuse_url(suggestion: Suggestion) -> str:
    return reverse("admin:directory_suggestion_refuse", args=[suggestion.pk])


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def place():
    return PlaceFactory(
        name="Permanence Gratte-Ciel",
        street="10 place Lazare Goujon",
        postal_code="69100",
        city="Villeurbanne",
        opening_hours="Mo-Fr 09:00-12:00",
        phone="04 78 00 00 00",
    )


# -- the public form ----------------------------------------------------------------------


def test_place_page_links_to_the_form(client, place):
    html = client.get(place.get_absolute_url()).content.decode()
    assert re.search(
        rf'<a [^>]*href="{re.escape(report_url(place))}"[^>]*>Signaler une erreur</a>', html
    )


def test_form_page(client, place):
    response = client.get(report_url(place))
    assert response.status_code == 200
    html = response.content.decode()
    assert place.name in html
    assert "<legend>Qu&#x27;est-ce qui est inexact ?" in html
    for label in ("L&#x27;adresse", "Les horaires", "Le téléphone ou le courriel"):
        assert label in html
    assert "Les services proposés" in html and "Le lieu a fermé" in html and "Autre chose" in html
    assert html.count('type="radio" name="kind"') == 6
    assert '<label for="id_message">La bonne information' in html
    assert 'aria-describedby="id_message_helptext"' in html
    assert '<label for="id_email">Votre courriel (facultatif)' in html
    # The honeypot: no tab stop, and out of the accessibility tree.
    assert re.search(r'<div class="report-form__trap" aria-hidden="true">', html)
    assert re.search(r'<input type="text" name="website"[^>]*tabindex="-1"', html)
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<meta name="robots" content="noindex">' in html


def test_valid_report_is_stored_once(client, place):
    data = {**VALID, "email": "amina@example.org"}
    response = client.post(report_url(place), data, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    assert response["Location"] == thanks_url(place)
    suggestion = Suggestion.objects.get()
    assert (suggestion.place, suggestion.kind, suggestion.message, suggestion.email) == (
        place,
        "hours",
        "Fermé le vendredi après-midi.",
        "amina@example.org",
    )
    assert suggestion.status == SuggestionStatus.NEW
    assert suggestion.language == "fr"
    # The address is kept as a keyed hash only.
    assert re.fullmatch(r"[0-9a-f]{64}", suggestion.ip_hash)
    assert "203.0.113.7" not in suggestion.ip_hash
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Merci pour votre signalement" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({**VALID, "message": ""}, "message", "Écrivez la bonne information."),
        ({**VALID, "message": "   \n "}, "message", "Écrivez la bonne information."),
        ({**VALID, "message": "x" * 2001}, "message", "Ce texte est trop long : 2000 caractères"),
        ({**VALID, "email": "amina@"}, "email", "Cette adresse électronique n&#x27;est pas valide"),
        (
            {**VALID, "kind": "meteo"},
            "kind",
            "Choisissez ce qui est inexact parmi les propositions.",
        ),
        ({"message": "Fermé.", "email": ""}, "kind", "Choisissez ce qui est inexact."),
    ],
    ids=["empty", "blank", "too-long", "bad-email", "unknown-kind", "no-kind"],
)
def test_invalid_report_is_shown_again_with_its_errors(client, place, data, field, message):
    response = client.post(report_url(place), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert Suggestion.objects.count() == 0
    # The summary links to the field; the field points to its message.
    assert 'class="error-summary"' in html and "<title>Erreur —" in html
    assert f'id="id_{field}_error"' in html
    if field == "kind":
        assert '<fieldset aria-describedby="id_kind_error">' in html
        assert 'href="#id_kind_0"' in html
    else:
        assert re.search(
            rf'id="id_{field}"[^>]*aria-describedby="[^"]*id_{field}_error"', html
        ) or (re.search(rf'aria-describedby="[^"]*id_{field}_error"[^>]*id="id_{field}"', html))
        assert re.search(rf'<(input|textarea)[^>]*aria-invalid="true"[^>]*id="id_{field}"', html)
        assert f'href="#id_{field}"' in html
    # What she typed is kept.
    if data.get("message", "").strip() and field != "message":
        assert data["message"] in html


def test_honeypot_thanks_the_robot_and_stores_nothing(client, place):
    response = client.post(report_url(place), {**VALID, "website": "https://spam.example"})
    assert response.status_code == 302
    assert response["Location"] == thanks_url(place)
    assert Suggestion.objects.count() == 0


def test_rate_limit_per_address(client, place, settings):
    settings.SUGGESTION_RATE = "5/hour"
    for n in range(5):
        response = client.post(report_url(place), VALID, REMOTE_ADDR="198.51.100.1")
        assert response.status_code == 302, n
    # Mistakes cost nothing: a form to correct is not a report.
    assert client.post(report_url(place), {}, REMOTE_ADDR="198.51.100.1").status_code == 200
    refused = client.post(report_url(place), VALID, REMOTE_ADDR="198.51.100.1")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    html = refused.content.decode()
    assert "Trop de signalements envoyés" in html
    assert "réessayez dans 1\xa0heure au plus" in html
    assert Suggestion.objects.count() == 5
    # Robots are counted too.
    trap = client.post(report_url(place), {**VALID, "website": "x"}, REMOTE_ADDR="198.51.100.1")
    assert trap.status_code == 429
    # Another address has its own budget; a forged X-Forwarded-For is no other address.
    assert client.post(report_url(place), VALID, REMOTE_ADDR="198.51.100.2").status_code == 302
    forged = client.post(
        report_url(place), VALID, REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="192.0.2.9"
    )
    assert forged.status_code == 429


def test_rate_limit_behind_a_proxy_reads_the_forwarded_address(client, place, settings):
    settings.SUGGESTION_RATE = "1/hour"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    first = client.post(report_url(place), VALID, HTTP_X_FORWARDED_FOR="192.0.2.1", **proxy)
    assert first.status_code == 302
    again = client.post(report_url(place), VALID, HTTP_X_FORWARDED_FOR="192.0.2.1", **proxy)
    assert again.status_code == 429
    other = client.post(report_url(place), VALID, HTTP_X_FORWARDED_FOR="192.0.2.2", **proxy)
    assert other.status_code == 302


@pytest.mark.parametrize("status", [Status.DRAFT, Status.ARCHIVED])
def test_unpublished_places_have_no_form(client, status):
    hidden = PlaceFactory(status=status)
    assert client.get(report_url(hidden)).status_code == 404
    assert client.post(report_url(hidden), VALID).status_code == 404
    assert client.get(thanks_url(hidden)).status_code == 404
    assert Suggestion.objects.count() == 0


def test_unknown_place_is_404(client):
    url = reverse("directory:place-report", kwargs={"slug": "nulle-part"})
    assert client.get(url).status_code == 404
    assert client.post(url, VALID).status_code == 404


def test_the_form_is_csrf_protected(place):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(report_url(place), VALID).status_code == 403
    assert Suggestion.objects.count() == 0
    # With the token the page gives, it goes through.
    browser.get(report_url(place))
    token = browser.cookies["csrftoken"].value
    response = browser.post(report_url(place), {**VALID, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Suggestion.objects.count() == 1


# -- who sees and handles the queue ---------------------------------------------------------

ROLES = ("anonymous", "staff", "editor", "no_group", "moderator", "superuser", "inactive")
# has_perm without an object / on a report about organisation A's place / about B's.
TABLE = {
    "view_suggestion": ("---", "---", "yy-", "---", "yyy", "yyy", "---"),
    "change_suggestion": ("---", "---", "yy-", "---", "yyy", "yyy", "---"),
    "accept_suggestion": ("---", "---", "yy-", "---", "yyy", "yyy", "---"),
    "delete_suggestion": ("---", "---", "---", "---", "yyy", "yyy", "---"),
}


@pytest.fixture
def world():
    """Organisations A and B, a report on a place of each, and one user per role."""
    # A's editors are trusted: their corrections go live at once (an untrusted organisation's
    # wait for a moderator: test_an_untrusted_editors_correction_waits_for_review).
    a = OrganisationFactory(name="Organisation A", trusted_editors=True)
    b = OrganisationFactory(name="Organisation B")
    users = {
        "anonymous": AnonymousUser(),
        "staff": UserFactory(username="personnel"),
        "editor": UserFactory(username="editrice"),
        "no_group": UserFactory(username="sans-groupe"),
        "moderator": UserFactory(username="moderatrice"),
        "superuser": UserFactory(username="admin", is_superuser=True),
        "inactive": UserFactory(username="partie", is_active=False),
    }
    editors = Group.objects.get(name=EDITORS_GROUP)
    moderators = Group.objects.get(name=MODERATORS_GROUP)
    users["editor"].groups.add(editors)
    users["moderator"].groups.add(moderators)
    users["inactive"].groups.add(editors, moderators)
    a.editors.add(users["editor"], users["no_group"], users["inactive"])
    own_place = PlaceFactory(name="Lieu de A", organisation=a)
    other_place = PlaceFactory(name="Lieu de B", organisation=b, lon=5.37, lat=43.30)
    suggestions = {
        "own": SuggestionFactory(place=own_place, email="amina@example.org"),
        "other": SuggestionFactory(place=other_place, message="Nouveau numéro : 04 91 00 00 00"),
    }
    return {"users": users, "suggestions": suggestions}


@pytest.mark.parametrize("action", TABLE)
@pytest.mark.parametrize("role", ROLES)
def test_rule_table(world, role, action):
    user = world["users"][role]
    rows = world["suggestions"]
    expected = dict(zip(("model", "own", "other"), TABLE[action][ROLES.index(role)], strict=True))
    answers = {
        "model": user.has_perm(f"directory.{action}"),
        "own": user.has_perm(f"directory.{action}", rows["own"]),
        "other": user.has_perm(f"directory.{action}", rows["other"]),
    }
    assert answers == {target: cell == "y" for target, cell in expected.items()}


@pytest.mark.parametrize("role", ROLES)
def test_queue_in_sql_holds_exactly_what_the_rules_allow(world, role):
    user = world["users"][role]
    in_sql = set(visible_suggestions(user))
    # Whose reports: the SQL and the predicate agree on every row, whatever her grants.
    assert in_sql == {s for s in Suggestion.objects.all() if is_suggestion_editor.test(user, s)}
    for action in TABLE:
        perm = f"directory.{action}"
        allowed = {s for s in Suggestion.objects.all() if user.has_perm(perm, s)}
        assert allowed == (in_sql if user.has_perm(perm) else set()), action


def test_only_moderators_accept_a_closure(world):
    closure = SuggestionFactory(place=world["suggestions"]["own"].place, kind=SuggestionKind.CLOSED)
    editor, moderator = world["users"]["editor"], world["users"]["moderator"]
    assert editor.has_perm("directory.change_suggestion", closure)  # she may refuse it
    assert not editor.has_perm("directory.accept_suggestion", closure)
    assert moderator.has_perm("directory.accept_suggestion", closure)


def test_admin_queue_per_role(client, world):
    own, other = world["suggestions"]["own"], world["suggestions"]["other"]
    client.force_login(world["users"]["editor"])
    listed = set(client.get(CHANGELIST).context["cl"].result_list)
    assert listed == {own}
    own_page = client.get(reverse("admin:directory_suggestion_change", args=[own.pk]))
    assert own_page.status_code == 200
    html = own_page.content.decode()
    assert accept_url(own) in html and refuse_url(own) in html
    assert "amina@example.org" not in html  # her address only carries the answer
    other_page = client.get(reverse("admin:directory_suggestion_change", args=[other.pk]))
    assert other_page.status_code == 302  # "does not exist" for her
    assert client.get(accept_url(other)).status_code == 404
    assert client.post(refuse_url(other)).status_code == 404
    other.refresh_from_db()
    assert other.status == SuggestionStatus.NEW

    client.force_login(world["users"]["moderator"])
    assert set(client.get(CHANGELIST).context["cl"].result_list) == {own, other}

    client.force_login(world["users"]["staff"])
    assert client.get(CHANGELIST).status_code == 403


def test_place_change_page_links_to_its_open_reports(client, world):
    own = world["suggestions"]["own"]
    SuggestionFactory(place=own.place, status=SuggestionStatus.REFUSED, handled_at=own.created_at)
    SuggestionFactory(place=own.place, kind=SuggestionKind.CONTACT)
    client.force_login(world["users"]["editor"])
    page = client.get(reverse("admin:directory_place_change", args=[own.place.pk]))
    html = page.content.decode()
    assert "2 signalements à traiter" in html
    link = page.context["open_suggestions_url"]
    assert link in html.replace("&amp;", "&")
    listed = client.get(link).context["cl"].result_list
    assert {s.place_id for s in listed} == {own.place.pk} and len(listed) == 2
    # A place without open reports says nothing.
    other_place = PlaceFactory(organisation=own.place.organisation, lon=4.85, lat=45.75)
    html = client.get(reverse("admin:directory_place_change", args=[other_place.pk]))
    assert "signalement" not in html.content.decode()


# -- accepting and refusing -----------------------------------------------------------------


@pytest.fixture
def editor(world):
    return world["users"]["editor"]


def test_an_untrusted_editors_correction_waits_for_review(client, world, editor):
    from core.models import HeldChange

    suggestion = world["suggestions"]["own"]
    place = suggestion.place
    place.organisation.trusted_editors = False
    place.organisation.save()
    client.force_login(editor)
    response = client.post(accept_url(suggestion), {"opening_hours": "Mo 09:00-12:00"})
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.opening_hours == "Mo-Fr 09:00-12:00,14:00-17:00"  # still the live version
    held = HeldChange.objects.get()
    assert held.values == {"opening_hours": "Mo 09:00-12:00"} and held.author == editor
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED
    assert any("attend la relecture" in text for text in texts(response))


def test_accept_corrects_the_place_through_the_service(client, world, editor):
    suggestion = world["suggestions"]["own"]  # hours, with an e-mail
    place = suggestion.place
    client.force_login(editor)
    form = client.get(accept_url(suggestion))
    assert form.status_code == 200
    html = form.content.decode()
    assert suggestion.message in html
    assert 'value="Mo-Fr 09:00-12:00,14:00-17:00"' in html  # the place as it is, to correct
    response = client.post(
        accept_url(suggestion),
        {"opening_hours": "Mo-Th 09:00-12:00,14:00-17:00; Fr 09:00-12:00", "reply": "Merci !"},
    )
    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    place.refresh_from_db()
    assert place.opening_hours == "Mo-Th 09:00-12:00,14:00-17:00; Fr 09:00-12:00"
    latest = place.history.first()
    assert latest.history_change_reason == f"Suggestion n° {suggestion.pk} (signalement public)"
    assert latest.history_user == editor
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED
    assert suggestion.handled_by == editor and suggestion.handled_at is not None
    assert suggestion.reply == "Merci !"
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["amina@example.org"]
    assert "Lieu de A" in sent.subject and "corrigée" in sent.subject
    assert "corrigé la fiche" in sent.body and "Merci !" in sent.body
    assert f"http://testserver{place.get_absolute_url()}" in sent.body
    assert any("est corrigé" in text for text in texts(response))


def test_accept_an_address_places_the_point_again(client, world, editor):
    place = world["suggestions"]["own"].place
    suggestion = SuggestionFactory(
        place=place, kind=SuggestionKind.ADDRESS, message="Déménagé à Saint-Étienne (42000)."
    )
    client.force_login(editor)
    response = client.post(
        accept_url(suggestion), {"street": "", "postal_code": "42000", "city": ""}
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.commune.code == "42218"  # the point, hence the commune, followed the address
    assert place.city == "Saint-Étienne"
    assert place.history.first().history_change_reason.startswith("Suggestion n° ")
    assert mail.outbox == []  # she left no address
    assert any("Position trouvée" in text for text in texts(response))


def test_accept_an_address_not_found_keeps_the_point_and_says_so(client, world, editor):
    place = world["suggestions"]["own"].place
    point = place.location.coords
    suggestion = SuggestionFactory(place=place, kind=SuggestionKind.ADDRESS)
    client.force_login(editor)
    response = client.post(
        accept_url(suggestion),
        {"street": "12 rue de Nulle Part", "postal_code": "", "city": "Introuvable"},
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.street == "12 rue de Nulle Part"
    assert place.location.coords == pytest.approx(point)
    assert any("Adresse introuvable" in text for text in texts(response))


def test_accept_services_sets_the_competences(client, world, editor):
    place = world["suggestions"]["own"].place
    suggestion = SuggestionFactory(place=place, kind=SuggestionKind.SERVICES)
    french = Competence.objects.get(slug="apprentissage-francais")
    client.force_login(editor)
    response = client.post(
        accept_url(suggestion), {"competences": [french.pk], "description": "Cours de français."}
    )
    assert response.status_code == 302
    assert list(place.competences.all()) == [french]


def test_accept_with_an_invalid_value_changes_nothing(client, world, editor):
    suggestion = world["suggestions"]["own"]
    client.force_login(editor)
    response = client.post(accept_url(suggestion), {"opening_hours": "tous les jours sauf lundi"})
    assert response.status_code == 200
    assert "Corrigez les erreurs ci-dessous." in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.NEW
    assert (
        Place.objects.get(pk=suggestion.place_id).opening_hours == "Mo-Fr 09:00-12:00,14:00-17:00"
    )
    assert mail.outbox == []


def test_accept_without_change_keeps_the_place(client, world, editor):
    suggestion = world["suggestions"]["own"]
    versions = suggestion.place.history.count()
    client.force_login(editor)
    response = client.post(
        accept_url(suggestion), {"opening_hours": suggestion.place.opening_hours}
    )
    assert response.status_code == 302
    assert suggestion.place.history.count() == versions
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED
    assert len(mail.outbox) == 1


def test_closure_is_accepted_by_a_moderator_only(client, world, editor):
    place = world["suggestions"]["own"].place
    closure = SuggestionFactory(
        place=place, kind=SuggestionKind.CLOSED, message="Fermé depuis juin.", email="a@example.org"
    )
    client.force_login(editor)
    page = client.get(reverse("admin:directory_suggestion_change", args=[closure.pk]))
    assert accept_url(closure) not in page.content.decode()
    assert "seuls les modérateurs du réseau" in page.content.decode()
    assert client.post(accept_url(closure), {"archive": "on"}).status_code == 403

    client.force_login(world["users"]["moderator"])
    unchecked = client.post(accept_url(closure), {})
    assert unchecked.status_code == 200
    assert "Cochez la case pour confirmer l&#x27;archivage." in unchecked.content.decode()
    assert client.post(accept_url(closure), {"archive": "on"}).status_code == 302
    place.refresh_from_db()
    assert place.status == Status.ARCHIVED
    assert place.history.first().history_change_reason == (
        f"Suggestion n° {closure.pk} (signalement public)"
    )
    assert client.get(place.get_absolute_url()).status_code == 404
    assert "Il n’apparaît plus dans l’annuaire" in mail.outbox[0].body
    assert place.get_absolute_url() not in mail.outbox[0].body


def test_refuse_records_it_and_tells_her(client, world, editor):
    suggestion = world["suggestions"]["own"]
    place = suggestion.place
    versions = place.history.count()
    client.force_login(editor)
    assert client.get(refuse_url(suggestion)).status_code == 200
    response = client.post(refuse_url(suggestion), {"reply": "Les horaires sont bons."})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REFUSED
    assert suggestion.handled_by == editor and suggestion.handled_at is not None
    assert place.history.count() == versions
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amina@example.org"]
    assert "la fiche n’a pas été modifiée" in mail.outbox[0].body
    assert "Les horaires sont bons." in mail.outbox[0].body
    assert any("La personne en est informée par courriel." in t for t in texts(response))
    # Handled once: a second decision is refused, and she hears nothing more.
    again = client.post(accept_url(suggestion), {"opening_hours": "24/7"})
    assert again.status_code == 302
    assert any("a déjà été traité" in text for text in texts(again))
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REFUSED
    assert len(mail.outbox) == 1


def test_refuse_in_bulk(client, world):
    extra = SuggestionFactory(place=world["suggestions"]["other"].place, email="b@example.org")
    client.force_login(world["users"]["moderator"])
    response = client.post(
        CHANGELIST,
        {
            "action": "refuse_selected",
            "_selected_action": [s.pk for s in (*world["suggestions"].values(), extra)],
        },
    )
    assert response.status_code == 302
    assert set(Suggestion.objects.values_list("status", flat=True)) == {SuggestionStatus.REFUSED}
    assert sorted(m.to[0] for m in mail.outbox) == ["amina@example.org", "b@example.org"]


def test_a_mail_server_down_does_not_undo_the_decision(client, world, editor, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("directory.suggestions.services.send_mail", down)
    suggestion = world["suggestions"]["own"]
    client.force_login(editor)
    response = client.post(refuse_url(suggestion), {"reply": ""})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REFUSED
    assert any("n&#x27;a pas pu" in t or "n'a pas pu" in t for t in texts(response))
