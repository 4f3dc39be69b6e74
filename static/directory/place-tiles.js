/*
 * Places from the vector tiles (directory/tiles/: /tiles/places/{z}/{x}/{y}.pbf?filters),
 * drawn by Leaflet.VectorGrid. Up to zoom 13 a tile holds "clusters" (circles with their
 * count: a click, or Enter, zooms in) and lone "places"; beyond, every place. A place is a
 * marker whose popup links to its page. The list beside the map holds the same places.
 *
 * A map container opts in with data-tiles-url (the URL template, filters included), and
 * may set data-bounds ([[south, west], [north, east]]), data-origin and data-radius-m
 * (a search: its point and radius, drawn), data-cluster-label ("%(n)s lieux…").
 * Once the visible tiles are drawn it says what they hold, for tests and assistive
 * summaries: data-tiles-places (places accounted for), data-tiles-clusters,
 * data-tiles-markers, and the class map--tiles-ready.
 *
 * window.ReperesPlaceTiles.layer(map, url, options) builds the layer for other scripts
 * (the embed; options: clusterLabel, clusterColour, placeColour or markerIcon);
 * layer.setUrl(url) changes its filters, layer.summary() sums up the visible tiles.
 */
(function () {
  "use strict";

  var TILE_SIZE = 256;
  var CLUSTER_MAX_ZOOM = 13; // as directory/tiles/grid.py
  var COLOURS = { cluster: "#1f4b8f", place: "#e07b00" };

  function formatCount(count, label) {
    try {
      return new Intl.NumberFormat(document.documentElement.lang || "fr", {
        notation: "compact",
        maximumFractionDigits: 1,
      }).format(count);
    } catch (error) {
      return label || String(count);
    }
  }

  function clusterRadius(count) {
    return Math.min(26, 13 + 2.4 * Math.log(count));
  }

  // Where a drawn feature is on the map: its tile's corner plus its offset in the tile.
  function featureLatLng(map, symbolizer) {
    var coords = symbolizer._tileCoords;
    var pixel = L.point(coords.x * TILE_SIZE, coords.y * TILE_SIZE).add(symbolizer._point);
    return map.unproject(pixel, coords.z);
  }

  function popupContent(props) {
    var box = document.createElement("div");
    box.className = "place-tiles__popup";
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.name;
    box.appendChild(link);
    if (props.town) {
      var town = document.createElement("span");
      town.className = "place-tiles__town";
      town.textContent = props.town;
      box.appendChild(town);
    }
    return box;
  }

  function activate(map, symbolizer) {
    var props = symbolizer.properties || {};
    var latlng = featureLatLng(map, symbolizer);
    if (props.count) {
      var zoom = Math.min(symbolizer._tileCoords.z + 2, CLUSTER_MAX_ZOOM + 1, map.getMaxZoom());
      map.setView(latlng, Math.max(zoom, map.getZoom() + 1));
      return;
    }
    L.popup({ offset: [0, -34], autoPanPadding: [24, 24] })
      .setLatLng(latlng)
      .setContent(popupContent(props))
      .openOn(map);
  }

  // VectorGrid's SVG tile, plus each cluster's count written in its circle, and each
  // feature focusable (a button for the keyboard and screen readers).
  var Tile = L.SVG.Tile.extend({
    _addPath: function (symbolizer) {
      L.SVG.Tile.prototype._addPath.call(this, symbolizer);
      var options = this.options;
      symbolizer._tileCoords = this._tileCoord;
      // Leaflet asks a small clicked "marker" for its position (VectorGrid's have none).
      symbolizer.getLatLng = function () { return featureLatLng(options.map, symbolizer); };
      var props = symbolizer.properties || {};
      var element = symbolizer._path;
      element.setAttribute("tabindex", "0");
      element.setAttribute("role", "button");
      if (props.count) {
        L.DomUtil.addClass(element, "place-tiles__cluster");
        element.setAttribute(
          "aria-label",
          (options.clusterLabel || "%(n)s").replace("%(n)s", String(props.count))
        );
        var text = L.SVG.create("text");
        text.setAttribute("x", symbolizer._point.x);
        text.setAttribute("y", symbolizer._point.y);
        text.setAttribute("class", "place-tiles__count");
        text.setAttribute("aria-hidden", "true");
        text.textContent = formatCount(props.count, props.label);
        this._rootGroup.appendChild(text);
      } else {
        L.DomUtil.addClass(element, "place-tiles__place");
        element.setAttribute("aria-label", props.name || "");
      }
      element.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          options.onActivate(symbolizer);
        }
      });
    },
  });

  var PlaceTiles = L.VectorGrid.Protobuf.extend({
    initialize: function (url, options) {
      L.VectorGrid.Protobuf.prototype.initialize.call(this, url, options);
      this._contents = {};
      this.on("tileunload", function (event) {
        delete this._contents[this._tileCoordsToKey(event.coords)];
      });
    },

    // What each tile holds, kept to sum up the visible ones.
    _getVectorTilePromise: function (coords) {
      var key = this._tileCoordsToKey(coords);
      var contents = this._contents;
      return L.VectorGrid.Protobuf.prototype._getVectorTilePromise
        .call(this, coords)
        .then(function (tile) {
          var summary = { places: 0, clusters: 0, markers: 0 };
          var clusters = tile.layers.clusters;
          var places = tile.layers.places;
          (clusters ? clusters.features : []).forEach(function (feature) {
            summary.clusters += 1;
            summary.places += feature.properties.count;
          });
          summary.markers = places ? places.features.length : 0;
          summary.places += summary.markers;
          contents[key] = summary;
          return tile;
        });
    },

    summary: function () {
      var total = { places: 0, clusters: 0, markers: 0 };
      for (var key in this._tiles) {
        var tile = this._tiles[key];
        var summary = this._contents[key];
        if (tile.current && summary && tile.coords.z === this._tileZoom) {
          total.places += summary.places;
          total.clusters += summary.clusters;
          total.markers += summary.markers;
        }
      }
      return total;
    },
  });

  function layer(map, url, options) {
    options = options || {};
    var tiles;
    tiles = new PlaceTiles(url, {
      interactive: true,
      maxNativeZoom: 18,
      keepBuffer: 1,
      fetchOptions: { credentials: "same-origin" },
      rendererFactory: function (coords, tileSize, rendererOptions) {
        return new Tile(coords, tileSize, L.extend({}, rendererOptions, {
          clusterLabel: options.clusterLabel,
          map: map,
          onActivate: function (symbolizer) { activate(map, symbolizer); },
        }));
      },
      vectorTileLayerStyles: {
        clusters: function (props) {
          return {
            radius: clusterRadius(props.count),
            fill: true,
            fillColor: options.clusterColour || COLOURS.cluster,
            fillOpacity: 0.88,
            color: "#ffffff",
            weight: 2,
          };
        },
        places: options.markerIcon
          ? { icon: L.icon({ iconUrl: options.markerIcon, iconSize: [25, 41], iconAnchor: [12, 41] }) }
          : {
            radius: 7,
            fill: true,
            fillColor: options.placeColour || COLOURS.place,
            fillOpacity: 1,
            color: "#ffffff",
            weight: 2,
          },
      },
    });
    tiles.on("click", function (event) {
      if (event.layer) {
        activate(map, event.layer);
      }
    });
    return tiles;
  }

  function readJSON(text) {
    try {
      return text ? JSON.parse(text) : null;
    } catch (error) {
      return null;
    }
  }

  function report(container, tiles) {
    var total = tiles.summary();
    container.dataset.tilesPlaces = String(total.places);
    container.dataset.tilesClusters = String(total.clusters);
    container.dataset.tilesMarkers = String(total.markers);
    container.classList.add("map--tiles-ready");
  }

  window.ReperesPlaceTiles = { layer: layer, report: report };

  window.addEventListener("map:init", function (event) {
    var map = event.detail.map;
    var container = map.getContainer();
    var url = container.dataset.tilesUrl;
    if (!url) {
      return;
    }
    // The page scrolls past the map: the wheel zooms only once the map is in use.
    map.scrollWheelZoom.disable();
    map.once("focus click", function () { map.scrollWheelZoom.enable(); });
    map.options.zoomSnap = 0.25;

    var bounds = readJSON(container.dataset.bounds);
    var origin = readJSON(container.dataset.origin);
    if (origin) {
      var radius = parseFloat(container.dataset.radiusM || "0");
      var circle = L.circle([origin.lat, origin.lon], {
        radius: radius, color: "#8a4a00", weight: 1.5, fill: false, interactive: false,
      }).addTo(map);
      L.circleMarker([origin.lat, origin.lon], {
        radius: 7, color: "#8a4a00", fillColor: "#e07b00", fillOpacity: 0.9, interactive: false,
      }).addTo(map);
      map.fitBounds(radius ? circle.getBounds() : [[origin.lat, origin.lon]], {
        padding: [16, 16], maxZoom: 15, animate: false,
      });
    } else if (bounds) {
      map.fitBounds(bounds, { padding: [12, 12], maxZoom: 15, animate: false });
    }

    var tiles = layer(map, url, {
      clusterLabel: container.dataset.clusterLabel,
      markerIcon: container.dataset.markerIcon,
    });
    tiles.on("load", function () { report(container, tiles); });
    tiles.addTo(map);
  });
})();
