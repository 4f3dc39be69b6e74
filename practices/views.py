"""HTML pages of the practice sheets; queries live in selectors."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext

from core.parameters import page_number
from core.presenters import map_marker
from directory.selectors import published_places

from .forms import SheetFilterForm
from .models import TEXT_FIELDS, ActorRole, PracticeSheet, SheetStatus
from .selectors import (
    SheetFilters,
    editable_sheets,
    filter_sheets,
    published_sheets,
    suggested_text,
)

PAGE_SIZE = 20
# Headings of the sheet's sections (the admin's labels carry hints for the author).
SECTION_TITLES = {
    "context": _("Contexte et enjeu"),
    "goals": _("Objectifs"),
    "how_it_works": _("Fonctionnement"),
    "results": _("Résultats"),
    "evaluation": _("Évaluation"),
    "beneficiaries": _("Bénéficiaires"),
    "funding": _("Financement et moyens"),
    "transferability": _("Transférabilité"),
}
# Headings of the actors' groups, in this order; literal calls so makemessages finds them.
ROLE_HEADINGS = {
    # A context of their own: the same words are the (singular) role labels of ActorRole.
    ActorRole.CARRIER: lambda n: npgettext("actors heading", "Porteur", "Porteurs", n),
    ActorRole.PARTNER: lambda n: npgettext("actors heading", "Partenaire", "Partenaires", n),
    ActorRole.FUNDER: lambda n: npgettext("actors heading", "Financeur", "Financeurs", n),
}


def _marker(sheet: PracticeSheet, point, number: int | None = None) -> dict:
    return map_marker(sheet, name=sheet.title, point=point, number=number)


def sheet_list(request: HttpRequest) -> HttpResponse:
    form = SheetFilterForm(request.GET or None)
    context = {"form": form, "sheets": None}
    if form.is_bound and not form.is_valid():
        return render(request, "practices/sheet_list.html", context)
    filters = form.filters() if form.is_bound else SheetFilters()
    queryset = (
        filter_sheets(published_sheets(), filters)
        .select_related("region")
        .prefetch_related("themes")
    )
    paginator = Paginator(queryset, PAGE_SIZE)
    page_obj = paginator.get_page(page_number(request))
    sheets = list(page_obj.object_list)
    for number, sheet in enumerate(sheets, start=page_obj.start_index()):
        sheet.number = number
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        sheets=sheets,
        page_obj=page_obj,
        total=paginator.count,
        query_string=query.urlencode(),
        map_data=[_marker(s, s.location, s.number) for s in sheets if s.location],
        unplaced=[s for s in sheets if not s.location],
        searched=bool(filters.text),
    )
    if filters.text and not paginator.count:
        suggestion = suggested_text(filters)
        if suggestion:
            query["q"] = suggestion
            context.update(suggestion=suggestion, suggestion_query=query.urlencode())
    return render(request, "practices/sheet_list.html", context)


def _visible_sheets(request: HttpRequest):
    """Published sheets; their authors and the moderators also preview the others."""
    user = request.user
    if user.is_authenticated and user.is_staff:
        return PracticeSheet.objects.filter(
            Q(status=SheetStatus.PUBLISHED) | Q(pk__in=editable_sheets(user).values("pk"))
        )
    return published_sheets()


def sheet_detail(request: HttpRequest, slug: str) -> HttpResponse:
    sheet = get_object_or_404(
        _visible_sheets(request).select_related("region", "department__region", "author_centre"),
        slug=slug,
    )
    actors = list(sheet.actors.select_related("organisation"))
    actor_groups = []
    for role, heading in ROLE_HEADINGS.items():
        organisations = [a.organisation for a in actors if a.role == role]
        if organisations:
            actor_groups.append((heading(len(organisations)), organisations))
    if sheet.points and len(sheet.points):
        markers = [_marker(sheet, point) for point in sheet.points]
    elif sheet.location:
        markers = [_marker(sheet, sheet.location)]
    else:
        markers = []
    context = {
        "sheet": sheet,
        "preview": sheet.status != SheetStatus.PUBLISHED,
        "actor_groups": actor_groups,
        "themes": list(sheet.themes.all()),
        "communes": list(sheet.communes.select_related("department").order_by("name")),
        "places": list(
            published_places()
            .filter(practice_sheets=sheet)
            .select_related("organisation", "commune")
            .order_by("name")
        ),
        "sources": list(sheet.sources.all()),
        "map_data": markers,
        "sections": [
            (SECTION_TITLES[name], getattr(sheet, name))
            for name in TEXT_FIELDS
            if name in SECTION_TITLES and getattr(sheet, name).strip()
        ],
    }
    return render(request, "practices/sheet_detail.html", context)
