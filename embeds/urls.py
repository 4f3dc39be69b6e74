from django.urls import path

from . import views, watch

app_name = "embeds"
urlpatterns = [
    path("embed/", views.embed_map, name="map"),
    path("embed/veille/", watch.embed_watch, name="watch"),
    path("embed.js", views.script, name="script"),
    path("oembed", views.oembed, name="oembed"),
    path("integrer/", views.builder, name="builder"),
]
