"""Fixtures of the API suite: a small directory spread over the test départements.

The session database holds the real communes of Ain (01), Bouches-du-Rhône (13),
Loire (42), Rhône (69) and Val-d'Oise (95): régions 84, 93 and 11.
"""

import pytest
from rest_framework.test import APIClient

from directory.models import Competence, Kind, Status
from tests.factories import OrganisationFactory, PlaceFactory

from .support import ALWAYS, NEVER, RING_OFFSETS, VILLEURBANNE


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def comp():
    return {c.slug: c for c in Competence.objects.all()}


@pytest.fixture
def kind():
    return {k.slug: k for k in Kind.objects.all()}


@pytest.fixture
def directory(comp, kind):
    """Named places, one or two per département, plus a draft that must never show."""
    forum = OrganisationFactory(name="Forum Réfugiés", slug="forum-refugies")
    centre = OrganisationFactory(
        name="Centre ressources Rhône", slug="centre-rhone", is_member_centre=True
    )
    places = {
        "villeurbanne": PlaceFactory(
            name="Maison des langues de Villeurbanne",
            lon=4.8799,
            lat=45.7667,
            organisation=centre,
            competences=[comp["apprentissage-francais"]],
            kinds=[kind["maison-des-langues"]],
            languages="fr,ar",
            opening_hours=ALWAYS,
        ),
        "lyon": PlaceFactory(
            name="Permanence juridique",
            lon=4.8357,
            lat=45.7640,
            organisation=forum,
            competences=[comp["sejour"], comp["conseil-juridique"]],
            kinds=[kind["point-acces-droits-etrangers"]],
            languages="fr,en",
            opening_hours=NEVER,
        ),
        "marseille": PlaceFactory(
            name="Accueil Marseille",
            lon=5.3698,
            lat=43.2965,
            competences=[comp["sejour"], comp["apprentissage-francais"]],
            kinds=[kind["accueil-primo-arrivants"]],
            languages="fr,ar,es",
            opening_hours=ALWAYS,
        ),
        "saint_etienne": PlaceFactory(
            name="Santé Saint-Étienne",
            lon=4.3872,
            lat=45.4397,
            competences=[comp["sante"]],
            kinds=[kind["acces-sante"]],
            opening_hours=NEVER,
        ),
        "cergy": PlaceFactory(
            name="Accueil Cergy",
            lon=2.0761,
            lat=49.0364,
            competences=[comp["accueil-orientation"]],
            kinds=[kind["accueil-primo-arrivants"]],
            opening_hours=ALWAYS,
        ),
        "bourg": PlaceFactory(
            name="Droits des étrangers Bourg",
            lon=5.2251,
            lat=46.2052,
            organisation=forum,
            competences=[comp["sejour"]],
            kinds=[kind["point-acces-droits-etrangers"]],
            opening_hours=ALWAYS,
        ),
    }
    places["draft"] = PlaceFactory(
        name="Brouillon Villeurbanne",
        lon=4.8801,
        lat=45.7668,
        status=Status.DRAFT,
        competences=[comp["sejour"]],
    )
    return places


@pytest.fixture
def ring(comp):
    places = []
    for i, (dx, dy) in enumerate(RING_OFFSETS):
        competences = [comp["sejour"]] if i % 2 else [comp["apprentissage-francais"]]
        places.append(
            PlaceFactory(
                name=f"Anneau {i:02d}",
                lon=VILLEURBANNE.x + dx,
                lat=VILLEURBANNE.y + dy,
                competences=competences,
                opening_hours=ALWAYS if i % 3 else NEVER,
            )
        )
    return places
