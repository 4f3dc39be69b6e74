"""The activity report's figures: the day counters of a year or a month, summed.

Everything comes from `UsageCounter`; names for keys (a competence's slug, a région's code,
a place's id) are looked up at report time through the same settings as the counting, so a
renamed place keeps its reads.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .middleware import MAX_EMBED_HOSTS, OTHER_HOSTS
from .models import UsageCounter

TOP = 20

SECTION_LABELS = {
    "home": _("Accueil"),
    "regions": _("Régions et départements"),
    "annuaire": _("Annuaire (recherche)"),
    "lieu": _("Fiches des lieux"),
    "organisation": _("Fiches des organisations"),
    "pratiques": _("Pratiques (liste)"),
    "fiche": _("Fiches pratiques"),
    "embed": _("Cartes intégrées"),
    "integrer": _("Page « Intégrer »"),
    "exports": _("Exports"),
    "documentation": _("Base documentaire"),
    "veille": _("Veille (panorama)"),
    "api": _("API"),
}

TOTALS = (
    ("visits", _("Visites")),
    ("visitors", _("Visiteurs distincts (cumul des jours)")),
    ("pageviews", _("Pages vues")),
    ("untracked", _("Pages vues sans identifiant (DNT/GPC)")),
    ("search", _("Recherches")),
    ("request:document", _("Demandes de documents")),
    ("request:organisation", _("Demandes de structures ressources")),
)


@dataclass
class Row:
    key: str
    label: str
    count: int


@dataclass
class Table:
    metric: str
    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)

    @property
    def largest(self) -> int:
        return max((row.count for row in self.rows), default=0)


@dataclass
class Report:
    start: date
    end: date  # exclusive
    totals: list[Row]
    series: Table  # visits, by month (a year) or by day (a month)
    tables: list[Table]


def period(year: int, month: int | None) -> tuple[date, date]:
    if month is None:
        return date(year, 1, 1), date(year + 1, 1, 1)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, 1), date(year, month, last) + timedelta(days=1)


def _sums(start: date, end: date) -> dict[str, dict[str, int]]:
    sums: dict[str, dict[str, int]] = defaultdict(dict)
    query = (
        UsageCounter.objects.filter(day__gte=start, day__lt=end)
        .values_list("metric", "key")
        .annotate(total=Sum("count"))
    )
    for metric, key, total in query:
        sums[metric][key] = total
    return sums


def _labels_from_model(model_label: str, field_name: str, label_field: str | None, keys):
    try:
        model = apps.get_model(model_label)
    except LookupError:  # an app not installed here: its keys are shown as they are
        return {}
    wanted = list(keys)
    if field_name == "pk":
        wanted = [int(key) for key in wanted if key.isdigit()]
    objects = model._default_manager.filter(**{f"{field_name}__in": wanted})
    return {
        str(getattr(obj, field_name)): str(getattr(obj, label_field) if label_field else obj)
        for obj in objects
    }


def _table(metric: str, title, counts: dict[str, int], labels: dict[str, str]) -> Table:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP]
    return Table(metric, title, [Row(key, labels.get(key, key), n) for key, n in ordered])


def _series(start: date, end: date, by_month: bool) -> Table:
    days = (
        UsageCounter.objects.filter(day__gte=start, day__lt=end, metric="visits")
        .values_list("day", "count")
        .order_by()
    )
    counts: dict[date, int] = defaultdict(int)
    for day, count in days:
        counts[day.replace(day=1) if by_month else day] += count
    rows = []
    current = start
    while current < end:
        label = date_format(current, "F" if by_month else "j")
        rows.append(Row(current.isoformat(), label, counts.get(current, 0)))
        if by_month:
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            current += timedelta(days=1)
    title = _("Visites par mois") if by_month else _("Visites par jour")
    return Table("visits_by_month" if by_month else "visits_by_day", title, rows)


def build(year: int, month: int | None = None) -> Report:
    start, end = period(year, month)
    sums = _sums(start, end)
    totals = [
        Row(metric, str(label), sum(sums.get(metric, {}).values())) for metric, label in TOTALS
    ]

    tables = [
        _table(
            "section",
            _("Pages vues par rubrique"),
            sums.get("section", {}),
            {key: str(label) for key, label in SECTION_LABELS.items()},
        )
    ]
    for name, (model_label, field_name, label_field) in settings.USAGE_VOCABULARIES.items():
        metric = f"search:{name}"
        counts = sums.get(metric, {})
        labels = _labels_from_model(model_label, field_name, label_field, counts)
        title = _("Recherches par %(name)s") % {"name": _vocabulary_name(name)}
        tables.append(_table(metric, title, counts, labels))
    for what, model_label, _keyword in settings.USAGE_READS.values():
        metric = f"read:{what}"
        counts = sums.get(metric, {})
        labels = _labels_from_model(model_label, "pk", None, counts)
        tables.append(_table(metric, _read_title(what), counts, labels))
    tables += [
        _table("download", _("Téléchargements (fichiers)"), sums.get("download", {}), {}),
        _table(
            "embed",
            _("Cartes intégrées chargées, par site"),
            sums.get("embed", {}),
            {
                "": str(_("(site non indiqué)")),
                OTHER_HOSTS: str(
                    _("(autres sites, au-delà de %(max)d par jour)") % {"max": MAX_EMBED_HOSTS}
                ),
            },
        ),
        _table("api", _("Requêtes de l'API par point d'accès"), sums.get("api", {}), {}),
    ]
    for kind, (model_label, field_name, label_field) in settings.USAGE_REQUESTS.items():
        metric = f"request:{kind}"
        counts = sums.get(metric, {})
        labels = _labels_from_model(model_label, field_name, label_field, counts)
        tables.append(_table(metric, _request_title(kind), counts, labels))
    return Report(start, end, totals, _series(start, end, by_month=month is None), tables)


def _vocabulary_name(name: str) -> str:
    return str({"competence": _("compétence"), "region": _("région")}.get(name, name))


def _request_title(kind: str) -> str:
    titles = {
        "document": _("Demandes de documents, par centre détenteur"),
        "organisation": _("Demandes de structures ressources, par région"),
    }
    return str(titles.get(kind, _("Demandes (%(kind)s)") % {"kind": kind}))


def _read_title(what: str) -> str:
    titles = {
        "place": _("Lieux les plus consultés"),
        "sheet": _("Fiches pratiques les plus lues"),
        "notice": _("Notices les plus consultées"),
    }
    return str(titles.get(what, _("Pages les plus consultées (%(what)s)") % {"what": what}))
