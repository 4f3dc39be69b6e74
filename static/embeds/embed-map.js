/*
 * The embedded map (templates/embeds/map.html).
 *
 * The server hands the items of the list as JSON (#embed-data) and the settings as
 * JSON (#embed-config); django-leaflet creates the map and fires `map:init`. Places
 * come from the vector tiles with the map's filters (static/directory/place-tiles.js:
 * accent clusters and dots), practices are outlined diamonds clustered here.
 * Competence chips filter the places of the map (the tiles' URL) and of the list alike.
 */
(function () {
  "use strict";

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var data = readJSON("embed-data") || { places: [], practices: [] };
  var config = readJSON("embed-config") || {};
  var labels = config.labels || {};
  var report = function () {
    if (window.ReperesFrame) {
      window.ReperesFrame.report();
    }
  };

  function accent() {
    var value = getComputedStyle(document.documentElement).getPropertyValue("--accent");
    return value.trim() || "#1f4b8f";
  }

  function icon(kind) {
    return L.divIcon({
      className: "embed-marker embed-marker--" + kind,
      html: '<span class="embed-dot embed-dot--' + kind + '"></span>',
      iconSize: [18, 18],
      iconAnchor: [9, 9],
      popupAnchor: [0, -8],
    });
  }

  function popup(item, kindLabel) {
    var box = document.createElement("div");
    box.className = "embed-popup";
    var kind = document.createElement("span");
    kind.className = "embed-popup__kind";
    kind.textContent = kindLabel;
    box.appendChild(kind);
    var title;
    if (item.url) {
      title = document.createElement("a");
      title.href = item.url;
      title.target = "_blank";
      title.rel = "noopener";
      title.textContent = item.name;
      var hint = document.createElement("span");
      hint.className = "visually-hidden";
      hint.textContent = " " + (labels.newTab || "");
      title.appendChild(hint);
    } else {
      title = document.createElement("strong");
      title.textContent = item.name;
    }
    box.appendChild(title);
    if (item.address) {
      var meta = document.createElement("span");
      meta.className = "embed-popup__meta";
      meta.textContent = item.address;
      box.appendChild(meta);
    }
    return box;
  }

  function markerOf(item, kind, kindLabel) {
    var marker = L.marker([item.lat, item.lon], {
      icon: icon(kind),
      title: item.name,
      keyboard: true,
      riseOnHover: true,
    });
    marker.bindPopup(function () { return popup(item, kindLabel); });
    return marker;
  }

  function clusterGroup(kind) {
    return L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 40,
      iconCreateFunction: function (cluster) {
        return L.divIcon({
          html: "<div><span>" + cluster.getChildCount() + "</span></div>",
          className: "marker-cluster marker-cluster--" + kind,
          iconSize: [40, 40],
        });
      },
    });
  }

  function initialView(map, items) {
    map.options.zoomSnap = 0.25;
    // Room for a marker at the edge, and for the attribution line.
    var fit = { padding: [36, 36], maxZoom: 15, animate: false };
    if (config.view) {
      map.setView([config.view[0], config.view[1]], config.view[2], { animate: false });
      return;
    }
    var bounds = L.latLngBounds([]);
    items.forEach(function (item) { bounds.extend([item.lat, item.lon]); });
    if (config.origin) {
      bounds.extend([config.origin.lat, config.origin.lon]);
      map.fitBounds(bounds, fit);
    } else if (config.bounds) {
      map.fitBounds(config.bounds, { padding: [8, 8], animate: false });
    } else if (bounds.isValid()) {
      map.fitBounds(bounds, fit);
    }
  }

  function drawOutline(map) {
    if (!config.outline) {
      return;
    }
    fetch(config.outline, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (collection) {
        if (!collection) {
          return;
        }
        L.geoJSON(collection, {
          filter: function (feature) {
            var kind = feature.properties.kind;
            return kind === "outline" || kind === "focus";
          },
          style: { color: accent(), weight: 2, opacity: 0.8, fill: false },
          interactive: false,
        }).addTo(map).bringToBack();
      })
      .catch(function () { /* the outline is a nicety: the map works without it */ });
  }

  // The place tiles' URL for these competences (none: the map's own, if any).
  function tilesUrl(competences) {
    var tiles = config.tiles;
    var chosen = competences.length ? competences : tiles.competences;
    return tiles.url + (chosen.length ? "&competence=" + encodeURIComponent(chosen.join(",")) : "");
  }

  function setUpChips(placeTiles) {
    var chips = Array.prototype.slice.call(document.querySelectorAll(".embed-chip"));
    if (!chips.length) {
      return;
    }
    var count = document.getElementById("embed-count");
    var initialCount = count ? count.textContent : "";
    var items = document.querySelectorAll(".embed-items:not(.embed-items--practices) .embed-item");

    function matches(competences, active) {
      if (!active.length) {
        return true;
      }
      return (competences || []).some(function (slug) { return active.indexOf(slug) !== -1; });
    }

    function apply() {
      var active = chips
        .filter(function (chip) { return chip.getAttribute("aria-pressed") === "true"; })
        .map(function (chip) { return chip.dataset.competence; });
      var visible = data.places.filter(function (item) {
        return matches(item.competences, active);
      });
      if (placeTiles) {
        placeTiles.setUrl(tilesUrl(active));
      }
      items.forEach(function (li) {
        li.hidden = !matches((li.dataset.competences || "").split(" "), active);
      });
      if (count) {
        count.textContent = active.length
          ? (labels.shown || "%(n)s / %(total)s")
              .replace("%(n)s", visible.length)
              .replace("%(total)s", data.places.length)
          : initialCount;
      }
      report();
    }

    chips.forEach(function (chip) {
      chip.addEventListener("click", function () {
        var on = chip.getAttribute("aria-pressed") === "true";
        chip.setAttribute("aria-pressed", on ? "false" : "true");
        apply();
      });
    });
  }

  window.addEventListener("map:init", function (event) {
    var map = event.detail.map;
    var container = map.getContainer();
    if (container.id !== "embed-map") {
      return;
    }
    // A narrow map keeps its width for the data's attribution (OpenStreetMap).
    if (container.clientWidth < 480 && map.attributionControl) {
      map.attributionControl.setPrefix(false);
    }
    // The host page scrolls past the map: the wheel zooms only once the map is in use.
    map.scrollWheelZoom.disable();
    map.once("focus click", function () { map.scrollWheelZoom.enable(); });

    // Places come from the vector tiles (every place the filters select, clustered by
    // the server); practices, few, are markers clustered here.
    var placeTiles = null;
    if (config.tiles) {
      placeTiles = window.ReperesPlaceTiles.layer(map, tilesUrl([]), {
        clusterLabel: labels.cluster,
        clusterColour: accent(),
        placeColour: accent(),
      });
      placeTiles.addTo(map);
    }

    var practiceCluster = clusterGroup("practice");
    practiceCluster.addLayers(data.practices.map(function (item) {
      return markerOf(item, "practice", labels.practice);
    }));
    map.addLayer(practiceCluster);

    if (config.origin) {
      L.circleMarker([config.origin.lat, config.origin.lon], {
        radius: 7, color: "#1b1f24", weight: 3, fillColor: "#ffbf47", fillOpacity: 1,
        interactive: false,
      }).addTo(map);
    }

    initialView(map, data.places.concat(data.practices));
    drawOutline(map);
    setUpChips(placeTiles);

    // Ready once the places are drawn: data-marker-count counts what the map shows,
    // places in the visible tiles (a cluster for its size) and practices.
    function ready() {
      var places = placeTiles ? placeTiles.summary().places : 0;
      container.dataset.markerCount = String(places + data.practices.length);
      container.classList.add("embed-map--ready");
      report();
    }
    if (placeTiles) {
      placeTiles.on("load", ready);
    } else {
      ready();
    }
  });

  var toggle = document.getElementById("embed-list-toggle");
  var list = document.getElementById("embed-list");
  if (toggle && list) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      list.hidden = open;
      toggle.textContent = open ? labels.showList : labels.hideList;
      report();
    });
  }
})();
