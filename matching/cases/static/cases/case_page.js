// The case page's confirmation dialogs: an irreversible move opens a dialog
// saying what will happen; the server still refuses it without "confirm".
(function () {
  "use strict";
  document.querySelectorAll("[data-dialog]").forEach(function (button) {
    var dialog = document.getElementById(button.dataset.dialog);
    if (!dialog || typeof dialog.showModal !== "function") return;
    button.addEventListener("click", function () { dialog.showModal(); });
    dialog.querySelectorAll("[data-close-dialog]").forEach(function (close) {
      close.addEventListener("click", function () { dialog.close(); });
    });
  });
})();
