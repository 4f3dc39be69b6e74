"""Published places in the data·inclusion schema v1 (structures and services).

Modelling:

* one *structure* per published place: data·inclusion's structure is where people are
  received — address, coordinates, opening hours, contacts — which is our Place, not our
  Organisation (which has no address). An organisation with three places gives three
  structures, as DORA exports an organisation's branches ("antennes").
* one *service* per published place × competence: the competence is the offer
  ("Apprentissage du français"), typed and given thématiques by mapping.py, delivered at
  the place. A place without competence gives a structure and no service.

Ids follow data·inclusion's "<source>--<local id>": "reperes--<place pk>" and
"reperes--<place pk>--<competence slug>". Unknown values are null, never guessed (no SIRET,
no fees). Every record validates against `data_inclusion.schema.v1` (tests/exports).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from directory.languages import LANGUAGES
from directory.models import Competence, Place

from . import SOURCE, absolute, iterate, lon_lat
from .mapping import DATA_INCLUSION_PUBLICS, competence_mapping, kind_mapping

NAME_MAX = 150
_POSTAL_CODE = re.compile(r"^\d{5}$")


def structure_id(place: Place) -> str:
    return f"{SOURCE}--{place.pk}"


def service_id(place: Place, competence: Competence) -> str:
    return f"{SOURCE}--{place.pk}--{competence.slug}"


def _text(value: str, min_length: int = 1) -> str | None:
    value = value.strip()
    return value if len(value) >= min_length else None


def _name(name: str, fallback: str) -> str:
    name = name.strip()
    if len(name) < 3:
        name = f"{fallback} — {name}".strip(" —")
    return name if len(name) <= NAME_MAX else name[: NAME_MAX - 1].rstrip() + "…"


def _location(place: Place) -> dict:
    """The address and contact fields shared by a structure and its services."""
    lon, lat = lon_lat(place)
    organisation = place.organisation
    return {
        "commune": place.commune.name if place.commune else _text(place.city),
        "code_postal": place.postal_code if _POSTAL_CODE.match(place.postal_code) else None,
        "code_insee": place.commune.code if place.commune else None,
        "adresse": _text(place.street),
        "complement_adresse": None,
        "longitude": lon,
        "latitude": lat,
        "telephone": _text(place.phone or organisation.phone),
        "courriel": _text(place.email or organisation.email),
    }


def structure(place: Place, base_url: str) -> dict:
    organisation = place.organisation
    reseaux = sorted({r for k in place.kinds.all() for r in kind_mapping(k.slug).reseaux_porteurs})
    return {
        "source": SOURCE,
        "id": structure_id(place),
        "nom": _name(place.name, organisation.name),
        "date_maj": timezone.localdate(place.updated_at).isoformat(),
        "description": _text(place.description, 5) or _text(organisation.description, 5),
        "lien_source": absolute(base_url, place.get_absolute_url()),
        "siret": None,
        **_location(place),
        "site_web": _text(place.website or organisation.website),
        "horaires_accueil": _text(place.opening_hours),
        "accessibilite_lieu": None,
        "reseaux_porteurs": reseaux or None,
    }


def _languages_text(place: Place) -> str | None:
    names = [LANGUAGES.get(c, c) for c in place.language_codes]
    parts = []
    if names:
        parts.append("Langues parlées : " + ", ".join(names) + ".")
    if place.interpreting:
        parts.append("Interprétariat possible.")
    return " ".join(parts) or None


def _modes_mobilisation(place: Place, location: dict) -> list[str] | None:
    modes = [] if place.appointment_only else ["se-presenter"]
    if location["telephone"]:
        modes.append("telephoner")
    if location["courriel"]:
        modes.append("envoyer-un-courriel")
    return modes or None


def service(place: Place, competence: Competence, base_url: str) -> dict:
    organisation = place.organisation
    row = competence_mapping(competence.slug, competence.data_inclusion_code)
    location = _location(place)
    description = _text(place.description, 5) or (
        f"{competence.name} : accueil au lieu « {place.name} » ({organisation.name})."
    )
    return {
        "source": SOURCE,
        "structure_id": structure_id(place),
        "id": service_id(place, competence),
        "nom": _name(competence.name, place.name),
        "description": description,
        "lien_source": absolute(base_url, place.get_absolute_url()),
        "date_maj": timezone.localdate(place.updated_at).isoformat(),
        "type": row.type_service,
        "thematiques": list(row.thematiques) or None,
        "frais": None,
        "frais_precisions": None,
        "publics": list(DATA_INCLUSION_PUBLICS),
        "publics_precisions": _text(place.public),
        "conditions_acces": "Sur rendez-vous uniquement." if place.appointment_only else None,
        **location,
        "modes_accueil": ["en-presentiel"],
        "zone_eligibilite": None,
        "contact_nom_prenom": None,
        "lien_mobilisation": None,
        "modes_mobilisation": _modes_mobilisation(place, location),
        "mobilisable_par": None,
        "mobilisation_precisions": _languages_text(place),
        "volume_horaire_hebdomadaire": None,
        "nombre_semaines": None,
        "horaires_accueil": _text(place.opening_hours),
    }


def iter_structures(places: QuerySet[Place], base_url: str) -> Iterator[dict]:
    for place in iterate(places):
        yield structure(place, base_url)


def iter_services(places: QuerySet[Place], base_url: str) -> Iterator[dict]:
    for place in iterate(places):
        for competence in place.competences.all():
            yield service(place, competence, base_url)
