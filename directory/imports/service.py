"""The import service: rows of a file checked, then written as places, or nothing at all.

Each row is checked whole and every problem reported (line, column, value, reason). By
default a file with a rejected row writes nothing; `accept_partial=True` writes the good
rows and keeps the report. A dry run (the default of the command) does the whole import in
a transaction and rolls it back, so its counts are exactly what a wet run would do.

A place is matched on (source, id in the source): importing the same file again changes
nothing; a changed row updates its place, through `services.place_save` like a hand edit,
with a history entry naming the import. Each place keeps a fingerprint of what its source
said and when: a place edited by hand since, whose source has changed as well, is a conflict
(kept as edited by default, listed in the report). A full import flags the source's places
it no longer holds (`absent_from_import`); nothing is ever deleted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import islice

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from geodata.batch_geocoding import Address, geocode_batch
from geodata.models import Commune, PostalCode, Precision
from geodata.selectors import communes_for_points

from ..models import Access, Competence, Kind, Organisation, Place, Status
from ..selectors import vocabulary_ids
from ..services import place_save, slug_base, unique_slug
from ..tiles.cache import bump_version
from ..validators import split_languages, validate_language_codes, validate_opening_hours
from . import bulk
from .readers import SourceRow

TRUE_WORDS = {"true", "1", "oui", "yes", "vrai", "x"}
FALSE_WORDS = {"false", "0", "non", "no", "faux", ""}
# The plain fields a row may set, as the export names them (its column → the model's field).
TEXT_FIELDS = {
    "name": "name",
    "description": "description",
    "address": "street",
    "postal_code": "postal_code",
    "opening_hours": "opening_hours",
    "public": "public",
    "phone": "phone",
    "email": "email",
    "website": "website",
}
BOOLEAN_FIELDS = ("appointment_only", "interpreting")
COMPARED = (
    "name",
    "description",
    "street",
    "postal_code",
    "opening_hours",
    "public",
    "phone",
    "email",
    "website",
    "appointment_only",
    "interpreting",
    "wheelchair",
    "languages",
    "last_verified",
    "status",
    "organisation_id",
)


@dataclass(frozen=True)
class Rejection:
    line: int
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class Conflict:
    line: int
    source_id: str
    place: str
    fields: tuple[str, ...]  # what the file would change


@dataclass(frozen=True)
class Change:
    line: int
    source_id: str
    place: str
    outcome: str  # "created", "updated", "unchanged" or "conflict"
    fields: tuple[str, ...] = ()


CHANGES_KEPT = 2_000


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organisations_created: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    # Places edited by hand since their last import, whose source changed too: kept as edited
    # unless `overwrite_edits` (then counted in `updated` as well).
    conflicts: list[Conflict] = field(default_factory=list)
    # What the import does to each place, for a preview (the first CHANGES_KEPT of them).
    changes: list[Change] = field(default_factory=list)
    absent: int = 0  # places of the source missing from a full import: flagged, never deleted
    written: bool = False  # False: a dry run, or rejected rows without accept_partial

    def note(self, change: Change) -> None:
        if len(self.changes) < CHANGES_KEPT:
            self.changes.append(change)

    @property
    def rejected_rows(self) -> int:
        return len({r.line for r in self.rejected})


@dataclass
class PlaceInput:
    """A row that passed every check: what its place must hold."""

    line: int
    source_id: str
    slug: str
    organisation: Organisation | None
    organisation_key: tuple[str, str]  # (slug, name) when the file names the organisation
    fields: dict[str, object]
    kinds: list[int]
    competences: list[int]
    lon: float | None = None
    lat: float | None = None
    commune: Commune | None = None  # found for the whole batch (`_locate`)
    # No coordinates but an address: geocoded with the batch (`_locate`).
    city: str = ""
    needs_geocoding: bool = False
    precision: str = Precision.MANUAL
    label: str = ""

    @property
    def location(self) -> Point | None:
        if self.lon is None or self.lat is None:
            return None
        return Point(self.lon, self.lat, srid=4326)


class _Checks:
    """The checks of one row, collecting every problem rather than stopping at the first."""

    def __init__(self, row: SourceRow):
        self.row = row
        self.problems: list[Rejection] = []

    def text(self, column: str) -> str:
        value = self.row.values.get(column)
        return "" if value is None else str(value).strip()

    def reject(self, column: str, reason: str, value: object = None) -> None:
        shown = self.text(column) if value is None else str(value)
        self.problems.append(Rejection(self.row.line, column, shown[:200], reason))


def _boolean(checks: _Checks, column: str) -> bool | None:
    value = checks.row.values.get(column)
    if isinstance(value, bool):
        return value
    word = checks.text(column).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    checks.reject(column, "valeur attendue : true/false (ou oui/non)")
    return None


def _number(checks: _Checks, column: str, low: float, high: float) -> float | None:
    raw = checks.row.values.get(column)
    if raw is None or checks.text(column) == "":
        checks.reject(column, "coordonnée manquante")
        return None
    try:
        number = float(str(raw).replace(",", "."))
    except ValueError:
        checks.reject(column, "nombre attendu")
        return None
    if not low <= number <= high:
        checks.reject(column, f"hors des bornes [{low:g}, {high:g}]")
        return None
    return number


def _slugs(checks: _Checks, column: str, known: dict[str, int], label: str) -> list[int]:
    value = checks.row.values.get(column) or []
    slugs = value if isinstance(value, list) else [str(value)]
    ids = []
    for slug in slugs:
        slug = str(slug).strip()
        if slug in known:
            ids.append(known[slug])
        elif slug:
            checks.reject(column, f"{label} inconnue", slug)
    return sorted(set(ids))


ACCESS_VALUES = frozenset(Access.values)
VALIDATORS = {"email": EmailValidator(), "url": URLValidator()}


@lru_cache(maxsize=4096)
def _valid(kind: str, value: str) -> bool:
    """Django's validators, remembered per value (an organisation's places share theirs)."""
    try:
        VALIDATORS[kind](value)
    except ValidationError:
        return False
    return True


@lru_cache(maxsize=1)
def _max_lengths() -> dict[str, int]:
    return {f.name: f.max_length for f in Place._meta.fields if f.max_length}


@lru_cache(maxsize=4096)
def _hours_problem(text: str) -> bool:
    """True if the opening hours do not validate (a file repeats a few dozen texts)."""
    try:
        validate_opening_hours(text)
    except ValidationError:
        return True
    return False


@lru_cache(maxsize=4096)
def _languages(text: str) -> tuple[str, str | None]:
    """The languages' one spelling, or the reason they are refused."""
    try:
        validate_language_codes(text)
    except ValidationError as error:
        return "", " ".join(error.messages)
    return ",".join(split_languages(text)), None


def check_row(
    row: SourceRow,
    *,
    organisation: Organisation | None,
    vocabularies: tuple[dict[str, int], dict[str, int]] | None = None,
) -> tuple[PlaceInput, list[Rejection]]:
    """What the row's place must be, and every reason found so far that it cannot be
    imported (ids repeated in the file are told per batch: `_mark_duplicates`; the point's
    commune and postal code too: `_locate`). `vocabularies`: the kinds' and competences'
    ids by slug, read once per batch."""
    checks = _Checks(row)
    if "_geometry" in row.values:
        checks.reject("geometry", "un point est attendu", row.values["_geometry"])
    source_id = checks.text("id")
    if not source_id:
        checks.reject("id", "identifiant manquant")
    fields: dict[str, object] = {}
    for column, name in TEXT_FIELDS.items():
        fields[name] = checks.text(column)
    if not fields["name"]:
        checks.reject("name", "nom manquant")
    max_lengths = _max_lengths()
    for name, value in fields.items():
        limit = max_lengths.get(name)
        if limit and len(str(value)) > limit:
            column = next(c for c, n in TEXT_FIELDS.items() if n == name)
            checks.reject(column, f"trop long ({len(str(value))} caractères, {limit} au plus)")
    for column in BOOLEAN_FIELDS:
        fields[column] = bool(_boolean(checks, column))
    city = checks.text("commune") or checks.text("city")
    has_address = any((fields["street"], fields["postal_code"], city))
    needs_geocoding = not checks.text("lon") and not checks.text("lat") and has_address
    lon = lat = None
    if not needs_geocoding:
        lon = _number(checks, "lon", -180, 180)
        lat = _number(checks, "lat", -90, 90)
    if fields["opening_hours"] and _hours_problem(str(fields["opening_hours"])):
        checks.reject(
            "opening_hours",
            "horaires invalides (syntaxe OpenStreetMap attendue, par ex. "
            "« Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00 »)",
        )
    languages = checks.row.values.get("languages") or []
    languages_text = ",".join(languages if isinstance(languages, list) else [str(languages)])
    fields["languages"], problem = _languages(languages_text)
    if problem:
        checks.reject("languages", problem, languages_text)
    wheelchair = checks.text("wheelchair")
    if wheelchair and wheelchair not in ACCESS_VALUES:
        checks.reject("wheelchair", f"valeur attendue : {', '.join(Access.values)} ou vide")
    fields["wheelchair"] = wheelchair if wheelchair in ACCESS_VALUES else ""
    if fields["email"] and not _valid("email", str(fields["email"])):
        checks.reject("email", "adresse courriel invalide")
    if fields["website"] and not _valid("url", str(fields["website"])):
        checks.reject("website", "adresse web invalide (https://… attendu)")
    verified = checks.text("last_verified")
    fields["last_verified"] = None
    if verified:
        try:
            fields["last_verified"] = date.fromisoformat(verified[:10])
        except ValueError:
            checks.reject("last_verified", "date attendue au format AAAA-MM-JJ")
    kind_ids, competence_ids = vocabularies or (vocabulary_ids(Kind), vocabulary_ids(Competence))
    kinds = _slugs(checks, "kinds", kind_ids, "type de lieu")
    competences = _slugs(checks, "competences", competence_ids, "compétence")
    organisation_key = (checks.text("organisation_slug"), checks.text("organisation"))
    if organisation is None and not any(organisation_key):
        checks.reject("organisation", "organisation manquante (ou --organisation)")
    place_input = PlaceInput(
        line=row.line,
        source_id=source_id,
        slug=checks.text("slug"),
        organisation=organisation,
        organisation_key=organisation_key,
        fields=fields,
        kinds=kinds,
        competences=competences,
        lon=lon,
        lat=lat,
        city=city,
        needs_geocoding=needs_geocoding,
    )
    return place_input, checks.problems


def _geocode(checked: list[tuple[PlaceInput, list[Rejection]]]) -> None:
    """The batch's rows with an address and no coordinates, placed in one BAN request (the
    gazetteer for what it misses: a commune's centre at worst)."""
    wanted = {
        str(i.line): (i, problems)
        for i, problems in checked
        if i.needs_geocoding and not any(p.column in ("lon", "lat") for p in problems)
    }
    if not wanted:
        return
    addresses = [
        Address(key, str(i.fields["street"]), str(i.fields["postal_code"]), i.city)
        for key, (i, _problems) in wanted.items()
    ]
    found = geocode_batch(addresses)
    for key, (place_input, problems) in wanted.items():
        result = found.get(key)
        if result is None:
            text = " ".join(
                p
                for p in (
                    str(place_input.fields["street"]),
                    str(place_input.fields["postal_code"]),
                    place_input.city,
                )
                if p
            )
            problems.append(
                Rejection(
                    place_input.line,
                    "address",
                    text,
                    "adresse introuvable (ni coordonnées ni commune reconnue)",
                )
            )
            continue
        place_input.lon, place_input.lat = result.point.x, result.point.y
        place_input.precision = str(result.precision)
        place_input.label = result.label[:250]


def _locate(
    checked: list[tuple[PlaceInput, list[Rejection]]], communes: dict[int, Commune]
) -> None:
    """The commune of every row's point (one lookup for the batch), and its postal code.
    `communes`: those loaded by earlier batches, by id (France has ~35,000: bounded)."""
    _geocode(checked)
    located = [
        (place_input, problems)
        for place_input, problems in checked
        if place_input.lon is not None and place_input.lat is not None
    ]
    found = communes_for_points([(i.lon, i.lat) for i, _problems in located], known=communes)
    codes = {str(i.fields["postal_code"]) for i, _problems in located if i.fields["postal_code"]}
    known = set(PostalCode.objects.filter(code__in=codes).values_list("code", "commune_id"))
    for (place_input, problems), commune in zip(located, found, strict=True):
        place_input.commune = commune
        line = place_input.line
        if commune is None:
            point = f"{place_input.lon}, {place_input.lat}"
            problems.append(Rejection(line, "lon", point, "point hors de France"))
            continue
        code = str(place_input.fields["postal_code"])
        if code and (code, commune.pk) not in known:
            problems.append(
                Rejection(
                    line,
                    "postal_code",
                    code,
                    f"ne correspond pas à la commune du point ({commune.name})",
                )
            )


class _Organisations:
    """The file's organisations, found by slug (or name), created when missing."""

    def __init__(self, report: ImportReport):
        self.report = report
        self.known: dict[tuple[str, str], Organisation] = {}

    def get(self, key: tuple[str, str]) -> Organisation:
        if key not in self.known:
            slug, name = key
            found = (
                Organisation.objects.filter(slug=slug).first()
                if slug
                else Organisation.objects.filter(name=name).first()
            )
            if found is None:
                found = Organisation(
                    name=name or slug, slug=unique_slug(Organisation, slug or name)
                )
                found.full_clean()
                found.save()
                self.report.organisations_created += 1
            self.known[key] = found
        return self.known[key]


def fingerprint(place_input: PlaceInput, organisation: Organisation, status: str) -> str:
    """A hash of everything the row sets: equal fingerprints, nothing to write."""
    facts = {
        **{name: str(value) for name, value in place_input.fields.items()},
        "organisation": organisation.pk,
        "status": status,
        "point": [round(place_input.lon, 7), round(place_input.lat, 7)],
        "kinds": place_input.kinds,
        "competences": place_input.competences,
        "slug": place_input.slug,
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def _changes(place: Place, wanted: dict, place_input: PlaceInput) -> tuple[str, ...]:
    changed = [name for name in COMPARED if getattr(place, name) != wanted[name]]
    if not place.location.equals_exact(place_input.location, tolerance=1e-7):
        changed.append("location")
    if sorted(place.kinds.values_list("pk", flat=True)) != place_input.kinds:
        changed.append("kinds")
    if sorted(place.competences.values_list("pk", flat=True)) != place_input.competences:
        changed.append("competences")
    return tuple(changed)


def _write(
    place_input: PlaceInput,
    place: Place,
    *,
    source: str,
    status: str,
    organisations: _Organisations,
    report: ImportReport,
    overwrite_edits: bool,
) -> str:
    """Update the row's known place; "updated", "unchanged" or "conflict" (new places are
    written in bulk: `_create_batch`)."""
    organisation = place_input.organisation or organisations.get(place_input.organisation_key)
    wanted = {**place_input.fields, "organisation_id": organisation.pk, "status": status}
    stamp = fingerprint(place_input, organisation, status)
    line, source_id = place_input.line, place_input.source_id
    if place.import_fingerprint == stamp:
        report.note(Change(line, source_id, place.name, "unchanged"))
        return "unchanged"  # the source says what it said: hand edits since stay
    changed = _changes(place, wanted, place_input)
    if not changed:
        Place.objects.filter(pk=place.pk).update(import_fingerprint=stamp)
        report.note(Change(line, source_id, place.name, "unchanged"))
        return "unchanged"
    edited = place.imported_at is None or place.updated_at > place.imported_at
    if edited:
        report.conflicts.append(Conflict(line, source_id, place.name, changed))
        if not overwrite_edits:
            report.note(Change(line, source_id, place.name, "conflict", changed))
            return "conflict"
    report.note(Change(line, source_id, place.name, "updated", changed))
    for name, value in wanted.items():
        setattr(place, name, value)
    place.location = place_input.location
    place.geocode_precision, place.geocode_label = place_input.precision, place_input.label
    place.city = ""
    place.absent_from_import = False
    place._change_reason = f"Import « {source} », ligne {place_input.line}"
    place_save(
        place=place,
        kinds=list(Kind.objects.filter(pk__in=place_input.kinds)),
        competences=list(Competence.objects.filter(pk__in=place_input.competences)),
    )
    # After the save and its signals: a later `updated_at` means a hand edit.
    Place.objects.filter(pk=place.pk).update(import_fingerprint=stamp, imported_at=place.updated_at)
    return "updated"


BATCH_SIZE = 2_000


def _mark_duplicates(checked: list[tuple[PlaceInput, list[Rejection]]], scratch) -> None:
    """Reject a row whose id an earlier row of the file holds (ids are remembered in the
    import's scratch table, not in memory)."""
    first = scratch.first_lines([(i.source_id, i.line) for i, _problems in checked if i.source_id])
    for place_input, problems in checked:
        line = first.get(place_input.source_id)
        if line is not None and line != place_input.line:
            problems.insert(
                0,
                Rejection(
                    place_input.line,
                    "id",
                    place_input.source_id,
                    f"identifiant en double dans le fichier (déjà ligne {line})",
                ),
            )


def _free_slugs(inputs: list[PlaceInput]) -> list[str]:
    """A free slug for each new place: the file's if it has one and it is free, else its
    name and commune's; one query for the batch (a numbered slug when taken: `unique_slug`)."""
    texts = [f"{i.fields['name']} {i.commune.name}" for i in inputs]
    bases = [slug_base(text) for text in texts]
    wanted = {i.slug for i in inputs if i.slug} | set(bases)
    taken = {slug for slug, _pk in bulk.existing("slug", list(wanted))}
    slugs = []
    for place_input, base, text in zip(inputs, bases, texts, strict=True):
        if place_input.slug and place_input.slug not in taken:
            slug = place_input.slug
        elif base not in taken:
            slug = base
        else:
            slug = unique_slug(Place, text, taken=taken)
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _create_batch(
    inputs: list[PlaceInput],
    *,
    source: str,
    status: str,
    organisations: _Organisations,
    report: ImportReport,
    now,
) -> int:
    """New places in bulk (directory/imports/bulk.py: the places, their history, links and
    map cells in a few statements; no per-place signal: see tiles/signals.py)."""
    if not inputs:
        return 0
    places = []
    for place_input, slug in zip(inputs, _free_slugs(inputs), strict=True):
        organisation = place_input.organisation or organisations.get(place_input.organisation_key)
        commune = place_input.commune
        places.append(
            bulk.NewPlace(
                values={
                    **place_input.fields,
                    "slug": slug,
                    "organisation_id": organisation.pk,
                    "status": status,
                    "geocode_precision": place_input.precision,
                    "geocode_label": place_input.label,
                    "commune_id": commune.pk,
                    "city": commune.name,
                    "source": source,
                    "source_id": place_input.source_id,
                    "import_fingerprint": fingerprint(place_input, organisation, status),
                },
                lon=place_input.lon,
                lat=place_input.lat,
                kinds=place_input.kinds,
                competences=place_input.competences,
                region_pk=commune.region_id,
                department_pk=commune.department_id,
            )
        )
        report.note(
            Change(
                place_input.line, place_input.source_id, str(place_input.fields["name"]), "created"
            )
        )
    bulk.create_places(
        places, now=now, reason=f"Import « {source} »", counted=status == Status.PUBLISHED
    )
    return len(inputs)


def import_places(
    rows: Iterable[SourceRow],
    *,
    source: str,
    organisation: Organisation | None = None,
    wet_run: bool = False,
    accept_partial: bool = False,
    overwrite_edits: bool = False,
    full: bool = False,
    status: str = Status.PUBLISHED,
    progress: Callable[[Iterator], Iterator] | None = None,
) -> ImportReport:
    """Import `rows` as places of `source` (see the module docstring for what is written).

    `full`: the file holds the whole source: its places missing from the file are flagged
    `absent_from_import` (never deleted). `overwrite_edits`: a row whose source changed
    replaces a hand edit made since the last import (by default the hand edit stays and
    the report lists the conflict). Rows go by batches of BATCH_SIZE: new places are
    written in bulk, known ones one by one through `place_save`; what must outlive a batch
    lives in the database (`bulk.Scratch`), so memory does not grow with the file.
    """
    if not source.strip():
        raise ValueError("Une source est nécessaire : elle identifie les lieux importés.")
    report = ImportReport()
    organisations = _Organisations(report)
    rows = progress(iter(rows)) if progress else iter(rows)
    now = timezone.now()
    communes: dict[int, Commune] = {}
    with transaction.atomic():
        bulk.without_statement_timeout()  # an admin import runs in a web request
        with bulk.Scratch() as scratch:
            while batch := list(islice(rows, BATCH_SIZE)):
                vocabularies = (vocabulary_ids(Kind), vocabulary_ids(Competence))
                checked = [
                    check_row(row, organisation=organisation, vocabularies=vocabularies)
                    for row in batch
                ]
                _mark_duplicates(checked, scratch)
                _locate(checked, communes)
                good = []
                for place_input, problems in checked:
                    if problems:
                        report.rejected.extend(problems)
                    else:
                        good.append(place_input)
                known_ids = bulk.existing("source_id", [i.source_id for i in good], source=source)
                known = {
                    place.source_id: place
                    for place in Place.objects.filter(pk__in=[pk for _id, pk in known_ids])
                }
                report.created += _create_batch(
                    [i for i in good if i.source_id not in known],
                    source=source,
                    status=status,
                    organisations=organisations,
                    report=report,
                    now=now,
                )
                for place_input in good:
                    if place_input.source_id not in known:
                        continue
                    outcome = _write(
                        place_input,
                        known[place_input.source_id],
                        source=source,
                        status=status,
                        organisations=organisations,
                        report=report,
                        overwrite_edits=overwrite_edits,
                    )
                    if outcome != "conflict":
                        setattr(report, outcome, getattr(report, outcome) + 1)
            in_file = RawSQL(scratch.seen_ids(), [])
            Place.objects.filter(
                source=source, absent_from_import=True, source_id__in=in_file
            ).update(absent_from_import=False)
            if full and not report.rejected:
                missing = Place.objects.filter(source=source, absent_from_import=False).exclude(
                    source_id__in=in_file
                )
                report.absent = missing.update(absent_from_import=True)
            if report.created and status == Status.PUBLISHED:
                scratch.count_new_places()
            if report.created or report.absent:
                bump_version()  # the cached tiles (updates bump it through the signals)
        report.written = wet_run and (accept_partial or not report.rejected)
        if not report.written:
            transaction.set_rollback(True)
    return report


REPORT_COLUMNS = ("ligne", "colonne", "valeur", "raison")


def rejection_rows(report: ImportReport) -> Iterator[tuple]:
    yield REPORT_COLUMNS
    for rejection in report.rejected:
        yield rejection.line, rejection.column, rejection.value, rejection.reason
