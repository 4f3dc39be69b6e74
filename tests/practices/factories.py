"""Building practice sheets for tests, through the same service as the admin."""

from __future__ import annotations

from collections.abc import Iterable

from directory.models import Organisation, Place
from geodata.models import Commune, Region
from practices.models import PracticeSheet, Scope, SheetStatus, Theme
from practices.services import sheet_save
from tests.factories import OrganisationFactory


def member_centre(name: str = "Centre ressources test", **fields) -> Organisation:
    return OrganisationFactory(name=name, is_member_centre=True, **fields)


def make_sheet(
    title: str,
    *,
    themes: Iterable[str] = ("langue",),
    communes: Iterable[str] = (),
    region: str = "",
    status: str = SheetStatus.PUBLISHED,
    author_centre: Organisation | None = None,
    actors: Iterable[tuple[Organisation, str]] = (),
    places: Iterable[Place] = (),
    **fields,
) -> PracticeSheet:
    """A sheet covering `communes` (INSEE codes), else `region`, else all of France."""
    communes = list(Commune.objects.filter(code__in=list(communes)).select_related("region"))
    if "scope" not in fields:
        fields["scope"] = Scope.COMMUNES if communes else Scope.REGION if region else Scope.NATIONAL
    fields.setdefault("summary", f"Résumé de la pratique « {title} ».")
    sheet = PracticeSheet(
        title=title,
        status=status,
        author_centre=author_centre or member_centre(),
        region=Region.objects.get(code=region) if region else None,
        **fields,
    )
    sheet_save(
        sheet=sheet,
        themes=list(Theme.objects.filter(slug__in=list(themes))),
        communes=communes,
        actors=list(actors),
    )
    if places:
        sheet.places.set(places)
    return sheet
