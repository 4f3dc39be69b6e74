from django.urls import path

from . import views

app_name = "geodata"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("regions/<slug:slug>/", views.region_detail, name="region"),
    path("departements/<slug:slug>/", views.department_detail, name="department"),
]
