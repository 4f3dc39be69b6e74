"""Editing the directory in the Django admin.

Editors belong to organisations and see, add and change only their
organisations' places; network moderators (superusers or holders of
`directory.moderate_place`) see everything, publish and archive. Who may do
what is decided by the rules of directory/rules.py, asked here through
`user.has_perm()`; the lists come from their SQL side. Every change goes through
`place_save`, so the commune (hence département and région) always follows from
the point, and is kept in the history (django-simple-history).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import HeldEditsMixin
from geodata.models import Region
from geodata.selectors import in_french_order

from .admin_forms import PlaceAdminForm
from .admin_freshness import FreshnessDashboardMixin, FreshnessFilter
from .imports.admin import PlaceImportMixin
from .models import Competence, Kind, Organisation, Place, Status
from .rules import editable_places, editor_organisations
from .services import place_save
from .suggestions.admin import open_suggestions_context  # also registers the queue's admin


class RegionFilter(admin.SimpleListFilter):
    title = _("région")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        places = model_admin.get_queryset(request)
        regions = in_french_order(
            Region.objects.filter(pk__in=places.values("commune__region")).only("code", "name")
        )
        return [(region.code, region.name) for region in regions]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(commune__region__code=self.value())
        return queryset


class CurrentRowHistoryMixin:
    """History is shown to who may see the row as it is now; an old version is restored
    only by who has the restore rule on the current row.

    simple-history checks permissions against the *historical* instance: an editor could
    otherwise open a version from when the row was hers and restore it, taking it back.
    """

    restore_rule: str  # e.g. "directory.restore_place_version"

    def _current_row(self, object_id):
        try:
            return self.model._default_manager.get(pk=unquote(object_id))
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def history_view(self, request, object_id, extra_context=None):
        current = self._current_row(object_id)  # None: deleted, simple-history judges its past
        if current is not None and not self.has_view_or_change_permission(request, current):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self._current_row(object_id)
        if current is None or not self.has_view_or_change_permission(request, current):
            raise PermissionDenied
        if request.method == "POST" and not request.user.has_perm(self.restore_rule, current):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Place)
class PlaceAdmin(
    HeldEditsMixin,
    PlaceImportMixin,
    FreshnessDashboardMixin,
    CurrentRowHistoryMixin,
    LeafletGeoAdminMixin,
    SimpleHistoryAdmin,
):
    form = PlaceAdminForm
    list_display = ("name", "organisation", "commune", "status", "last_verified", "updated_at")
    list_filter = (
        "status",
        RegionFilter,
        FreshnessFilter,
        "kinds",
        "competences",
        "absent_from_import",
        "source",
    )
    list_select_related = ("organisation", "commune__department")
    search_fields = ("name", "organisation__name", "street")
    actions = ("publish", "archive", "mark_verified")
    restore_rule = "directory.restore_place_version"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = (
        "slug",
        "commune",
        "commune_department",
        "commune_region",
        "geocode_precision",
        "geocode_label",
        "created_at",
        "updated_at",
        "source",
        "source_id",
        "imported_at",
        "absent_from_import",
    )

    # -- form ---------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A link to the place's open « Signaler une erreur » reports (directory/suggestions/).
        extra_context = {**open_suggestions_context(request, object_id), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_fieldsets(self, request, obj=None):
        position = ["street", "postal_code", "city"]
        if obj is not None:
            position.append("relocate")  # a new place is always geocoded from its address
        position += [
            "location",
            "geocode_precision",
            "geocode_label",
            "commune",
            "commune_department",
            "commune_region",
        ]
        return [
            (
                _("Identité"),
                {"fields": ["name", "slug", "organisation", "description", "kinds", "competences"]},
            ),
            (
                _("Adresse et position"),
                {
                    "fields": position,
                    "description": _(
                        "À l'enregistrement, l'adresse est cherchée dans la Base Adresse "
                        "Nationale ; déplacez ensuite le marqueur si la position est inexacte. "
                        "La commune, le département et la région suivent le point."
                    ),
                },
            ),
            (
                _("Accueil"),
                {
                    "fields": [
                        "opening_hours",
                        "appointment_only",
                        "languages",
                        "interpreting",
                        "wheelchair",
                        "public",
                        "phone",
                        "email",
                        "website",
                    ]
                },
            ),
            (
                _("Publication"),
                {"fields": ["status", "last_verified", "created_at", "updated_at"]},
            ),
            *(
                [
                    (
                        _("Import"),
                        {
                            "fields": ["source", "source_id", "imported_at", "absent_from_import"],
                            "description": _(
                                "Lieu importé (manage.py import_places). Vos modifications sont "
                                "gardées : un import ultérieur les signale sans les écraser."
                            ),
                        },
                    )
                ]
                if obj is not None and obj.source
                else []
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.may_set_status(request, obj):
            readonly.append("status")
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = editor_organisations(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("kinds", "competences"):
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("département"))
    def commune_department(self, obj: Place):
        return obj.commune.department if obj.commune_id else self.get_empty_value_display()

    @admin.display(description=_("région"))
    def commune_region(self, obj: Place):
        return obj.commune.region if obj.commune_id else self.get_empty_value_display()

    # -- permissions --------------------------------------------------------

    def get_queryset(self, request) -> QuerySet[Place]:
        queryset = editable_places(request.user)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def has_view_permission(self, request, obj=None):
        # The model permission (the admin's own check), then whose the place is.
        return super().has_view_permission(request, obj) and (
            obj is None or request.user.has_perm("directory.view_draft_place", obj)
        )

    def has_add_permission(self, request):
        return request.user.has_perm("directory.add_place")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("directory.change_place", obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("directory.delete_place", obj)

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("directory.publish_place")

    def has_archive_permission(self, request) -> bool:
        return request.user.has_perm("directory.archive_place")

    def may_set_status(self, request, obj: Place | None) -> bool:
        user = request.user
        return user.has_perm("directory.publish_place", obj) and user.has_perm(
            "directory.archive_place", obj
        )

    # -- saving -------------------------------------------------------------

    def save_model(self, request, obj: Place, form, change):
        if not self.may_set_status(request, obj):
            # Status is read-only for editors; this also stops a history "revert"
            # from bringing back a publication a moderator had withdrawn.
            current = Place.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
            obj.status = current if change and current else Status.DRAFT
        form.apply_position(obj)
        if self.hold_for_review(request, obj, form, change):
            return  # a published place: the change waits for a moderator (core/review.py)
        obj._history_user = request.user
        # Kinds and competences are left to save_related(), as for any admin form.
        place_save(place=obj)
        self._report_position(request, form, obj)

    def save_related(self, request, form, formsets, change):
        if not self.is_held(request):
            super().save_related(request, form, formsets, change)

    def _report_position(self, request, form: PlaceAdminForm, place: Place) -> None:
        result = form.geocode_result
        if result is not None:
            self.message_user(
                request,
                _(
                    "Position trouvée depuis l'adresse (précision : %(precision)s — "
                    "source : %(source)s) : %(label)s"
                )
                % {
                    "precision": result.precision.label,
                    "source": result.source,
                    "label": result.label,
                },
                messages.INFO,
            )
        elif form.geocode_wanted and form.marker_moved():
            self.message_user(
                request,
                _("Adresse introuvable : la position placée à la main est conservée."),
                messages.WARNING,
            )
        elif form.geocode_wanted:
            self.message_user(
                request,
                _(
                    "Adresse introuvable : la position n'a pas été modifiée ; "
                    "placez le marqueur à la main."
                ),
                messages.WARNING,
            )
        elif form.marker_moved():
            self.message_user(request, _("Position placée à la main."), messages.INFO)
        if place.commune_id is None:
            self.message_user(
                request,
                _("Le point n'est dans aucune commune connue : vérifiez la position du marqueur."),
                messages.WARNING,
            )
        elif result is not None or form.marker_moved():
            self.message_user(
                request,
                _("Commune : %(commune)s — %(department)s, %(region)s.")
                % {
                    "commune": place.commune.name,
                    "department": place.commune.department,
                    "region": place.commune.region,
                },
                messages.INFO,
            )

    # -- actions ------------------------------------------------------------

    def _set(self, request, queryset: QuerySet[Place], rule: str, reason: str, **values) -> int:
        """Save each place (not queryset.update()) so that every change lands in the history."""
        count = 0
        for place in queryset:
            if all(getattr(place, name) == value for name, value in values.items()):
                continue
            if not request.user.has_perm(rule, place):
                continue
            for name, value in values.items():
                setattr(place, name, value)
            place._history_user = request.user
            place._change_reason = reason
            place.save(update_fields=[*values, "updated_at"])
            self.log_change(request, place, reason)
            count += 1
        return count

    @admin.action(description=_("Publier les lieux sélectionnés"), permissions=["publish"])
    def publish(self, request, queryset):
        count = self._set(
            request, queryset, "directory.publish_place", gettext("Publié"), status=Status.PUBLISHED
        )
        self.message_user(request, ngettext("%d lieu publié.", "%d lieux publiés.", count) % count)

    @admin.action(description=_("Archiver les lieux sélectionnés"), permissions=["archive"])
    def archive(self, request, queryset):
        count = self._set(
            request, queryset, "directory.archive_place", gettext("Archivé"), status=Status.ARCHIVED
        )
        self.message_user(
            request, ngettext("%d lieu archivé.", "%d lieux archivés.", count) % count
        )

    @admin.action(description=_("Marquer comme vérifié aujourd'hui"), permissions=["change"])
    def mark_verified(self, request, queryset):
        today = timezone.localdate()
        count = self._set(
            request, queryset, "directory.change_place", gettext("Vérifié"), last_verified=today
        )
        self.message_user(
            request,
            ngettext(
                "%d lieu marqué comme vérifié aujourd'hui.",
                "%d lieux marqués comme vérifiés aujourd'hui.",
                count,
            )
            % count,
        )


@admin.register(Organisation)
class OrganisationAdmin(CurrentRowHistoryMixin, SimpleHistoryAdmin):
    list_display = ("name", "legal_kind", "is_member_centre", "referent_centre", "updated_at")
    list_filter = ("legal_kind", "is_member_centre")
    list_select_related = ("referent_centre",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("editors",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ("created_at", "updated_at")
    restore_rule = "directory.restore_organisation_version"
    # Who edits for whom, and who belongs to the network, is the network's decision.
    MODERATED_FIELDS = ("editors", "is_member_centre", "trusted_editors", "referent_centre")

    def get_queryset(self, request) -> QuerySet[Organisation]:
        queryset = editor_organisations(request.user)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("directory.moderate_organisation", obj):
            readonly += self.MODERATED_FIELDS
        if not request.user.has_perm("directory.manage_embed_domains", obj):
            readonly.append("embed_domains")
        return readonly

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("directory.view_organisation", obj)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("directory.change_organisation", obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("directory.delete_organisation", obj)


class TaxonomyAdmin(admin.ModelAdmin):
    search_fields = ("name", "name_en", "slug")
    ordering = ("position", "name")

    def get_readonly_fields(self, request, obj=None):
        # Slugs are stable identifiers (URLs, API filters, data·inclusion mapping).
        return ("slug",) if obj is not None else ()

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("name",)} if obj is None else {}


@admin.register(Competence)
class CompetenceAdmin(TaxonomyAdmin):
    list_display = ("slug", "name", "data_inclusion_code", "position")


@admin.register(Kind)
class KindAdmin(TaxonomyAdmin):
    list_display = ("slug", "name", "position")
