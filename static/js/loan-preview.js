// Live repayment schedule while a loan is drafted. Progressive enhancement: without this file the
// "Preview schedule" button posts the form and the page comes back with the same table.
(function () {
  "use strict";

  var DELAY_MS = 350;

  function enhance(form) {
    var url = form.getAttribute("data-preview-url");
    var target = document.getElementById(form.getAttribute("data-preview-target") || "schedule-preview");
    if (!url || !target || !window.fetch || !window.FormData) { return; }

    var timer = null;
    var latest = 0; // only the answer to the newest request is shown, whatever order answers arrive in

    function refresh() {
      var ticket = ++latest;
      target.setAttribute("aria-busy", "true");
      fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          if (ticket === latest) { target.innerHTML = html; }
        })
        .catch(function () {
          // Leave the last good preview in place; the button still works through a full page load.
        })
        .then(function () {
          if (ticket === latest) { target.removeAttribute("aria-busy"); }
        });
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DELAY_MS);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
  }

  document.querySelectorAll("form[data-loan-preview]").forEach(enhance);
})();
