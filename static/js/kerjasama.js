// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The stylesheet came inside the page (a first visit): once the page has loaded, fetch the file into the cache
  // and leave a cookie naming its version, so that the next pages link it instead of carrying it.
  var inlineSheet = document.querySelector("style[data-stylesheet]");
  if (inlineSheet && window.fetch) {
    window.addEventListener("load", function () {
      fetch(inlineSheet.getAttribute("data-stylesheet"), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { return; }
          document.cookie = "kerjasama-css=" + inlineSheet.getAttribute("data-version") +
            "; path=/; max-age=31536000; SameSite=Lax" + (location.protocol === "https:" ? "; Secure" : "");
        })
        .catch(function () {});
    });
  }

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

  // Filters over big tables (partners, programmes): the text input becomes a combobox whose listbox shows the
  // first matches the server finds for what is typed. Arrow keys move through them, Enter picks one, Escape
  // closes the list. The input keeps holding text the server understands (a label, a code or an id), so the
  // form works the same with or without this script.
  document.querySelectorAll("input[data-autocomplete]").forEach(function (input) {
    if (!window.fetch) { return; }
    var list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list) { return; }
    var options = [];
    var active = -1;
    var timer = null;
    var asked = 0;
    input.parentNode.classList.add("autocomplete");

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function pick(index) {
      if (index < 0 || index >= options.length) { return; }
      input.value = options[index].getAttribute("data-label");
      close();
    }
    function show(results) {
      list.textContent = "";
      options = results.map(function (result, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-label", result.label);
        option.textContent = result.label;
        option.addEventListener("mousedown", function (event) { event.preventDefault(); pick(i); });
        list.appendChild(option);
        return option;
      });
      active = -1;
      list.hidden = options.length === 0;
      input.setAttribute("aria-expanded", options.length ? "true" : "false");
    }
    function ask() {
      var number = ++asked;
      var url = input.getAttribute("data-autocomplete") + "?q=" + encodeURIComponent(input.value.trim());
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && number === asked && document.activeElement === input) { show(data.results); } })
        .catch(function () {});
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 200);
    });
    input.addEventListener("focus", function () { if (!input.value) { ask(); } });
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) { ask(); return; }
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + options.length) % options.length);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
  });
})();
