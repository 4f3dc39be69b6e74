from django.urls import path

from . import views

app_name = "resources"
urlpatterns = [
    path("documentation/", views.notice_list, name="list"),
    path("documentation/export.<str:fmt>", views.search_export, name="search-export"),
    path("documentation/bibliographies/", views.bibliography_list, name="bibliographies"),
    path(
        "documentation/bibliographies/<slug:slug>/",
        views.bibliography_detail,
        name="bibliography",
    ),
    path(
        "documentation/bibliographies/<slug:slug>/export.<str:fmt>",
        views.bibliography_export,
        name="bibliography-export",
    ),
    path("documentation/<slug:slug>/", views.notice_detail, name="notice"),
    path("documentation/<slug:slug>/document.pdf", views.notice_file, name="notice-file"),
    path("documentation/<slug:slug>/export.<str:fmt>", views.notice_export, name="notice-export"),
]
