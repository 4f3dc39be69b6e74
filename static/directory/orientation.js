// The orientation sheet's « Imprimer » button: shown only where a script can print.
(function () {
  var button = document.querySelector("[data-print]");
  if (!button || typeof window.print !== "function") return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
