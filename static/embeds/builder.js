/*
 * The embed builder (/integrer/): the form is read on every change to rewrite
 * the snippet, the oEmbed address and the preview, which is the very snippet run
 * by embed.js. Without JS the form still works (GET, rendered by the server).
 */
(function () {
  "use strict";

  var form = document.getElementById("builder-form");
  var dataNode = document.getElementById("builder-data");
  if (!form || !dataNode) {
    return;
  }
  var settings = JSON.parse(dataNode.textContent);
  var preview = document.getElementById("builder-preview");
  var code = document.getElementById("builder-code");
  var embedLink = document.getElementById("builder-embed-url");
  var copyButton = document.getElementById("builder-copy");
  var copyStatus = document.getElementById("builder-copy-status");
  var LISTS = ["competence", "kind", "layers"];
  var FLAGS = ["search", "list", "chips", "fresh"];

  function values() {
    var data = new FormData(form);
    var result = {};
    var area = (data.get("area") || "").split(":");
    if (area.length === 2) {
      result[area[0]] = area[1];
    }
    LISTS.forEach(function (name) { result[name] = data.getAll(name).join(","); });
    FLAGS.forEach(function (name) {
      var all = data.getAll(name);  // the hidden "0", then "1" when ticked
      result[name] = all.length ? all[all.length - 1] : "";
    });
    ["lang", "centre", "height"].forEach(function (name) { result[name] = data.get(name) || ""; });
    result.color = (data.get("color") || "").toLowerCase();
    return result;
  }

  function attributes() {
    var current = values();
    return settings.parameters
      .filter(function (name) {
        var value = current[name];
        return value && (value !== settings.defaults[name] || name === "height");
      })
      .map(function (name) { return [name, current[name]]; });
  }

  function escapeAttribute(text) {
    return String(text)
      .replace(/&/g, "&amp;")
      .replace(/"/g, "&quot;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/'/g, "&#x27;");
  }

  function update() {
    var attrs = attributes();
    code.value =
      "<div data-reperes-map" +
      attrs.map(function (a) { return " data-" + a[0] + '="' + escapeAttribute(a[1]) + '"'; }).join("") +
      "></div>\n" +
      '<script src="' + escapeAttribute(settings.scriptUrl) + '" async></' + "script>";

    var query = new URLSearchParams(attrs).toString();
    if (embedLink) {
      embedLink.href = embedLink.textContent = settings.embedUrl + (query ? "?" + query : "");
    }

    var element = document.createElement("div");
    element.setAttribute("data-reperes-map", "");
    attrs.forEach(function (a) { element.setAttribute("data-" + a[0], a[1]); });
    preview.replaceChildren(element);
    if (window.ReperesEmbed) {
      window.ReperesEmbed.scan();
    }
    // The builder's own address keeps the choices (shareable, survives a reload).
    var own = new URLSearchParams(new FormData(form)).toString();
    window.history.replaceState(null, "", "?" + own);
  }

  var timer = null;
  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 350);
  }

  form.addEventListener("change", function (event) {
    // A map shows at least one layer: unticking the last one ticks it back.
    if (event.target.name === "layers" && !form.querySelector('input[name="layers"]:checked')) {
      event.target.checked = true;
    }
    schedule();
  });
  form.addEventListener("input", schedule);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    update();
  });
  var refresh = form.querySelector(".builder__refresh");
  if (refresh) {
    refresh.hidden = true;  // the preview follows every change
  }

  function selectCode() {
    code.focus();
    code.select();
    code.setSelectionRange(0, code.value.length);
  }

  function copied(ok) {
    copyStatus.textContent = ok ? copyButton.dataset.copied : copyButton.dataset.selected;
  }

  copyButton.addEventListener("click", function () {
    selectCode();
    // Without clipboard permission (or an old browser), the selected text and a hint remain.
    var fallback = function () {
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (error) {
        ok = false;
      }
      copied(ok);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(code.value).then(function () { copied(true); }, fallback);
    } else {
      fallback();
    }
  });
})();
