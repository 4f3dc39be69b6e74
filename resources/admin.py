"""Writing and publishing notices and bibliographies in the admin: the practice sheets' way
(practices/admin.py). Editors of a member centre write their centre's entries, as drafts or
in review; moderators publish. A published notice needs an abstract (model, DB constraint);
an editor's change to a published notice or bibliography waits for review (core/review.py)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core import review
from core.admin import HeldEditsMixin
from directory.admin import CurrentRowHistoryMixin
from geodata.models import Commune
from practices.admin import LookupSelectMultiple
from practices.models import PracticeSheet, Theme

from .models import Bibliography, BibliographyEntry, Notice, NoticeAuthor, NoticeStatus, Scope
from .rules import author_centres, editable_bibliographies, editable_notices
from .services import notice_refresh_authors_text, notice_save

EDITOR_STATUSES = (NoticeStatus.DRAFT, NoticeStatus.IN_REVIEW)


class NoticeAdminForm(forms.ModelForm):
    url = forms.URLField(label=_("lien"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Notice
        fields = [
            "title", "slug", "type", "year", "month", "day", "publisher", "place_published",
            "container_title", "pages", "language", "abstract", "themes", "competences",
            "url", "file", "isbn", "issn", "doi", "holding_centre", "lendable", "scope",
            "communes", "department", "region", "practice_sheets", "organisations",
            "author_centre", "status",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == Scope.COMMUNES and not data.get("communes") and "communes" in self.fields:
            self.add_error("communes", _("Choisissez au moins une commune."))
        elif scope == Scope.DEPARTMENT and not data.get("department"):
            self.add_error("department", _("Choisissez le département couvert."))
        elif scope == Scope.REGION and not data.get("region"):
            self.add_error("region", _("Choisissez la région couverte."))
        elif scope == Scope.NATIONAL:
            data["region"] = None
            data["department"] = None
        return data


class HeldInlineMixin:
    """A published notice's authors are a moderator's to change when the editor's edits wait."""

    def _held(self, request, obj) -> bool:
        return obj is not None and review.held(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return not self._held(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._held(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._held(request, obj) and super().has_delete_permission(request, obj)


class NoticeAuthorInline(HeldInlineMixin, admin.TabularInline):
    model = NoticeAuthor
    extra = 1
    fields = ("position", "kind", "name", "organisation")
    raw_id_fields = ("organisation",)


class StatusActionsMixin:
    """Draft / review / publish, as the practice sheets: each move saved (history kept)."""

    perm_prefix: str  # "resources.<action>_notice"

    def may_publish(self, request, obj) -> bool:
        return request.user.has_perm(f"resources.publish_{self.opts.model_name}", obj)

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(f"resources.publish_{self.opts.model_name}")

    def get_queryset(self, request):
        queryset = self.editable(request.user)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def has_add_permission(self, request):
        name = self.opts.model_name
        return (
            request.user.has_perm(f"resources.add_{name}") and author_centres(request.user).exists()
        )

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None
            or request.user.has_perm(f"resources.view_draft_{self.opts.model_name}", obj)
        )

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(f"resources.change_{self.opts.model_name}", obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(f"resources.delete_{self.opts.model_name}", obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly.append("slug")
            if obj.status == NoticeStatus.PUBLISHED and not self.may_publish(request, obj):
                readonly.append("status")
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("title",)} if obj is None else {}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        status = form.base_fields.get("status")
        if status is not None and not self.may_publish(request, obj):
            status.choices = [(s.value, s.label) for s in EDITOR_STATUSES]
            status.help_text = _("Un modérateur du réseau publie les entrées en relecture.")
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author_centre":
            kwargs["queryset"] = author_centres(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def editor_status(self, request, obj) -> None:
        if self.may_publish(request, obj):
            return
        current = type(obj).objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        if current == NoticeStatus.PUBLISHED:
            obj.status = current
        elif obj.status not in EDITOR_STATUSES:
            obj.status = NoticeStatus.DRAFT

    def _set_status(self, request, queryset, status, reason, allowed) -> int:
        count = skipped = 0
        for obj in queryset:
            if obj.status == status or not allowed(obj):
                continue
            if status == NoticeStatus.PUBLISHED and not getattr(obj, "abstract", "x").strip():
                skipped += 1
                continue
            obj.status = status
            obj._history_user = request.user
            obj._change_reason = reason
            obj.save(update_fields=["status", "updated_at"])
            self.log_change(request, obj, reason)
            count += 1
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%d notice sans résumé n'a pas été publiée : le résumé est obligatoire.",
                    "%d notices sans résumé n'ont pas été publiées : le résumé est obligatoire.",
                    skipped,
                )
                % skipped,
                messages.WARNING,
            )
        return count

    @admin.action(description=_("Publier la sélection"), permissions=["publish"])
    def publish(self, request, queryset):
        count = self._set_status(
            request,
            queryset,
            NoticeStatus.PUBLISHED,
            gettext("Publiée"),
            lambda obj: self.may_publish(request, obj),
        )
        self.message_user(
            request, ngettext("%d entrée publiée.", "%d entrées publiées.", count) % count
        )

    @admin.action(description=_("Soumettre à la relecture"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        name = self.opts.model_name
        count = self._set_status(
            request,
            queryset,
            NoticeStatus.IN_REVIEW,
            gettext("Soumise à la relecture"),
            lambda obj: (
                obj.status == NoticeStatus.DRAFT
                and request.user.has_perm(f"resources.change_{name}", obj)
            ),
        )
        self.message_user(
            request,
            ngettext(
                "%d entrée soumise à la relecture.", "%d entrées soumises à la relecture.", count
            )
            % count,
        )

    @admin.action(description=_("Repasser en brouillon"), permissions=["change"])
    def back_to_draft(self, request, queryset):
        name = self.opts.model_name
        count = self._set_status(
            request,
            queryset,
            NoticeStatus.DRAFT,
            gettext("Repassée en brouillon"),
            lambda obj: (
                request.user.has_perm(f"resources.change_{name}", obj)
                and (obj.status == NoticeStatus.IN_REVIEW or self.may_publish(request, obj))
            ),
        )
        self.message_user(
            request,
            ngettext(
                "%d entrée repassée en brouillon.", "%d entrées repassées en brouillon.", count
            )
            % count,
        )


@admin.register(Notice)
class NoticeAdmin(HeldEditsMixin, StatusActionsMixin, CurrentRowHistoryMixin, SimpleHistoryAdmin):
    form = NoticeAdminForm
    inlines = [NoticeAuthorInline]
    list_display = ("title", "type", "year", "status", "author_centre", "updated_at")
    list_filter = ("status", "type", "themes", "author_centre", "lendable")
    list_select_related = ("author_centre",)
    search_fields = ("title", "abstract", "authors_text", "isbn", "doi", "slug")
    actions = ("publish", "submit_for_review", "back_to_draft")
    readonly_fields = ("created_at", "updated_at")
    filter_horizontal = ("practice_sheets", "organisations")
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 6})},
        models.URLField: {"assume_scheme": "https"},
    }
    restore_rule = "resources.restore_notice_version"
    editable = staticmethod(editable_notices)
    fieldsets = [
        (
            _("Le document"),
            {
                "fields": [
                    "title",
                    "slug",
                    "type",
                    "year",
                    "month",
                    "day",
                    "publisher",
                    "place_published",
                    "container_title",
                    "pages",
                    "language",
                ]
            },
        ),
        (_("Résumé et indexation"), {"fields": ["abstract", "themes", "competences"]}),
        (
            _("Accès"),
            {"fields": ["url", "file", "isbn", "issn", "doi", "holding_centre", "lendable"]},
        ),
        (_("Territoire"), {"fields": ["scope", "communes", "department", "region"]}),
        (_("Liens"), {"fields": ["practice_sheets", "organisations"]}),
        (_("Publication"), {"fields": ["author_centre", "status", "created_at", "updated_at"]}),
    ]

    def _file_held(self, request, obj) -> bool:
        # A held change keeps only the reviewed fields: an uploaded file would be lost.
        return obj is not None and review.held(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self._file_held(request, obj):
            readonly.append("file")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._file_held(request, obj):
            kwargs["help_texts"] = {
                **kwargs.get("help_texts", {}),
                "file": _(
                    "Cette notice est publiée : seul un modérateur du réseau peut "
                    "remplacer ou retirer son document PDF."
                ),
            }
        return super().get_form(request, obj, change, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("themes", "competences"):
            kwargs["widget"] = forms.CheckboxSelectMultiple
            if db_field.name == "themes":
                kwargs["queryset"] = Theme.objects.all()
        elif db_field.name == "communes":
            kwargs["widget"] = LookupSelectMultiple(db_field, self.admin_site, kind="communes")
            kwargs["queryset"] = Commune.objects.select_related("department")
        elif db_field.name == "practice_sheets":
            kwargs["queryset"] = PracticeSheet.objects.filter(status=NoticeStatus.PUBLISHED)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj: Notice, form, change):
        self.editor_status(request, obj)
        if self.hold_for_review(request, obj, form, change):
            return
        obj._history_user = request.user
        communes = form.cleaned_data.get("communes")
        notice_save(notice=obj, communes=list(communes) if communes is not None else None)

    def save_related(self, request, form, formsets, change):
        if self.is_held(request):
            return
        super().save_related(request, form, formsets, change)
        notice_refresh_authors_text(form.instance)


class BibliographyEntryInline(HeldInlineMixin, admin.TabularInline):
    model = BibliographyEntry
    extra = 3
    fields = ("position", "notice", "comment")
    raw_id_fields = ("notice",)


@admin.register(Bibliography)
class BibliographyAdmin(
    HeldEditsMixin, StatusActionsMixin, CurrentRowHistoryMixin, SimpleHistoryAdmin
):
    inlines = [BibliographyEntryInline]
    list_display = ("title", "kind", "status", "author_centre", "updated_at")
    list_filter = ("status", "kind", "author_centre")
    search_fields = ("title", "introduction")
    actions = ("publish", "submit_for_review", "back_to_draft")
    readonly_fields = ("created_at", "updated_at")
    restore_rule = "resources.restore_bibliography_version"
    editable = staticmethod(editable_bibliographies)
    fields = (
        "title",
        "slug",
        "kind",
        "introduction",
        "author_centre",
        "status",
        "created_at",
        "updated_at",
    )

    def save_model(self, request, obj, form, change):
        self.editor_status(request, obj)
        if self.hold_for_review(request, obj, form, change):
            return
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if not self.is_held(request):
            super().save_related(request, form, formsets, change)


# The press watch's admin reuses StatusActionsMixin above; imported so that it registers.
from . import watch_admin  # noqa: E402, F401
