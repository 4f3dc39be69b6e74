"""data·inclusion and HSDS 3.0 files read as the import's rows (the vocabularies mapped back).

data·inclusion: a structures file (one structure = one place; its organisation is the
structure itself unless the import names one) and, optionally, the services file: each
service's thématiques give back a competence through the mapping table
(`exports.mapping.competence_for_service`). A service no competence maps to is reported
on its structure's row as an unknown competence, with its thématiques.

HSDS 3.0: organizations with their locations and services nested, as the HSDS API (and the
export `hsds/organizations.json`) gives them. A location is a place; the competences come
from the services' attributes (Repères' own taxonomy, or data·inclusion thématiques) for
the locations their `service_at_locations` name; weekly schedules become opening hours.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import BinaryIO

from django.utils import translation

from directory.exports import hsds
from directory.exports.hsds import COMPETENCES, DATA_INCLUSION, KINDS, TAXONOMY_NAMES
from directory.exports.mapping import competence_for_service
from directory.models import Access, Competence

from .readers import ImportFileError, SourceRow

_DAYS = [day.upper() for day in hsds.WEEKDAYS]  # RRULE's BYDAY codes, as the export writes


def _json_array(file: BinaryIO, what: str) -> list:
    try:
        data = json.loads(file.read().decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ImportFileError(f"Le fichier des {what} n'est pas en UTF-8.") from error
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"JSON invalide ({what}) ligne {error.lineno}, colonne {error.colno} : {error.msg} "
            "(fichier tronqué ?)."
        ) from error
    if isinstance(data, dict):  # an API page: {"items": [...]} or {"contents": [...]}
        data = data.get("items", data.get("contents", data))
    if not isinstance(data, list):
        raise ImportFileError(f"Le fichier des {what} doit être une liste JSON d'objets.")
    return data


def _known_competences() -> dict[str, str]:
    return dict(Competence.objects.values_list("slug", "name"))


def read_data_inclusion(
    structures: BinaryIO, services: BinaryIO | None = None
) -> Iterator[SourceRow]:
    known = _known_competences()
    offered: dict[str, list[str]] = defaultdict(list)
    if services is not None:
        for service in _json_array(services, "services"):
            if not isinstance(service, dict):
                continue
            thematiques = service.get("thematiques") or []
            slug = competence_for_service(thematiques, str(service.get("nom") or ""), known)
            offered[str(service.get("structure_id"))].append(
                slug or f"thématiques {'/'.join(thematiques) or 'absentes'}"
            )
    for number, structure in enumerate(_json_array(structures, "structures"), start=1):
        if not isinstance(structure, dict):
            yield SourceRow(number, {})
            continue
        name = structure.get("nom")
        yield SourceRow(
            number,
            {
                "id": structure.get("id"),
                "name": name,
                "organisation": name,
                "lon": structure.get("longitude"),
                "lat": structure.get("latitude"),
                "address": structure.get("adresse"),
                "postal_code": structure.get("code_postal"),
                "commune": structure.get("commune"),
                "phone": structure.get("telephone"),
                "email": structure.get("courriel"),
                "website": structure.get("site_web"),
                "opening_hours": structure.get("horaires_accueil"),
                "description": structure.get("description"),
                "competences": sorted(set(offered.get(str(structure.get("id")), []))),
            },
        )


def _opening_hours(schedules: list) -> str:
    """Weekly HSDS schedules as OpenStreetMap opening hours ("Mo,Tu 09:00-12:00,14:00-17:00")."""
    for schedule in schedules:
        if isinstance(schedule, dict) and schedule.get("description") and not schedule.get("byday"):
            return str(schedule["description"])  # kept as written (not a weekly schedule)
    spans: dict[str, list[str]] = defaultdict(list)
    for schedule in schedules:
        if not isinstance(schedule, dict) or schedule.get("freq", "WEEKLY") != "WEEKLY":
            continue
        opens, closes = schedule.get("opens_at"), schedule.get("closes_at")
        for day in str(schedule.get("byday") or "").split(","):
            if day.strip().upper() in _DAYS and opens and closes:
                spans[day.strip().upper()].append(f"{str(opens)[:5]}-{str(closes)[:5]}")
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for day in _DAYS:
        if spans.get(day):
            groups[tuple(sorted(spans[day]))].append(day[0] + day[1].lower())
    return "; ".join(f"{','.join(days)} {','.join(times)}" for times, days in groups.items())


def _first(items: object, key: str) -> str:
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict) and item.get(key):
                return str(item[key])
    return ""


def _wheelchair(accessibility: object) -> str:
    with translation.override("fr"):
        by_label = {str(label): value for value, label in Access.choices}
    text = _first(accessibility, "description")
    label = text.split(":", 1)[1].strip() if ":" in text else ""
    return by_label.get(label, "")


def _terms(attributes: object, taxonomy: str) -> list[str]:
    return [
        str(a["taxonomy_term"].get("code"))
        for a in attributes or []
        if isinstance(a, dict)
        and isinstance(a.get("taxonomy_term"), dict)
        and a["taxonomy_term"].get("taxonomy") == TAXONOMY_NAMES[taxonomy]
    ]


def read_hsds(file: BinaryIO) -> Iterator[SourceRow]:
    known = _known_competences()
    number = 0
    for organization in _json_array(file, "organisations HSDS"):
        if not isinstance(organization, dict):
            number += 1
            yield SourceRow(number, {})
            continue
        offered: dict[str, set[str]] = defaultdict(set)
        appointment: set[str] = set()
        for service in organization.get("services") or []:
            if not isinstance(service, dict):
                continue
            attributes = service.get("attributes")
            slugs = _terms(attributes, COMPETENCES)
            if not slugs:
                thematiques = _terms(attributes, DATA_INCLUSION)
                match = competence_for_service(thematiques, str(service.get("name") or ""), known)
                slugs = [match or f"thématiques {'/'.join(thematiques) or 'absentes'}"]
            by_appointment = "rendez-vous" in str(service.get("application_process") or "")
            for link in service.get("service_at_locations") or []:
                if isinstance(link, dict):
                    offered[str(link.get("location_id"))].update(slugs)
                    if by_appointment:  # the service is by appointment at each of its places
                        appointment.add(str(link.get("location_id")))
        for location in organization.get("locations") or []:
            number += 1
            if not isinstance(location, dict):
                yield SourceRow(number, {})
                continue
            addresses = location.get("addresses") or []
            schedules = location.get("schedules") or []
            notes = " ".join(str(s.get("notes") or "") for s in schedules if isinstance(s, dict))
            yield SourceRow(
                number,
                {
                    "id": location.get("id"),
                    "name": location.get("name"),
                    "organisation": organization.get("name"),
                    "lon": location.get("longitude"),
                    "lat": location.get("latitude"),
                    "address": _first(addresses, "address_1"),
                    "postal_code": _first(addresses, "postal_code"),
                    "commune": _first(addresses, "city"),
                    "phone": _first(location.get("phones"), "number"),
                    "email": _first(location.get("contacts"), "email"),
                    "website": organization.get("website"),
                    "description": location.get("description"),
                    "opening_hours": _opening_hours(schedules),
                    "appointment_only": "rendez-vous" in notes.lower()
                    or str(location.get("id")) in appointment,
                    "languages": [
                        str(item.get("code"))
                        for item in location.get("languages") or []
                        if isinstance(item, dict) and item.get("code")
                    ],
                    "wheelchair": _wheelchair(location.get("accessibility")),
                    "kinds": _terms(location.get("attributes"), KINDS),
                    "competences": sorted(offered.get(str(location.get("id")), set())),
                },
            )
