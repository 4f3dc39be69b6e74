"""The demo press watch (loaded by demo.py): twelve invented items, summarised in our own
words. The publications are plausible names, the links point to example domains: none of
these articles exists. Upserted by link; a région absent from the database (a test
database holds a few) is left out of an item's régions, an absent centre skips the item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from directory.models import Organisation
from geodata.models import Region
from practices.models import Theme

from .demo_data import GRAND_EST, HAUTS_DE_FRANCE, MEDITERRANEE, OCCITANIE, OUEST, RHONE
from .models import NoticeStatus, WatchItem
from .services import watch_item_save


@dataclass(frozen=True)
class DemoWatchItem:
    title: str
    url: str
    source: str
    published_on: date
    summary: str
    themes: tuple[str, ...]
    centre: str
    regions: tuple[str, ...] = ()  # INSEE codes; none: all of France


W = DemoWatchItem
WATCH_ITEMS = [
    W("À Villeurbanne, un guichet unique pour les premières démarches",
      "https://exemple.org/presse/villeurbanne-guichet-unique", "Le Petit Rhodanien",
      date(2025, 11, 18),
      "La ville regroupe en un même lieu l'accueil des personnes arrivées depuis moins d'un an : "
      "ouverture des droits, inscription aux cours de français, scolarisation des enfants. Les "
      "agents disent gagner du temps ; les associations demandent des horaires élargis.",
      ("accueil-primo-arrivants", "acces-aux-droits"), RHONE, ("84",)),
    W("Cours de français : des listes d'attente qui s'allongent à Marseille",
      "https://exemple.org/presse/marseille-attente-cours-francais", "La Vigie phocéenne",
      date(2025, 11, 6),
      "Plusieurs associations marseillaises signalent des délais de trois à six mois avant une "
      "place en cours. L'article décrit les solutions d'attente (ateliers de conversation, "
      "bénévoles formés) et le manque de cours du soir pour les personnes qui travaillent.",
      ("langue",), MEDITERRANEE, ("93",)),
    W("Dématérialisation des titres de séjour : les permanences d'aide débordées",
      "https://exemple.net/actualites/titres-sejour-permanences", "Info Solidarités",
      date(2025, 10, 27),
      "Depuis que les demandes se font en ligne, les permanences d'accès aux droits reçoivent "
      "surtout des personnes qui n'ont ni ordinateur ni adresse électronique. Les bénévoles "
      "interrogés demandent un accueil physique maintenu en préfecture.",
      ("acces-aux-droits",), HAUTS_DE_FRANCE),
    W("Logement des réfugiés : la colocation solidaire fait ses preuves en Loire",
      "https://exemple.org/presse/loire-colocation-solidaire", "L'Écho forézien",
      date(2025, 10, 14),
      "Un bailleur social et une association ont installé une vingtaine de colocations entre "
      "jeunes réfugiés et étudiants. Le reportage suit deux colocataires et montre ce qui "
      "facilite l'accès ensuite à un logement autonome : bail glissant, suivi régulier.",
      ("logement",), RHONE, ("84",)),
    W("Discriminations à l'embauche : un testing révèle des écarts persistants",
      "https://exemple.com/enquetes/testing-embauche", "Regards sur l'emploi",
      date(2025, 9, 30),
      "Un test par envoi de candidatures fictives montre qu'un nom à consonance étrangère "
      "réduit nettement les chances d'être rappelé, à diplôme égal. L'article présente les "
      "recours possibles et les actions de sensibilisation menées auprès des recruteurs.",
      ("lutte-discriminations", "emploi"), OCCITANIE),
    W("Val-d'Oise : une maison des langues ouvre ses portes aux parents d'élèves",
      "https://exemple.org/presse/val-doise-maison-des-langues-parents", "Le Fil du Val-d'Oise",
      date(2025, 9, 12),
      "Les parents nouvellement arrivés peuvent y apprendre le français à partir des situations "
      "de l'école : lire un cahier de liaison, parler avec l'enseignant, suivre les devoirs. "
      "La maison travaille avec les écoles du quartier, qui orientent les familles.",
      ("langue", "education"), RHONE, ("11",)),
    W("Santé des exilés : des médiateurs pour ne plus renoncer aux soins",
      "https://exemple.net/actualites/mediateurs-sante-exiles", "Soins et Cités",
      date(2025, 8, 28),
      "Dans trois centres de santé, des médiateurs parlant plusieurs langues accompagnent les "
      "patients de l'ouverture des droits au rendez-vous médical. Le renoncement aux soins a "
      "reculé, selon les équipes, qui craignent pour le financement de ces postes.",
      ("sante", "acces-aux-droits"), MEDITERRANEE, ("93",)),
    W("Apprentis venus d'ailleurs : les artisans bretons s'organisent",
      "https://exemple.org/presse/bretagne-apprentis-artisans", "Ouest Initiatives",
      date(2025, 7, 9),
      "Des artisans du bâtiment et de la restauration accueillent des apprentis arrivés "
      "récemment, avec un tuteur et des cours de français métier. Ils racontent les démarches "
      "administratives à anticiper et la fidélité des jeunes formés.",
      ("emploi", "langue"), OUEST, ("53",)),
    W("Parrainage citoyen : des binômes pour les premiers mois",
      "https://exemple.com/societe/parrainage-binomes", "Le Journal des Solidarités",
      date(2025, 6, 19),
      "Des habitants bénévoles accompagnent une personne ou une famille arrivée récemment : "
      "découverte du quartier, pratique de la langue, sorties culturelles. Les associations "
      "soulignent l'importance de former et d'épauler les parrains et marraines.",
      ("accueil-primo-arrivants", "citoyennete-participation"), GRAND_EST, ("44",)),
    W("Mémoires d'exil : une exposition recueille les récits des habitants",
      "https://exemple.org/presse/exposition-memoires-exil", "Les Carnets culturels d'Occitanie",
      date(2025, 5, 22),
      "Une médiathèque présente photographies et témoignages d'habitants arrivés à différentes "
      "époques. Le projet, porté avec des associations de quartier, a donné lieu à des ateliers "
      "d'écriture et à des visites pour les classes.",
      ("culture-memoire",), OCCITANIE, ("76",)),
    W("Laïcité : des formations pour les professionnels de l'accueil",
      "https://exemple.net/actualites/formations-laicite-accueil", "La Lettre des accueillants",
      date(2025, 4, 3),
      "Agents de mairie, travailleurs sociaux et bénévoles suivent des sessions courtes pour "
      "répondre aux situations concrètes qu'ils rencontrent. L'article rappelle ce que dit le "
      "droit et ce qui relève du dialogue au quotidien.",
      ("laicite",), HAUTS_DE_FRANCE),
    W("Accès au logement : les travailleurs immigrés âgés restent dans les foyers",
      "https://exemple.com/enquetes/foyers-travailleurs-ages", "Regards sur la ville",
      date(2025, 2, 11),
      "Dans les anciens foyers transformés en résidences sociales, de nombreux retraités "
      "immigrés vivent seuls. L'enquête montre leurs difficultés d'accès aux droits et à la "
      "santé, et les permanences qui se rendent sur place.",
      ("logement", "acces-aux-droits"), RHONE, ("84", "93")),
]  # fmt: skip


def load_watch(report: dict, *, centres: dict[str, Organisation]) -> None:
    """Upsert the demo items (published); counts in `report`."""
    themes = Theme.objects.in_bulk(field_name="slug")
    unknown = {s for item in WATCH_ITEMS for s in item.themes} - set(themes)
    if unknown:
        raise ValueError(f"Unknown theme slugs in the demo watch: {sorted(unknown)}")
    regions = Region.objects.defer("boundary", "centre").in_bulk(field_name="code")
    for data in WATCH_ITEMS:
        centre = centres.get(data.centre)
        if centre is None:
            report["articles de veille ignorés"] += 1
            continue
        item = WatchItem.objects.filter(url=data.url).first()
        report["articles de veille créés" if item is None else "articles de veille réécrits"] += 1
        item = item or WatchItem(url=data.url)
        item.title = data.title
        item.source = data.source
        item.published_on = data.published_on
        item.summary = data.summary
        item.author_centre = centre
        item.status = NoticeStatus.PUBLISHED
        watch_item_save(
            item=item,
            themes=[themes[slug] for slug in data.themes],
            regions=[regions[code] for code in data.regions if code in regions],
        )
