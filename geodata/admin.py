"""The reference geography in the admin: to consult, not to edit.

Régions, départements and communes come from the official sources through
`load_geography`; changes made by hand would be overwritten at the next load,
so the admin shows them (with their boundary on a map) and lets nobody add,
delete or redraw them.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from .models import Commune, Department, PostalCode, Region

_NOT_SHOWN_AS_TEXT = ("id", "boundary", "centre")


class ReferenceAdmin(LeafletGeoAdmin):
    """Read-only views of imported areas, with their boundary on a non-editable map."""

    modifiable = False
    exclude = ("centre",)
    search_fields = ("name", "code")
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Django's view-only page would print the boundary as pages of WKT; the change
        # page shows it on the (non-editable) map instead, and saves nothing.
        return super().has_view_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in _NOT_SHOWN_AS_TEXT]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        pass  # everything is read-only: nothing to write

    def save_related(self, request, form, formsets, change):
        pass


@admin.register(Region)
class RegionAdmin(ReferenceAdmin):
    list_display = ("name", "code", "zone", "population")
    list_filter = ("zone",)


@admin.register(Department)
class DepartmentAdmin(ReferenceAdmin):
    list_display = ("name", "code", "region", "population")
    list_filter = ("region",)
    list_select_related = ("region",)


class PostalCodeInline(admin.TabularInline):
    model = PostalCode
    extra = 0
    can_delete = False
    readonly_fields = ("code",)
    verbose_name_plural = _("codes postaux")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Commune)
class CommuneAdmin(ReferenceAdmin):
    list_display = ("name", "code", "department", "population")
    list_filter = ("region",)
    list_select_related = ("department",)
    search_fields = ("name", "code", "search_name", "postal_codes__code")
    inlines = [PostalCodeInline]
    # ~35,000 rows: counting them all on every filtered page is wasted work.
    show_full_result_count = False
