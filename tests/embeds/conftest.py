import pytest

from directory.models import Competence
from geodata.models import Commune, Department
from practices.models import PracticeSheet, Scope, SheetStatus
from practices.services import sheet_save
from tests.factories import OrganisationFactory, PlaceFactory

VILLEURBANNE = (4.8799, 45.7667)  # 69266, Rhône, Auvergne-Rhône-Alpes (84)
LYON = (4.8357, 45.7640)  # 69123
MARSEILLE = (5.3698, 43.2965)  # 13055, Bouches-du-Rhône, Provence-Alpes-Côte d'Azur (93)
SAINT_ETIENNE = (4.3872, 45.4397)  # 42218, Loire (84)


@pytest.fixture
def centre():
    return OrganisationFactory(
        name="Centre ressources Rhône-Alpes", slug="cr-rhone-alpes", is_member_centre=True
    )


@pytest.fixture
def data(db, centre):
    sejour = Competence.objects.get(slug="sejour")
    francais = Competence.objects.get(slug="apprentissage-francais")
    places = {
        "villeurbanne": PlaceFactory(
            name="Point droits Villeurbanne",
            lon=VILLEURBANNE[0],
            lat=VILLEURBANNE[1],
            competences=[sejour],
        ),
        "lyon": PlaceFactory(
            name="Maison des langues Lyon", lon=LYON[0], lat=LYON[1], competences=[francais]
        ),
        "saint_etienne": PlaceFactory(
            name="Accueil Saint-Étienne",
            lon=SAINT_ETIENNE[0],
            lat=SAINT_ETIENNE[1],
            competences=[sejour, francais],
        ),
        "marseille": PlaceFactory(
            name="Permanence Marseille", lon=MARSEILLE[0], lat=MARSEILLE[1], competences=[sejour]
        ),
        "draft": PlaceFactory(
            name="Brouillon Villeurbanne",
            lon=VILLEURBANNE[0],
            lat=VILLEURBANNE[1],
            competences=[sejour],
            status="draft",
        ),
    }
    rhone = Department.objects.get(code="69")
    sheets = {
        "rhone": sheet_save(
            sheet=PracticeSheet(
                title="Ateliers sociolinguistiques du Rhône",
                summary="Des ateliers.",
                scope=Scope.DEPARTMENT,
                department=rhone,
                author_centre=centre,
                status=SheetStatus.PUBLISHED,
            )
        ),
        "marseille": sheet_save(
            sheet=PracticeSheet(
                title="Parrainage à Marseille",
                summary="Des binômes.",
                scope=Scope.COMMUNES,
                author_centre=centre,
                status=SheetStatus.PUBLISHED,
            ),
            communes=[Commune.objects.get(code="13055")],
        ),
        "draft": sheet_save(
            sheet=PracticeSheet(
                title="Brouillon de pratique",
                summary="Pas encore.",
                scope=Scope.DEPARTMENT,
                department=rhone,
                author_centre=centre,
            )
        ),
    }
    return {"places": places, "sheets": sheets, "sejour": sejour, "francais": francais}
