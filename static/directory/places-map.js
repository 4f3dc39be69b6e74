/*
 * Places on a map: the server hands the very places of the list as JSON
 * (json_script), so the map and the list always show the same results.
 */
(function () {
  "use strict";

  function readJSON(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  window.addEventListener("map:init", function (event) {
    var map = event.detail.map;
    var container = map.getContainer();
    if (!container.dataset.places) {
      return;
    }
    var places = readJSON(container.dataset.places) || [];
    var origin = readJSON(container.dataset.origin);
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    var bounds = [];
    places.forEach(function (place, index) {
      var marker = L.marker([place.lat, place.lon], {
        title: place.name,
        alt: place.name,
        keyboard: true,
      });
      var link = document.createElement("a");
      link.href = place.url;
      link.textContent = (index + 1) + ". " + place.name;
      marker.bindPopup(link);
      marker.placeId = place.id;
      cluster.addLayer(marker);
      bounds.push([place.lat, place.lon]);
    });
    map.addLayer(cluster);
    container.dataset.markerCount = String(places.length);
    if (origin) {
      L.circleMarker([origin.lat, origin.lon], {
        radius: 7, color: "#8a4a00", fillColor: "#e07b00", fillOpacity: 0.9, interactive: false,
      }).addTo(map);
      bounds.push([origin.lat, origin.lon]);
    }
    if (bounds.length === 1) {
      map.setView(bounds[0], 15);
    } else if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [40, 40], maxZoom: 15 });
    }
  });

})();
