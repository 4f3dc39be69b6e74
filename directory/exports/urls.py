"""/exports/: the index page, then one URL per export (downloads and API endpoints alike)."""

from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("", views.index, name="index"),
    *(
        path(export.path, views.export, {"name": export.name}, name=export.name)
        for export in views.EXPORTS
    ),
]
