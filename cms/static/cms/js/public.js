/* The needs and projects pages: progress bar widths (the Content-Security-Policy
   forbids inline style attributes, not styles set from a script) and the share
   link's copy button. */
(function () {
  "use strict";

  function showProgress() {
    document.querySelectorAll("[data-progress]").forEach(function (bar) {
      var percent = Math.max(0, Math.min(100, parseInt(bar.dataset.progress, 10) || 0));
      bar.style.width = percent + "%";
    });
  }

  function copyShareLink(button) {
    var field = document.getElementById(button.dataset.copyTarget);
    var status = document.getElementById(button.dataset.copyStatus);
    if (!field) return;
    var done = function () { if (status) status.textContent = button.dataset.copiedText; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
    } else {
      field.select();
      if (document.execCommand("copy")) done();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (button) copyShareLink(button);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showProgress);
  } else {
    showProgress();
  }
})();
