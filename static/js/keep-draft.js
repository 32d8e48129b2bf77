// Keeps what is typed in a long form in this browser until the server has it, so a dropped connection or a
// closed tab loses nothing. Progressive enhancement: without this file the form works the same, and the
// server keeps every draft saved with "Save draft".
//
// <form data-keep-draft="KEY" data-draft-base="STAMP">: STAMP is when the server last saved the draft. What is
// typed is kept with that stamp; on reload it is put back only if the server's draft is still that one (older
// than the typing). A newer stamp means a save went through: what was kept is dropped.
// <div data-keep-draft-clear="KEY">: the report was sent; drop what was kept for it.
(function () {
  "use strict";

  var PREFIX = "keep-draft:";
  var DELAY_MS = 400;
  var store;
  try {
    store = window.localStorage;
    store.setItem(PREFIX + "test", "1");
    store.removeItem(PREFIX + "test");
  } catch (error) {
    return; // private browsing or storage turned off: the server's drafts are still there
  }

  function read(key) {
    try { return JSON.parse(store.getItem(key) || "null"); } catch (error) { return null; }
  }

  function typedFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken" || field.disabled) { return false; }
      return field.tagName === "TEXTAREA" || field.tagName === "SELECT" ||
        (field.tagName === "INPUT" && (field.type === "text" || field.type === "number"));
    });
  }

  function enhance(form) {
    var key = PREFIX + form.getAttribute("data-keep-draft");
    var base = form.getAttribute("data-draft-base") || "";
    var kept = read(key);
    var timer = null;

    if (kept && kept.base === base && kept.values) {
      var restored = false;
      typedFields(form).forEach(function (field) {
        if (Object.prototype.hasOwnProperty.call(kept.values, field.name) && field.value !== kept.values[field.name]) {
          field.value = kept.values[field.name];
          restored = true;
        }
      });
      var note = document.querySelector("[data-draft-restored]");
      if (restored && note) { note.hidden = false; }
    } else if (kept) {
      store.removeItem(key);
    }

    function keep() {
      var values = {};
      typedFields(form).forEach(function (field) { values[field.name] = field.value; });
      try {
        store.setItem(key, JSON.stringify({ base: base, values: values }));
      } catch (error) {
        // storage full: the server's draft remains
      }
    }

    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(keep, DELAY_MS);
    });
    form.addEventListener("change", keep);
  }

  document.querySelectorAll("[data-keep-draft-clear]").forEach(function (element) {
    store.removeItem(PREFIX + element.getAttribute("data-keep-draft-clear"));
  });
  document.querySelectorAll("form[data-keep-draft]").forEach(enhance);
})();
