"""A directory for the tile tests: places in Lyon's area (dense), Saint-Étienne, Marseille,
Val-d'Oise; several competences, kinds and languages; drafts and archived places that
must never show.
"""

from __future__ import annotations

import mapbox_vector_tile
import mercantile
import pytest

from directory.models import Competence, Kind, Place, Status
from tests.factories import PlaceFactory

# A grid of points ~300 m apart over Villeurbanne and Lyon: several per z10-z13 cell.
LYON_GRID = [(4.83 + 0.004 * i, 45.75 + 0.003 * j) for i in range(6) for j in range(4)]
ELSEWHERE = {
    "saint_etienne": (4.3872, 45.4397),  # Loire (42), région 84
    "marseille": (5.3698, 43.2965),  # Bouches-du-Rhône (13), région 93
    "cergy": (2.0760, 49.0364),  # Val-d'Oise (95), région 11
    "bourg": (5.2250, 46.2052),  # Ain (01), région 84
}


@pytest.fixture
def comp(db):
    return {c.slug: c for c in Competence.objects.all()}


@pytest.fixture
def kind(db):
    return {k.slug: k for k in Kind.objects.all()}


@pytest.fixture
def directory(comp, kind):
    """Published places (with competences, kinds, languages), a draft and an archived one."""
    sejour, francais, emploi = (
        comp["sejour"],
        comp["apprentissage-francais"],
        comp["emploi-formation"],
    )
    kinds = list(kind.values())
    places = {}
    for n, (lon, lat) in enumerate(LYON_GRID):
        places[f"lyon-{n}"] = PlaceFactory(
            name=f"Lieu Lyon {n}",
            lon=lon,
            lat=lat,
            competences=[sejour] if n % 3 == 0 else [francais] if n % 3 == 1 else [sejour, emploi],
            kinds=[kinds[n % 2]],
            languages="fr,ar" if n % 4 == 0 else "fr",
            opening_hours="24/7" if n % 2 else "off",
        )
    for name, (lon, lat) in ELSEWHERE.items():
        places[name] = PlaceFactory(
            name=f"Lieu {name}",
            lon=lon,
            lat=lat,
            competences=[sejour, francais],
            kinds=[kinds[0]],
            languages="fr,en",
        )
    places["draft"] = PlaceFactory(
        name="Brouillon", lon=4.8405, lat=45.7605, competences=[sejour], status=Status.DRAFT
    )
    places["archived"] = PlaceFactory(
        name="Archivé", lon=5.3700, lat=43.2960, competences=[sejour], status=Status.ARCHIVED
    )
    return places


def tile_of(place: Place, z: int) -> tuple[int, int, int]:
    tile = mercantile.tile(place.location.x, place.location.y, z)
    return z, tile.x, tile.y


def in_tile(places, z: int, x: int, y: int) -> set[int]:
    return {p.pk for p in places if tile_of(p, z) == (z, x, y)}


def decode(response) -> dict:
    """The tile's layers: {"clusters": [...], "places": [...]} of (lon, lat, properties)."""
    if response.status_code == 204:
        return {"clusters": [], "places": []}
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    z, x, y = (int(p) for p in response.request["PATH_INFO"].rsplit(".", 1)[0].split("/")[-3:])
    west, south, east, north = mercantile.xy_bounds(x, y, z)
    layers = {"clusters": [], "places": []}
    for name, layer in mapbox_vector_tile.decode(response.content).items():
        extent = layer["extent"]
        for feature in layer["features"]:
            px, py = feature["geometry"]["coordinates"]
            lon, lat = mercantile.lnglat(
                west + px / extent * (east - west), south + py / extent * (north - south)
            )
            layers[name].append((lon, lat, feature["properties"]))
    return layers


def shown(layers: dict) -> int:
    """How many places a tile accounts for: its clusters' counts and its lone places."""
    return sum(p["count"] for _, _, p in layers["clusters"]) + len(layers["places"])
