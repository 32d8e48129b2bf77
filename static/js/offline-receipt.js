// The consignee's receipt on a weak link: what is typed is kept in this browser (the fields in localStorage, the
// photos in IndexedDB) until the server has recorded it. A receipt confirmed without a connection, or whose
// sending failed on the way, waits on this device and is sent when the connection returns (the "online" event,
// or the next time the page is opened with a connection). The form's submission key goes with it, so however
// often it is sent, the server records it once. Photos are made smaller here before they travel (longest side
// 1600 px, JPEG). Progressive enhancement: without this file the form is posted as usual.
//
// <form data-offline-receipt="KEY" data-done-url="URL">: KEY names what is kept; URL is the page the server
// answers with once the receipt is recorded. The page's [data-receipt-queued], [data-receipt-sending],
// [data-receipt-failed] and [data-receipt-restored] messages are shown as things happen.
(function () {
  "use strict";

  var PREFIX = "offline-receipt:";
  var MAX_SIDE = 1600;
  var QUALITY = 0.8;
  var DELAY_MS = 300;
  var DB_NAME = "kerjasama-receipts";
  var STORE = "photos";
  var store;
  try {
    store = window.localStorage;
    store.setItem(PREFIX + "test", "1");
    store.removeItem(PREFIX + "test");
  } catch (error) {
    return; // storage turned off: the form is posted as usual
  }

  // --- photos: made smaller, kept in IndexedDB ----------------------------------------------------------------

  function openPhotos() {
    return new Promise(function (resolve) {
      if (!window.indexedDB) { resolve(null); return; }
      var request;
      try { request = window.indexedDB.open(DB_NAME, 1); } catch (error) { resolve(null); return; }
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { resolve(null); };
    });
  }

  function photoStep(mode, key, value) {
    return openPhotos().then(function (db) {
      if (!db) { return null; }
      return new Promise(function (resolve) {
        var transaction = db.transaction(STORE, mode);
        var objects = transaction.objectStore(STORE);
        var request = mode === "readonly" ? objects.get(key) : (value ? objects.put(value, key) : objects.delete(key));
        transaction.oncomplete = function () { resolve(request.result || null); db.close(); };
        transaction.onerror = transaction.onabort = function () { resolve(null); db.close(); };
      });
    });
  }

  function jpegName(name) {
    var base = (name || "photo").replace(/\.[^.]*$/, "") || "photo";
    return base + ".jpg";
  }

  // A photo at most MAX_SIDE pixels on its longest side, as a JPEG; the file as chosen when it cannot be drawn
  // (the server then says what is wrong with it) or when it is already smaller that way.
  function shrink(file) {
    if (!/^image\/(jpeg|png)$/.test(file.type) || !window.createImageBitmap) { return Promise.resolve(file); }
    return window.createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff"; // a transparent PNG on white, as JPEG has no transparency
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) { bitmap.close(); }
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || (scale === 1 && blob.size >= file.size)) { resolve(file); return; }
          resolve(new File([blob], jpegName(file.name), { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", QUALITY);
      });
    }, function () { return file; });
  }

  function putFiles(input, files) {
    if (!window.DataTransfer) { return false; }
    try {
      var transfer = new DataTransfer();
      files.forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files;
      return true;
    } catch (error) {
      return false;
    }
  }

  // --- one receipt form --------------------------------------------------------------------------------------

  var current = null;

  function messages() {
    var found = {};
    ["queued", "sending", "failed", "restored"].forEach(function (name) {
      found[name] = document.querySelector("[data-receipt-" + name + "]");
    });
    return found;
  }

  function show(name) {
    var found = messages();
    Object.keys(found).forEach(function (other) {
      if (found[other] && other !== "restored") { found[other].hidden = other !== name; }
    });
    if (name && found[name] && found[name].scrollIntoView) { found[name].scrollIntoView({ block: "nearest" }); }
  }

  function keptFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      if (!field.name || field.disabled) { return false; }
      if (field.name === "idempotency_key") { return true; }
      return field.tagName === "TEXTAREA" || field.tagName === "SELECT" ||
        (field.tagName === "INPUT" && /^(text|number|date)$/.test(field.type));
    });
  }

  function read(key) {
    try { return JSON.parse(store.getItem(key) || "null"); } catch (error) { return null; }
  }

  function enhance(form) {
    var name = PREFIX + form.getAttribute("data-offline-receipt");
    var doneUrl = form.getAttribute("data-done-url");
    var photoInput = form.querySelector("input[type=file][name=photos]");
    var photoList = form.querySelector("[data-photo-list]");
    var timer = null;
    var sending = false;
    var photos = [];

    function keep() {
      var values = {};
      keptFields(form).forEach(function (field) { values[field.name] = field.value; });
      var kept = read(name) || {};
      kept.values = values;
      try { store.setItem(name, JSON.stringify(kept)); } catch (error) { /* storage full: the form still posts */ }
    }

    function markQueued(queued) {
      var kept = read(name) || {};
      kept.queued = queued;
      try { store.setItem(name, JSON.stringify(kept)); } catch (error) { /* as above */ }
    }

    function forget() {
      store.removeItem(name);
      return photoStep("readwrite", name, null);
    }

    function listPhotos() {
      if (!photoList) { return; }
      photoList.textContent = "";
      photos.forEach(function (file) {
        var item = document.createElement("li");
        item.textContent = file.name + " (" + Math.max(1, Math.round(file.size / 1024)) + " KB)";
        photoList.appendChild(item);
      });
      photoList.hidden = photos.length === 0;
    }

    function usePhotos(files) {
      photos = files;
      putFiles(photoInput, files);
      listPhotos();
    }

    // What was kept on this device is put back: the values typed (with the submission key, so a receipt sent
    // again is still the same receipt) and the photos.
    var kept = read(name);
    var restored = false;
    if (kept && kept.values) {
      keptFields(form).forEach(function (field) {
        if (Object.prototype.hasOwnProperty.call(kept.values, field.name) && field.value !== kept.values[field.name]) {
          field.value = kept.values[field.name];
          restored = restored || field.type !== "hidden";
        }
      });
    }
    var ready = photoInput ? photoStep("readonly", name).then(function (stored) {
      if (stored && stored.length) {
        usePhotos(stored.map(function (photo) {
          return new File([photo.blob], photo.name, { type: photo.type, lastModified: Date.now() });
        }));
        restored = true;
      }
    }) : Promise.resolve();
    ready.then(function () {
      var note = messages().restored;
      if (restored && note) { note.hidden = false; }
      if (kept && kept.queued) {
        if (navigator.onLine) { send(); } else { show("queued"); }
      }
    });

    form.addEventListener("input", function (event) {
      if (event.target === photoInput) { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(keep, DELAY_MS);
    });
    form.addEventListener("change", function (event) {
      if (event.target !== photoInput) { keep(); return; }
      var chosen = Array.prototype.slice.call(photoInput.files || []);
      ready = Promise.all(chosen.map(shrink)).then(function (smaller) {
        usePhotos(smaller);
        return photoStep("readwrite", name, smaller.map(function (file) {
          return { name: file.name, type: file.type, blob: file };
        }));
      });
    });

    function queue() {
      keep();
      markQueued(true);
      show("queued");
    }

    function swapIn(html, url) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var main = page.querySelector("main");
      if (!main) { return false; }
      document.querySelector("main").replaceWith(document.adoptNode(main));
      document.title = page.title;
      if (url && window.history.replaceState) { window.history.replaceState(null, "", url); }
      return true;
    }

    function send() {
      if (sending) { return; }
      sending = true;
      show("sending");
      ready.then(function () {
        var data = new FormData(form);
        return window.fetch(form.action || window.location.href, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { Accept: "text/html" },
        });
      }).then(function (response) {
        return response.text().then(function (html) {
          var landed = new URL(response.url, window.location.href);
          if (response.redirected && landed.pathname === doneUrl) {
            // Recorded (now or by an earlier sending of the same receipt): nothing is kept any more.
            return forget().then(function () { swapIn(html, response.url); start(); });
          }
          if (response.redirected) {
            // Signed out on the way: the receipt stays here and is sent once the user is back on this page.
            window.location.assign(response.url);
            return null;
          }
          markQueued(false);
          if (response.status === 200 && swapIn(html, null)) {
            start(); // the form again, with the server's errors next to the fields
            return null;
          }
          show("failed");
          return null;
        });
      }, function () {
        queue(); // no connection, or it dropped on the way
      }).then(function () {
        sending = false;
      }, function () {
        sending = false;
        queue();
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      keep();
      if (!navigator.onLine) { queue(); return; }
      send();
    });

    return {
      online: function () {
        var state = read(name);
        if (state && state.queued) { send(); }
      },
    };
  }

  function start() {
    var form = document.querySelector("form[data-offline-receipt]");
    current = form ? enhance(form) : null;
  }

  window.addEventListener("online", function () {
    if (current) { current.online(); }
  });
  start();
})();
