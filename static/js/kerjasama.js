// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Submit the language switcher as soon as a language is picked.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Formsets: "add another" clones the empty form template and bumps TOTAL_FORMS.
  document.querySelectorAll("[data-formset]").forEach(function (formset) {
    var prefix = formset.getAttribute("data-formset");
    var total = formset.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var template = formset.querySelector("template[data-empty-form]");
    var target = formset.querySelector("[data-formset-rows]");
    var button = formset.querySelector("[data-formset-add]");
    if (!total || !template || !target || !button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      target.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = target.lastElementChild && target.lastElementChild.querySelector("select, input");
      if (first) { first.focus(); }
    });
  });

  // The navigation's "Waiting for me" count, fetched once the page is shown.
  document.querySelectorAll("a[data-waiting-count]").forEach(function (link) {
    if (!window.fetch) { return; }
    fetch(link.getAttribute("data-waiting-count"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        var badge = link.querySelector(".badge-count");
        if (!data || !badge || !data.count) { return; }
        badge.textContent = String(data.count);
        badge.hidden = false;
        link.setAttribute("aria-label", link.textContent.replace(String(data.count), "").trim() + " (" + data.count + ")");
      })
      .catch(function () {});
  });

  // A background export's page: follow its progress, then show the download link.
  document.querySelectorAll("[data-export-job]").forEach(function (box) {
    if (!window.fetch) { return; }
    var url = box.getAttribute("data-export-job");
    var bar = box.querySelector("[data-export-progress]");
    var rows = box.querySelector("[data-export-rows]");
    var label = box.querySelector("[data-export-status-label]");
    var download = box.querySelector("[data-export-download]");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          if (bar) { bar.value = data.percent; bar.textContent = data.percent + "%"; }
          if (rows) { rows.textContent = data.done_rows + " / " + data.total_rows; }
          if (label) { label.textContent = data.status_label; }
          box.setAttribute("data-export-status", data.status);
          if (data.status === "done") {
            if (download) { download.hidden = false; }
            if (bar) { bar.parentNode.hidden = true; }
          } else if (data.status === "failed" || data.status === "expired") {
            window.location.reload();
          } else {
            window.setTimeout(poll, 1000);
          }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    var status = box.getAttribute("data-export-status");
    if (status === "queued" || status === "running") { window.setTimeout(poll, 500); }
  });
})();
