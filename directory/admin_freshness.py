"""The moderators' view of stale places (freshness.py): how many per organisation and région.

`/admin/directory/place/freshness/`, linked from the list of places, for whoever holds
the rule `directory.view_freshness` (moderators). Every count links to the list of
places filtered the same way, through the list filter « fraîcheur » defined here.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .freshness import (
    fresh_q,
    freshness_months,
    stale_counts_by_organisation,
    stale_counts_by_region,
    stale_cutoff,
    stale_q,
)
from .models import Status

FILTER_PARAMETER = "fraicheur"
STALE, FRESH = "stale", "fresh"


class FreshnessFilter(admin.SimpleListFilter):
    title = _("fraîcheur")
    parameter_name = FILTER_PARAMETER

    def lookups(self, request, model_admin):
        months = freshness_months()
        return [
            (
                STALE,
                ngettext(
                    "à vérifier (plus de %(months)d mois, ou jamais)",
                    "à vérifier (plus de %(months)d mois, ou jamais)",
                    months,
                )
                % {"months": months},
            ),
            (FRESH, _("vérifiées récemment")),
        ]

    def queryset(self, request, queryset):
        if self.value() == STALE:
            return queryset.filter(stale_q())
        if self.value() == FRESH:
            return queryset.filter(fresh_q())
        return queryset


def stale_changelist_url(**lookups: str | int) -> str:
    """The admin's list of stale published places, narrowed by `lookups` (its URL parameters)."""
    query = {"status__exact": Status.PUBLISHED, FILTER_PARAMETER: STALE, **lookups}
    return reverse("admin:directory_place_changelist") + "?" + urlencode(query)


class FreshnessDashboardMixin:
    """PlaceAdmin's dashboard page and the link to it above the list."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        dashboard = self.admin_site.admin_view(self.freshness_view)
        own = [path("freshness/", dashboard, name="{}_{}_freshness".format(*info))]
        return own + super().get_urls()  # before "<path:object_id>/"

    def changelist_view(self, request, extra_context=None):
        if request.user.has_perm("directory.view_freshness"):
            extra_context = {
                **(extra_context or {}),
                "freshness_url": reverse("admin:directory_place_freshness"),
            }
        return super().changelist_view(request, extra_context)

    def freshness_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("directory.view_freshness"):
            raise PermissionDenied
        today = timezone.localdate()
        organisations = stale_counts_by_organisation(today)
        for row in organisations:
            row["url"] = stale_changelist_url(organisation__id__exact=row["organisation_id"])
        regions = stale_counts_by_region(today)
        for row in regions:
            code = row["commune__region__code"]
            row["url"] = stale_changelist_url(region=code) if code else ""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Fraîcheur des lieux publiés"),
            "months": freshness_months(),
            "cutoff": stale_cutoff(today),
            "organisations": organisations,
            "regions": regions,
            "stale_total": sum(row["stale"] for row in organisations),
            "all_stale_url": stale_changelist_url(),
        }
        return TemplateResponse(request, "admin/directory/place/freshness.html", context)
