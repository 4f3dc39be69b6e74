/*
 * Inside the embed frame: tell the page around it how tall the content is, so
 * embed.js can size the iframe (no inner scrollbar). Sent on load, whenever the
 * content changes size (list opened, window resized), and on request
 * (window.ReperesFrame.report()).
 *
 * The message carries nothing private, so any parent may read it ("*"); the
 * parent, for its part, checks the message comes from this site (event.origin).
 */
(function () {
  "use strict";

  var root = document.getElementById("embed-root");
  if (!root || window.parent === window) {
    window.ReperesFrame = { report: function () {} };
    return;
  }
  var lastHeight = 0;

  function report() {
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height === lastHeight || height <= 0) {
      return;
    }
    lastHeight = height;
    window.parent.postMessage(
      {
        type: "reperes:resize",
        id: root.dataset.frameId || null,
        height: height,
        title: document.title,
      },
      "*"
    );
  }

  window.ReperesFrame = { report: report };
  if ("ResizeObserver" in window) {
    new ResizeObserver(report).observe(root);
  }
  window.addEventListener("load", report);
  window.addEventListener("resize", report);
  report();
})();
