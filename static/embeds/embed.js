/*
 * Repères — embed a map on any site (served at /embed.js):
 *
 *   <div data-reperes-map data-region="84" data-competence="sejour" data-height="480"></div>
 *   <script src="https://…/embed.js" async></script>
 *
 * Every [data-reperes-map] element not yet processed gets an iframe of
 * <this script's site>/embed/?<its data- attributes>. The framed page posts
 * {type: "reperes:resize", id, height, title} to its parent; the message is taken
 * only from this script's own origin and applied to the iframe it came from.
 * Several maps on a page, and the script included twice, are both fine.
 */
(function () {
  "use strict";

  if (window.ReperesEmbed) {
    // Included again (or added later): the first copy does the work.
    window.ReperesEmbed.scan();
    return;
  }

  var PARAMETERS = [
    "region", "department", "competence", "kind", "layers", "search", "list", "chips",
    "view", "lang", "color", "centre", "height", "open", "radius", "fresh",
  ];
  // The site's interface languages; a map without data-lang speaks its host page's.
  var LANGUAGES = ["fr", "en", "ar", "uk", "fa-af"];
  var DEFAULT_HEIGHT = 420;
  var MAX_HEIGHT = 20000;

  function scriptUrl() {
    if (document.currentScript && document.currentScript.src) {
      return document.currentScript.src;
    }
    var scripts = document.querySelectorAll('script[src*="embed.js"]');
    return scripts.length ? scripts[scripts.length - 1].src : "";
  }

  var source = scriptUrl();
  if (!source) {
    return;
  }
  var origin = new URL(source, window.location.href).origin;
  var embedBase = new URL("embed/", new URL(source, window.location.href));
  var frames = [];
  var counter = 0;

  function embedSrc(element, id) {
    var url = new URL(embedBase.href);
    PARAMETERS.forEach(function (name) {
      var value = element.getAttribute("data-" + name);
      if (value !== null && value.trim() !== "") {
        url.searchParams.set(name, value.trim());
      }
    });
    if (!url.searchParams.has("lang")) {
      var lang = pageLanguage();
      if (lang) {
        url.searchParams.set("lang", lang);
      }
    }
    url.searchParams.set("id", id);
    return url.href;
  }

  // <html lang> of the host page, if it is one of ours ("fa-AF", "fa" and "prs" are Dari
  // here); otherwise none, and the map follows its visitor's browser.
  function pageLanguage() {
    var tag = (document.documentElement.getAttribute("lang") || "").trim().toLowerCase();
    var primary = tag.split(/[-_]/)[0];
    if (LANGUAGES.indexOf(tag) !== -1) {
      return tag;
    }
    if (primary === "fa" || primary === "prs") {
      return "fa-af";
    }
    return LANGUAGES.indexOf(primary) !== -1 ? primary : "";
  }

  function build(element) {
    element.setAttribute("data-reperes-ready", "");
    counter += 1;
    var id = "reperes-map-" + counter;
    var height = parseInt(element.getAttribute("data-height"), 10);
    if (!(height > 0)) {
      height = DEFAULT_HEIGHT;
    }
    var iframe = document.createElement("iframe");
    iframe.setAttribute("loading", "lazy");  // before src, or the frame loads at once
    var title = element.getAttribute("data-title");
    iframe.title = title || "Carte Repères";
    if (title) {
      iframe.dataset.titleSet = "1";  // the site's own title wins over the frame's
    }
    iframe.setAttribute("data-reperes-frame", id);
    iframe.style.cssText = "display:block;width:100%;border:0;height:" + height + "px";
    iframe.src = embedSrc(element, id);
    element.appendChild(iframe);
    frames.push(iframe);
  }

  function scan() {
    var elements = document.querySelectorAll("[data-reperes-map]:not([data-reperes-ready])");
    Array.prototype.forEach.call(elements, build);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== origin) {
      return;
    }
    var message = event.data;
    if (!message || message.type !== "reperes:resize") {
      return;
    }
    var height = Number(message.height);
    if (!isFinite(height) || height <= 0) {
      return;
    }
    // Frames removed from the page (a builder's preview, say) are forgotten.
    frames = frames.filter(function (frame) { return frame.isConnected; });
    frames.forEach(function (frame) {
      if (frame.contentWindow !== event.source) {
        return;
      }
      frame.style.height = Math.min(Math.ceil(height), MAX_HEIGHT) + "px";
      if (typeof message.title === "string" && message.title && !frame.dataset.titleSet) {
        frame.title = message.title.slice(0, 200);
      }
    });
  });

  window.ReperesEmbed = { scan: scan, version: 1 };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scan);
  } else {
    scan();
  }
})();
