/*
 * Leaflet's own words in the page's language, for every map of the page.
 *
 * Leaflet writes "Zoom in" / "Zoom out" and settings hold one attribution line;
 * the map container (templates/geodata/_map_labels.html) carries them translated:
 *   data-zoom-in, data-zoom-out   titles (and accessible names) of the zoom buttons
 *   data-attribution              the tiles' credit line, as plain text
 * Loaded before the map is created, so the listener is in place for `map:init`.
 */
(function () {
  "use strict";

  // Several map partials may load this file on one page: one listener is enough.
  if (window.reperesMapLabels) {
    return;
  }
  window.reperesMapLabels = true;

  function escapeHTML(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function relabelZoom(map, data) {
    if (!map.zoomControl || !data.zoomIn || !data.zoomOut) {
      return;
    }
    var position = map.zoomControl.getPosition();
    map.removeControl(map.zoomControl);
    map.zoomControl = L.control
      .zoom({ position: position, zoomInTitle: data.zoomIn, zoomOutTitle: data.zoomOut })
      .addTo(map);
  }

  function relabelAttribution(map, text) {
    var control = map.attributionControl;
    if (!control || !text) {
      return;
    }
    var credit = "&copy; " + escapeHTML(text.replace(/^©\s*/, ""));
    map.eachLayer(function (layer) {
      if (layer instanceof L.TileLayer && layer.options.attribution) {
        control.removeAttribution(layer.options.attribution);
        layer.options.attribution = credit;
        control.addAttribution(credit);
      }
    });
  }

  window.addEventListener("map:init", function (event) {
    var map = event.detail.map;
    var data = map.getContainer().dataset;
    relabelZoom(map, data);
    relabelAttribution(map, data.attribution);
  });
})();
