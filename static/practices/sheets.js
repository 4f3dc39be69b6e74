/*
 * Practice sheets on a map. The server hands the very sheets of the list beside
 * the map as JSON (json_script), numbered as in the list, so both always agree.
 * Sheets of the same commune share a point: the cluster spreads them on click.
 */
(function () {
  "use strict";

  function readJSON(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function icon(number) {
    if (!number) {
      return new L.Icon.Default();  // the sheet's own map: a plain pin, as for a place
    }
    return L.divIcon({
      className: "sheet-marker",
      html: "<span>" + Number(number) + "</span>",
      iconSize: [30, 30],
      iconAnchor: [15, 15],
      popupAnchor: [0, -14],
    });
  }

  window.addEventListener("map:init", function (event) {
    var map = event.detail.map;
    var container = map.getContainer();
    if (!container.dataset.sheets) {
      return;
    }
    var sheets = readJSON(container.dataset.sheets) || [];
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 30 });
    var bounds = [];
    sheets.forEach(function (sheet) {
      var marker = L.marker([sheet.lat, sheet.lon], {
        icon: icon(sheet.number),
        title: sheet.name,
        keyboard: true,
      });
      var link = document.createElement("a");
      link.href = sheet.url;
      link.textContent = (sheet.number ? sheet.number + ". " : "") + sheet.name;
      marker.bindPopup(link);
      marker.sheetId = sheet.id;
      cluster.addLayer(marker);
      bounds.push([sheet.lat, sheet.lon]);
    });
    map.addLayer(cluster);
    container.dataset.markerCount = String(cluster.getLayers().length);
    if (bounds.length === 1) {
      map.setView(bounds[0], container.classList.contains("map--small") ? 11 : 9);
    } else if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 12 });
    }
    container.classList.add("map--ready");
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
