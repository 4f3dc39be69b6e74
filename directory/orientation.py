"""The orientation sheet: what a social worker prints and hands to a newcomer.

The nearest places of a search (the query string of /annuaire/, read by
`views.run_search`), on one A4 page: name, address, phone, the week's hours in words and
a QR code to each place's page, in French beside the language the person reads
(`?langue=`). The same page as a PDF (WeasyPrint) at /annuaire/fiche.pdf.

Each label of the second language is rendered under `translation.override`, so the
sheet needs no template tag: the template loops over one column per language.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import segno
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape, format_html_join
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.pdf import render_pdf
from core.ratelimit import client_ip, spend

from . import hours as hours_text
from .forms import SearchForm
from .models import Competence, Place
from .views import run_search

logger = logging.getLogger(__name__)

SHEET_SIZE = 8  # what one A4 page holds, and the bound on a PDF's cost
FRENCH = "fr"
MAX_SERVICES = 4  # competences named per place: the row keeps its height
QR_BORDER = 2  # modules of quiet zone drawn in the SVG; the layout's gaps add to it


class SheetError(Exception):
    """Why no sheet can be made from these parameters: a page with this status says so."""

    def __init__(self, messages: list[str], status: int = 400, retry_after: int | None = None):
        super().__init__(" ".join(messages))
        self.messages = messages
        self.status = status
        self.retry_after = retry_after


def language_choices() -> list[tuple[str, str]]:
    """(code, name in that language) for every interface language (settings.LANGUAGES)."""
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def second_language(request) -> str | None:
    """The language printed beside French: `?langue=`, else the interface's if not French."""
    codes = [code for code, _name in language_choices()]
    asked = request.GET.get("langue")
    if asked is None or asked == "":
        active = translation.get_language() or FRENCH
        return active if active in codes and active != FRENCH else None
    if asked not in codes:
        raise SheetError(
            [
                _("Cette langue n’est pas proposée pour la fiche. Langues possibles : %(codes)s.")
                % {"codes": ", ".join(codes)}
            ]
        )
    return None if asked == FRENCH else asked


def is_rtl(code: str) -> bool:
    try:
        return bool(translation.get_language_info(code)["bidi"])
    except KeyError:
        return False


def place_qr(url: str) -> str:
    """The QR code of `url`, as inline SVG sized by the stylesheet."""
    return segno.make(url, error="m").svg_inline(
        border=QR_BORDER, omitsize=True, svgclass="sheet-qr", lineclass=None
    )


def hours_in_words(place: Place) -> list[str]:
    """The week's hours, days alike grouped: « Lundi – vendredi : 09:00–12:00 », in the
    active language (call under `translation.override`). HTML: a time span never breaks
    across lines."""
    days = hours_text.week(place.hours)
    if not days:
        return [hours_text.status(None).text]
    runs: list[list[str]] = []  # [first day, last day, hours]
    for day, spans in days:
        if runs and runs[-1][2] == spans:
            runs[-1][1] = day
        else:
            runs.append([day, day, spans])
    lines = []
    for first, last, spans in runs:
        days_text = (
            first
            if first == last
            else _("%(first)s – %(last)s") % {"first": first, "last": last.lower()}
        )
        # week() joins a day's spans with ", "; each stays left to right, whole, on one line
        spans_html = format_html_join(
            ", ",
            '<bdi class="sheet-nowrap" dir="ltr">{}</bdi>',
            ((span,) for span in spans.split(", ")),
        )
        lines.append(
            mark_safe(  # every piece escaped: the format, the days, each span
                escape(_("%(days)s : %(hours)s")) % {"days": escape(days_text), "hours": spans_html}
            )
        )
    return lines


@dataclass
class Column:
    """One language of the sheet: its labels, and the language attributes of its blocks."""

    code: str
    rtl: bool
    labels: dict[str, str] = field(default_factory=dict)


def _labels(run, count: int, radius_km: float) -> dict[str, str]:
    """The sheet's words in the active language."""
    return {
        "title": _("Fiche d’orientation"),
        "nearest": ngettext(
            "Le lieu le plus proche de %(place)s, à moins de %(radius)s km",
            "Les %(count)s lieux les plus proches de %(place)s, à moins de %(radius)s km",
            count,
        )
        % {
            "count": count,
            "place": run.origin_label,
            "radius": formats.number_format(
                int(radius_km) if float(radius_km).is_integer() else radius_km
            ),
        },
        "hours": _("Horaires"),
        "services": _("Ce qu'on y trouve"),
        "call_first": _("Les horaires peuvent changer : appelez avant de vous déplacer."),
        "scan": _("Le code de chaque lieu ouvre sa page, à jour, sur un téléphone."),
        "printed": _("Fiche établie le %(date)s")
        % {"date": formats.date_format(timezone.localdate(), "DATE_FORMAT")},
        "empty": _("Aucun lieu ne correspond à cette recherche."),
    }


def _competences(places: list[Place]) -> dict[int, list[Competence]]:
    """Each place's competences, in the taxonomy's order, from one query."""
    wanted = {
        place.pk: {int(pk) for pk in (place.competence_pks or "").split(",") if pk}
        for place in places
    }
    every = set().union(*wanted.values()) if wanted else set()
    ordered = list(Competence.objects.filter(pk__in=every)) if every else []
    return {pk: [c for c in ordered if c.pk in ids] for pk, ids in wanted.items()}


def _services(competences: list[Competence]) -> list[str]:
    """The first MAX_SERVICES competences' names, in the active language; "…" if more."""
    names = [competence.label for competence in competences[:MAX_SERVICES]]
    return names + ["…"] if len(competences) > MAX_SERVICES else names


def build_sheet(request) -> dict:
    """The sheet's context, or SheetError when the parameters make no sheet."""
    form = SearchForm(request.GET)
    second = second_language(request)
    if not form.is_valid():
        raise SheetError([str(e) for errors in form.errors.values() for e in errors])
    data = form.cleaned_data
    if data["lat"] is None and not data["q"]:
        raise SheetError(
            [
                _(
                    "La fiche donne les lieux les plus proches d’une adresse : indiquez une "
                    "adresse, une commune, un code postal ou une position."
                )
            ]
        )
    run = run_search(request, form, page=1, page_size=SHEET_SIZE)
    if run.limited is not None:
        raise SheetError(
            [str(e) for e in form.errors.get("q", [])], status=429, retry_after=run.limited.wait
        )
    if run.homonyms:
        raise SheetError(
            [
                _(
                    "Plusieurs communes s’appellent « %(q)s » : choisissez la vôtre sur la page "
                    "de recherche, puis imprimez la fiche."
                )
                % {"q": data["q"]}
            ]
        )
    if run.not_found:
        raise SheetError([_("Adresse introuvable : « %(q)s ».") % {"q": data["q"]}])
    if run.result is None:
        raise SheetError([str(e) for e in form.errors.get("q", [])])

    places = run.result.places[:SHEET_SIZE]
    competences = _competences(places)
    codes = [FRENCH] + ([second] if second else [])
    columns, texts = [], {place.pk: [] for place in places}
    for code in codes:
        with translation.override(code):
            columns.append(Column(code, is_rtl(code), _labels(run, len(places), data["radius"])))
            for place in places:
                texts[place.pk].append(
                    {
                        "code": code,
                        "rtl": is_rtl(code),
                        "hours": hours_in_words(place),
                        "services": _services(competences[place.pk]),
                        "appointment": _("sur rendez-vous uniquement")
                        if place.appointment_only
                        else "",
                    }
                )
    entries = []
    for place in places:
        url = request.build_absolute_uri(place.get_absolute_url())
        entries.append(
            {
                "place": place,
                "url": url,
                "qr": place_qr(url),
                "texts": texts[place.pk],
            }
        )

    query = request.GET.copy()
    query.pop("langue", None)
    query.pop("page", None)
    search_url = request.build_absolute_uri(reverse("directory:search")) + "?" + query.urlencode()
    return {
        "columns": columns,
        "entries": entries,
        "second": second,
        "origin_label": run.origin_label,
        "search_url": search_url,
        "query": query,
        "languages": _language_links(query, second),
        "filename": "fiche-orientation-{}{}.pdf".format(
            slugify(run.origin_label) or "recherche", f"-{second}" if second else ""
        ),
    }


def _language_links(query, second: str | None) -> list[dict]:
    """The sheet in each language (French alone, or French beside another)."""
    links = []
    for code, name in language_choices():
        chosen = query.copy()
        chosen["langue"] = code
        links.append(
            {
                "code": code,
                "name": name,
                "rtl": is_rtl(code),
                "url": "?" + chosen.urlencode(),
                "current": code == (second or FRENCH),
            }
        )
    return links


def _error_page(request, error: SheetError) -> HttpResponse:
    query = request.GET.copy()
    query.pop("langue", None)
    response = render(
        request,
        "directory/orientation_error.html",
        {
            "messages_list": error.messages,
            "search_url": reverse("directory:search") + ("?" + query.urlencode() if query else ""),
        },
        status=error.status,
    )
    if error.retry_after is not None:
        response["Retry-After"] = str(error.retry_after)
    return response


def orientation_sheet(request):
    try:
        context = build_sheet(request)
    except SheetError as error:
        return _error_page(request, error)
    context["pdf_url"] = reverse("directory:orientation-pdf") + "?" + request.GET.urlencode()
    return render(request, "directory/orientation.html", context)


def orientation_pdf(request):
    try:
        context = build_sheet(request)
    except SheetError as error:
        return _error_page(request, error)
    # WeasyPrint takes a second of CPU per sheet: a budget per client keeps it for people.
    wait = spend("orientation-pdf", client_ip(request), settings.ORIENTATION_PDF_RATE)
    if wait:
        return _error_page(
            request,
            SheetError(
                [
                    _(
                        "Trop de PDF demandés depuis cette adresse. Réessayez plus tard, "
                        "ou imprimez la fiche depuis le navigateur."
                    )
                ],
                status=429,
                retry_after=wait,
            ),
        )
    html = render_to_string("directory/orientation.html", context | {"pdf": True}, request)
    try:
        pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    except Exception:  # WeasyPrint's own failures: say so rather than a 500
        logger.exception("Orientation sheet PDF failed")
        return _error_page(
            request,
            SheetError(
                [_("Le PDF n’a pas pu être produit. Imprimez la fiche depuis le navigateur.")],
                status=503,
            ),
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, context["filename"])
    return response
