from django.contrib import admin
from django.urls import include, path

from core.admin_views import view_on_site

urlpatterns = [
    # Before the admin's own "view on site": confined to what she may open (core/admin_views.py).
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="admin_view_on_site",
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("config.api_urls")),
    path("exports/", include("directory.exports.urls")),
    path("tiles/", include("directory.tiles.urls")),
    path("", include("embeds.urls")),
    path("", include("practices.urls")),
    path("", include("directory.urls")),
    path("", include("geodata.urls")),
]

# JSON under /api/, the site's pages elsewhere (core/errors.py).
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
