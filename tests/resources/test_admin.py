"""Notices in the admin: editors write drafts of their centre, moderators publish, an abstract
is needed to publish, an editor's change to a published notice waits for review."""

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import review
from core.models import HeldChange
from core.roles import EDITORS_GROUP, MODERATORS_GROUP
from resources.models import Notice, NoticeStatus
from tests.factories import UserFactory
from tests.practices.factories import member_centre

from .factories import make_bibliography, make_notice

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:resources_notice_add")
CHANGELIST_URL = reverse("admin:resources_notice_changelist")


@pytest.fixture
def editor():
    user = UserFactory(username="documentaliste")
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def moderator():
    user = UserFactory(username="moderatrice")
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


@pytest.fixture
def centre(editor):
    centre = member_centre("Centre ressources Rhône")
    centre.editors.add(editor)
    return centre


def form_data(centre, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Guide de l'accueil",
        "slug": "guide-de-l-accueil",
        "type": "guide",
        "year": "2022",
        "month": "",
        "day": "",
        "publisher": "Éditions du Réseau",
        "place_published": "",
        "container_title": "",
        "pages": "",
        "language": "fr",
        "abstract": "Un guide pour organiser l'accueil.",
        "url": "",
        "isbn": "",
        "issn": "",
        "doi": "",
        "holding_centre": "",
        "scope": "national",
        "department": "",
        "region": "",
        "author_centre": centre.pk,
        "status": "draft",
        "authors-TOTAL_FORMS": "1",
        "authors-INITIAL_FORMS": "0",
        "authors-0-position": "0",
        "authors-0-kind": "person",
        "authors-0-name": "Durand, Léa",
        "authors-0-organisation": "",
        "_save": "Enregistrer",
    }
    data.update(overrides)
    return data


def test_an_editor_writes_a_draft_with_its_authors(client, editor, centre):
    client.force_login(editor)
    response = client.post(ADD_URL, form_data(centre, status="published"))
    assert "status" in response.context["adminform"].form.errors  # she may not publish
    response = client.post(ADD_URL, form_data(centre, status="in_review"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    notice = Notice.objects.get()
    assert notice.status == NoticeStatus.IN_REVIEW
    assert notice.authors_text == "Durand, Léa"
    assert notice.history.first().history_user == editor


def test_an_editor_may_not_write_for_another_centre(client, editor, centre):
    other = member_centre("Centre Méditerranée")
    client.force_login(editor)
    response = client.post(ADD_URL, form_data(other))
    assert response.status_code == 200
    assert "author_centre" in response.context["adminform"].form.errors
    assert not Notice.objects.exists()


def test_a_pdf_upload_is_checked_in_the_form(client, editor, centre):
    client.force_login(editor)
    fake = SimpleUploadedFile("faux.pdf", b"<html>pas un pdf</html>", "application/pdf")
    response = client.post(ADD_URL, {**form_data(centre), "file": fake})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"] == [
        "Seuls les documents PDF sont acceptés : ce fichier n'en est pas un."
    ]


def test_moderator_cannot_publish_without_abstract_in_the_form(client, moderator, centre):
    client.force_login(moderator)
    response = client.post(ADD_URL, form_data(centre, status="published", abstract=""))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["abstract"] == [
        "Le résumé est obligatoire pour publier une notice."
    ]


def test_publish_action_skips_notices_without_abstract(client, moderator, centre):
    ready = make_notice("Prête", status=NoticeStatus.IN_REVIEW, author_centre=centre)
    empty = make_notice("Vide", status=NoticeStatus.IN_REVIEW, author_centre=centre)
    Notice.objects.filter(pk=empty.pk).update(abstract="")
    client.force_login(moderator)
    response = client.post(
        CHANGELIST_URL,
        {"action": "publish", "_selected_action": [ready.pk, empty.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert "1 notice sans résumé n'a pas été publiée : le résumé est obligatoire." in messages
    ready.refresh_from_db(), empty.refresh_from_db()
    assert (ready.status, empty.status) == (NoticeStatus.PUBLISHED, NoticeStatus.IN_REVIEW)


def test_editor_cannot_use_publish_action(client, editor, centre):
    notice = make_notice("En relecture", status=NoticeStatus.IN_REVIEW, author_centre=centre)
    client.force_login(editor)
    client.post(CHANGELIST_URL, {"action": "publish", "_selected_action": [notice.pk]})
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.IN_REVIEW


def test_an_editors_change_to_a_published_notice_waits_for_review(client, editor, centre):
    notice = make_notice("Publiée", author_centre=centre, year=2022)
    client.force_login(editor)
    url = reverse("admin:resources_notice_change", args=[notice.pk])
    data = form_data(
        centre, title="Publiée (corrigée)", status="published", abstract=notice.abstract
    )
    data.pop("slug")
    data.update({"authors-TOTAL_FORMS": "0", "authors-INITIAL_FORMS": "0"})
    for key in [k for k in data if k.startswith("authors-0")]:
        data.pop(key)
    response = client.post(url, data)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.title == "Publiée"
    change = HeldChange.objects.get()
    assert change.values["title"] == "Publiée (corrigée)"


def test_an_editors_form_of_a_published_notice_keeps_its_file(client, editor, moderator, centre):
    """A held change keeps only the reviewed fields: the editor may not upload a PDF there."""
    notice = make_notice("Publiée", author_centre=centre, year=2022)
    url = reverse("admin:resources_notice_change", args=[notice.pk])
    client.force_login(editor)
    page = client.get(url).content.decode()
    assert 'name="file"' not in page
    assert "seul un modérateur du réseau peut remplacer" in page
    draft = make_notice("Brouillon", status=NoticeStatus.DRAFT, author_centre=centre)
    page = client.get(reverse("admin:resources_notice_change", args=[draft.pk])).content.decode()
    assert 'name="file"' in page
    client.force_login(moderator)
    assert 'name="file"' in client.get(url).content.decode()


def test_an_editors_change_to_a_published_bibliography_waits_for_review(
    client, editor, moderator, centre
):
    notice = make_notice("Dans la sélection", author_centre=centre)
    bibliography = make_bibliography("Sélection", [notice], author_centre=centre)
    url = reverse("admin:resources_bibliography_change", args=[bibliography.pk])
    client.force_login(editor)
    assert 'name="entries-0-notice"' not in client.get(url).content.decode()
    data = {
        "title": "Sélection (corrigée)",
        "kind": bibliography.kind,
        "introduction": "Nouvelle introduction.",
        "author_centre": centre.pk,
        "status": "published",
        "entries-TOTAL_FORMS": "0",
        "entries-INITIAL_FORMS": "0",
        "_save": "Enregistrer",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    bibliography.refresh_from_db()
    assert bibliography.title == "Sélection" and bibliography.introduction == ""
    assert bibliography.entries.count() == 1
    change = HeldChange.objects.get()
    assert change.values == {
        "title": "Sélection (corrigée)",
        "introduction": "Nouvelle introduction.",
    }
    review.accept(change, moderator)
    bibliography.refresh_from_db()
    assert bibliography.title == "Sélection (corrigée)"
    assert bibliography.status == NoticeStatus.PUBLISHED


def test_editor_sees_only_her_centres_notices(client, editor, centre):
    make_notice("La nôtre", status=NoticeStatus.DRAFT, author_centre=centre)
    make_notice("La leur", status=NoticeStatus.DRAFT)
    client.force_login(editor)
    response = client.get(CHANGELIST_URL)
    assert [n.title for n in response.context["cl"].result_list] == ["La nôtre"]


def test_history_and_admin_pages_render(client, editor, centre):
    notice = make_notice("Avec historique", status=NoticeStatus.DRAFT, author_centre=centre)
    client.force_login(editor)
    assert client.get(ADD_URL).status_code == 200
    assert client.get(reverse("admin:resources_notice_change", args=[notice.pk])).status_code == 200
    history = client.get(reverse("admin:resources_notice_history", args=[notice.pk]))
    assert history.status_code == 200
    other = make_notice("Pas à elle", status=NoticeStatus.DRAFT)
    assert client.get(reverse("admin:resources_notice_history", args=[other.pk])).status_code == 403
    assert client.get(reverse("admin:resources_bibliography_add")).status_code == 200
