"""The moderators' activity report (/admin/rapport-activite/): a year or a month of usage
figures, as tables with bar charts drawn server-side in SVG, and as CSV."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import spreadsheets

from . import report

BAR_HEIGHT = 22
LABEL_WIDTH = 260
BAR_WIDTH = 320


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Année"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=gettext_lazy("Mois"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", gettext_lazy("toute l'année")), *MONTHS.items()],
    )


@dataclass
class Bar:
    label: str
    count: int
    y: int
    width: int


def bars(table: report.Table) -> list[Bar]:
    largest = table.largest or 1
    return [
        Bar(row.label, row.count, index * BAR_HEIGHT, round(BAR_WIDTH * row.count / largest))
        for index, row in enumerate(table.rows)
    ]


def _period_label(year: int, month: int | None) -> str:
    if month is None:
        return str(year)
    return date_format(report.period(year, month)[0], "F Y")


def activity_report(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("core.view_activity_report"):
        raise PermissionDenied
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"year": today.year})
    if not form.is_valid():
        return render(
            request,
            "core/usage/report.html",
            {"form": form, "title": _("Rapport d'activité")},
            status=400,
        )
    year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    figures = report.build(year, month)
    if request.GET.get("format") == "csv":
        return _csv(figures, year, month)
    charts = [
        {"table": table, "bars": bars(table), "height": max(1, len(table.rows)) * BAR_HEIGHT}
        for table in [figures.series, *figures.tables]
    ]
    query = request.GET.copy()
    query["format"] = "csv"
    context = {
        **admin.site.each_context(request),
        "title": _("Rapport d'activité — %(period)s") % {"period": _period_label(year, month)},
        "form": form,
        "report": figures,
        "charts": charts,
        "csv_query": query.urlencode(),
        "label_width": LABEL_WIDTH,
        "bar_x": LABEL_WIDTH + 8,
        "chart_width": LABEL_WIDTH + BAR_WIDTH + 80,
    }
    return render(request, "core/usage/report.html", context)


def _csv(figures: report.Report, year: int, month: int | None) -> HttpResponse:
    out = io.StringIO()
    writer = spreadsheets.writer(out)
    period = f"{year}" if month is None else f"{year}-{month:02d}"
    writer.writerow([_("période"), _("mesure"), _("clé"), _("libellé"), _("nombre")])
    for row in figures.totals:
        writer.writerow([period, row.key, "", row.label, row.count])
    for table in [figures.series, *figures.tables]:
        for row in table.rows:
            writer.writerow([period, table.metric, row.key, row.label, row.count])
    response = HttpResponse(
        out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="rapport-activite-{period}.csv"'
    return response


report_view = admin.site.admin_view(activity_report)
