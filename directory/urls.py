from django.urls import path

from . import freshness_views, orientation, views
from .suggestions import views as suggestion_views

app_name = "directory"
urlpatterns = [
    path("annuaire/", views.search, name="search"),
    # The printed orientation sheet of a search (same query string), and its PDF.
    path("annuaire/fiche/", orientation.orientation_sheet, name="orientation"),
    path("annuaire/fiche.pdf", orientation.orientation_pdf, name="orientation-pdf"),
    path("annuaire/lieux/<slug:slug>/", views.place_detail, name="place"),
    path(
        "annuaire/lieux/<slug:slug>/signaler/",
        suggestion_views.place_report,
        name="place-report",
    ),
    path(
        "annuaire/lieux/<slug:slug>/signaler/merci/",
        suggestion_views.place_report_thanks,
        name="place-report-thanks",
    ),
    path("annuaire/organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    # The signed link of a freshness reminder (directory/reminders.py).
    path(
        "annuaire/toujours-exact/<str:token>/", freshness_views.confirm_place, name="confirm-place"
    ),
]
