"""Writing and publishing practice sheets in the Django admin.

Editors are the `editors` of a member centre: they see, write and change only
their centres' sheets, and move them between draft and review. Network
moderators (superusers or holders of `practices.moderate_sheet`) publish. Who
may do what is decided by the rules of practices/rules.py, asked here through
`user.has_perm()`; the lists come from their SQL side. Every change goes
through `sheet_save`, so the région and the map position follow from the area
covered, and lands in the history.

Communes, places and organisations are picked through this admin's own look-up
(`lookup/<kind>/`): the directory's admin only shows an editor her own
organisations and places, whereas a sheet names partners and places of others.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from core import review
from core.admin import HeldEditsMixin
from core.parameters import parameter_errors
from directory.admin import CurrentRowHistoryMixin
from directory.models import Organisation
from directory.rules import visible_places
from geodata.models import Commune
from geodata.selectors import search_communes

from .forms import PracticeSheetAdminForm
from .models import TEXT_FIELDS, PracticeSheet, Scope, SheetActor, SheetStatus, SourceLink, Theme
from .rules import author_centres, editable_sheets
from .services import sheet_save

LOOKUP_PAGE_SIZE = 20
# The statuses an editor may choose; publishing needs `practices.publish_practicesheet`.
EDITOR_STATUSES = (SheetStatus.DRAFT, SheetStatus.IN_REVIEW)


class LookupMixin:
    """Select2 widget of the admin, fed by PracticeSheetAdmin.lookup_view."""

    def __init__(self, field, admin_site, kind: str, **kwargs):
        self.kind = kind
        super().__init__(field, admin_site, **kwargs)

    def get_url(self) -> str:
        return reverse(f"{self.admin_site.name}:practices_sheet_lookup", args=[self.kind])


class LookupSelect(LookupMixin, AutocompleteSelect):
    pass


class LookupSelectMultiple(LookupMixin, AutocompleteSelectMultiple):
    pass


def _lookup_communes(user, term: str, offset: int) -> list[tuple[int, str]]:
    found = search_communes(term, limit=offset + LOOKUP_PAGE_SIZE + 1)[offset:]
    return [(c.pk, f"{c.name} ({c.department.code})") for c in found]


def _lookup_places(user, term: str, offset: int) -> list[tuple[int, str]]:
    # The same places as the field accepts: no other organisation's draft or archive.
    rows = (
        visible_places(user)
        .filter(Q(name__icontains=term) | Q(organisation__name__icontains=term))
        .select_related("commune")
        .order_by("name", "pk")[offset : offset + LOOKUP_PAGE_SIZE + 1]
    )
    return [(p.pk, f"{p.name} — {p.commune.name}" if p.commune_id else p.name) for p in rows]


def _lookup_organisations(user, term: str, offset: int) -> list[tuple[int, str]]:
    rows = Organisation.objects.filter(Q(name__icontains=term) | Q(slug__icontains=term)).order_by(
        "name", "pk"
    )[offset : offset + LOOKUP_PAGE_SIZE + 1]
    return [(o.pk, o.name) for o in rows]


LOOKUPS = {
    "communes": _lookup_communes,
    "places": _lookup_places,
    "organisations": _lookup_organisations,
}


class HeldSheetInlineMixin:
    """A published sheet's actors and sources are not held for review with its fields
    (core/review.py): for an editor whose changes wait for review, a moderator's to change."""

    def _held(self, request, obj) -> bool:
        return obj is not None and review.held(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return not self._held(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._held(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._held(request, obj) and super().has_delete_permission(request, obj)


class SheetActorInline(HeldSheetInlineMixin, admin.TabularInline):
    model = SheetActor
    extra = 1
    verbose_name_plural = _("acteurs : porteurs, partenaires, financeurs")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["widget"] = LookupSelect(db_field, self.admin_site, kind="organisations")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SourceLinkInline(HeldSheetInlineMixin, admin.TabularInline):
    model = SourceLink
    extra = 1
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class RegionListFilter(admin.SimpleListFilter):
    title = _("région")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        sheets = model_admin.get_queryset(request)
        regions = (
            sheets.exclude(region=None)
            .values_list("region__code", "region__name")
            .distinct()
            .order_by("region__name")
        )
        return list(regions)

    def queryset(self, request, queryset):
        return queryset.filter(region__code=self.value()) if self.value() else queryset


@admin.register(PracticeSheet)
class PracticeSheetAdmin(
    HeldEditsMixin, CurrentRowHistoryMixin, LeafletGeoAdminMixin, SimpleHistoryAdmin
):
    form = PracticeSheetAdminForm
    inlines = [SheetActorInline, SourceLinkInline]
    list_display = ("title", "status", "author_centre", "region", "updated_at")
    list_filter = ("status", "themes", RegionListFilter, "scope", "author_centre")
    list_select_related = ("author_centre", "region")
    search_fields = ("title", "summary", "slug")
    actions = ("publish", "submit_for_review", "back_to_draft")
    readonly_fields = ("location_text", "created_at", "updated_at")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 5})}}
    settings_overrides = {"DEFAULT_CENTER": (46.6, 2.4), "DEFAULT_ZOOM": 5}
    restore_rule = "practices.restore_practicesheet_version"

    fieldsets = [
        (
            _("La pratique"),
            {"fields": ["title", "slug", "author_centre", "themes", "summary"]},
        ),
        (
            _("Description (modèle du site européen sur l'intégration)"),
            {
                "fields": [f for f in TEXT_FIELDS if f != "summary"],
                "description": _(
                    "Markdown accepté : **gras**, *italique*, listes, liens. "
                    "Le HTML, les scripts et les styles sont retirés à l'affichage."
                ),
            },
        ),
        (
            _("Période"),
            {"fields": ["start_date", "end_date", "became_regular_service", "review_date"]},
        ),
        (
            _("Territoire"),
            {
                "fields": [
                    "scope",
                    "communes",
                    "department",
                    "region",
                    "points",
                    "location_text",
                    "places",
                ],
                "description": _(
                    "La région et la position sur la carte se déduisent du territoire : "
                    "la ou les communes, le département ou la région. Placez des points "
                    "seulement pour montrer des lieux précis."
                ),
            },
        ),
        (_("Publication"), {"fields": ["status", "created_at", "updated_at"]}),
    ]

    # -- form ---------------------------------------------------------------

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("title",)} if obj is None else {}

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly.append("slug")  # the sheet's address: links to it must keep working
        if (
            obj is not None
            and obj.status == SheetStatus.PUBLISHED
            and not self.may_publish(request, obj)
        ):
            readonly.append("status")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        status = form.base_fields.get("status")
        if status is not None and not self.may_publish(request, obj):
            status.choices = [(s.value, s.label) for s in EDITOR_STATUSES]
            status.help_text = _("Un modérateur du réseau publie les fiches en relecture.")
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author_centre":
            kwargs["queryset"] = author_centres(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "themes":
            kwargs["widget"] = forms.CheckboxSelectMultiple
            kwargs["queryset"] = Theme.objects.all()
        elif db_field.name == "communes":
            kwargs["widget"] = LookupSelectMultiple(db_field, self.admin_site, kind="communes")
            kwargs["queryset"] = Commune.objects.select_related("department")
        elif db_field.name == "places":
            kwargs["widget"] = LookupSelectMultiple(db_field, self.admin_site, kind="places")
            # Choices and validation: the places she may see (directory/rules.py).
            kwargs["queryset"] = visible_places(request.user).select_related("commune")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("position sur la carte"))
    def location_text(self, obj: PracticeSheet) -> str:
        if obj is None or obj.location is None:
            return gettext("calculée à l'enregistrement")
        return f"{obj.location.y:.5f}, {obj.location.x:.5f}"

    # -- look-up for the select2 widgets -------------------------------------

    def get_urls(self):
        lookup = path(
            "lookup/<str:kind>/",
            self.admin_site.admin_view(self.lookup_view),
            name="practices_sheet_lookup",
        )
        return [lookup, *super().get_urls()]

    def lookup_view(self, request, kind: str) -> JsonResponse:
        if kind not in LOOKUPS:
            return JsonResponse({"error": "unknown lookup"}, status=404)
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        refused = parameter_errors(request.GET, ("term", "page"))
        if refused:
            return JsonResponse({"errors": refused}, status=400)
        term = request.GET.get("term", "").strip()[:100]
        try:
            page = max(1, int(request.GET.get("page", 1)))
        except ValueError:
            page = 1
        rows = LOOKUPS[kind](request.user, term, (page - 1) * LOOKUP_PAGE_SIZE) if term else []
        return JsonResponse(
            {
                "results": [{"id": str(pk), "text": text} for pk, text in rows[:LOOKUP_PAGE_SIZE]],
                "pagination": {"more": len(rows) > LOOKUP_PAGE_SIZE},
            }
        )

    # -- permissions --------------------------------------------------------

    def get_queryset(self, request) -> QuerySet[PracticeSheet]:
        queryset = editable_sheets(request.user)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def has_add_permission(self, request):
        # Without an object, has_perm() is the model permission alone (ModelBackend answers
        # too); a sheet also needs a centre the add rule lets her write for.
        return (
            request.user.has_perm("practices.add_practicesheet")
            and author_centres(request.user).exists()
        )

    def has_view_permission(self, request, obj=None):
        # The model permission (the admin's own check), then whose the sheet is.
        return super().has_view_permission(request, obj) and (
            obj is None or request.user.has_perm("practices.view_draft_practicesheet", obj)
        )

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("practices.change_practicesheet", obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("practices.delete_practicesheet", obj)

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("practices.publish_practicesheet")

    def may_publish(self, request, obj: PracticeSheet | None) -> bool:
        return request.user.has_perm("practices.publish_practicesheet", obj)

    # -- saving -------------------------------------------------------------

    def save_model(self, request, obj: PracticeSheet, form, change):
        if not self.may_publish(request, obj):
            current = (
                PracticeSheet.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
            )
            if current == SheetStatus.PUBLISHED:
                obj.status = current  # read-only for editors once published
            elif obj.status not in EDITOR_STATUSES:
                obj.status = SheetStatus.DRAFT
        if self.hold_for_review(request, obj, form, change):
            return  # a published sheet: the change waits for a moderator (core/review.py)
        communes = form.cleaned_data.get("communes")
        if obj.scope == Scope.COMMUNES and communes and "region" not in form.changed_data:
            obj.region = None  # follows the communes, which may have changed
        obj._history_user = request.user
        # The communes are saved here (not only by save_related) so that the région and
        # the map position are derived from the ones just chosen.
        sheet_save(sheet=obj, communes=list(communes) if communes is not None else None)

    def relations_for_review(self, request, obj, relations):
        # The places she may not see stay linked (as save_related keeps them).
        if "places" in relations:
            hidden = obj.places.exclude(pk__in=visible_places(request.user).values("pk"))
            relations["places"] = sorted(
                {*relations["places"], *hidden.values_list("pk", flat=True)}
            )
        return relations

    def save_related(self, request, form, formsets, change):
        if self.is_held(request):
            return
        # Places linked by someone who may see them (another organisation's draft, since
        # archived...) are not among her choices, so not in the form: keep them.
        hidden = list(
            form.instance.places.exclude(pk__in=visible_places(request.user).values("pk"))
            if change
            else []
        )
        super().save_related(request, form, formsets, change)
        if hidden and "places" in form.cleaned_data:
            form.instance.places.add(*hidden)
        sheet = form.instance
        if sheet.scope == Scope.COMMUNES and sheet.location is None:
            sheet_save(sheet=sheet, communes=list(sheet.communes.all()))

    # -- actions ------------------------------------------------------------

    def _set_status(self, request, queryset, status: str, reason: str, allowed) -> int:
        """Save each sheet (not queryset.update()) so that every change lands in the history.

        `allowed(sheet)` says whether this user may move this sheet from its status.
        """
        count = 0
        for sheet in queryset:
            if sheet.status == status or not allowed(sheet):
                continue
            sheet.status = status
            sheet._history_user = request.user
            sheet._change_reason = reason
            sheet.save(update_fields=["status", "updated_at"])
            self.log_change(request, sheet, reason)
            count += 1
        return count

    @admin.action(description=_("Publier les fiches sélectionnées"), permissions=["publish"])
    def publish(self, request, queryset):
        count = self._set_status(
            request,
            queryset,
            SheetStatus.PUBLISHED,
            gettext("Publiée"),
            lambda sheet: self.may_publish(request, sheet),
        )
        self.message_user(
            request, ngettext("%d fiche publiée.", "%d fiches publiées.", count) % count
        )

    @admin.action(description=_("Soumettre à la relecture"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        count = self._set_status(
            request,
            queryset,
            SheetStatus.IN_REVIEW,
            gettext("Soumise à la relecture"),
            lambda sheet: (
                sheet.status == SheetStatus.DRAFT
                and request.user.has_perm("practices.change_practicesheet", sheet)
            ),
        )
        self.message_user(
            request,
            ngettext(
                "%d fiche soumise à la relecture.", "%d fiches soumises à la relecture.", count
            )
            % count,
        )

    @admin.action(description=_("Repasser en brouillon"), permissions=["change"])
    def back_to_draft(self, request, queryset):
        def allowed(sheet: PracticeSheet) -> bool:
            # Out of review: the sheet's editors; out of publication: who may publish.
            return request.user.has_perm("practices.change_practicesheet", sheet) and (
                sheet.status == SheetStatus.IN_REVIEW or self.may_publish(request, sheet)
            )

        count = self._set_status(
            request, queryset, SheetStatus.DRAFT, gettext("Repassée en brouillon"), allowed
        )
        self.message_user(
            request,
            ngettext("%d fiche repassée en brouillon.", "%d fiches repassées en brouillon.", count)
            % count,
        )


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "name_en", "position")
    search_fields = ("name", "name_en", "slug")
    ordering = ("position", "name")

    def get_readonly_fields(self, request, obj=None):
        # Slugs are stable identifiers: filters in shared URLs name themes by slug.
        return ("slug",) if obj is not None else ()

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("name",)} if obj is None else {}
