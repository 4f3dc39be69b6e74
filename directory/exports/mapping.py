"""The one table from our vocabularies (competences, kinds of place) to the standards'.

data·inclusion values are plain strings here, not the `data_inclusion.schema` enums: that
package is a development dependency (tests validate every value below against it, see
tests/exports/test_mapping.py), the site itself does not need it.

Why this table rather than `Competence.data_inclusion_code`: the seeded codes of three
competences name a data·inclusion *category* ("logement-hebergement", "trouver-un-emploi",
"difficultes-administratives-ou-juridiques"), which schema v1 no longer accepts as a
thématique. The table refines them to v1 thématiques of that category; a test keeps the two
consistent. A competence added in the admin and missing here falls back on its
`data_inclusion_code` when that names a v1 thématique ("catégorie--sous-thématique").

HSDS has no French vocabulary: our competences and kinds are published as two custom
taxonomies, and the data·inclusion thématiques used below as a third one, so that an HSDS
service carries both our term and its data·inclusion equivalents (see hsds.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DATA_INCLUSION_SCHEMA_VERSION = "1.0"
DATA_INCLUSION_SCHEMA_URL = "https://github.com/gip-inclusion/data-inclusion-schema"
# The directory is about people newly arrived in France: every service is aimed at them.
DATA_INCLUSION_PUBLICS = ("personnes-exilees",)

# Sub-thématiques used below (category prefix before "--").
_ADMIN = "difficultes-administratives-ou-juridiques--"


@dataclass(frozen=True)
class CompetenceMapping:
    thematiques: tuple[str, ...]  # data·inclusion v1 thématiques
    type_service: str  # data·inclusion v1 type de service
    note: str | Promise = ""  # in the active language (the exports page's table)


@dataclass(frozen=True)
class KindMapping:
    reseaux_porteurs: tuple[str, ...] = ()  # data·inclusion v1 réseaux porteurs
    note: str | Promise = ""


COMPETENCES: dict[str, CompetenceMapping] = {
    "accueil-orientation": CompetenceMapping(
        (
            _ADMIN + "accompagnement-aux-demarches-administratives",
            _ADMIN + "accompagnement-pour-lacces-aux-droits",
        ),
        "information",
        _("premier accueil : informer, orienter vers les démarches et les droits"),
    ),
    "sejour": CompetenceMapping(
        (_ADMIN + "accompagnement-aux-demarches-administratives",), "accompagnement"
    ),
    "asile": CompetenceMapping(
        (
            _ADMIN + "accompagnement-aux-demarches-administratives",
            _ADMIN + "accompagnement-pour-lacces-aux-droits",
        ),
        "accompagnement",
        _("code saisi : la catégorie, précisée ici"),
    ),
    "droits-sociaux": CompetenceMapping(
        (_ADMIN + "accompagnement-pour-lacces-aux-droits",), "accompagnement"
    ),
    "logement-hebergement": CompetenceMapping(
        (
            "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
            "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement",
        ),
        "accompagnement",
        _("code saisi : la catégorie, précisée ici"),
    ),
    "emploi-formation": CompetenceMapping(
        (
            "trouver-un-emploi--repondre-a-des-offres-demploi",
            "choisir-un-metier--connaitre-les-opportunites-demploi",
            "se-former--trouver-sa-formation",
        ),
        "accompagnement",
        _("code saisi : la catégorie « trouver-un-emploi », précisée et complétée ici"),
    ),
    "sante": CompetenceMapping(("sante--acces-aux-soins",), "accompagnement"),
    "apprentissage-francais": CompetenceMapping(
        ("lecture-ecriture-calcul--maitriser-le-francais",), "formation"
    ),
    "scolarite-parentalite": CompetenceMapping(
        ("famille--soutien-a-la-parentalite-et-a-leducation",), "accompagnement"
    ),
    "lutte-discriminations": CompetenceMapping(
        (_ADMIN + "connaitre-ses-droits-face-a-une-discrimination",), "accompagnement"
    ),
    "conseil-juridique": CompetenceMapping(
        (
            _ADMIN + "prendre-en-compte-une-problematique-judiciaire",
            _ADMIN + "accompagnement-pour-lacces-aux-droits",
        ),
        "information",
        _("information juridique gratuite (points d'accès au droit)"),
    ),
    "citoyennete-participation": CompetenceMapping(
        (
            _ADMIN + "accompagnement-pour-lacces-a-la-citoyennete",
            "remobilisation--benevolat-action-citoyenne",
        ),
        "accompagnement",
    ),
    "interpretariat-mediation": CompetenceMapping(
        (),
        "accompagnement",
        _("pas d'équivalent : l'interprétariat accompagne toutes les autres thématiques"),
    ),
}

KINDS: dict[str, KindMapping] = {
    "accueil-primo-arrivants": KindMapping(),
    "point-acces-droits-etrangers": KindMapping(),
    "maison-des-langues": KindMapping(),
    "point-acces-droit": KindMapping(("points-justice",), _("les PAD font partie du réseau")),
    "relais-anti-discrimination": KindMapping(),
    "accompagnement-social": KindMapping(),
    "hebergement-logement": KindMapping(),
    "acces-sante": KindMapping(),
    "centre-ressources": KindMapping(),
}


# Labels of the data·inclusion values used above (checked against the package by the tests),
# for the HSDS cross-reference terms: categories first, then thématiques.
DATA_INCLUSION_LABELS: dict[str, str] = {
    "choisir-un-metier": "Choisir un métier",
    "difficultes-administratives-ou-juridiques": "Difficultés administratives ou juridiques",
    "famille": "Famille",
    "lecture-ecriture-calcul": "Lecture, écriture et calcul",
    "logement-hebergement": "Logement et hébergement",
    "remobilisation": "Remobilisation",
    "sante": "Santé",
    "se-former": "Se former",
    "trouver-un-emploi": "Trouver un emploi",
    "choisir-un-metier--connaitre-les-opportunites-demploi": "Connaître les opportunités d’emploi",
    _ADMIN + "accompagnement-aux-demarches-administratives": (
        "Accompagnement aux démarches administratives"
    ),
    _ADMIN + "accompagnement-pour-lacces-a-la-citoyennete": (
        "Accompagnement pour l’accès à la citoyenneté"
    ),
    _ADMIN + "accompagnement-pour-lacces-aux-droits": "Accompagnement pour l’accès aux droits",
    _ADMIN + "connaitre-ses-droits-face-a-une-discrimination": (
        "Connaître ses droits face à une discrimination"
    ),
    _ADMIN + "prendre-en-compte-une-problematique-judiciaire": (
        "Prendre en compte une problématique judiciaire"
    ),
    "famille--soutien-a-la-parentalite-et-a-leducation": (
        "Soutien à la parentalité et à l’éducation"
    ),
    "lecture-ecriture-calcul--maitriser-le-francais": "Maîtriser le français",
    "logement-hebergement--rechercher-une-solution-dhebergement-temporaire": (
        "Rechercher une solution d’hébergement temporaire"
    ),
    "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement": (
        "S’informer sur les démarches liées à l’accès au logement"
    ),
    "remobilisation--benevolat-action-citoyenne": "Bénévolat et action citoyenne",
    "sante--acces-aux-soins": "Accès aux soins",
    "se-former--trouver-sa-formation": "Trouver sa formation",
    "trouver-un-emploi--repondre-a-des-offres-demploi": "Répondre à des offres d’emploi",
}


def competence_mapping(slug: str, data_inclusion_code: str = "") -> CompetenceMapping:
    """The table's row, or for a competence it does not know, its own code when usable."""
    if slug in COMPETENCES:
        return COMPETENCES[slug]
    if "--" in data_inclusion_code:
        return CompetenceMapping((data_inclusion_code,), "accompagnement")
    return CompetenceMapping((), "accompagnement")


def kind_mapping(slug: str) -> KindMapping:
    return KINDS.get(slug, KindMapping())


def data_inclusion_categories() -> list[str]:
    """Categories of the thématiques used (parents of the HSDS cross-reference terms)."""
    return sorted({t.split("--")[0] for m in COMPETENCES.values() for t in m.thematiques})


def data_inclusion_thematiques() -> list[str]:
    return sorted({t for m in COMPETENCES.values() for t in m.thematiques})


def markdown_tables(competences, kinds) -> str:
    """The table as Markdown, from the taxonomies' rows (docs/exports.md embeds it)."""
    lines = [
        "| Compétence (`slug`) | Thématiques data·inclusion | Type de service | Remarque |",
        "|---|---|---|---|",
    ]
    for competence in competences:
        row = competence_mapping(competence.slug, competence.data_inclusion_code)
        thematiques = "<br>".join(f"`{t}`" for t in row.thematiques) or "—"
        lines.append(
            f"| {competence.name} (`{competence.slug}`) | {thematiques} "
            f"| `{row.type_service}` | {row.note} |"
        )
    lines += [
        "",
        "| Type de lieu (`slug`) | Réseau porteur data·inclusion | Remarque |",
        "|---|---|---|",
    ]
    for kind in kinds:
        row = kind_mapping(kind.slug)
        reseaux = "<br>".join(f"`{r}`" for r in row.reseaux_porteurs) or "—"
        lines.append(f"| {kind.name} (`{kind.slug}`) | {reseaux} | {row.note} |")
    return "\n".join(lines) + "\n"


def competence_for_service(thematiques: list[str], name: str, known: dict[str, str]) -> str | None:
    """The competence a data·inclusion service stands for (imports read the table backwards).

    `known`: slug → name of the competences in the database. Several competences share
    thématiques, so the best match wins: the same set of thématiques, then the most in
    common, then the service named like the competence, then the fewest thématiques.
    """
    wanted = set(thematiques)
    best, best_rank = None, None
    for slug, competence_name in known.items():
        mine = set(competence_mapping(slug).thematiques)
        common = len(mine & wanted)
        if not common:
            continue
        rank = (mine == wanted, common, competence_name.lower() == name.lower(), -len(mine))
        if best_rank is None or rank > best_rank:
            best, best_rank = slug, rank
    return best
