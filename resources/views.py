"""HTML pages and downloads of the documentary base; queries live in selectors."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from core.parameters import page_number
from directory.models import Organisation
from directory.selectors import published_places

from .citation import citation_html
from .exports import CONTENT_TYPES, MAX_EXPORTED, export_response
from .forms import NoticeFilterForm
from .models import Bibliography, Notice, NoticeStatus
from .printing import PdfRefused
from .printing import bibliography_pdf as build_pdf
from .rules import editable_bibliographies, editable_notices
from .selectors import (
    NoticeFilters,
    bibliography_notices,
    facets,
    filter_notices,
    published_bibliographies,
    published_notices,
    suggested_text,
)

PAGE_SIZE = 20


def _filters(request: HttpRequest) -> tuple[NoticeFilterForm, NoticeFilters | None]:
    form = NoticeFilterForm(request.GET or None)
    if not form.is_bound:
        return form, NoticeFilters()
    return form, form.filters() if form.is_valid() else None


def notice_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    if filters is None:
        return render(request, "resources/notice_list.html", {"form": form}, status=400)
    queryset = filter_notices(published_notices(), filters).select_related("region")
    paginator = Paginator(queryset, PAGE_SIZE)
    page_obj = paginator.get_page(page_number(request))
    query = request.GET.copy()
    query.pop("page", None)
    chosen = {
        "type": set(filters.types),
        "year": {str(y) for y in filters.years},
        "theme": set(filters.themes),
        "region": set(filters.regions),
        "centre": set(filters.centres),
    }
    facet_groups = []
    counted = facets(filters)
    for key, name in (
        ("type", "types"),
        ("year", "years"),
        ("theme", "themes"),
        ("region", "regions"),
        ("centre", "centres"),
    ):
        values = []
        for value, text, count in counted[name]:
            toggled = query.copy()
            current = toggled.getlist(key)
            toggled.setlist(
                key,
                [v for v in current if v != value] if value in chosen[key] else [*current, value],
            )
            values.append((value, text, count, value in chosen[key], toggled.urlencode()))
        facet_groups.append((key, form.fields[key].label, values))
    context = {
        "form": form,
        "notices": list(page_obj.object_list),
        "page_obj": page_obj,
        "total": paginator.count,
        "query_string": query.urlencode(),
        "facet_groups": facet_groups,
        "searched": bool(filters.text),
        "bibliographies": list(published_bibliographies().order_by("title")[:6]),
    }
    if filters.text and not paginator.count:
        suggestion = suggested_text(filters)
        if suggestion:
            query["q"] = suggestion
            context.update(suggestion=suggestion, suggestion_query=query.urlencode())
    return render(request, "resources/notice_list.html", context)


def search_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    _form, filters = _filters(request)
    if filters is None:
        return HttpResponse("Paramètres de recherche invalides.", status=400)
    notices = list(
        filter_notices(published_notices(), filters).prefetch_related("authors", "themes")[
            :MAX_EXPORTED
        ]
    )
    return export_response(notices, fmt, "documentation-reperes")


def _visible(request: HttpRequest, model, published, editable):
    user = request.user
    if user.is_authenticated and user.is_staff:
        return model.objects.filter(
            Q(status=NoticeStatus.PUBLISHED) | Q(pk__in=editable(user).values("pk"))
        )
    return published


def notice_detail(request: HttpRequest, slug: str) -> HttpResponse:
    notice = get_object_or_404(
        _visible(request, Notice, published_notices(), editable_notices).select_related(
            "region", "department", "holding_centre", "author_centre"
        ),
        slug=slug,
    )
    authors = list(notice.authors.select_related("organisation"))
    linked_orgs = {a.organisation for a in authors if a.organisation_id}
    organisations = sorted(
        {*notice.organisations.all(), *linked_orgs}, key=lambda o: o.name.lower()
    )
    context = {
        "notice": notice,
        "preview": notice.status != NoticeStatus.PUBLISHED,
        "authors": authors,
        "citation": citation_html(notice),
        "themes": list(notice.themes.all()),
        "competences": list(notice.competences.all()),
        "communes": list(notice.communes.select_related("department").order_by("name")),
        "sheets": list(
            notice.practice_sheets.filter(status=NoticeStatus.PUBLISHED)
            .select_related("region")
            .order_by("title")
        ),
        "organisations": organisations,
        "places": _places_of(organisations),
        "bibliographies": list(
            published_bibliographies().filter(entries__notice=notice).distinct()
        ),
    }
    return render(request, "resources/notice_detail.html", context)


def _places_of(organisations: list[Organisation]):
    if not organisations:
        return []
    return list(
        published_places()
        .filter(organisation__in=organisations)
        .select_related("commune")
        .order_by("name")[:10]
    )


def notice_file(request: HttpRequest, slug: str) -> FileResponse:
    notice = get_object_or_404(
        _visible(request, Notice, published_notices(), editable_notices), slug=slug
    )
    if not notice.file:
        raise Http404
    try:
        handle = notice.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, content_type="application/pdf", filename=f"{notice.slug}.pdf", as_attachment=False
    )


def notice_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    notice = get_object_or_404(
        _visible(request, Notice, published_notices(), editable_notices), slug=slug
    )
    return export_response([notice], fmt, notice.slug)


def bibliography_list(request: HttpRequest) -> HttpResponse:
    bibliographies = published_bibliographies().select_related("author_centre").order_by("title")
    return render(
        request, "resources/bibliography_list.html", {"bibliographies": list(bibliographies)}
    )


def _bibliography(request: HttpRequest, slug: str) -> Bibliography:
    return get_object_or_404(
        _visible(
            request, Bibliography, published_bibliographies(), editable_bibliographies
        ).select_related("author_centre"),
        slug=slug,
    )


def _bibliography_context(bibliography: Bibliography, notices: list[Notice]) -> dict:
    return {
        "bibliography": bibliography,
        "entries": [(n, citation_html(n)) for n in notices],
        "preview": bibliography.status != NoticeStatus.PUBLISHED,
    }


def bibliography_detail(request: HttpRequest, slug: str) -> HttpResponse:
    bibliography = _bibliography(request, slug)
    return render(
        request,
        "resources/bibliography_detail.html",
        _bibliography_context(bibliography, bibliography_notices(bibliography)),
    )


def bibliography_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    bibliography = _bibliography(request, slug)
    return export_response(bibliography_notices(bibliography), fmt, bibliography.slug)


def bibliography_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    bibliography = _bibliography(request, slug)
    notices = bibliography_notices(bibliography)
    try:
        pdf = build_pdf(request, bibliography, notices)
    except PdfRefused as refused:
        message = (
            _(
                "Trop de PDF demandés depuis cette adresse. Réessayez plus tard, ou imprimez la page."
            )
            if refused.status == 429
            else _("Le PDF n’a pas pu être produit. Imprimez la page depuis le navigateur.")
        )
        response = render(
            request,
            "resources/bibliography_detail.html",
            _bibliography_context(bibliography, notices) | {"pdf_error": message},
            status=refused.status,
        )
        if refused.retry_after:
            response["Retry-After"] = str(refused.retry_after)
        return response
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{bibliography.slug}.pdf")
    return response
