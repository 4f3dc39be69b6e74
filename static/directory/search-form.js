// The search filters: folded under « Filtres (n) » on a phone, open on wider screens
// (directory/templates/directory/search.html). Without JavaScript they stay folded, one tap away.
(function () {
  "use strict";
  if (!window.matchMedia("(min-width: 48rem)").matches) return;
  document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
    details.open = true;
  });
})();
