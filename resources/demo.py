"""Demonstration content of the documentary base (core/demo.py loads it after the practices):
the notices and bibliographies of demo_data.py, upserted by slug, published, and the press
watch of watch_demo.py.

A notice whose author centre or région is not in the database (a test database holds a
few départements only) is skipped and counted; its links to practice sheets and
organisations absent from the database are left out.
"""

from __future__ import annotations

from django.db import transaction

from directory.models import Competence, Organisation
from geodata.models import Region
from practices.models import PracticeSheet, Theme

from .demo_data import BIBLIOGRAPHIES, NOTICES, DemoNotice
from .models import Bibliography, Notice, NoticeStatus, Scope
from .services import AuthorData, bibliography_save, notice_save
from .watch_demo import load_watch


class ResourcesDemoReport(dict):
    def __init__(self) -> None:
        super().__init__(
            {
                "notices créées": 0,
                "notices réécrites": 0,
                "notices ignorées": 0,
                "bibliographies écrites": 0,
                "articles de veille créés": 0,
                "articles de veille réécrits": 0,
                "articles de veille ignorés": 0,
            }
        )
        self.skipped: list[tuple[str, str]] = []

    def summary(self) -> str:
        return ", ".join(f"{n} {label}" for label, n in self.items())

    def warnings(self) -> list[str]:
        return []


def _upsert(item: DemoNotice, *, centre, region, themes, competences, report) -> None:
    notice = Notice.objects.filter(slug=item.slug).first()
    outcome = "notices réécrites"
    if notice is None:
        notice, outcome = Notice(slug=item.slug), "notices créées"
    values = {
        "title": item.title,
        "type": item.type,
        "year": item.year,
        "publisher": "" if item.type == "article" else item.publisher,
        "place_published": item.place,
        "container_title": item.container,
        "abstract": item.abstract,
        "scope": Scope.REGION if region else Scope.NATIONAL,
        "region": region,
        "department": None,
        "language": "fr",
        "author_centre": centre,
        "holding_centre": centre,
        "lendable": item.lendable,
        "status": NoticeStatus.PUBLISHED,
    }
    for name, value in values.items():
        setattr(notice, name, value)
    linked = {
        o.name: o
        for o in Organisation.objects.filter(
            name__in=[name for kind, name in item.authors if kind == "organisation"]
        )
    }
    notice_save(
        notice=notice,
        authors=[
            AuthorData(name=name, kind=kind, organisation=linked.get(name))
            for kind, name in item.authors
        ],
        themes=[themes[s] for s in item.themes],
        competences=[competences[s] for s in item.competences if s in competences],
        communes=[],
    )
    notice.practice_sheets.set(PracticeSheet.objects.filter(slug__in=item.sheets))
    notice.organisations.set(Organisation.objects.filter(slug__in=item.organisations))
    report[outcome] += 1


def load(*, write: bool = True) -> ResourcesDemoReport:
    report = ResourcesDemoReport()
    with transaction.atomic():
        themes = Theme.objects.in_bulk(field_name="slug")
        unknown = {s for item in NOTICES for s in item.themes} - set(themes)
        if unknown:
            raise ValueError(f"Unknown theme slugs in the demo notices: {sorted(unknown)}")
        competences = Competence.objects.in_bulk(field_name="slug")
        regions = Region.objects.in_bulk(field_name="code")
        centres = Organisation.objects.filter(is_member_centre=True).in_bulk(field_name="slug")
        for item in NOTICES:
            reason = ""
            if item.centre not in centres:
                reason = f"centre ressources absent : {item.centre}"
            elif item.region and item.region not in regions:
                reason = f"région absente : {item.region}"
            if reason:
                report.skipped.append((item.slug, reason))
                report["notices ignorées"] += 1
                continue
            _upsert(
                item,
                centre=centres[item.centre],
                region=regions.get(item.region),
                themes=themes,
                competences=competences,
                report=report,
            )
        for data in BIBLIOGRAPHIES:
            if data["centre"] not in centres:
                continue
            bibliography = Bibliography.objects.filter(slug=data["slug"]).first() or Bibliography(
                slug=data["slug"]
            )
            bibliography.title = data["title"]
            bibliography.kind = data["kind"]
            bibliography.introduction = data["introduction"]
            bibliography.author_centre = centres[data["centre"]]
            bibliography.status = NoticeStatus.PUBLISHED
            found = Notice.objects.in_bulk(data["notices"], field_name="slug")
            bibliography_save(
                bibliography=bibliography,
                notices=[found[s] for s in data["notices"] if s in found],
            )
            report["bibliographies écrites"] += 1
        load_watch(report, centres=centres)
        if not write:
            transaction.set_rollback(True)
    return report
