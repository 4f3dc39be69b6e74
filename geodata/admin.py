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

_IDENTITY = ("code", "name", "slug", "population")


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
        # Staff can open the pages; nothing is saved (see get_readonly_fields).
        return super().has_view_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in ("boundary", "centre")]

    def save_model(self, request, obj, form, change):
        # Every field but the (non-editable) map is read-only: there is nothing to write.
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

    def get_search_results(self, request, queryset, search_term):
        queryset, _ = super().get_search_results(request, queryset, search_term)
        # A postal-code search joins postal codes: one row per commune, whatever the match.
        return queryset.distinct(), False
