"""Demonstration content: the network's member centres and actors they referred.

Everything here is invented for the demo (names of associations, addresses,
phone numbers in the 0X 00 00 00 xx range, example.org mail and web addresses),
except the public institutions' generic names. Points are given as lon/lat
inside their commune, so loading never calls a geocoder; the commune follows
from the point. Places whose commune is not in the database (a test database
holds a few départements only) are skipped and reported.

`manage.py load_demo` (core/demo.py) calls `load()`, then the demo of each app
that depends on this one, in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.contrib.gis.geos import Point
from django.db import transaction

from geodata.models import WGS84, Commune, Precision

from .models import Competence, Kind, LegalKind, Organisation, Place, Status
from .services import place_save


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    description: str
    legal_kind: str = LegalKind.ASSOCIATION
    is_member_centre: bool = False
    referent: str = ""  # slug of the member centre that referred this actor
    phone: str = ""
    email: str = ""
    website: str = ""


@dataclass(frozen=True)
class DemoPlace:
    slug: str
    organisation: str
    name: str
    commune: str  # INSEE code; the loader checks it exists, locate_place sets it from the point
    lon: float
    lat: float
    street: str
    postal_code: str
    kinds: tuple[str, ...]
    competences: tuple[str, ...]
    description: str
    opening_hours: str
    languages: str
    last_verified: date
    public: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    appointment_only: bool = False
    interpreting: bool = False
    wheelchair: str = "yes"


def _centre(slug: str, name: str, region: str, phone: str) -> DemoOrganisation:
    return DemoOrganisation(
        slug=slug,
        name=name,
        description=(
            f"Centre ressources du réseau pour {region} : qualification des professionnels, "
            "observation des parcours d'intégration, capitalisation des pratiques et "
            "mise en relation des acteurs de l'accueil des personnes nouvellement arrivées."
        ),
        is_member_centre=True,
        phone=phone,
        email=f"contact@{slug}.example.org",
        website=f"https://{slug}.example.org",
    )


MEMBER_CENTRES = [
    _centre("carrefour-integration-grand-est", "Carrefour Intégration Grand Est",
            "l'Alsace et le Grand Est", "03 00 00 00 11"),
    _centre("ressources-egalite-hauts-de-france", "Ressources Égalité Hauts-de-France",
            "les Hauts-de-France", "03 00 00 00 21"),
    _centre("pole-ressources-integration-occitanie", "Pôle ressources Intégration Occitanie",
            "l'Occitanie", "05 00 00 00 31"),
    _centre("centre-ressources-egalite-mediterranee", "Centre ressources Égalité Méditerranée",
            "la région Provence-Alpes-Côte d'Azur", "04 00 00 00 41"),
    _centre("centre-ressources-integration-rhone", "Centre ressources Intégration Rhône",
            "le Rhône et l'Auvergne-Rhône-Alpes", "04 00 00 00 51"),
    _centre("ressources-integration-ouest", "Ressources Intégration Ouest",
            "les Pays de la Loire", "02 00 00 00 61"),
    _centre("ressources-egalite-champagne", "Ressources Égalité Champagne",
            "la Champagne-Ardenne", "03 00 00 00 71"),
]  # fmt: skip

GRAND_EST, HAUTS_DE_FRANCE, OCCITANIE, MEDITERRANEE, RHONE, OUEST, CHAMPAGNE = (
    c.slug for c in MEMBER_CENTRES
)

ACTORS = [
    # Carriers of practice sheets (practices/demo.py links to them by slug).
    DemoOrganisation("ville-de-nantes", "Ville de Nantes",
                     "Commune de Nantes : sa politique d'accueil des nouveaux arrivants associe "
                     "les résidents étrangers à travers une instance consultative.",
                     LegalKind.LOCAL_AUTHORITY, referent=OUEST),
    DemoOrganisation("ville-de-villeurbanne", "Ville de Villeurbanne",
                     "Commune de Villeurbanne, engagée de longue date dans la prévention des "
                     "discriminations.",
                     LegalKind.LOCAL_AUTHORITY, referent=RHONE),
    DemoOrganisation("singa-france", "SINGA France",
                     "Association qui crée des liens entre personnes réfugiées et société "
                     "d'accueil ; elle a lancé la plateforme « Comme À La Maison ».",
                     referent=RHONE),
    DemoOrganisation("ville-garges-maison-des-langues", "Ville de Garges-lès-Gonesse",
                     "Service municipal qui porte la maison des langues de la ville.",
                     LegalKind.LOCAL_AUTHORITY, referent=CHAMPAGNE, phone="01 00 00 00 12"),
    DemoOrganisation("droits-accueil-ouest-etang", "Droits et Accueil Ouest-Étang",
                     "Association de juristes et de bénévoles qui tient des permanences d'accès "
                     "aux droits des personnes étrangères autour de l'étang de Berre.",
                     referent=MEDITERRANEE, phone="04 00 00 00 13"),
    DemoOrganisation("defenseur-des-droits", "Défenseur des droits",
                     "Autorité indépendante ; ses délégués reçoivent les réclamations, "
                     "notamment en matière de discriminations.",
                     LegalKind.STATE_SERVICE, referent=RHONE),
    DemoOrganisation("horizons-asile-rhone", "Horizons Asile Rhône",
                     "Association gestionnaire de centres d'accueil pour demandeurs d'asile.",
                     referent=RHONE, phone="04 00 00 00 14"),
    DemoOrganisation("cdad-rhone", "Conseil départemental de l'accès au droit du Rhône",
                     "Groupement qui coordonne les points d'accès au droit du département.",
                     LegalKind.PUBLIC_BODY, referent=RHONE),
    DemoOrganisation("centre-social-du-pont", "Centre social du Pont",
                     "Centre social de quartier : ateliers sociolinguistiques, "
                     "accompagnement à la scolarité, actions avec les familles.",
                     referent=RHONE, phone="04 00 00 00 15"),
    DemoOrganisation("passerelles-accueil", "Passerelles Accueil",
                     "Association qui porte la plateforme d'accueil des primo-arrivants.",
                     referent=RHONE, phone="04 00 00 00 16"),
    DemoOrganisation("interpretes-solidaires", "Interprètes solidaires",
                     "Association d'interprétariat médical et social en plus de trente langues.",
                     referent=RHONE, phone="04 00 00 00 17"),
    DemoOrganisation("toit-partage", "Toit partagé",
                     "Association d'accompagnement vers et dans le logement.",
                     referent=RHONE, phone="04 00 00 00 18"),
    DemoOrganisation("hopitaux-publics-marseille", "Hôpitaux publics de Marseille",
                     "Établissement public de santé.", LegalKind.PUBLIC_BODY,
                     referent=MEDITERRANEE),
    DemoOrganisation("juristes-solidaires-marseille", "Juristes solidaires Marseille",
                     "Association d'avocats et de juristes bénévoles en droit des étrangers.",
                     referent=MEDITERRANEE, phone="04 00 00 00 43"),
    DemoOrganisation("escale-accueil-nantes", "Escale Accueil",
                     "Association qui accueille et oriente les personnes nouvellement arrivées "
                     "en Loire-Atlantique.", referent=OUEST, phone="02 00 00 00 19"),
    DemoOrganisation("mots-partages", "Mots partagés",
                     "Association d'apprentissage du français langue d'intégration.",
                     referent=OUEST, phone="02 00 00 00 20"),
    DemoOrganisation("inter-langues-nord", "Inter-Langues Nord",
                     "Association d'interprétariat et de médiation sociale.",
                     referent=HAUTS_DE_FRANCE, phone="03 00 00 00 22"),
    DemoOrganisation("habitat-solidaire-strasbourg", "Habitat solidaire Strasbourg",
                     "Association d'insertion par le logement.",
                     referent=GRAND_EST, phone="03 00 00 00 23"),
    DemoOrganisation("maison-du-droit-garonne", "Maison du droit Garonne",
                     "Association d'accès au droit et d'aide aux victimes.",
                     referent=OCCITANIE, phone="05 00 00 00 32"),
]  # fmt: skip

HOURS_OFFICE = "Mo-Fr 09:00-12:30,13:30-17:00"
HOURS_HALF_DAYS = "Mo,Tu,Th 09:00-12:30; We 14:00-17:30; PH off"


def _centre_place(
    centre: DemoOrganisation,
    commune: str,
    lon: float,
    lat: float,
    street: str,
    postal_code: str,
    verified: date,
) -> DemoPlace:
    return DemoPlace(
        slug=f"{centre.slug}-centre-ressources",
        organisation=centre.slug,
        name=f"{centre.name} — centre ressources",
        commune=commune,
        lon=lon,
        lat=lat,
        street=street,
        postal_code=postal_code,
        kinds=("centre-ressources",),
        competences=("accueil-orientation", "lutte-discriminations", "citoyennete-participation"),
        description=(
            "Centre de documentation ouvert aux professionnels et aux bénévoles ; "
            "formations, journées d'échange et appui aux projets locaux."
        ),
        opening_hours="Mo-Fr 09:30-12:30,14:00-17:30; PH off",
        languages="fr,en",
        last_verified=verified,
        public="Professionnels, élus et bénévoles de l'accueil et de l'intégration",
        phone=centre.phone,
        email=centre.email,
        website=centre.website,
        appointment_only=True,
    )


# centre: commune, lon, lat, street, postal code, last verified
_CENTRE_PLACES = {
    GRAND_EST: ("67482", 7.7405, 48.5832, "12 rue du Faubourg-National", "67000",
                date(2026, 9, 14)),
    HAUTS_DE_FRANCE: ("59350", 3.0668, 50.6318, "23 rue Gosselet", "59000", date(2026, 10, 2)),
    OCCITANIE: ("31555", 1.4491, 43.6068, "8 allées Jean-Jaurès", "31000", date(2026, 8, 27)),
    MEDITERRANEE: ("13055", 5.3678, 43.3012, "41 rue de la République", "13002",
                   date(2026, 10, 20)),
    RHONE: ("69266", 4.8793, 45.7702, "18 cours Émile-Zola", "69100", date(2026, 11, 5)),
    OUEST: ("44109", -1.5521, 47.2163, "5 rue de Strasbourg", "44000", date(2026, 9, 30)),
    CHAMPAGNE: ("51108", 4.3652, 48.9563, "15 rue Léon-Bourgeois", "51000", date(2026, 7, 8)),
}  # fmt: skip

CENTRE_PLACES = [_centre_place(centre, *_CENTRE_PLACES[centre.slug]) for centre in MEMBER_CENTRES]

# Field order: slug, organisation, name, commune, lon, lat, street, postal code, kinds,
# competences, description, opening hours, languages, last verified; then keywords.
ACTOR_PLACES = [
    DemoPlace(
        "maison-des-langues-garges", "ville-garges-maison-des-langues",
        "Maison des langues de Garges-lès-Gonesse", "95268", 2.4012, 48.9718,
        "8 avenue du Général-de-Gaulle", "95140",
        ("maison-des-langues",), ("apprentissage-francais", "scolarite-parentalite"),
        "Positionnement linguistique, cours de français à tous les niveaux, ateliers "
        "parents-école et valorisation des langues parlées dans les familles.",
        "Mo-Fr 09:00-12:00,13:30-18:00; Sa 09:00-12:00", "fr,ar,ta,tr,si,bn,ur",
        date(2026, 10, 12), public="Habitants de la ville dont le français n'est pas la langue",
        phone="01 00 00 00 12", interpreting=True,
    ),
    DemoPlace(
        "pade-istres", "droits-accueil-ouest-etang",
        "Point d'accès aux droits des étrangers — Istres", "13047", 4.9858, 43.5142,
        "3 boulevard de la République", "13800",
        ("point-acces-droits-etrangers",), ("sejour", "droits-sociaux", "asile"),
        "Information et accompagnement pour les demandes et renouvellements de titre de "
        "séjour, l'asile, l'accès aux droits sociaux ; orientation vers un avocat si besoin.",
        "Tu 09:00-12:00; Th 14:00-17:00", "fr,ar,en,es", date(2026, 9, 22),
        public="Personnes étrangères et professionnels qui les accompagnent",
        phone="04 00 00 00 13", appointment_only=True,
    ),
    DemoPlace(
        "pade-miramas", "droits-accueil-ouest-etang",
        "Point d'accès aux droits des étrangers — Miramas", "13063", 5.0018, 43.5826,
        "Maison des services publics, 10 avenue Charles-de-Gaulle", "13140",
        ("point-acces-droits-etrangers",), ("sejour", "droits-sociaux", "asile"),
        "Permanence juridique sans rendez-vous : titres de séjour, regroupement familial, "
        "asile, ouverture de droits à la CAF et à l'Assurance maladie.",
        "Mo 14:00-17:00; We 09:00-12:00", "fr,ar,tr", date(2026, 9, 22),
        public="Personnes étrangères", phone="04 00 00 00 24",
    ),
    DemoPlace(
        "defenseur-des-droits-vaulx-en-velin", "defenseur-des-droits",
        "Délégué du Défenseur des droits — Vaulx-en-Velin", "69256", 4.9255, 45.7786,
        "Maison de justice et du droit, 4 rue Maurice-Audin", "69120",
        ("relais-anti-discrimination",), ("lutte-discriminations", "conseil-juridique"),
        "Permanence d'un délégué : réclamations pour discrimination (logement, emploi, "
        "services publics), aide à la constitution du dossier, médiation.",
        "We 09:00-12:00,14:00-17:00", "fr,en", date(2026, 11, 2),
        phone="04 00 00 00 25", appointment_only=True,
    ),
    DemoPlace(
        "cada-horizons-venissieux", "horizons-asile-rhone",
        "CADA Horizons — Vénissieux", "69259", 4.8862, 45.6979,
        "27 avenue Jean-Cagne", "69200",
        ("hebergement-logement", "accompagnement-social"), ("asile", "logement-hebergement"),
        "Centre d'accueil pour demandeurs d'asile orientés par l'OFII : hébergement, "
        "accompagnement juridique de la procédure, scolarisation des enfants, santé.",
        HOURS_OFFICE, "fr,en,ar,ps,fa,ti", date(2026, 10, 28),
        public="Demandeurs d'asile orientés par l'OFII", phone="04 00 00 00 26",
        appointment_only=True, interpreting=True,
    ),
    DemoPlace(
        "pad-lyon-8e", "cdad-rhone", "Point d'accès au droit — Lyon 8e", "69123", 4.8702, 45.7352,
        "Mairie du 8e, 12 avenue Jean-Mermoz", "69008",
        ("point-acces-droit",), ("conseil-juridique", "sejour", "droits-sociaux"),
        "Consultations gratuites d'avocats et de juristes, permanences spécialisées en droit "
        "des étrangers deux fois par mois.",
        HOURS_HALF_DAYS, "fr,en,ar", date(2026, 8, 18), phone="04 00 00 00 27",
    ),
    DemoPlace(
        "centre-social-du-pont-guillotiere", "centre-social-du-pont",
        "Centre social du Pont — Guillotière", "69123", 4.8447, 45.7531,
        "45 rue Paul-Bert", "69003",
        ("accompagnement-social", "maison-des-langues"),
        ("apprentissage-francais", "scolarite-parentalite", "citoyennete-participation"),
        "Ateliers sociolinguistiques le matin, permanences d'écrivain public, "
        "accompagnement des parents dans la relation avec l'école.",
        "Mo-Fr 09:00-12:00,14:00-18:30", "fr,ar,sq,ro", date(2026, 10, 6),
        public="Habitants du quartier", phone="04 00 00 00 15", wheelchair="partial",
    ),
    DemoPlace(
        "plateforme-primo-arrivants-rhone", "passerelles-accueil",
        "Plateforme d'accueil des primo-arrivants du Rhône", "69123", 4.8571, 45.7604,
        "60 rue Servient", "69003",
        ("accueil-primo-arrivants",), ("accueil-orientation", "sejour", "emploi-formation"),
        "Premier accueil des signataires du contrat d'intégration républicaine : "
        "diagnostic, orientation vers les cours de français, l'emploi et les droits.",
        HOURS_OFFICE, "fr,en,ar,es,ru,uk,fa", date(2026, 11, 9),
        public="Personnes arrivées en France depuis moins de cinq ans",
        phone="04 00 00 00 16", interpreting=True,
    ),
    DemoPlace(
        "interpretes-solidaires-lyon", "interpretes-solidaires",
        "Interprètes solidaires — Lyon", "69123", 4.8353, 45.7676,
        "7 rue Terme", "69001",
        ("accompagnement-social",), ("interpretariat-mediation", "sante"),
        "Interprétariat sur place ou par téléphone pour les services sociaux, les soins et "
        "les écoles ; formation des professionnels au travail avec interprète.",
        "Mo-Fr 08:30-18:00", "fr,ar,ru,ka,hy,ps,fa,ti,so,ln", date(2026, 9, 3),
        public="Professionnels du social, de la santé et de l'éducation",
        phone="04 00 00 00 17", appointment_only=True, interpreting=True,
    ),
    DemoPlace(
        "toit-partage-bron", "toit-partage", "Toit partagé — Bron", "69029", 4.9121, 45.7368,
        "2 avenue Franklin-Roosevelt", "69500",
        ("hebergement-logement",), ("logement-hebergement", "droits-sociaux"),
        "Accompagnement à la recherche de logement, ouverture des droits, médiation avec "
        "les bailleurs et intermédiation locative.",
        HOURS_HALF_DAYS, "fr,en,pt", date(2026, 7, 21), phone="04 00 00 00 18",
    ),
    DemoPlace(
        "pass-hopital-conception-marseille", "hopitaux-publics-marseille",
        "Permanence d'accès aux soins de santé (PASS) — Marseille 5e", "13055", 5.3941, 43.2898,
        "147 boulevard Baille", "13005",
        ("acces-sante",), ("sante", "droits-sociaux"),
        "Consultations médicales et sociales pour les personnes sans couverture maladie, "
        "délivrance de médicaments, ouverture des droits à l'Assurance maladie.",
        "Mo-Fr 08:30-16:30", "fr,en,ar,es", date(2026, 10, 15),
        public="Personnes sans couverture maladie ou avec des droits incomplets",
        phone="04 00 00 00 42", interpreting=True,
    ),
    DemoPlace(
        "juristes-solidaires-belsunce", "juristes-solidaires-marseille",
        "Juristes solidaires — permanence de Belsunce", "13055", 5.3772, 43.2991,
        "16 rue du Baignoir", "13001",
        ("point-acces-droits-etrangers",), ("sejour", "asile", "conseil-juridique"),
        "Permanence juridique hebdomadaire tenue avec des avocats bénévoles.",
        "Fr 14:00-18:00", "fr,ar,en", date(2026, 9, 29), phone="04 00 00 00 43",
    ),
    DemoPlace(
        "escale-accueil-nantes", "escale-accueil-nantes",
        "Plateforme d'accueil des primo-arrivants — Nantes", "44109", -1.5596, 47.2118,
        "11 quai de la Fosse", "44000",
        ("accueil-primo-arrivants",), ("accueil-orientation", "sejour", "droits-sociaux"),
        "Accueil, information sur les démarches, domiciliation et orientation vers les "
        "partenaires du territoire.",
        HOURS_OFFICE, "fr,en,ar,ps,so", date(2026, 10, 19), phone="02 00 00 00 19",
        interpreting=True,
    ),
    DemoPlace(
        "mots-partages-nantes-nord", "mots-partages",
        "Mots partagés — Nantes Nord", "44109", -1.5622, 47.2500,
        "3 boulevard de Cardiff", "44300",
        ("maison-des-langues",), ("apprentissage-francais", "emploi-formation"),
        "Cours de français à visée professionnelle, conversation, préparation au DELF.",
        "Mo-Th 09:00-12:00,14:00-16:30", "fr", date(2026, 8, 31), phone="02 00 00 00 20",
    ),
    DemoPlace(
        "inter-langues-nord-wazemmes", "inter-langues-nord",
        "Inter-Langues Nord — Wazemmes", "59350", 3.0512, 50.6282,
        "30 rue des Sarrazins", "59000",
        ("accompagnement-social",), ("interpretariat-mediation", "scolarite-parentalite"),
        "Médiation sociale et interprétariat pour les familles, les écoles et les centres "
        "de santé de la métropole lilloise.",
        HOURS_OFFICE, "fr,ar,ro,bg,ru,ps,fa", date(2026, 9, 8), phone="03 00 00 00 22",
        interpreting=True,
    ),
    DemoPlace(
        "habitat-solidaire-cronenbourg", "habitat-solidaire-strasbourg",
        "Habitat solidaire — Cronenbourg", "67482", 7.7232, 48.5948,
        "6 rue de Hochfelden", "67200",
        ("hebergement-logement", "accompagnement-social"), ("logement-hebergement",),
        "Accompagnement des réfugiés statutaires vers un premier logement et dans leur "
        "installation.", "Mo-Fr 09:00-12:00", "fr,de,en,tr,ku", date(2026, 10, 1),
        phone="03 00 00 00 23", appointment_only=True,
    ),
    DemoPlace(
        "maison-du-droit-garonne-bagatelle", "maison-du-droit-garonne",
        "Maison du droit Garonne — Bagatelle", "31555", 1.4087, 43.5853,
        "14 rue du Lot", "31100",
        ("point-acces-droit", "relais-anti-discrimination"),
        ("conseil-juridique", "lutte-discriminations", "sejour"),
        "Accès au droit, accompagnement des victimes de discriminations, permanences "
        "d'un juriste spécialisé en droit des étrangers.",
        HOURS_HALF_DAYS, "fr,ar,es,pt", date(2026, 9, 17), phone="05 00 00 00 32",
    ),
]  # fmt: skip

DEMO_ORGANISATIONS = MEMBER_CENTRES + ACTORS
DEMO_PLACES = CENTRE_PLACES + ACTOR_PLACES


@dataclass
class DemoReport:
    written: bool = False
    organisations: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0}
    )
    places: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0}
    )
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (place slug, commune code)
    misplaced: list[tuple[str, str, str]] = field(default_factory=list)  # slug, wanted, found

    def summary(self) -> str:
        return f"organisations {_counts(self.organisations)} ; lieux {_counts(self.places)}"

    def warnings(self) -> list[str]:
        lines = []
        if self.skipped:
            lines.append(
                f"{len(self.skipped)} lieu(x) ignoré(s), commune absente de la base : "
                + ", ".join(f"{slug} ({code})" for slug, code in self.skipped)
            )
        if self.misplaced:
            lines.append(
                "Point hors de la commune annoncée : "
                + ", ".join(
                    f"{slug} ({wanted} attendue, {found or 'aucune'} trouvée)"
                    for slug, wanted, found in self.misplaced
                )
            )
        return lines


def _counts(counts: dict[str, int]) -> str:
    return (
        f"{counts['created']} créé(s), {counts['updated']} mis à jour, "
        f"{counts['unchanged']} inchangé(s)"
    )


def _changed(instance, values: Mapping[str, object]) -> bool:
    for name, value in values.items():
        current = getattr(instance, name)
        if isinstance(value, Point):
            if current is None or not current.equals_exact(value, 1e-9):
                return True
        elif current != value:
            return True
    return False


def _upsert_organisation(item: DemoOrganisation, report: DemoReport) -> None:
    # Stable slugs make the upsert idempotent, hence no organisation_create (it derives one).
    referent = Organisation.objects.get(slug=item.referent) if item.referent else None
    values = {
        "name": item.name,
        "description": item.description,
        "legal_kind": item.legal_kind,
        "is_member_centre": item.is_member_centre,
        "referent_centre": referent,
        "phone": item.phone,
        "email": item.email,
        "website": item.website,
    }
    organisation = Organisation.objects.filter(slug=item.slug).first()
    if organisation is None:
        organisation, outcome = Organisation(slug=item.slug), "created"
    elif _changed(organisation, values):
        outcome = "updated"
    else:
        report.organisations["unchanged"] += 1
        return
    for name, value in values.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    report.organisations[outcome] += 1


def _upsert_place(
    item: DemoPlace,
    *,
    town: str,
    kinds: Mapping[str, Kind],
    competences: Mapping[str, Competence],
    report: DemoReport,
) -> None:
    values = {
        "name": item.name,
        "organisation": Organisation.objects.get(slug=item.organisation),
        "description": item.description,
        "street": item.street,
        "postal_code": item.postal_code,
        "city": town,
        "location": Point(item.lon, item.lat, srid=WGS84),
        "geocode_precision": Precision.MANUAL,
        "opening_hours": item.opening_hours,
        "appointment_only": item.appointment_only,
        "languages": item.languages,
        "interpreting": item.interpreting,
        "wheelchair": item.wheelchair,
        "public": item.public,
        "phone": item.phone,
        "email": item.email,
        "website": item.website,
        "status": Status.PUBLISHED,
        "last_verified": item.last_verified,
    }
    place_kinds = [kinds[slug] for slug in item.kinds]
    place_competences = [competences[slug] for slug in item.competences]
    place = Place.objects.filter(slug=item.slug).first()
    if place is None:
        place, outcome = Place(slug=item.slug), "created"
    elif (
        _changed(place, values)
        or {k.slug for k in place.kinds.all()} != set(item.kinds)
        or {c.slug for c in place.competences.all()} != set(item.competences)
    ):
        outcome = "updated"
    else:
        report.places["unchanged"] += 1
        return
    for name, value in values.items():
        setattr(place, name, value)
    place_save(place=place, kinds=place_kinds, competences=place_competences)
    report.places[outcome] += 1
    found = place.commune.code if place.commune_id else ""
    if found != item.commune:
        report.misplaced.append((item.slug, item.commune, found))


def _check_taxonomy(model, wanted: set[str]) -> dict:
    rows = model.objects.in_bulk(wanted, field_name="slug")
    missing = wanted - set(rows)
    if missing:
        raise ValueError(f"Unknown {model.__name__} slugs in the demo data: {sorted(missing)}")
    return rows


def load(*, write: bool) -> DemoReport:
    """Upsert the demo organisations and places by slug; on a dry run, roll everything back.

    Running the real writes then rolling back makes the dry run report exactly what a
    wet run would do, validation included.
    """
    report = DemoReport(written=write)
    with transaction.atomic():
        kinds = _check_taxonomy(Kind, {s for p in DEMO_PLACES for s in p.kinds})
        competences = _check_taxonomy(Competence, {s for p in DEMO_PLACES for s in p.competences})
        towns = dict(
            Commune.objects.filter(code__in={p.commune for p in DEMO_PLACES}).values_list(
                "code", "name"
            )
        )
        for organisation in DEMO_ORGANISATIONS:  # member centres first: they are referents
            _upsert_organisation(organisation, report)
        for place in DEMO_PLACES:
            if place.commune not in towns:
                report.skipped.append((place.slug, place.commune))
                continue
            _upsert_place(
                place,
                town=towns[place.commune],
                kinds=kinds,
                competences=competences,
                report=report,
            )
        if not write:
            transaction.set_rollback(True)
    return report
