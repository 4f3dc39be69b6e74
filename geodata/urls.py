from django.urls import path

from . import views

app_name = "geodata"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("regions/<slug:slug>/", views.region_detail, name="region"),
    path("departements/<slug:slug>/", views.department_detail, name="department"),
    # Light GeoJSON for the maps of the pages above.
    path("regions.geojson", views.regions_geojson, name="regions-geojson"),
    path("regions/<slug:slug>.geojson", views.region_geojson, name="region-geojson"),
    path("departements/<slug:slug>.geojson", views.department_geojson, name="department-geojson"),
]
