"""Demonstration content: the six practices the network documented in 2016 for the
European Commission's integration portal (European Web Site on Integration).

The practices and their carriers are public; the descriptions below are written
for this demo and stay general (no figures that the portal would not back). The
partners and places they link to are the directory's demo organisations
(directory/demo.py), named by slug; an organisation a sheet needs and the
directory demo lacks (a city council, the association behind a programme) is
created, referred by the sheet's author centre.

A sheet is skipped, and reported, when its author centre is missing or when the
communes or région it covers are not in the database (a test database holds a
few départements only). Loading upserts by slug, so a second run changes
nothing; `load(write=False)` reports what a run would do and writes nothing.
`manage.py load_demo` (core/demo.py) calls `load()` after the directory's demo,
in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from directory.models import LegalKind, Organisation, Place
from directory.services import organisation_create
from geodata.models import Commune, Region

from .models import TEXT_FIELDS, ActorRole, PracticeSheet, Scope, SheetStatus, SourceLink, Theme
from .services import sheet_save

# Member centres of directory/demo.py, by slug.
CENTRE_RHONE = "centre-ressources-integration-rhone"
CENTRE_MEDITERRANEE = "centre-ressources-egalite-mediterranee"
CENTRE_HAUTS_DE_FRANCE = "ressources-egalite-hauts-de-france"
CENTRE_OUEST = "ressources-integration-ouest"
CENTRE_CHAMPAGNE = "ressources-egalite-champagne"

EWSI = (
    "https://migrant-integration.ec.europa.eu/",
    "Site européen sur l'intégration (Commission européenne)",
)


@dataclass(frozen=True)
class DemoActor:
    """An organisation created when missing (looked up by slug first)."""

    slug: str
    name: str
    description: str
    legal_kind: str
    referent: str  # member centre that refers it in the directory


NEW_ORGANISATIONS = {
    a.slug: a
    for a in [
        DemoActor(
            "ville-de-nantes",
            "Ville de Nantes",
            "Commune de Nantes : sa politique d'accueil des nouveaux arrivants associe les "
            "résidents étrangers à travers une instance consultative.",
            LegalKind.LOCAL_AUTHORITY,
            CENTRE_OUEST,
        ),
        DemoActor(
            "ville-de-villeurbanne",
            "Ville de Villeurbanne",
            "Commune de Villeurbanne, engagée de longue date dans la prévention des "
            "discriminations.",
            LegalKind.LOCAL_AUTHORITY,
            CENTRE_RHONE,
        ),
        DemoActor(
            "singa-france",
            "SINGA France",
            "Association qui crée des liens entre personnes réfugiées et société d'accueil ; "
            "elle a lancé la plateforme « Comme À La Maison ».",
            LegalKind.ASSOCIATION,
            CENTRE_RHONE,
        ),
    ]
}


@dataclass(frozen=True)
class DemoSheet:
    slug: str
    title: str
    author: str
    themes: tuple[str, ...]
    scope: str
    texts: dict[str, str]
    communes: tuple[str, ...] = ()
    region: str = ""
    actors: tuple[tuple[str, str], ...] = ()  # (organisation slug, role)
    places: tuple[str, ...] = ()
    start_date: date | None = None
    end_date: date | None = None
    became_regular_service: bool = False
    sources: tuple[tuple[str, str], ...] = (EWSI,)


SHEETS = [
    DemoSheet(
        slug="nantes-accueil-nouveaux-arrivants-cnce",
        title="Nantes : une politique d'accueil des nouveaux arrivants construite avec les "
        "résidents étrangers",
        author=CENTRE_OUEST,
        themes=("accueil-primo-arrivants", "citoyennete-participation"),
        scope=Scope.COMMUNES,
        communes=("44109",),
        actors=(
            ("ville-de-nantes", ActorRole.CARRIER),
            ("escale-accueil-nantes", ActorRole.PARTNER),
            ("mots-partages", ActorRole.PARTNER),
        ),
        places=("escale-accueil-nantes", "mots-partages-nantes-nord"),
        became_regular_service=True,
        texts={
            "summary": (
                "La Ville de Nantes a bâti l'accueil des personnes qui s'installent sur "
                "son territoire **avec** celles et ceux qui l'ont vécu : les membres du "
                "*Conseil nantais pour la citoyenneté des étrangers* (CNCE), instance où "
                "siègent des résidents étrangers et des associations."
            ),
            "context": (
                "Les résidents étrangers non européens ne votent pas aux élections locales. "
                "Pour qu'ils aient malgré tout voix au chapitre, la Ville a créé une instance "
                "consultative qui rend des avis sur les politiques municipales. L'accueil des "
                "nouveaux arrivants est vite apparu comme un sujet où leur expérience "
                "comptait plus que toute autre."
            ),
            "goals": (
                "- partir des difficultés réellement rencontrées à l'arrivée ;\n"
                "- rendre l'information municipale lisible pour qui maîtrise mal le français ;\n"
                "- faire des résidents étrangers des acteurs, et non seulement des "
                "destinataires, de la politique d'accueil."
            ),
            "how_it_works": (
                "Un groupe de travail du CNCE a recensé les obstacles des premiers mois : "
                "démarches, repères dans la ville, apprentissage de la langue. Ses "
                "propositions ont été discutées avec les services municipaux et les "
                "associations d'accueil, puis traduites en actions : supports d'information "
                "simplifiés, temps d'accueil collectifs, orientation vers les lieux "
                "ressources du territoire."
            ),
            "results": (
                "La politique d'accueil est devenue une politique municipale à part entière, "
                "suivie dans la durée. Les membres du conseil ont gagné en reconnaissance "
                "auprès des élus et des services."
            ),
            "beneficiaries": (
                "Toute personne étrangère qui s'installe à Nantes ; indirectement, les "
                "agents municipaux et les associations qui les reçoivent."
            ),
            "transferability": (
                "Suppose une instance de participation qui existe déjà et qu'on écoute. "
                "Une ville sans conseil de résidents étrangers peut commencer par un "
                "groupe de travail ad hoc, réuni autour de cette seule question."
            ),
        },
    ),
    DemoSheet(
        slug="paca-annuaire-acces-droits-etrangers",
        title="Provence-Alpes-Côte d'Azur : un annuaire en ligne et géolocalisé des acteurs "
        "de l'accès aux droits des étrangers",
        author=CENTRE_MEDITERRANEE,
        themes=("acces-aux-droits",),
        scope=Scope.REGION,
        region="93",
        actors=(
            (CENTRE_MEDITERRANEE, ActorRole.CARRIER),
            ("droits-accueil-ouest-etang", ActorRole.PARTNER),
            ("juristes-solidaires-marseille", ActorRole.PARTNER),
        ),
        places=("pade-istres", "pade-miramas", "juristes-solidaires-belsunce"),
        texts={
            "summary": (
                "Un annuaire consultable en ligne recense, carte à l'appui, les lieux où "
                "une personne étrangère peut être informée et accompagnée dans ses droits "
                "en Provence-Alpes-Côte d'Azur : séjour, asile, droits sociaux, recours."
            ),
            "context": (
                "Les permanences juridiques et les points d'accès au droit sont nombreux "
                "dans la région mais dispersés, avec des horaires et des spécialités très "
                "différents. Les travailleurs sociaux comme les personnes elles-mêmes "
                "perdaient du temps à chercher le bon interlocuteur, parfois loin de chez eux."
            ),
            "goals": (
                "- donner à chacun l'adresse utile la plus proche ;\n"
                "- faire connaître les acteurs entre eux, pour mieux orienter ;\n"
                "- repérer les territoires où l'offre manque."
            ),
            "how_it_works": (
                "Le centre ressources collecte et vérifie les informations auprès de chaque "
                "structure (adresse, publics, domaines, horaires, langues). L'annuaire les "
                "présente sur une carte et sous forme de liste, avec une recherche par "
                "commune et par domaine. Les structures signalent leurs changements ; une "
                "mise à jour générale a lieu chaque année."
            ),
            "results": (
                "L'outil est utilisé par les professionnels de l'orientation (services "
                "sociaux, associations, collectivités). La carte a rendu visibles des zones "
                "rurales peu couvertes, que les partenaires ont discutées ensemble."
            ),
            "beneficiaries": (
                "Professionnels et bénévoles qui orientent ; personnes étrangères qui "
                "cherchent une aide près de chez elles."
            ),
            "transferability": (
                "La technique est simple ; ce qui coûte, c'est la mise à jour. Prévoir dès le "
                "départ qui vérifie les données, et à quel rythme."
            ),
        },
    ),
    DemoSheet(
        slug="nord-pas-de-calais-pratiques-langagieres",
        title="Nord-Pas-de-Calais : le programme régional « pratiques langagières »",
        author=CENTRE_HAUTS_DE_FRANCE,
        themes=("langue",),
        scope=Scope.REGION,
        region="32",
        actors=(
            (CENTRE_HAUTS_DE_FRANCE, ActorRole.CARRIER),
            ("inter-langues-nord", ActorRole.PARTNER),
        ),
        places=("inter-langues-nord-wazemmes",),
        texts={
            "summary": (
                "Un programme régional qui aide les structures d'apprentissage du français "
                "à mieux répondre aux besoins des adultes migrants : formation des "
                "intervenants, échanges de pratiques et outils partagés."
            ),
            "context": (
                "L'offre d'apprentissage du français reposait en grande partie sur des "
                "bénévoles et de petites associations, avec des approches très inégales "
                "et peu de lien avec les usages quotidiens de la langue (travail, école, "
                "santé, démarches)."
            ),
            "goals": (
                "- professionnaliser l'accompagnement linguistique ;\n"
                "- partir des situations de communication vécues par les apprenants ;\n"
                "- mettre en réseau les acteurs de la région."
            ),
            "how_it_works": (
                "Le centre ressources anime des formations pour formateurs salariés et "
                "bénévoles, des ateliers d'analyse de pratiques et des journées régionales. "
                "Il met à disposition des ressources pédagogiques et conseille les "
                "structures qui montent des ateliers sociolinguistiques."
            ),
            "results": (
                "Des intervenants mieux outillés, des ateliers davantage tournés vers "
                "l'autonomie des personnes dans la vie courante, et un réseau régional "
                "d'acteurs de la langue qui se connaissent."
            ),
            "beneficiaries": (
                "Formateurs et bénévoles des structures linguistiques ; par leur "
                "intermédiaire, les adultes qui apprennent le français."
            ),
            "transferability": (
                "Transposable dans toute région disposant d'un lieu ressource capable "
                "d'animer un réseau dans la durée."
            ),
        },
    ),
    DemoSheet(
        slug="calm-comme-a-la-maison",
        title="« Comme À La Maison » (CALM) : des particuliers accueillent des personnes "
        "réfugiées chez eux",
        author=CENTRE_RHONE,
        themes=("logement", "accueil-primo-arrivants"),
        scope=Scope.NATIONAL,
        actors=(("singa-france", ActorRole.CARRIER),),
        start_date=date(2015, 9, 1),
        texts={
            "summary": (
                "Une plateforme en ligne met en relation des personnes réfugiées qui "
                "cherchent un toit et des particuliers prêts à les héberger chez eux pour "
                "quelques mois, avec un accompagnement de la rencontre."
            ),
            "context": (
                "Une fois leur protection obtenue, beaucoup de personnes réfugiées restent "
                "sans logement, faute de revenus, de garants ou de réseau. À l'automne 2015, "
                "de nombreux habitants se sont dits prêts à ouvrir leur porte sans savoir "
                "comment s'y prendre."
            ),
            "goals": (
                "- offrir un hébergement digne le temps de trouver un logement ;\n"
                "- créer des liens durables entre personnes réfugiées et habitants ;\n"
                "- encadrer l'hospitalité pour qu'elle se passe bien des deux côtés."
            ),
            "how_it_works": (
                "Les hôtes et les personnes accueillies s'inscrivent sur la plateforme. "
                "L'association rencontre chacun, propose des mises en relation selon les "
                "attentes, la langue et les centres d'intérêt, et reste joignable pendant "
                "toute la cohabitation."
            ),
            "results": (
                "Des cohabitations dans de nombreuses villes de France ; au-delà de "
                "l'hébergement, un réseau de relations qui aide à trouver un emploi, une "
                "formation ou un logement."
            ),
            "beneficiaries": "Personnes bénéficiaires d'une protection internationale ; hôtes.",
            "transferability": (
                "Le modèle a essaimé dans d'autres pays. Il repose sur un accompagnement "
                "humain des binômes, à financer au même titre que l'outil."
            ),
        },
    ),
    DemoSheet(
        slug="villeurbanne-reseau-vigilance-discriminations",
        title="Villeurbanne : un réseau de vigilance des intermédiaires de l'emploi et du "
        "logement contre les discriminations",
        author=CENTRE_RHONE,
        themes=("lutte-discriminations", "emploi", "logement"),
        scope=Scope.COMMUNES,
        communes=("69266",),
        actors=(
            ("ville-de-villeurbanne", ActorRole.CARRIER),
            ("defenseur-des-droits", ActorRole.PARTNER),
            (CENTRE_RHONE, ActorRole.PARTNER),
        ),
        places=("defenseur-des-droits-vaulx-en-velin",),
        became_regular_service=True,
        texts={
            "summary": (
                "La Ville réunit les professionnels qui se tiennent entre un candidat et un "
                "employeur ou un bailleur — agences d'emploi, bailleurs sociaux, agences "
                "immobilières, structures d'insertion — pour repérer et refuser ensemble "
                "les demandes discriminatoires."
            ),
            "context": (
                "Les intermédiaires reçoivent parfois des consignes explicites ou voilées "
                "(« pas de candidats de telle origine »). Isolés, ils ne savent pas toujours "
                "comment réagir, ni vers qui orienter une personne discriminée."
            ),
            "goals": (
                "- aider les intermédiaires à reconnaître une demande discriminatoire et à "
                "la refuser ;\n"
                "- outiller leurs réponses (argumentaires, rappels de la loi) ;\n"
                "- orienter les victimes vers les recours existants."
            ),
            "how_it_works": (
                "Les membres du réseau suivent une formation commune au droit de la "
                "non-discrimination, puis se retrouvent régulièrement pour analyser des "
                "situations rencontrées. Un circuit d'orientation des victimes est établi "
                "avec les délégués du Défenseur des droits."
            ),
            "results": (
                "Une culture commune entre acteurs qui se côtoyaient peu, des refus "
                "argumentés plus fréquents, et des situations mieux orientées vers les recours."
            ),
            "evaluation": (
                "Les effets sur les discriminations elles-mêmes restent difficiles à "
                "mesurer ; le suivi porte sur la participation et les situations traitées."
            ),
            "beneficiaries": (
                "Professionnels de l'emploi et du logement ; habitants exposés aux "
                "discriminations liées à l'origine."
            ),
            "transferability": (
                "Demande un portage politique clair et un animateur identifié ; le format "
                "réseau s'adapte à d'autres domaines (santé, loisirs)."
            ),
        },
    ),
    DemoSheet(
        slug="garges-maison-des-langues",
        title="Garges-lès-Gonesse : une maison municipale des langues",
        author=CENTRE_CHAMPAGNE,
        themes=("langue", "education"),
        scope=Scope.COMMUNES,
        communes=("95268",),
        actors=(("ville-garges-maison-des-langues", ActorRole.CARRIER),),
        places=("maison-des-langues-garges",),
        became_regular_service=True,
        texts={
            "summary": (
                "La commune a ouvert un lieu unique pour l'apprentissage du français et la "
                "valorisation des langues parlées par ses habitants : on y évalue son "
                "niveau, on y est orienté vers le bon cours, on y apprend."
            ),
            "context": (
                "Ville jeune où l'on parle de nombreuses langues, Garges-lès-Gonesse comptait "
                "beaucoup de cours de français, tenus par des acteurs variés, sans vue "
                "d'ensemble : les habitants ne savaient pas où s'adresser et certains "
                "besoins restaient sans réponse."
            ),
            "goals": (
                "- un point d'entrée unique pour apprendre le français ;\n"
                "- une orientation fondée sur un positionnement linguistique ;\n"
                "- reconnaître les langues des familles comme une richesse, notamment à "
                "l'école."
            ),
            "how_it_works": (
                "Chaque personne est reçue pour un entretien et un test de positionnement, "
                "puis orientée vers un cours de la maison ou d'un partenaire. La maison "
                "propose aussi des ateliers pour les parents autour de l'école et des "
                "événements autour des langues du monde."
            ),
            "results": (
                "Des parcours d'apprentissage plus cohérents, des listes d'attente mieux "
                "connues, et un lieu identifié par les habitants comme par les partenaires."
            ),
            "beneficiaries": "Habitants de la commune dont le français n'est pas la langue.",
            "funding": "Commune, avec des cofinancements de l'État et d'autres partenaires.",
            "transferability": (
                "Accessible à une commune moyenne ; le positionnement commun suppose de "
                "s'accorder avec les autres structures sur les niveaux."
            ),
        },
    ),
]


class PracticesDemoReport(dict):
    """Counts by label (what load_demo prints), plus the sheets skipped and why."""

    def __init__(self) -> None:
        super().__init__(
            {
                "fiches créées": 0,
                "fiches mises à jour": 0,
                "fiches inchangées": 0,
                "fiches ignorées": 0,
                "organisations créées": 0,
            }
        )
        self.skipped: list[tuple[str, str]] = []  # (sheet slug, reason)

    def summary(self) -> str:
        return ", ".join(f"{n} {label}" for label, n in self.items())

    def warnings(self) -> list[str]:
        return []  # the skipped sheets are counted in the summary


def _missing_area(item: DemoSheet, communes: dict[str, Commune], regions: dict[str, Region]):
    absent = [code for code in item.communes if code not in communes]
    if absent:
        return "commune absente : " + ", ".join(absent)
    if item.region and item.region not in regions:
        return f"région absente : {item.region}"
    return ""


def _first_region(item: DemoSheet, communes: dict[str, Commune]) -> Region | None:
    return communes[item.communes[0]].region if item.communes else None


def _organisation(slug: str, report: PracticesDemoReport) -> Organisation | None:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is not None or slug not in NEW_ORGANISATIONS:
        return organisation
    wanted = NEW_ORGANISATIONS[slug]
    organisation = organisation_create(
        name=wanted.name,
        description=wanted.description,
        legal_kind=wanted.legal_kind,
        referent_centre=Organisation.objects.filter(
            slug=wanted.referent, is_member_centre=True
        ).first(),
    )
    report["organisations créées"] += 1
    return organisation


def _current(sheet: PracticeSheet) -> tuple:
    return (
        {t.slug for t in sheet.themes.all()},
        {c.code for c in sheet.communes.all()},
        {(a.organisation_id, a.role) for a in sheet.actors.all()},
        {p.pk for p in sheet.places.all()},
        [(s.url, s.label) for s in sheet.sources.order_by("pk")],
    )


def _upsert(
    item: DemoSheet,
    *,
    centre: Organisation,
    communes: dict[str, Commune],
    regions: dict[str, Region],
    themes: dict[str, Theme],
    report: PracticesDemoReport,
) -> None:
    actors = []
    for slug, role in item.actors:
        organisation = _organisation(slug, report)
        if organisation is not None:
            actors.append((organisation, role))
    places = list(Place.objects.filter(slug__in=item.places))
    values = {
        "title": item.title,
        "author_centre": centre,
        "scope": item.scope,
        # What sheet_save derives for a sheet of communes, given for a région's.
        "region": regions[item.region] if item.region else _first_region(item, communes),
        "department": None,
        "points": None,
        "start_date": item.start_date,
        "end_date": item.end_date,
        "became_regular_service": item.became_regular_service,
        "status": SheetStatus.PUBLISHED,
        **{key: item.texts.get(key, "") for key in TEXT_FIELDS},
    }
    wanted = (
        set(item.themes),
        set(item.communes),
        {(o.pk, role) for o, role in actors},
        {p.pk for p in places},
        list(item.sources),
    )
    sheet = PracticeSheet.objects.filter(slug=item.slug).first()
    if sheet is None:
        sheet, outcome = PracticeSheet(slug=item.slug), "fiches créées"
    elif (
        any(getattr(sheet, name) != value for name, value in values.items())
        or _current(sheet) != wanted
    ):
        outcome = "fiches mises à jour"
    else:
        report["fiches inchangées"] += 1
        return
    for name, value in values.items():
        setattr(sheet, name, value)
    sheet_save(
        sheet=sheet,
        themes=[themes[slug] for slug in item.themes],
        communes=[communes[code] for code in item.communes],
        actors=actors,
    )
    sheet.places.set(places)
    sheet.sources.all().delete()
    SourceLink.objects.bulk_create(
        [SourceLink(sheet=sheet, url=url, label=label) for url, label in item.sources]
    )
    report[outcome] += 1


def load(*, write: bool = True) -> PracticesDemoReport:
    """Upsert the demo sheets by slug; with write=False, report and roll everything back."""
    report = PracticesDemoReport()
    with transaction.atomic():
        themes = Theme.objects.in_bulk(field_name="slug")
        unknown = {slug for item in SHEETS for slug in item.themes} - set(themes)
        if unknown:
            raise ValueError(f"Unknown theme slugs in the demo sheets: {sorted(unknown)}")
        communes = Commune.objects.select_related("region").in_bulk(
            {code for item in SHEETS for code in item.communes}, field_name="code"
        )
        regions = Region.objects.in_bulk(
            {item.region for item in SHEETS if item.region}, field_name="code"
        )
        centres = Organisation.objects.filter(is_member_centre=True).in_bulk(
            {item.author for item in SHEETS}, field_name="slug"
        )
        for item in SHEETS:
            reason = _missing_area(item, communes, regions)
            if not reason and item.author not in centres:
                reason = f"centre ressources absent : {item.author}"
            if reason:
                report.skipped.append((item.slug, reason))
                report["fiches ignorées"] += 1
                continue
            _upsert(
                item,
                centre=centres[item.author],
                communes=communes,
                regions=regions,
                themes=themes,
                report=report,
            )
        if not write:
            transaction.set_rollback(True)
    return report
