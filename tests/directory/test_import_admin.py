"""Importing places from the admin: upload → preview → confirm, per role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from core.roles import EDITORS_GROUP, MODERATORS_GROUP
from directory.models import Place
from tests.factories import OrganisationFactory, PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db
IMPORT = "/admin/directory/place/import/"
GOOD = (
    "id,name,organisation,lon,lat,competences\n"
    "r1,Permanence Gratte-Ciel,Forum,4.8799,45.7667,sejour\n"
    "r2,Maison des langues,Forum,4.8357,45.7640,apprentissage-francais\n"
)
BAD_ROW = "r3,,Forum,4.85,45.76,cuisine\n"


@pytest.fixture(autouse=True)
def imports_root(settings, tmp_path):
    settings.IMPORTS_ROOT = str(tmp_path / "imports")


def _user(name: str, group: str):
    user = UserFactory(username=name)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor():
    return _user("editrice", EDITORS_GROUP)


@pytest.fixture
def moderator():
    return _user("moderatrice", MODERATORS_GROUP)


@pytest.fixture
def own(editor):
    organisation = OrganisationFactory(name="Centre ressources Rhône")
    organisation.editors.add(editor)
    return organisation


def upload(client, text: str, name: str = "lieux.csv", **fields):
    data = {"file": SimpleUploadedFile(name, text.encode()), "source": "cr-rhone", **fields}
    return client.post(IMPORT, data)


def test_editor_imports_into_her_own_organisation(client, editor, own):
    other = OrganisationFactory(name="Autre association")
    client.force_login(editor)
    page = client.get("/admin/directory/place/")
    assert IMPORT in page.content.decode()  # "Importer des lieux" beside "Ajouter"
    refused = upload(client, GOOD, organisation=other.pk)
    assert refused.status_code == 200 and "organisation" in refused.context["form"].errors
    assert upload(client, GOOD).context["form"].errors["organisation"]  # she must choose
    preview = upload(client, GOOD, organisation=own.pk)
    assert preview.status_code == 200 and not Place.objects.exists()  # a preview writes nothing
    report = preview.context["report"]
    assert (report.created, report.rejected) == (2, [])
    html = preview.content.decode()
    assert "2 lieux à créer" in html and "Permanence Gratte-Ciel" in html
    confirm = client.post(f"{IMPORT}{preview.context['token']}/confirm/")
    assert confirm.status_code == 302 and "source=cr-rhone" in confirm["Location"]
    assert set(Place.objects.values_list("organisation", flat=True)) == {own.pk}
    assert Place.objects.count() == 2


def test_rejected_rows_are_shown_and_block_the_import_unless_accepted(client, moderator):
    client.force_login(moderator)
    preview = upload(client, GOOD + BAD_ROW)
    html = preview.content.decode()
    assert "1 ligne rejetée" in html and "nom manquant" in html and "compétence inconnue" in html
    assert "Confirmer" not in html and preview.context["blocked"]
    token = preview.context["token"]
    rejections = client.get(f"{IMPORT}{token}/rejets.csv")
    body = b"".join(rejections.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0] == "ligne,colonne,valeur,raison" and "4,name,,nom manquant" in body
    # Confirming anyway writes nothing.
    client.post(f"{IMPORT}{token}/confirm/")
    assert not Place.objects.exists()
    partial = upload(client, GOOD + BAD_ROW, accept_partial="on")
    assert "Confirmer" in partial.content.decode()
    client.post(f"{IMPORT}{partial.context['token']}/confirm/")
    assert Place.objects.count() == 2  # the organisation "Forum" was created for them
    assert Place.objects.first().organisation.name == "Forum"


def test_hand_edit_conflict_is_previewed(client, moderator):
    client.force_login(moderator)
    client.post(f"{IMPORT}{upload(client, GOOD).context['token']}/confirm/")
    place = Place.objects.get(source_id="r1")
    place.name = "Permanence du Gratte-Ciel (corrigé)"
    place.save()
    changed = GOOD.replace("4.8799,45.7667", "4.8805,45.7670")
    preview = upload(client, changed)
    assert [(c.source_id, c.outcome) for c in preview.context["changes"]] == [("r1", "conflict")]
    assert "modifié à la main : gardé" in preview.content.decode()


def test_too_big_a_file_points_to_the_command(client, moderator, settings):
    settings.IMPORT_ADMIN_MAX_BYTES = 100
    client.force_login(moderator)
    response = upload(client, GOOD * 3)
    message = " ".join(response.context["form"].errors["file"])
    assert "trop gros" in message and "manage.py import_places" in message


def test_unreadable_file_is_a_form_error(client, moderator):
    client.force_login(moderator)
    data = {
        "file": SimpleUploadedFile(
            "lieux.csv", "id,name,lon,lat\n1,Caf\xe9,4.8,45.7\n".encode("latin-1")
        ),
        "source": "x",
    }
    response = client.post(IMPORT, data)
    assert "UTF-8" in " ".join(response.context["form"].errors["file"])
    assert not Place.objects.exists()
    unknown = upload(client, GOOD, name="lieux.txt")
    assert "Format inconnu" in " ".join(unknown.context["form"].errors["file_format"])


def test_one_cannot_confirm_another_person_s_import(client, moderator, editor, own):
    client.force_login(moderator)
    token = upload(client, GOOD).context["token"]
    client.force_login(editor)
    assert client.post(f"{IMPORT}{token}/confirm/").status_code == 403
    assert client.get(f"{IMPORT}{token}/rejets.csv").status_code == 403
    assert client.post(f"{IMPORT}nope/confirm/").status_code == 404
    assert not Place.objects.exists()


def test_without_the_add_permission_no_import(client):
    client.force_login(UserFactory(username="visiteur"))
    assert client.get(IMPORT).status_code == 403
    PlaceFactory()  # nothing else to see
