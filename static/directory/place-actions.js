// The place page's action bar (directory/templates/directory/place_detail.html), improved when
// the browser can: the `geo:` link on Android, the system share sheet where there is one.
// Without JavaScript the links work as they are (OpenStreetMap directions, a share e-mail).
(function () {
  "use strict";
  if (/Android/i.test(navigator.userAgent)) {
    document.querySelectorAll(".place-action--android").forEach(function (item) {
      item.hidden = false;
    });
  }
  if (!navigator.share) return;
  document.querySelectorAll(".place-action--share").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      navigator
        .share({ title: link.dataset.shareTitle, url: link.dataset.shareUrl })
        .catch(function () {}); // dismissed: nothing to do
    });
  });
})();
