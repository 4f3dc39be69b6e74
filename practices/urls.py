from django.urls import path

from . import freshness_views, views

app_name = "practices"
urlpatterns = [
    path("pratiques/", views.sheet_list, name="list"),
    path("pratiques/<slug:slug>/", views.sheet_detail, name="sheet"),
    # The signed link of a freshness reminder (practices/reminders.py).
    path(
        "pratiques/toujours-en-cours/<str:token>/",
        freshness_views.confirm_running,
        name="confirm-running",
    ),
]
