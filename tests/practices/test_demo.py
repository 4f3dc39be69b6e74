"""The network's six documented practices as demo content: loaded where their areas exist."""

from io import StringIO

import pytest
from django.core.management import call_command

from core.demo import load_demo
from directory.models import Organisation
from practices import demo
from practices.models import PracticeSheet, SheetStatus

pytestmark = pytest.mark.django_db

# The test database holds départements 01, 13, 42, 69, 95 (régions 84, 93, 11).
LOADED = {
    "paca-annuaire-acces-droits-etrangers",
    "calm-comme-a-la-maison",
    "villeurbanne-reseau-vigilance-discriminations",
    "garges-maison-des-langues",
}
SKIPPED = {
    "nantes-accueil-nouveaux-arrivants-cnce": "commune absente : 44109",
    "nord-pas-de-calais-pratiques-langagieres": "région absente : 32",
}


def test_the_directory_demo_loads_the_sheets_too():
    report = load_demo(write=True)

    assert report["practices.demo"]["fiches créées"] == len(LOADED)
    sheets = {s.slug: s for s in PracticeSheet.objects.select_related("region")}
    assert set(sheets) == LOADED
    assert all(s.status == SheetStatus.PUBLISHED for s in sheets.values())
    assert sheets["villeurbanne-reseau-vigilance-discriminations"].region.code == "84"
    assert sheets["garges-maison-des-langues"].region.code == "11"
    assert sheets["paca-annuaire-acces-droits-etrangers"].region.code == "93"
    assert sheets["calm-comme-a-la-maison"].region is None
    assert sheets["calm-comme-a-la-maison"].location is None  # national: not on the map
    for slug in LOADED - {"calm-comme-a-la-maison"}:
        assert sheets[slug].location is not None, slug


def test_sheets_link_the_directory_demo():
    load_demo(write=True)

    paca = PracticeSheet.objects.get(slug="paca-annuaire-acces-droits-etrangers")
    assert paca.author_centre.slug == "centre-ressources-egalite-mediterranee"
    assert {a.organisation.slug for a in paca.actors.all()} == {
        "centre-ressources-egalite-mediterranee",
        "droits-accueil-ouest-etang",
        "juristes-solidaires-marseille",
    }
    assert {p.slug for p in paca.places.all()} == {
        "pade-istres",
        "pade-miramas",
        "juristes-solidaires-belsunce",
    }
    garges = PracticeSheet.objects.get(slug="garges-maison-des-langues")
    assert [p.slug for p in garges.places.all()] == ["maison-des-langues-garges"]
    # Carriers missing from the directory demo are created, referred by a member centre.
    villeurbanne = Organisation.objects.get(slug="ville-de-villeurbanne")
    assert villeurbanne.referent_centre.is_member_centre
    # Nantes (44109) is not in the test geography: its sheet is skipped.
    assert not PracticeSheet.objects.filter(slug="nantes-accueil-nouveaux-arrivants-cnce").exists()


def test_sheets_whose_area_is_absent_are_skipped_and_said():
    load_demo(write=True)
    report = demo.load()

    assert dict(report.skipped) == SKIPPED
    assert report["fiches ignorées"] == len(SKIPPED)


def test_second_run_changes_nothing():
    load_demo(write=True)
    history = PracticeSheet.history.count()
    organisations = Organisation.objects.count()

    report = demo.load()

    assert report["fiches inchangées"] == len(LOADED)
    assert report["fiches créées"] == report["fiches mises à jour"] == 0
    assert report["organisations créées"] == 0
    assert PracticeSheet.history.count() == history
    assert Organisation.objects.count() == organisations


def test_a_run_restores_an_edited_sheet():
    load_demo(write=True)
    sheet = PracticeSheet.objects.get(slug="garges-maison-des-langues")
    sheet.title = "Titre modifié"
    sheet.save()
    sheet.themes.clear()

    report = demo.load()

    assert report["fiches mises à jour"] == 1
    sheet.refresh_from_db()
    assert sheet.title.startswith("Garges-lès-Gonesse")
    assert {t.slug for t in sheet.themes.all()} == {"langue", "education"}


def test_dry_run_writes_nothing():
    load_demo(write=True)
    PracticeSheet.objects.all().delete()

    report = demo.load(write=False)

    assert report["fiches créées"] == len(LOADED)
    assert not PracticeSheet.objects.exists()


def test_without_the_directory_demo_every_sheet_is_skipped():
    report = demo.load()

    assert report["fiches créées"] == 0
    assert not PracticeSheet.objects.exists()
    reasons = dict(report.skipped)
    assert reasons["calm-comme-a-la-maison"] == (
        "centre ressources absent : centre-ressources-integration-rhone"
    )


def test_the_command_reports_the_sheets():
    out = StringIO()
    call_command("load_demo", "--wet-run", stdout=out)
    assert f"practices.demo : {len(LOADED)} fiches créées" in out.getvalue()


def test_demo_sheets_render(client):
    load_demo(write=True)
    for sheet in PracticeSheet.objects.all():
        response = client.get(sheet.get_absolute_url())
        assert response.status_code == 200, sheet.slug
        for _label, organisations in response.context["actor_groups"]:
            for organisation in organisations:
                assert client.get(organisation.get_absolute_url()).status_code == 200


def test_every_demo_sheet_is_complete_even_where_not_loaded():
    from practices.models import TEXT_FIELDS, Theme

    themes = set(Theme.objects.values_list("slug", flat=True))
    assert len(demo.SHEETS) == 6
    assert len({s.slug for s in demo.SHEETS}) == 6
    for item in demo.SHEETS:
        assert set(item.themes) <= themes, item.slug
        assert set(item.texts) <= set(TEXT_FIELDS), item.slug
        for name in ("summary", "context", "goals", "how_it_works", "results"):
            assert len(item.texts.get(name, "")) > 80, (item.slug, name)
        assert any(role == "carrier" for _slug, role in item.actors), item.slug
