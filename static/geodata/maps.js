/*
 * Maps of the geodata pages.
 *
 * django-leaflet creates each map and fires `map:init`; this script then reads
 * the map container's data- attributes (set by templates/geodata/_map.html):
 *   data-geojson-url   FeatureCollection to draw (properties: code, name, kind, url?)
 *   data-fit-zone      fit the view to features of this zone only (e.g. "metro")
 *   data-list          id of the element holding the equivalent list; its links
 *                      with data-feature-code highlight the matching shape
 *   data-error-message shown in the map if the GeoJSON cannot be loaded
 */
(function () {
  "use strict";

  var STYLES = {
    region: { color: "#1f4b8f", weight: 1.2, fillColor: "#3d7bd9", fillOpacity: 0.18 },
    department: { color: "#1f4b8f", weight: 1.2, fillColor: "#3d7bd9", fillOpacity: 0.18 },
    outline: { color: "#0f2d5c", weight: 3, fill: false, interactive: false },
    focus: { color: "#0f2d5c", weight: 2.5, fillColor: "#3d7bd9", fillOpacity: 0.2, interactive: false },
  };
  var HIGHLIGHT = { weight: 3, fillOpacity: 0.45, fillColor: "#e07b00", color: "#8a4a00" };

  function styleOf(feature) {
    var style = STYLES[feature.properties.kind] || STYLES.region;
    // Classes are set when a path is created (setStyle leaves them alone): they
    // name the shape for the stylesheet and for the browser tests.
    return L.extend({ className: "map-area map-area--" + feature.properties.code }, style);
  }

  function showError(container) {
    var message = document.createElement("p");
    message.className = "map__error";
    message.setAttribute("role", "status");
    message.textContent = container.dataset.errorMessage || "";
    container.appendChild(message);
  }

  function draw(map, container, data) {
    var byCode = {};
    var layer = L.geoJSON(data, {
      style: styleOf,
      onEachFeature: function (feature, shape) {
        var props = feature.properties;
        if (props.kind === "outline" || props.kind === "focus") {
          return;
        }
        byCode[props.code] = shape;
        shape.bindTooltip(props.name, { sticky: true, direction: "top", className: "map__tooltip" });
        shape.on("mouseover", function () { highlight(shape, true); });
        shape.on("mouseout", function () { highlight(shape, false); });
        if (props.url) {
          shape.on("click", function () { window.location.assign(props.url); });
        }
      },
    }).addTo(map);
    // Outlines go on top so a région's edge stays visible over its départements.
    layer.eachLayer(function (shape) {
      if (shape.feature.properties.kind === "outline") {
        shape.bringToFront();
      }
    });

    fit(map, container, layer);
    linkList(container, byCode);
    container.classList.add("map--ready");
  }

  function highlight(shape, on) {
    shape.setStyle(on ? HIGHLIGHT : styleOf(shape.feature));
    if (on) {
      shape.bringToFront();
    }
  }

  function fit(map, container, layer) {
    var zone = container.dataset.fitZone;
    var bounds = L.latLngBounds([]);
    layer.eachLayer(function (shape) {
      if (!zone || shape.feature.properties.zone === zone) {
        bounds.extend(shape.getBounds());
      }
    });
    if (!bounds.isValid()) {
      bounds = layer.getBounds();
    }
    if (bounds.isValid()) {
      // Fractional zoom lets the shapes fill the frame instead of stopping a level short.
      map.options.zoomSnap = 0.25;
      // No animation: the first view is a starting point, not a transition.
      map.fitBounds(bounds, { padding: [8, 8], animate: false });
    }
  }

  function linkList(container, byCode) {
    var list = container.dataset.list && document.getElementById(container.dataset.list);
    if (!list) {
      return;
    }
    list.querySelectorAll("[data-feature-code]").forEach(function (link) {
      var shape = byCode[link.dataset.featureCode];
      if (!shape) {
        return;
      }
      var on = function () { highlight(shape, true); shape.openTooltip(shape.getCenter()); };
      var off = function () { highlight(shape, false); shape.closeTooltip(); };
      link.addEventListener("mouseenter", on);
      link.addEventListener("focus", on);
      link.addEventListener("mouseleave", off);
      link.addEventListener("blur", off);
    });
  }

  window.addEventListener("map:init", function (event) {
    var map = event.detail.map;
    var container = map.getContainer();
    var url = container.dataset.geojsonUrl;
    if (!url) {
      return;
    }
    // The page scrolls past the map: zoom with the wheel only once the map is in use.
    map.scrollWheelZoom.disable();
    map.once("focus click", function () { map.scrollWheelZoom.enable(); });

    fetch(url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) { draw(map, container, data); })
      .catch(function () { showError(container); });
  });
})();
