"""The press watch in the admin, with the notices' rules (admin.py's StatusActionsMixin):
editors write their centre's items as drafts or in review, moderators publish; an editor's
change to a published item waits for review (core/review.py)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import HeldEditsMixin
from directory.admin import CurrentRowHistoryMixin
from geodata.models import Region
from practices.models import Theme

from .admin import StatusActionsMixin
from .rules import editable_watch_items
from .services import watch_item_save
from .watch_models import WatchItem


class WatchItemAdminForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https")

    class Meta:
        model = WatchItem
        fields = [
            "title", "url", "source", "published_on", "summary", "themes", "regions",
            "author_centre", "status",
        ]  # fmt: skip
        widgets = {"summary": forms.Textarea(attrs={"rows": 5, "maxlength": 600})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].label = WatchItem._meta.get_field("url").verbose_name
        self.fields["url"].help_text = WatchItem._meta.get_field("url").help_text


@admin.register(WatchItem)
class WatchItemAdmin(
    HeldEditsMixin, StatusActionsMixin, CurrentRowHistoryMixin, SimpleHistoryAdmin
):
    form = WatchItemAdminForm
    list_display = ("title", "source", "published_on", "status", "author_centre", "updated_at")
    list_filter = ("status", "themes", "regions", "author_centre")
    list_select_related = ("author_centre",)
    search_fields = ("title", "summary", "source", "url")
    date_hierarchy = "published_on"
    actions = ("publish", "submit_for_review", "back_to_draft")
    readonly_fields = ("created_at", "updated_at")
    restore_rule = "resources.restore_watchitem_version"
    editable = staticmethod(editable_watch_items)
    fields = (
        "title",
        "url",
        "source",
        "published_on",
        "summary",
        "themes",
        "regions",
        "author_centre",
        "status",
        "created_at",
        "updated_at",
    )

    def get_readonly_fields(self, request, obj=None):
        # No slug here: the item is known by its link.
        return [name for name in super().get_readonly_fields(request, obj) if name != "slug"]

    def get_prepopulated_fields(self, request, obj=None):
        return {}

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["widget"] = forms.CheckboxSelectMultiple
        if db_field.name == "themes":
            kwargs["queryset"] = Theme.objects.all()
        elif db_field.name == "regions":
            kwargs["queryset"] = Region.objects.defer("boundary", "centre").order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj: WatchItem, form, change):
        self.editor_status(request, obj)
        if self.hold_for_review(request, obj, form, change):
            return
        obj._history_user = request.user
        watch_item_save(item=obj)

    def save_related(self, request, form, formsets, change):
        if not self.is_held(request):
            super().save_related(request, form, formsets, change)
