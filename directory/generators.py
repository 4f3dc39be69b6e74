"""Synthetic places for load tests and benchmarks, spread like the population.

Communes are drawn with probability proportional to their population, then a
point is drawn uniformly (in lon/lat) inside the commune's polygon by rejection
in its bounding box. Every draw comes from one `random.Random(seed)` in a fixed
order, so a seed always gives the same places, on either database.

Rows go in with `bulk_create` (places, then both M2M through tables): no
`save()`, hence no validation and no history record per place, which is what
makes 100,000 places take seconds rather than tens of minutes.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from django.contrib.gis.geos import Point
from django.contrib.gis.geos.prepared import PreparedGeometry
from django.db import connection, transaction

from geodata.models import WGS84, Commune, Precision

from .models import Competence, Kind, LegalKind, Organisation, Place, Status

SYNTHETIC_ORGANISATION_SLUG = "synthetique"
SYNTHETIC_ORGANISATION_NAME = "Jeu de données synthétique"
BATCH_SIZE = 5_000
MAX_ATTEMPTS = 10_000  # per point; a commune polygon fills at least a few % of its bbox
BOUNDARY_CHUNK = 500  # ids per query when loading polygons (SQLite caps parameters)

HOURS_TEMPLATES = (
    "Mo-Fr 09:00-12:00,14:00-17:00",
    "Mo-Fr 09:00-17:00",
    "Mo,Tu,Th 09:00-12:30; We 14:00-18:00; PH off",
    "Tu-Sa 10:00-13:00,14:00-18:00",
    "Mo-Th 08:30-12:00,13:30-16:30; Fr 08:30-12:00",
    "We 14:00-17:00",
    "",
)
EXTRA_LANGUAGES = ("en", "ar", "es", "pt", "ru", "uk", "tr", "fa", "ps", "ta", "zh", "ro", "ti")

Progress = Callable[[Iterable, str, int], Iterable]


class GeneratorError(Exception):
    """The generator cannot run as asked; nothing has been written."""


@dataclass(frozen=True)
class WeightedCommune:
    id: int
    code: str
    name: str
    population: int


@dataclass
class GenerateReport:
    created: int = 0
    deleted: int = 0
    communes: int = 0


def _no_progress(items: Iterable, label: str, total: int) -> Iterable:
    return items


class CommuneSampler:
    """Draws communes weighted by population, and points uniformly inside them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.communes = [
            WeightedCommune(*row)
            for row in Commune.objects.filter(boundary__isnull=False, population__gt=0)
            .order_by("code")
            .values_list("id", "code", "name", "population")
        ]
        if not self.communes:
            raise GeneratorError(
                "Aucune commune avec contour et population : chargez la géographie "
                "(manage.py load_geography --wet-run)."
            )
        self._cum_weights = list(accumulate(c.population for c in self.communes))
        self._shapes: dict[int, tuple[PreparedGeometry, tuple[float, float, float, float]]] = {}

    def choose(self, k: int) -> list[WeightedCommune]:
        return self.rng.choices(self.communes, cum_weights=self._cum_weights, k=k)

    def preload(self, communes: Iterable[WeightedCommune]) -> None:
        missing = sorted({c.id for c in communes} - set(self._shapes))
        for start in range(0, len(missing), BOUNDARY_CHUNK):
            rows = Commune.objects.filter(id__in=missing[start : start + BOUNDARY_CHUNK])
            for commune_id, boundary in rows.values_list("id", "boundary"):
                self._shapes[commune_id] = (boundary.prepared, boundary.extent)

    def point_in(self, commune: WeightedCommune) -> Point:
        if commune.id not in self._shapes:
            self.preload([commune])
        prepared, (xmin, ymin, xmax, ymax) = self._shapes[commune.id]
        for _ in range(MAX_ATTEMPTS):
            # Rounded to ~0.1 m before the test, so the stored point is the tested one.
            x = round(self.rng.uniform(xmin, xmax), 6)
            y = round(self.rng.uniform(ymin, ymax), 6)
            point = Point(x, y, srid=WGS84)
            if prepared.contains(point):
                return point
        raise GeneratorError(f"Aucun point trouvé dans la commune {commune.code}.")


def synthetic_organisation() -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        slug=SYNTHETIC_ORGANISATION_SLUG,
        defaults={
            "name": SYNTHETIC_ORGANISATION_NAME,
            "legal_kind": LegalKind.OTHER,
            "description": "Lieux fictifs générés pour les essais de charge.",
        },
    )
    return organisation


def synthetic_places_count() -> int:
    return Place.objects.filter(organisation__slug=SYNTHETIC_ORGANISATION_SLUG).count()


def delete_synthetic_places() -> int:
    """Delete every place of the synthetic organisation, in three statements.

    The ORM's delete would load each place and, through simple_history's
    post_delete signal, write one history record per place.
    """
    organisation = Organisation.objects.filter(slug=SYNTHETIC_ORGANISATION_SLUG).first()
    if organisation is None:
        return 0
    for through in (Place.kinds.through, Place.competences.through):
        through.objects.filter(place__organisation=organisation).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{Place._meta.db_table}" WHERE "organisation_id" = %s',
            [organisation.pk],
        )
        return cursor.rowcount


def _sample(items: Sequence, rng: random.Random, low: int, high: int) -> list:
    return rng.sample(items, rng.randint(low, min(high, len(items))))


@transaction.atomic
def generate_places(
    *,
    count: int,
    seed: int,
    delete_existing: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Progress = _no_progress,
) -> GenerateReport:
    """Create `count` published synthetic places, slugs `synth-<seed>-<n>` (n from 1)."""
    if count < 1:
        raise GeneratorError("Le nombre de lieux doit être positif.")
    report = GenerateReport()
    if delete_existing:
        report.deleted = delete_synthetic_places()
    prefix = f"synth-{seed}-"
    if Place.objects.filter(slug__startswith=prefix).exists():
        raise GeneratorError(
            f"Des lieux {prefix}… existent déjà : ajoutez --delete-existing-synthetic "
            "ou choisissez une autre graine."
        )
    # Taxonomies by slug, so a seed draws the same content whatever the database ids.
    kind_ids = list(Kind.objects.order_by("slug").values_list("id", flat=True))
    competence_ids = list(Competence.objects.order_by("slug").values_list("id", flat=True))
    organisation = synthetic_organisation()
    rng = random.Random(seed)
    sampler = CommuneSampler(rng)
    chosen = sampler.choose(count)
    report.communes = len({c.id for c in chosen})

    batch: list[tuple[Place, list[int], list[int]]] = []
    for n, commune in enumerate(progress(chosen, "Lieux synthétiques", count), start=1):
        if not batch:
            sampler.preload(chosen[n - 1 : n - 1 + batch_size])
        place = Place(
            name=f"Lieu synthétique {n} — {commune.name}",
            slug=f"{prefix}{n}",
            organisation=organisation,
            location=sampler.point_in(commune),
            commune_id=commune.id,
            city=commune.name,
            geocode_precision=Precision.COMMUNE,
            opening_hours=rng.choice(HOURS_TEMPLATES),
            languages=",".join(["fr", *_sample(EXTRA_LANGUAGES, rng, 0, 3)]),
            status=Status.PUBLISHED,
        )
        batch.append((place, _sample(kind_ids, rng, 1, 2), _sample(competence_ids, rng, 1, 3)))
        if len(batch) == batch_size:
            report.created += _insert(batch, batch_size)
            batch = []
    if batch:
        report.created += _insert(batch, batch_size)
    if connection.vendor == "postgresql":
        # Autovacuum would get there later; until then the planner believes the table is
        # as small as before and picks nested loops over the spatial index.
        with connection.cursor() as cursor:
            for model in (Place, Place.kinds.through, Place.competences.through):
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    return report


def _insert(batch: list[tuple[Place, list[int], list[int]]], batch_size: int) -> int:
    places = Place.objects.bulk_create([place for place, _k, _c in batch], batch_size=batch_size)
    kind_rows, competence_rows = [], []
    for place, kinds, competences in batch:
        kind_rows += [Place.kinds.through(place_id=place.pk, kind_id=k) for k in kinds]
        competence_rows += [
            Place.competences.through(place_id=place.pk, competence_id=c) for c in competences
        ]
    Place.kinds.through.objects.bulk_create(kind_rows, batch_size=batch_size)
    Place.competences.through.objects.bulk_create(competence_rows, batch_size=batch_size)
    return len(places)
