// « Utiliser ma position » on the search forms (the search page, the home page): the browser's
// position fills lat/lon and the form is sent. Hidden where the browser cannot locate.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-use-position]").forEach(function (button) {
      if (!("geolocation" in navigator)) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var form = button.form;
        var status = form.querySelector("[data-position-status]");
        status.textContent = button.dataset.waiting;
        navigator.geolocation.getCurrentPosition(
          function (position) {
            form.elements.lat.value = position.coords.latitude.toFixed(6);
            form.elements.lon.value = position.coords.longitude.toFixed(6);
            form.elements.q.value = "";
            form.submit();
          },
          function () { status.textContent = button.dataset.failed; },
          { timeout: 10000 }
        );
      });
    });
  });
})();
