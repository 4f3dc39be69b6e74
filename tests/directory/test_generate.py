import math
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from directory.generators import SYNTHETIC_ORGANISATION_SLUG
from directory.models import Place, Status
from geodata.models import Commune
from geodata.selectors import commune_for_point
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db
COUNT = 300


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_places", "--count", str(COUNT), *args, "-v0", stdout=out)
    return out.getvalue()


def snapshot(seed: int) -> list[tuple]:
    places = Place.objects.filter(slug__startswith=f"synth-{seed}-").prefetch_related(
        "kinds", "competences"
    )
    return sorted(
        (
            p.slug,
            p.location.x,
            p.location.y,
            p.commune_id,
            sorted(k.slug for k in p.kinds.all()),
            sorted(c.slug for c in p.competences.all()),
            p.opening_hours,
            p.languages,
        )
        for p in places
    )


@pytest.fixture
def seven():
    output = generate("--seed", "7")
    assert f"{COUNT} lieux synthétiques créés" in output
    return list(Place.objects.filter(slug__startswith="synth-7-").select_related("commune"))


def test_creates_published_places_under_the_synthetic_organisation(seven):
    assert len(seven) == COUNT
    assert {p.organisation.slug for p in seven} == {SYNTHETIC_ORGANISATION_SLUG}
    assert {p.status for p in seven} == {Status.PUBLISHED}
    place = next(p for p in seven if p.slug == "synth-7-1")
    assert place.name == f"Lieu synthétique 1 — {place.commune.name}"
    counts = Place.objects.filter(slug__startswith="synth-7-").annotate(
        k=Count("kinds", distinct=True), c=Count("competences", distinct=True)
    )
    assert {p.k for p in counts} <= {1, 2}
    assert {p.c for p in counts} <= {1, 2, 3}
    assert all(p.hours is not None for p in seven if p.opening_hours)
    assert Place.history.count() == 0  # bulk insert: no history record per place


def test_each_point_lies_in_its_commune_which_the_point_decides(seven):
    for place in seven:
        assert place.commune.boundary.contains(place.location), place.slug
        assert commune_for_point(place.location) == place.commune, place.slug


def test_same_seed_same_places_other_seed_other_places(seven):
    first = snapshot(7)

    generate("--seed", "7", "--delete-existing-synthetic")
    assert snapshot(7) == first

    generate("--seed", "8")
    other = snapshot(8)
    assert len(other) == COUNT
    assert [row[1:3] for row in other] != [row[1:3] for row in first]


def test_places_follow_the_population(seven):
    communes = Commune.objects.filter(boundary__isnull=False, population__gt=0)
    total = sum(communes.values_list("population", flat=True))

    def check(group, label):
        share = sum(group.values_list("population", flat=True)) / total
        expected = COUNT * share
        spread = 4 * math.sqrt(COUNT * share * (1 - share))
        found = sum(1 for p in seven if p.commune_id in set(group.values_list("id", flat=True)))
        assert abs(found - expected) <= spread, (label, found, expected)
        return found, group.count() / communes.count()

    # Lyon and Marseille hold a fifth of these départements' people: about 60 of 300
    # places, where a draw by commune (1 in ~1,300 each) would put none.
    big, _ = check(communes.filter(code__in=["13055", "69123"]), "Lyon + Marseille")
    assert big >= 40
    # Nearly half the communes have under 1,000 inhabitants, but few of the people.
    small, commune_share = check(communes.filter(population__lt=1000), "< 1 000 hab.")
    assert small < COUNT * commune_share / 3


def test_refuses_to_draw_the_same_seed_twice(seven):
    with pytest.raises(CommandError, match="--delete-existing-synthetic"):
        generate("--seed", "7")
    assert Place.objects.count() == COUNT


def test_delete_existing_removes_only_synthetic_places(seven):
    kept = PlaceFactory()

    output = generate("--seed", "9", "--delete-existing-synthetic")

    assert f"{COUNT} lieux synthétiques supprimés" in output
    assert not Place.objects.filter(slug__startswith="synth-7-").exists()
    assert Place.objects.filter(slug__startswith="synth-9-").count() == COUNT
    assert Place.objects.filter(pk=kept.pk).exists()
    through = Place.competences.through.objects
    assert not through.exclude(place__in=Place.objects.all()).exists()
