from django.urls import path

from .views import PlaceTileJSONView, PlaceTileView

app_name = "tiles"
urlpatterns = [
    path("places/<int:z>/<int:x>/<int:y>.pbf", PlaceTileView.as_view(), name="place-tile"),
    path("places.json", PlaceTileJSONView.as_view(), name="places-tilejson"),
]
