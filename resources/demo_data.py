"""The demo notices and bibliographies (loaded by demo.py), written for this project.

Titles, authors and publishers are invented (generic bodies, fictional presses); the
abstracts are our own, on the themes the network works on. No real book is described.
"""

from __future__ import annotations

from dataclasses import dataclass

RHONE = "centre-ressources-integration-rhone"
MEDITERRANEE = "centre-ressources-egalite-mediterranee"
HAUTS_DE_FRANCE = "ressources-egalite-hauts-de-france"
OUEST = "ressources-integration-ouest"
CHAMPAGNE = "ressources-egalite-champagne"
GRAND_EST = "carrefour-integration-grand-est"
OCCITANIE = "pole-ressources-integration-occitanie"

PER, ORG = "person", "organisation"


@dataclass(frozen=True)
class DemoNotice:
    slug: str
    title: str
    type: str
    year: int
    authors: tuple[tuple[str, str], ...]
    publisher: str
    abstract: str
    themes: tuple[str, ...]
    centre: str
    region: str = ""  # INSEE code; empty: national
    competences: tuple[str, ...] = ()
    sheets: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    lendable: bool = False
    place: str = ""
    container: str = ""


N = DemoNotice
NOTICES = [
    N("premiers-pas-accueil-primo-arrivants", "Premiers pas en France : organiser l'accueil des primo-arrivants dans une commune", "guide", 2021,
      ((ORG, "Centre ressources Intégration Rhône"),), "Éditions du Réseau",
      "Ce guide propose une méthode pour construire un accueil coordonné des personnes nouvellement arrivées à l'échelle d'une commune : repérer les acteurs, organiser un premier rendez-vous d'orientation, tenir un livret d'accueil à jour. Il s'appuie sur des exemples de villes moyennes et propose des fiches outils.",
      ("accueil-primo-arrivants",), RHONE, "84", ("accueil-orientation",), lendable=True, place="Lyon"),
    N("apprendre-langue-adultes-migrants", "Apprendre la langue du pays d'accueil à l'âge adulte : état des savoirs", "study", 2019,
      ((PER, "Moreau, Claire"), (PER, "Haddad, Samir")), "Presses de l'Observatoire des migrations",
      "Synthèse des travaux sur l'apprentissage du français par les adultes migrants : rôle de la scolarisation antérieure, effets de l'intensité des cours, place de la pratique hors de la classe. Les auteurs insistent sur la diversité des publics et sur l'intérêt des parcours modulaires.",
      ("langue",), HAUTS_DE_FRANCE, "", ("apprentissage-francais",), lendable=True, place="Paris"),
    N("ateliers-sociolinguistiques-mode-emploi", "Les ateliers sociolinguistiques, mode d'emploi", "teaching_tool", 2018,
      ((ORG, "Ressources Égalité Hauts-de-France"),), "Ressources Égalité Hauts-de-France",
      "Un outil pédagogique pour animer des ateliers où l'on apprend la langue à partir de situations de la vie quotidienne : aller à la poste, prendre rendez-vous chez le médecin, lire un courrier de l'école. Des séquences prêtes à l'emploi et des conseils d'animation.",
      ("langue", "education"), HAUTS_DE_FRANCE, "32", ("apprentissage-francais",),
      sheets=("nord-pas-de-calais-pratiques-langagieres",)),
    N("maisons-des-langues-bilan", "Maisons des langues : bilan de cinq années d'activité", "report", 2022,
      ((PER, "Petit, Nadia"),), "Centre ressources du Val-d'Oise",
      "Ce rapport fait le point sur une maison des langues de banlieue parisienne : publics accueillis, partenariats avec les organismes de formation, orientation vers les cours adaptés. Il souligne l'importance d'un lieu unique où l'on évalue le niveau et où l'on oriente.",
      ("langue",), RHONE, "11", ("apprentissage-francais", "accueil-orientation"),
      sheets=("garges-maison-des-langues",)),
    N("acces-aux-droits-etrangers-prefecture", "Accéder à ses droits quand les démarches passent par l'écran", "study", 2023,
      ((PER, "Garcia, Lucie"), (PER, "Benali, Karim"), (ORG, "Collectif Droits et Numérique")), "Éditions Territoires",
      "Enquête auprès de personnes étrangères et de travailleurs sociaux sur la dématérialisation des démarches de séjour. Elle décrit les difficultés d'accès aux rendez-vous, le rôle croissant des associations comme intermédiaires et propose des pistes pour un accompagnement numérique de proximité.",
      ("acces-aux-droits",), MEDITERRANEE, "93", ("sejour", "droits-sociaux"), lendable=True),
    N("annuaire-acces-droits-paca-methode", "Construire un annuaire régional de l'accès aux droits : retour d'expérience", "article", 2017,
      ((PER, "Rossi, Marc"),), "Revue Territoires et Solidarités",
      "L'article raconte la construction d'un annuaire partagé des lieux d'accès aux droits des étrangers dans une région du Sud : choix des catégories, mise à jour par les acteurs eux-mêmes, diffusion auprès des professionnels. Il tire des enseignements sur la durée de vie de tels outils.",
      ("acces-aux-droits",), MEDITERRANEE, "93", ("conseil-juridique",),
      sheets=("paca-annuaire-acces-droits-etrangers",), container="Territoires et Solidarités"),
    N("guide-droit-sejour-professionnels", "Le droit au séjour expliqué aux professionnels de l'action sociale", "guide", 2024,
      ((ORG, "Centre ressources Égalité Méditerranée"),), "Éditions du Réseau",
      "Un guide pratique pour les travailleurs sociaux qui ne sont pas juristes : les grandes catégories de titres de séjour, les délais, les recours, les erreurs fréquentes. Chaque chapitre se termine par des cas pratiques et une liste de structures ressources.",
      ("acces-aux-droits",), MEDITERRANEE, "", ("sejour", "conseil-juridique"), lendable=True, place="Marseille"),
    N("discriminations-logement-testing", "Discriminations dans l'accès au logement : ce que révèlent les tests de situation", "study", 2020,
      ((PER, "Lambert, Julie"), (PER, "Nguyen, Thomas")), "Presses de l'Observatoire des migrations",
      "Les auteurs présentent une série de tests de situation menés auprès d'agences immobilières et de bailleurs privés. Les résultats montrent des écarts de traitement selon le nom et l'adresse des candidats, et les auteurs discutent des réponses possibles des collectivités.",
      ("logement", "lutte-discriminations"), RHONE, "", ("logement-hebergement", "lutte-discriminations")),
    N("mixite-sociale-quartiers-politique-ville", "Mixité sociale et politiques de peuplement dans les quartiers prioritaires", "report", 2021,
      ((ORG, "Observatoire régional de l'habitat"),), "Observatoire régional de l'habitat",
      "Rapport sur les politiques d'attribution des logements sociaux et leurs effets sur la composition des quartiers prioritaires. Il analyse les outils de la loi, les conférences intercommunales du logement et les marges de manœuvre des bailleurs.",
      ("logement",), RHONE, "84", ("logement-hebergement",), place="Lyon"),
    N("hebergement-demandeurs-asile-territoires", "L'hébergement des demandeurs d'asile dans les territoires ruraux", "study", 2019,
      ((PER, "Fontaine, Élise"),), "Éditions Territoires",
      "Étude de l'implantation de centres d'accueil pour demandeurs d'asile dans de petites communes : réactions des habitants, rôle des élus, liens avec les écoles et les associations locales. L'auteure montre que l'accueil se construit dans la durée, au fil des rencontres.",
      ("accueil-primo-arrivants", "logement"), OUEST, "52", ("asile", "logement-hebergement")),
    N("personnes-agees-immigrees-vieillir-ici", "Vieillir ici : les personnes âgées immigrées et l'accès aux droits", "study", 2018,
      ((PER, "Mansouri, Leïla"),), "Presses de l'Observatoire des migrations",
      "Une enquête auprès de retraités immigrés vivant en foyer ou en logement diffus : allers-retours avec le pays d'origine, droits à la retraite et au minimum vieillesse, isolement. L'auteure décrit les obstacles administratifs propres à ces parcours.",
      ("acces-aux-droits", "sante"), RHONE, "", ("droits-sociaux",), lendable=True),
    N("foyers-travailleurs-migrants-transformation", "Des foyers aux résidences sociales : une transformation inachevée", "article", 2020,
      ((PER, "Durand, Paul"),), "Revue Habitat et Société",
      "L'article retrace la transformation des foyers de travailleurs migrants en résidences sociales et ses effets sur les résidents âgés : perte d'espaces collectifs, changement de règles de vie, questions de voisinage. Il s'appuie sur des entretiens menés dans trois résidences.",
      ("logement",), MEDITERRANEE, "93", ("logement-hebergement",), container="Habitat et Société"),
    N("sante-mentale-exil-reperes", "Santé mentale et exil : repères pour les intervenants", "guide", 2022,
      ((ORG, "Réseau Santé Exil"),), "Réseau Santé Exil",
      "Ce guide aide les intervenants non soignants à repérer les signes de souffrance psychique chez les personnes exilées et à orienter vers les bons interlocuteurs. Il traite aussi de l'interprétariat en santé et de la fatigue des professionnels.",
      ("sante",), OCCITANIE, "", ("sante", "interpretariat-mediation"), place="Toulouse"),
    N("interpretariat-professionnel-services-publics", "L'interprétariat professionnel dans les services publics : pourquoi et comment", "report", 2021,
      ((PER, "Kovalenko, Olena"), (PER, "Martin, Hugo")), "Éditions du Réseau",
      "Rapport sur le recours à l'interprétariat professionnel à l'hôpital, en mairie et dans les services sociaux : coûts, organisation, qualité de la relation. Les auteurs comparent l'interprétariat par téléphone, en présentiel et le recours aux proches.",
      ("acces-aux-droits", "sante"), GRAND_EST, "44", ("interpretariat-mediation",)),
    N("laicite-pratiques-professionnelles", "La laïcité au quotidien dans les structures d'accueil", "guide", 2019,
      ((ORG, "Ressources Égalité Champagne"),), "Ressources Égalité Champagne",
      "Un guide qui répond aux questions concrètes des professionnels : signes religieux des usagers, demandes de repas, organisation des activités pendant les fêtes. Il rappelle le cadre juridique et distingue obligations des agents publics et libertés des personnes accueillies.",
      ("laicite",), CHAMPAGNE, "44", (), lendable=True),
    N("laicite-cadre-juridique-synthese", "Laïcité : le cadre juridique en dix questions", "legal_text", 2021,
      ((ORG, "Collectif Droits et Numérique"),), "Éditions Territoires",
      "Une synthèse des textes et de la jurisprudence sur la laïcité : neutralité du service public, liberté de conscience, règles dans l'entreprise et à l'école. Chaque question renvoie aux textes de référence.",
      ("laicite", "citoyennete-participation"), CHAMPAGNE, "", ("conseil-juridique",)),
    N("conseils-residents-etrangers-participation", "Les conseils de résidents étrangers : une participation à réinventer ?", "article", 2016,
      ((PER, "Leroy, Anne"),), "Revue Territoires et Solidarités",
      "L'article compare plusieurs instances consultatives de résidents étrangers créées par des villes. Il s'interroge sur leur influence réelle sur les décisions municipales et sur les conditions d'une participation durable.",
      ("citoyennete-participation",), OUEST, "52", ("citoyennete-participation",),
      sheets=("nantes-accueil-nouveaux-arrivants-cnce",), container="Territoires et Solidarités"),
    N("vigilance-discriminations-reseau-local", "Animer un réseau local de vigilance contre les discriminations", "guide", 2017,
      ((ORG, "Centre ressources Intégration Rhône"),), "Éditions du Réseau",
      "À partir d'une expérience municipale, ce guide décrit comment réunir associations, services publics et entreprises pour repérer les situations de discrimination, orienter les victimes et agir sur les pratiques. Des modèles de chartes et de fiches de signalement sont fournis.",
      ("lutte-discriminations",), RHONE, "84", ("lutte-discriminations",),
      sheets=("villeurbanne-reseau-vigilance-discriminations",), organisations=("ville-de-villeurbanne",)),
    N("emploi-refugies-insertion-professionnelle", "L'insertion professionnelle des personnes réfugiées : freins et leviers", "study", 2022,
      ((PER, "Bernard, Sophie"), (PER, "Diallo, Moussa")), "Presses de l'Observatoire des migrations",
      "Étude des parcours vers l'emploi de personnes réfugiées pendant leurs trois premières années en France : reconnaissance des diplômes, maîtrise de la langue, réseaux. Elle montre l'effet positif des dispositifs qui combinent formation linguistique et immersion en entreprise.",
      ("emploi",), OCCITANIE, "76", ("emploi-formation", "asile")),
    N("reconnaissance-diplomes-etrangers", "Faire reconnaître un diplôme obtenu à l'étranger", "guide", 2023,
      ((ORG, "Pôle ressources Intégration Occitanie"),), "Pôle ressources Intégration Occitanie",
      "Un guide des démarches de reconnaissance et de comparabilité des diplômes, des professions réglementées et de la validation des acquis de l'expérience. Pour les personnes concernées et ceux qui les accompagnent.",
      ("emploi", "education"), OCCITANIE, "", ("emploi-formation",)),
    N("cohabitation-solidaire-refugies", "Accueillir chez soi : la cohabitation solidaire avec des personnes réfugiées", "report", 2020,
      ((PER, "Roux, Camille"),), "Éditions Territoires",
      "Rapport d'évaluation d'un programme de mise en relation entre particuliers et personnes réfugiées pour une cohabitation de quelques mois. Il décrit la préparation des binômes, les difficultés rencontrées et les effets sur l'accès au logement autonome.",
      ("logement", "accueil-primo-arrivants"), RHONE, "", ("logement-hebergement",),
      sheets=("calm-comme-a-la-maison",)),
    N("ecole-parents-allophones", "L'école et les parents allophones : construire la relation", "teaching_tool", 2021,
      ((ORG, "Carrefour Intégration Grand Est"),), "Carrefour Intégration Grand Est",
      "Un ensemble de fiches pour les équipes éducatives : présenter l'école aux familles qui ne parlent pas encore le français, organiser des réunions avec interprète, expliquer le système d'orientation. Les fiches sont pensées pour être photocopiées.",
      ("education", "langue"), GRAND_EST, "44", ("scolarite-parentalite",), lendable=True, place="Strasbourg"),
    N("mineurs-non-accompagnes-scolarisation", "La scolarisation des mineurs non accompagnés", "study", 2022,
      ((PER, "Girard, Thomas"),), "Presses de l'Observatoire des migrations",
      "Étude sur l'accès à l'école et à la formation des jeunes arrivés seuls en France : évaluation de l'âge, délais d'affectation, classes d'accueil, apprentissage. L'auteur décrit des pratiques départementales contrastées.",
      ("education",), MEDITERRANEE, "93", ("scolarite-parentalite",)),
    N("memoires-immigration-quartier", "Mémoires d'immigration dans un quartier populaire", "video", 2019,
      ((PER, "Benhamou, Yasmine"), (ORG, "Atelier vidéo du quartier")), "Atelier vidéo du quartier",
      "Un film documentaire de cinquante minutes qui recueille la parole d'habitants arrivés à différentes époques : le travail, les logements successifs, les fêtes, la transmission aux enfants. Accompagné d'un livret pour l'animation de débats.",
      ("culture-memoire",), HAUTS_DE_FRANCE, "32", (), lendable=True),
    N("exposition-histoire-migrations-region", "Deux siècles de migrations dans la région : une exposition itinérante", "teaching_tool", 2018,
      ((ORG, "Ressources Intégration Ouest"),), "Ressources Intégration Ouest",
      "Douze panneaux et un livret pédagogique retracent les grandes vagues d'arrivées dans la région, des ouvriers agricoles aux réfugiés d'aujourd'hui. L'exposition se prête aux écoles, médiathèques et mairies.",
      ("culture-memoire", "education"), OUEST, "52", (), lendable=True, place="Nantes"),
    N("accueil-ukrainiens-collectivites", "Accueillir les personnes déplacées d'Ukraine : ce que les collectivités ont appris", "report", 2023,
      ((ORG, "Centre ressources Intégration Rhône"), (PER, "Petrenko, Iryna")), "Éditions du Réseau",
      "Retour sur la mobilisation des communes et des associations pour accueillir les personnes arrivées d'Ukraine : hébergement citoyen, scolarisation, cours de langue. Le rapport s'interroge sur ce qui pourrait être étendu à l'accueil de tous les primo-arrivants.",
      ("accueil-primo-arrivants",), RHONE, "84", ("accueil-orientation", "logement-hebergement")),
    N("contrat-integration-republicaine-parcours", "Le parcours d'intégration républicaine vu par ses bénéficiaires", "study", 2020,
      ((PER, "Meyer, Louise"),), "Éditions Territoires",
      "Une enquête par entretiens auprès de signataires du contrat d'intégration républicaine : formation civique, cours de langue, entretien d'orientation. Les personnes interrogées décrivent ce qui les a aidées et ce qui leur a manqué.",
      ("accueil-primo-arrivants", "citoyennete-participation"), GRAND_EST, "", ("accueil-orientation",)),
    N("mediation-sociale-interculturelle", "La médiation sociale interculturelle : un métier à reconnaître", "article", 2021,
      ((PER, "Traoré, Aminata"),), "Revue Habitat et Société",
      "L'article présente le travail des femmes-relais et médiatrices interculturelles dans les quartiers : accompagnement vers les services, traduction, apaisement des conflits. Il plaide pour une reconnaissance et une formation de ce métier.",
      ("acces-aux-droits", "citoyennete-participation"), HAUTS_DE_FRANCE, "32", ("interpretariat-mediation",), container="Habitat et Société"),
    N("egalite-femmes-migrantes-emploi", "Femmes migrantes et accès à l'emploi", "study", 2024,
      ((PER, "Lefebvre, Marion"), (PER, "Osei, Grace")), "Presses de l'Observatoire des migrations",
      "Étude des obstacles particuliers rencontrés par les femmes arrivées par regroupement familial : garde d'enfants, isolement, faible reconnaissance de l'expérience. Elle présente des actions qui combinent langue, mobilité et accompagnement vers l'emploi.",
      ("emploi", "lutte-discriminations"), OCCITANIE, "76", ("emploi-formation",)),
    N("acces-soins-aide-medicale-etat", "L'accès aux soins des personnes sans titre de séjour", "report", 2022,
      ((ORG, "Réseau Santé Exil"),), "Réseau Santé Exil",
      "Rapport sur les difficultés d'ouverture et de renouvellement des droits à la couverture santé des personnes sans titre de séjour, et sur les renoncements aux soins qui en découlent. Il recense les permanences d'accès aux soins et leurs pratiques.",
      ("sante", "acces-aux-droits"), MEDITERRANEE, "93", ("sante", "droits-sociaux")),
    N("langues-maternelles-ecole-ressource", "Les langues des familles, une ressource pour l'école", "article", 2023,
      ((PER, "Haddad, Samir"),), "Revue Territoires et Solidarités",
      "L'auteur montre comment des écoles s'appuient sur les langues parlées à la maison pour faciliter les apprentissages : affichages plurilingues, lectures d'albums par les parents, éveil aux langues. Un plaidoyer pour ne pas opposer langue d'origine et français.",
      ("langue", "education"), RHONE, "84", ("scolarite-parentalite",), container="Territoires et Solidarités"),
]  # fmt: skip

BIBLIOGRAPHIES = [
    {
        "slug": "mixite-sociale-et-logement",
        "title": "Mixité sociale et logement",
        "kind": "bibliography",
        "centre": RHONE,
        "introduction": (
            "Comment l'accès au logement se joue-t-il pour les personnes immigrées et leurs "
            "descendants ? Cette bibliographie rassemble des études, des rapports et des retours "
            "d'expérience sur les attributions de logements sociaux, les discriminations dans "
            "le parc privé, l'hébergement et les formes nouvelles d'accueil chez l'habitant."
        ),
        "notices": [
            "mixite-sociale-quartiers-politique-ville",
            "discriminations-logement-testing",
            "hebergement-demandeurs-asile-territoires",
            "cohabitation-solidaire-refugies",
            "foyers-travailleurs-migrants-transformation",
        ],
    },
    {
        "slug": "personnes-agees-immigrees",
        "title": "Personnes âgées immigrées",
        "kind": "dossier",
        "centre": MEDITERRANEE,
        "introduction": (
            "Arrivés souvent jeunes pour travailler, de nombreux immigrés vieillissent "
            "aujourd'hui en France. Ce dossier documentaire réunit des ressources sur leurs "
            "droits, leur logement, leur santé et leur place dans la cité, pour les "
            "professionnels qui les accompagnent."
        ),
        "notices": [
            "personnes-agees-immigrees-vieillir-ici",
            "foyers-travailleurs-migrants-transformation",
            "acces-soins-aide-medicale-etat",
            "interpretariat-professionnel-services-publics",
        ],
    },
]
