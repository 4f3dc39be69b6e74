from django.contrib import admin
from django.urls import include, path

urlpatterns = [
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
