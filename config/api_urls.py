"""/api/v1/ — one router for every app's viewsets (filled by the API work)."""

from django.urls import path

app_name = "api"
urlpatterns: list = []
