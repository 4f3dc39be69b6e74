"""Published places in Open Referral HSDS 3.0 (organizations, services, locations, links).

Modelling (HSDS separates what is offered from where):

* organization = our Organisation having at least one published place;
* location = a published Place (physical), with its address, phone, e-mail contact,
  languages, wheelchair access, opening hours as weekly schedules, and kinds as attributes;
* service = an organisation's competence (organisation × competence), e.g. "Apprentissage
  du français" by one association, whatever the number of its places offering it;
* service_at_location = that service at one of the places offering it (place × competence).

Taxonomies: our competences and kinds, plus the data·inclusion thématiques our competences
map to (mapping.py) as a third taxonomy, so that a service carries its Repères term and its
data·inclusion equivalents as attributes. Every identifier is a uuid5 (see `stable_uuid`).

Records follow the compiled schemas the HSDS API returns for one object (organization,
service, service_at_location; location.json for locations), in bulk files rather than pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from functools import cache, lru_cache

import opening_hours
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from directory import hours
from directory.languages import LANGUAGES
from directory.models import Access, Competence, Kind, LegalKind, Organisation, Place

from . import absolute, export_organisations, iterate, lon_lat, stable_uuid
from .data_inclusion import structure_id
from .mapping import (
    DATA_INCLUSION_LABELS,
    DATA_INCLUSION_SCHEMA_URL,
    DATA_INCLUSION_SCHEMA_VERSION,
    competence_mapping,
    data_inclusion_categories,
    data_inclusion_thematiques,
)

COMPETENCES = "competences"
KINDS = "kinds"
DATA_INCLUSION = "data-inclusion-thematiques"
TAXONOMY_NAMES = {
    COMPETENCES: "Repères — compétences",
    KINDS: "Repères — types de lieu",
    DATA_INCLUSION: "data·inclusion — thématiques",
}
TAXONOMY_DESCRIPTIONS = {
    COMPETENCES: "Domaines de compétence des lieux d'accueil de l'annuaire Repères.",
    KINDS: "Types de lieux d'accueil de l'annuaire Repères.",
    DATA_INCLUSION: (
        "Thématiques du schéma data·inclusion (offre d'insertion) auxquelles correspondent "
        "les compétences Repères ; les catégories sont les termes parents."
    ),
}
SCHEDULE_NOTE = "Heure locale de Paris (Europe/Paris)."


# --- identifiers -------------------------------------------------------------------------


def organization_id(organisation: Organisation) -> str:
    return stable_uuid("organization", organisation.pk)


def location_id(place: Place) -> str:
    return stable_uuid("location", place.pk)


def service_id(organisation: Organisation, competence: Competence) -> str:
    return _service_id(organisation.pk, competence.slug)


@lru_cache(maxsize=4096)  # one per service, repeated by each of its places
def _service_id(organisation_pk: int, competence_slug: str) -> str:
    return stable_uuid("service", f"{organisation_pk}:{competence_slug}")


def service_at_location_id(place: Place, competence: Competence) -> str:
    return stable_uuid("service_at_location", f"{place.pk}:{competence.slug}")


def taxonomy_id(key: str) -> str:
    return stable_uuid("taxonomy", key)


def term_id(taxonomy: str, code: str) -> str:
    return stable_uuid("taxonomy_term", f"{taxonomy}:{code}")


def _compact(record: dict) -> dict:
    """Drop the optional fields we have no value for (HSDS checks the formats of those given)."""
    return {k: v for k, v in record.items() if v not in (None, "", [])}


@cache
def _french_labels(choices: type) -> dict[str, str]:
    with translation.override("fr"):
        return {value: str(label) for value, label in choices.choices}


def _datetime(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="milliseconds")


# --- taxonomies ----------------------------------------------------------------------------


def taxonomies(base_url: str) -> list[dict]:
    index = absolute(base_url, reverse("exports:index"))
    return [
        {
            "id": taxonomy_id(key),
            "name": TAXONOMY_NAMES[key],
            "description": TAXONOMY_DESCRIPTIONS[key],
            "uri": DATA_INCLUSION_SCHEMA_URL if key == DATA_INCLUSION else index,
            "version": DATA_INCLUSION_SCHEMA_VERSION if key == DATA_INCLUSION else "1",
        }
        for key in (COMPETENCES, KINDS, DATA_INCLUSION)
    ]


@lru_cache(maxsize=1024)  # every location and service embeds its terms: built once each
def _term(taxonomy: str, code: str, name: str, description: str, parent: str = "") -> dict:
    """A taxonomy term (shared between the records that embed it: not to be modified)."""
    return {
        **_compact(
            {
                "id": term_id(taxonomy, code),
                "code": code,
                "name": name,
                "parent_id": term_id(taxonomy, parent) if parent else None,
                "taxonomy": TAXONOMY_NAMES[taxonomy],
                "taxonomy_id": taxonomy_id(taxonomy),
                "language": "fr",
            }
        ),
        "description": description,
    }


def competence_term(competence: Competence) -> dict:
    description = competence.description or f"Compétence « {competence.name} » de Repères."
    return _term(COMPETENCES, competence.slug, competence.name, description)


def kind_term(kind: Kind) -> dict:
    description = kind.description or f"Type de lieu « {kind.name} » de Repères."
    return _term(KINDS, kind.slug, kind.name, description)


def data_inclusion_term(code: str) -> dict:
    category, _sep, _rest = code.partition("--")
    label = DATA_INCLUSION_LABELS.get(code, code)
    kind = "Thématique" if category != code else "Catégorie de thématiques"
    return _term(
        DATA_INCLUSION,
        code,
        label,
        f"{kind} data·inclusion « {label} » ({code}).",
        category if category != code else "",
    )


def taxonomy_terms(competences: QuerySet[Competence], kinds: QuerySet[Kind]) -> list[dict]:
    return [
        *(competence_term(c) for c in competences),
        *(kind_term(k) for k in kinds),
        *(data_inclusion_term(c) for c in data_inclusion_categories()),
        *(data_inclusion_term(t) for t in data_inclusion_thematiques()),
    ]


def _attribute(link_entity: str, link_id: str, link_type: str, term: dict) -> dict:
    return {
        "id": stable_uuid("attribute", f"{link_id}:{term['id']}"),
        "link_id": link_id,
        "link_entity": link_entity,
        "link_type": link_type,
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }


# --- opening hours ---------------------------------------------------------------------------

WEEKDAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]  # OpenStreetMap's, Monday first


def _today() -> date:
    """timezone.localdate(), converted once a minute rather than for every place."""
    return _local_date(timezone.now().replace(second=0, microsecond=0))


@lru_cache(maxsize=1)
def _local_date(minute: datetime) -> date:
    return timezone.localdate(minute)


@lru_cache(maxsize=4096)  # places share a few texts; the week starts the cache key
def _repeating_week(osm: str, start: date) -> tuple[tuple[tuple[str, str], ...], ...] | None:
    try:
        return hours.repeating_week(hours.parse(osm), start)
    except (opening_hours.ParserError, ValueError):
        return None


def weekly_hours(osm: str, start: date | None = None) -> list[tuple[list[int], str, str]] | None:
    """[(weekdays, "09:00", "12:00")] when the hours repeat one week all year round, else None.

    Evaluated by opening-hours-py as on the place's page (hours.parse, French public
    holidays included), so later rules replace earlier ones for their days ("Mo-Fr
    09:00-17:00; We 09:00-12:00" closes Wednesday afternoons). What no weekly schedule
    can say (public holidays, months, comments, spans past midnight) makes it None:
    the caller keeps the text as it is.
    """
    week = _repeating_week(osm, start or _today())
    if week is None:
        return None
    grouped: dict[tuple[str, str], list[int]] = {}
    for day, spans in enumerate(week):
        for opens, closes in spans:
            grouped.setdefault((opens, closes), []).append(day)
    return [(days, opens, closes) for (opens, closes), days in grouped.items()]


def schedules(place: Place) -> list[dict]:
    if not place.opening_hours:
        return []
    lid = location_id(place)
    notes = SCHEDULE_NOTE + (" Sur rendez-vous uniquement." if place.appointment_only else "")
    weekly = weekly_hours(place.opening_hours)
    if weekly is None:
        return [
            {
                "id": stable_uuid("schedule", f"{place.pk}:osm"),
                "location_id": lid,
                "description": place.opening_hours,
                "notes": "Horaires au format OpenStreetMap opening_hours. " + notes,
            }
        ]
    return [
        {
            "id": stable_uuid("schedule", f"{place.pk}:{opens}-{closes}"),
            "location_id": lid,
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": ",".join(WEEKDAYS[d].upper() for d in days),
            "opens_at": opens,
            "closes_at": closes,
            "attending_type": "in_person",
            "notes": notes,
        }
        for days, opens, closes in weekly
    ]


# --- records ---------------------------------------------------------------------------------


def location(place: Place) -> dict:
    lid = location_id(place)
    lon, lat = lon_lat(place)
    commune = place.commune
    address = {
        "id": stable_uuid("address", place.pk),
        "location_id": lid,
        "address_1": place.street,
        "city": commune.name if commune else place.city,
        "region": commune.region.name if commune else "",
        "state_province": commune.department.name if commune else "",
        "postal_code": place.postal_code,
        "country": "FR",
        "address_type": "physical",
    }
    languages = [
        {
            "id": stable_uuid("language", f"{place.pk}:{code}"),
            "location_id": lid,
            "name": LANGUAGES.get(code, code),
            "code": code,
        }
        for code in place.language_codes
    ]
    phones = [
        {
            "id": stable_uuid("phone", f"location:{place.pk}"),
            "location_id": lid,
            "number": place.phone,
            "type": "voice",
        }
    ]
    contacts = [
        {
            "id": stable_uuid("contact", f"location:{place.pk}"),
            "location_id": lid,
            "email": place.email,
        }
    ]
    accessibility = [
        {
            "id": stable_uuid("accessibility", place.pk),
            "location_id": lid,
            "description": "Fauteuil roulant : " + _french_labels(Access)[place.wheelchair],
        }
    ]
    return _compact(
        {
            "id": lid,
            "location_type": "physical",
            "organization_id": organization_id(place.organisation),
            "name": place.name,
            "description": place.description,
            "latitude": lat,
            "longitude": lon,
            "external_identifier": structure_id(place),
            "external_identifier_type": "data·inclusion",
            "languages": languages,
            "addresses": [address] if place.street or place.postal_code else [],
            "phones": phones if place.phone else [],
            "contacts": contacts if place.email else [],
            "accessibility": accessibility if place.wheelchair else [],
            "schedules": schedules(place),
            "attributes": [
                _attribute("location", lid, "kind", kind_term(kind)) for kind in place.kinds.all()
            ],
        }
    )


def organization_core(organisation: Organisation, base_url: str) -> dict:
    oid = organization_id(organisation)
    legal = _french_labels(LegalKind)[organisation.legal_kind]
    phone = {"id": stable_uuid("phone", f"organization:{organisation.pk}"), "organization_id": oid}
    return _compact(
        {
            "id": oid,
            "name": organisation.name,
            "description": organisation.description
            or f"{legal} référencée dans l'annuaire Repères.",
            "email": organisation.email,
            "website": organisation.website,
            "legal_status": legal,
            "uri": absolute(base_url, organisation.get_absolute_url()),
            "phones": [{**phone, "number": organisation.phone}] if organisation.phone else [],
        }
    )


def offers(organisation: Organisation) -> list[tuple[Competence, list[Place]]]:
    """The organisation's services: each competence with the places (prefetched) offering it."""
    by_pk: dict[int, tuple[Competence, list[Place]]] = {}
    for place in organisation.export_places:
        for competence in place.competences.all():
            by_pk.setdefault(competence.pk, (competence, []))[1].append(place)
    return sorted(by_pk.values(), key=lambda item: (item[0].position, item[0].name))


def service_core(
    organisation: Organisation, competence: Competence, places: list[Place], base_url: str
) -> dict:
    return service_record(
        organisation,
        competence,
        base_url,
        count=len(places),
        interpreting=any(p.interpreting for p in places),
        appointment_only=all(p.appointment_only for p in places),
        last_modified=max(p.updated_at for p in places),
    )


def service_record(
    organisation: Organisation,
    competence: Competence,
    base_url: str,
    *,
    count: int,
    interpreting: bool,
    appointment_only: bool,
    last_modified: datetime,
) -> dict:
    """A service from what its places say together (counted in SQL by the file writers)."""
    sid = service_id(organisation, competence)
    row = competence_mapping(competence.slug, competence.data_inclusion_code)
    return _compact(
        {
            "id": sid,
            "organization_id": organization_id(organisation),
            "name": competence.name,
            "description": (
                f"{organisation.name} : {competence.name.lower()}, "
                f"dans {count} lieu{'x' if count > 1 else ''} d'accueil."
            ),
            "url": absolute(base_url, organisation.get_absolute_url()),
            "email": organisation.email,
            "status": "active",
            "interpretation_services": "Interprétariat possible." if interpreting else "",
            "application_process": "Sur rendez-vous uniquement." if appointment_only else "",
            "last_modified": _datetime(last_modified),
            "attributes": [
                _attribute("service", sid, "competence", competence_term(competence)),
                *(
                    _attribute("service", sid, "data_inclusion_thematique", data_inclusion_term(t))
                    for t in row.thematiques
                ),
            ],
        }
    )


def service_at_location(place: Place, competence: Competence) -> dict:
    return _compact(
        {
            "id": service_at_location_id(place, competence),
            "service_id": service_id(place.organisation, competence),
            "location_id": location_id(place),
            "description": place.description,
        }
    )


def organization(organisation: Organisation, base_url: str) -> dict:
    """Fully nested: locations in full, services with their links to those locations."""
    return {
        **organization_core(organisation, base_url),
        "locations": [location(p) for p in organisation.export_places],
        "services": [
            {
                **service_core(organisation, competence, places, base_url),
                "service_at_locations": [service_at_location(p, competence) for p in places],
            }
            for competence, places in offers(organisation)
        ],
    }


def iter_organizations(places: QuerySet[Place], base_url: str) -> Iterator[dict]:
    for organisation in iterate(export_organisations(places)):
        yield organization(organisation, base_url)


def iter_services(places: QuerySet[Place], base_url: str) -> Iterator[dict]:
    for organisation in iterate(export_organisations(places)):
        core = organization_core(organisation, base_url)
        for competence, offering in offers(organisation):
            yield {
                **service_core(organisation, competence, offering, base_url),
                "organization": core,
                "service_at_locations": [
                    {**service_at_location(p, competence), "location": location(p)}
                    for p in offering
                ],
            }


def iter_locations(places: QuerySet[Place], base_url: str) -> Iterator[dict]:
    for place in iterate(places):
        yield location(place)


def iter_service_at_locations(places: QuerySet[Place], base_url: str) -> Iterator[dict]:
    for organisation in iterate(export_organisations(places)):
        for competence, offering in offers(organisation):
            service = service_core(organisation, competence, offering, base_url)
            for place in offering:
                yield {
                    **service_at_location(place, competence),
                    "location": location(place),
                    "service": service,
                }
