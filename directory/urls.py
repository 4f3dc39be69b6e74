from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("annuaire/", views.search, name="search"),
    path("annuaire/lieux/<slug:slug>/", views.place_detail, name="place"),
    path("annuaire/organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
]
