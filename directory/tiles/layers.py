"""The two layers of a place tile, as django-vectortiles layers.

* "places": one point per place (id, name, url, town). Encoded by the library's
  backend for the database, set in settings (VECTOR_TILES_BACKEND): `ST_AsMVT` on
  PostGIS, mapbox-vector-tile in Python on SpatiaLite.
* "clusters": one point per cell holding several places (count, label). At most 64
  per tile, computed as rows (directory/tiles/content.py), so mapbox-vector-tile
  encodes them in Python on both databases.
"""

from __future__ import annotations

import mapbox_vector_tile
import mercantile
from vectortiles import VectorLayer
from vectortiles.backends import BaseVectorLayerMixin

from . import grid
from .content import TileContent, with_tile_fields


def abbreviated(count: int) -> str:
    """A cluster's label, short enough for its circle: 950, 1.2k, 15k, 1.1M."""
    if count < 1000:
        return str(count)
    if count < 10_000:
        return f"{count / 1000:.1f}".rstrip("0").rstrip(".") + "k"
    if count < 1_000_000:
        return f"{count // 1000}k"
    return f"{count / 1_000_000:.1f}".rstrip("0").rstrip(".") + "M"


class PlaceLayer(VectorLayer):
    id = "places"
    description = (
        "Lieux publiés, un point par lieu (les lieux seuls dans leur cellule en deçà du zoom 14)."
    )
    min_zoom = 0
    max_zoom = grid.MAX_ZOOM
    geom_field = "tile_geom"
    tile_fields = ("id", "name", "url", "town")
    layer_fields = {
        "id": "Number",
        "name": "String",
        "url": "String (chemin de la page du lieu)",
        "town": "String",
    }

    def __init__(self, content: TileContent | None = None) -> None:
        self.content = content or TileContent()

    def get_vector_tile_queryset(self, z, x, y):
        return with_tile_fields(self.content.places)

    def get_tile(self, x, y, z) -> bytes:
        if self.content.places.query.is_empty():  # `.none()`: no SQL to wrap in ST_AsMVT
            return b""
        return super().get_tile(x, y, z)


class ClusterLayer(BaseVectorLayerMixin):
    id = "clusters"
    description = "Regroupements de plusieurs lieux d'une même cellule (8 × 8 par tuile)."
    min_zoom = 0
    max_zoom = grid.CLUSTER_MAX_ZOOM
    layer_fields = {"count": "Number", "label": "String"}

    def __init__(self, content: TileContent | None = None) -> None:
        self.content = content or TileContent()

    def get_tile(self, x, y, z) -> bytes:
        if not self.check_in_zoom_levels(z) or not self.content.clusters:
            return b""
        features = []
        for cluster in self.content.clusters:
            mx, my = mercantile.xy(cluster.lon, cluster.lat)
            features.append(
                {
                    "geometry": f"POINT ({mx} {my})",
                    "properties": {"count": cluster.count, "label": abbreviated(cluster.count)},
                }
            )
        return mapbox_vector_tile.encode(
            {"name": self.get_id(), "features": features},
            default_options={
                "quantize_bounds": tuple(self.get_bounds(x, y, z)),
                "extents": self.tile_extent,
            },
        )
