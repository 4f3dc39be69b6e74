"""The admin import in a real headless Chromium: upload, preview with a rejected row, confirm.

Screenshots land in test-artifacts/ for a human to look at.
"""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from core.roles import MODERATORS_GROUP
from directory.models import Place
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

CSV = (
    "id,name,organisation,lon,lat,competences,opening_hours\n"
    "r1,Permanence Gratte-Ciel,Forum Réfugiés,4.8799,45.7667,sejour,Mo-Fr 09:00-12:00\n"
    "r2,Maison des langues,Forum Réfugiés,4.8357,45.7640,apprentissage-francais,\n"
    "r3,Sans nom ni horaires valides,Forum Réfugiés,4.85,45.76,,Lundi matin\n"
)


@pytest.fixture
def moderator(geography, settings, tmp_path):
    settings.IMPORTS_ROOT = str(tmp_path / "imports")
    user = UserFactory(username="moderatrice")
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


def test_import_preview_then_confirm(visit_with, moderator):
    visit = visit_with("desktop")
    page = visit.page
    visit.goto("/admin/login/?next=/admin/directory/place/")
    page.fill("#id_username", "moderatrice")
    page.fill("#id_password", "motdepasse-test")
    page.click("input[type=submit]")
    page.get_by_role("link", name="Importer des lieux").click()
    page.set_input_files(
        "#id_file", {"name": "lieux.csv", "mimeType": "text/csv", "buffer": CSV.encode()}
    )
    page.fill("#id_source", "forum-2026")
    page.check("#id_accept_partial")
    page.get_by_role("button", name="Voir l’aperçu").click()

    expect(page.locator("#import-summary")).to_contain_text("2 lieux à créer")
    expect(page.locator("#import-summary")).to_contain_text("1 ligne rejetée")
    rejected = page.locator("#import-rejected tbody tr")
    expect(rejected).to_have_count(1)
    expect(rejected.first).to_contain_text("horaires invalides")
    assert not Place.objects.exists()  # the preview wrote nothing
    visit.screenshot("import-preview-desktop")

    page.get_by_role("button", name="Confirmer l’import").click()
    expect(page.locator(".messagelist")).to_contain_text("Import « forum-2026 » écrit : 2 créés")
    expect(page.locator("#result_list")).to_contain_text("Permanence Gratte-Ciel")
    visit.screenshot("import-done-desktop")
    assert sorted(Place.objects.values_list("source_id", flat=True)) == ["r1", "r2"]
    assert visit.errors == []
