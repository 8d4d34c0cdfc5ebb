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

  /* Until base.html loads Bootstrap's script and styles (the site redesign,
     helper "shell"), load them here once; after that this does nothing. */
  function ensureBootstrap() {
    if (!document.querySelector('link[href*="vendor/bootstrap/bootstrap.min.css"]')) {
      addStyle(base + "vendor/bootstrap/bootstrap.min.css");
    }
    if (!document.querySelector('link[href*="bootstrap-icons.min.css"]')) {
      addStyle(base + "vendor/bootstrap-icons/bootstrap-icons.min.css");
    }
    if (!window.bootstrap && !document.querySelector('script[src*="bootstrap.bundle"]')) {
      var script = document.createElement("script");
      script.src = base + "vendor/bootstrap/bootstrap.bundle.min.js";
      document.body.appendChild(script);
    }
  }

  function addStyle(href) {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
  }

  var self = document.currentScript;
  var base = self ? self.src.replace(/cms\/js\/public\.js.*$/, "") : "/static/";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (button) copyShareLink(button);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showProgress);
  } else {
    showProgress();
  }
  window.addEventListener("load", ensureBootstrap);
})();
