from django.contrib import admin
from django.urls import include, path

from core.accessibility import accessibility_statement
from core.admin_views import view_on_site
from core.usage.views import report_view

urlpatterns = [
    # Before the admin's own "view on site": confined to what she may open (core/admin_views.py).
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="admin_view_on_site",
    ),
    # Usage figures for the year's activity report, moderators only (core/usage/).
    path("admin/rapport-activite/", report_view, name="usage_report"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accessibilite/", accessibility_statement, name="accessibility"),
    path("api/v1/", include("config.api_urls")),
    path("exports/", include("directory.exports.urls")),
    path("tiles/", include("directory.tiles.urls")),
    path("", include("embeds.urls")),
    path("", include("practices.urls")),
    path("", include("resources.urls")),
    path("", include("directory.urls")),
    path("", include("geodata.urls")),
]

# JSON under /api/, the site's pages elsewhere (core/errors.py).
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
