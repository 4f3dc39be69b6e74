"""Vector tiles of the published places, with clusters counted in advance at low zooms.

    /tiles/places/{z}/{x}/{y}.pbf?competence=…&kind=…&region=…   (Mapbox Vector Tile)
    /tiles/places.json?…                                          (TileJSON 3.0.0)

Why: a map of every place in France cannot draw every point (at 1M places, z6 of
France is 23 MB and 8 s with `ST_AsMVT`), nor cluster them per request (13 s on a
64 × 64 grid): docs/spatial-notes.md. So:

* a tile up to zoom 13 (grid.CLUSTER_MAX_ZOOM) is 8 × 8 cells of 32 px: a cell
  holding several matching places is one "clusters" feature (count, label); a cell
  holding one is that place, in the "places" layer. From zoom 14 every place is
  in "places" (id, name, url, town). At 100,000 places the densest z13 tile holds
  312 places and the densest z14 tile 93 (9.3 KB, ~100 bytes a place): ×10 at 1M,
  ~3,100 places (~310 KB) against ~930 (~95 KB, under the 200 KB aimed at);
  cluster tiles stay under ~3 KB (bench/bench_tiles.py).
* cells are counted in advance (models.PlaceCluster) for zooms 0-11 in four
  dimensions: all places, per competence, per région, per département — what the
  home, région and département maps, embeds and one-competence searches ask.
  Other filters group the matching places' precomputed cells (models.PlaceCell,
  one indexed Morton code per place, grid.py) per request: content.py.
* signals.py keeps both tables current, one place at a time (clusters.py);
  `manage.py rebuild_place_clusters` recomputes them after bulk loads.
* tiles are cached per data version (cache.py, on core/cache.py's versioned keys):
  any change to a place drops them.
"""
