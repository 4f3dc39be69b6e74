import re
from io import StringIO

import pytest
from django.core.management import call_command

from directory.demo import DEMO_ORGANISATIONS, DEMO_PLACES
from directory.demo import load as load_demo
from directory.models import Competence, Kind, Organisation, Place, Status
from directory.validators import validate_language_codes, validate_opening_hours
from tests.conftest import TEST_DEPARTMENTS

pytestmark = pytest.mark.django_db

# The test database holds the communes of a few départements only.
LOADABLE = {p.slug: p.commune for p in DEMO_PLACES if p.commune[:2] in TEST_DEPARTMENTS}
SKIPPED = {(p.slug, p.commune) for p in DEMO_PLACES if p.commune[:2] not in TEST_DEPARTMENTS}
VILLEURBANNE_CENTRE = "centre-ressources-integration-rhone-centre-ressources"


def test_loads_the_places_whose_commune_exists():
    report = load_demo(write=True)

    places = {p.slug: p for p in Place.objects.select_related("commune", "organisation")}
    assert set(places) == set(LOADABLE)
    expected = {
        "maison-des-langues-garges": "95268",
        "pade-istres": "13047",
        "pade-miramas": "13063",
        "defenseur-des-droits-vaulx-en-velin": "69256",
        VILLEURBANNE_CENTRE: "69266",
    }
    for slug, code in expected.items():
        assert places[slug].commune.code == code
    # The commune follows from the given point, and it is the one the data announces.
    assert {slug: p.commune.code for slug, p in places.items()} == LOADABLE
    assert report.misplaced == []
    assert all(p.status == Status.PUBLISHED and p.last_verified for p in places.values())
    garges = places["maison-des-langues-garges"]
    assert {"fr", "ar", "ta", "tr"} <= set(garges.language_codes)
    assert [k.slug for k in garges.kinds.all()] == ["maison-des-langues"]
    assert "apprentissage-francais" in {c.slug for c in garges.competences.all()}
    istres = places["pade-istres"]
    assert {c.slug for c in istres.competences.all()} == {"sejour", "droits-sociaux", "asile"}
    assert istres.hours is not None


def test_reports_the_places_it_skips():
    report = load_demo(write=True)

    assert set(report.skipped) == SKIPPED
    assert ("carrefour-integration-grand-est-centre-ressources", "67482") in report.skipped
    assert report.places["created"] == len(LOADABLE)


def test_actors_are_referred_by_their_member_centre():
    load_demo(write=True)

    centres = Organisation.objects.filter(is_member_centre=True)
    assert centres.count() == 7
    assert set(centres.values_list("legal_kind", flat=True)) == {"association"}
    villeurbanne = Place.objects.get(slug=VILLEURBANNE_CENTRE)
    assert villeurbanne.organisation.is_member_centre
    assert [k.slug for k in villeurbanne.kinds.all()] == ["centre-ressources"]
    vaulx = Place.objects.get(slug="defenseur-des-droits-vaulx-en-velin")
    assert vaulx.organisation.referent_centre == villeurbanne.organisation
    actors = Organisation.objects.filter(is_member_centre=False)
    assert actors.count() == len(DEMO_ORGANISATIONS) - 7
    assert all(a.referent_centre and a.referent_centre.is_member_centre for a in actors)


def test_second_run_changes_nothing():
    first = load_demo(write=True)
    history = Place.history.count()

    second = load_demo(write=True)

    assert second.places == {"created": 0, "updated": 0, "unchanged": first.places["created"]}
    assert second.organisations["unchanged"] == len(DEMO_ORGANISATIONS)
    assert Place.objects.count() == len(LOADABLE)
    assert Organisation.objects.count() == len(DEMO_ORGANISATIONS)
    assert Place.history.count() == history  # no noise in the history either


def test_a_run_restores_edited_demo_content():
    load_demo(write=True)
    place = Place.objects.get(slug="pade-miramas")
    place.name = "Nom modifié"
    place.save()
    place.competences.clear()

    report = load_demo(write=True)

    assert report.places["updated"] == 1
    place.refresh_from_db()
    assert place.name == "Point d'accès aux droits des étrangers — Miramas"
    assert place.competences.count() == 3


def test_dry_run_writes_nothing_but_reports_what_it_would_do():
    report = load_demo(write=False)

    assert not report.written
    assert Place.objects.count() == 0
    assert Organisation.objects.count() == 0
    assert report.places["created"] == len(LOADABLE)
    assert report.organisations["created"] == len(DEMO_ORGANISATIONS)


def test_command_is_a_dry_run_unless_asked():
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "rien écrit" in out.getvalue()
    assert not Place.objects.exists()

    out = StringIO()
    call_command("load_demo", "--wet-run", stdout=out)
    text = out.getvalue()
    assert f"lieux {len(LOADABLE)} créé(s)" in text
    assert "67482" in text  # the skipped Strasbourg centre is named
    assert Place.objects.count() == len(LOADABLE)


def test_every_demo_record_is_valid_even_where_not_loaded():
    kinds = set(Kind.objects.values_list("slug", flat=True))
    competences = set(Competence.objects.values_list("slug", flat=True))
    organisations = {o.slug: o for o in DEMO_ORGANISATIONS}
    slugs = [p.slug for p in DEMO_PLACES]
    assert len(slugs) == len(set(slugs))
    for place in DEMO_PLACES:
        validate_opening_hours(place.opening_hours)
        validate_language_codes(place.languages)
        assert set(place.kinds) <= kinds and place.kinds, place.slug
        assert set(place.competences) <= competences and place.competences, place.slug
        assert place.organisation in organisations, place.slug
        assert -5.5 < place.lon < 9.6 and 41.3 < place.lat < 51.1, place.slug
    fictional_phone = re.compile(r"^0[1-5] 00 00 00 \d\d$")
    for item in [*DEMO_ORGANISATIONS, *DEMO_PLACES]:
        assert not item.phone or fictional_phone.match(item.phone), item.slug
        assert not item.email or item.email.endswith(".example.org"), item.slug
    centres = [o for o in DEMO_ORGANISATIONS if o.is_member_centre]
    for centre in centres:
        own = [p for p in DEMO_PLACES if p.organisation == centre.slug]
        assert [p.kinds for p in own] == [("centre-ressources",)], centre.slug
    for actor in DEMO_ORGANISATIONS:
        if not actor.is_member_centre:
            assert organisations[actor.referent].is_member_centre, actor.slug
