from django.urls import path

from . import views, watch_views
from .document_requests import views as request_views
from .feeds import WatchAtomFeed, WatchRssFeed
from .oai.views import oai_endpoint

app_name = "resources"
urlpatterns = [
    # OAI-PMH 2.0 data provider for library aggregators (resources/oai/).
    path("oai/", oai_endpoint, name="oai"),
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
    path(
        "documentation/bibliographies/<slug:slug>/bibliographie.pdf",
        views.bibliography_pdf,
        name="bibliography-pdf",
    ),
    # Two segments, so that no notice slug ("demandes" included) is ever shadowed; kept before
    # the notice's patterns all the same.
    path(
        "documentation/demandes/structure-ressource/",
        request_views.organisation_request,
        name="organisation-request",
    ),
    path(
        "documentation/demandes/structure-ressource/merci/",
        request_views.organisation_request_sent,
        name="organisation-request-sent",
    ),
    # The press watch, before the notices' patterns.
    path("documentation/veille/", watch_views.watch_list, name="watch"),
    path("documentation/veille/rss.xml", WatchRssFeed(), name="watch-rss"),
    path("documentation/veille/atom.xml", WatchAtomFeed(), name="watch-atom"),
    path("documentation/<slug:slug>/", views.notice_detail, name="notice"),
    path(
        "documentation/<slug:slug>/demander/",
        request_views.document_request,
        name="notice-request",
    ),
    path(
        "documentation/<slug:slug>/demander/merci/",
        request_views.document_request_sent,
        name="notice-request-sent",
    ),
    path("documentation/<slug:slug>/document.pdf", views.notice_file, name="notice-file"),
    path("documentation/<slug:slug>/export.<str:fmt>", views.notice_export, name="notice-export"),
]
