// « Imprimer » buttons: hidden without JavaScript (the browser's own print still works).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
