from django.urls import path

from . import views

app_name = "practices"
urlpatterns = [
    path("pratiques/", views.sheet_list, name="list"),
    path("pratiques/<slug:slug>/", views.sheet_detail, name="sheet"),
]
