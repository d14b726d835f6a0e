/* Samen: small enhancements only. Every page works the same without this file. */
(function () {
  "use strict";
  // A form came back with mistakes: move focus to the list of them, so it is read out and the links are next.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // A text with a maximum length: a counter below it (the server checks the length; nothing is cut).
  Array.prototype.forEach.call(document.querySelectorAll("[data-count-max]"), function (area) {
    var max = parseInt(area.getAttribute("data-count-max"), 10);
    var text = area.getAttribute("data-count-text") || "{num} / {max}";
    var counter = document.createElement("p");
    counter.className = "hint counter";
    counter.id = area.id + "-counter";
    area.parentNode.insertBefore(counter, area.nextSibling);
    function update() {
      counter.textContent = text.replace("{num}", area.value.length).replace("{max}", max);
      counter.classList.toggle("over", area.value.length > max);
    }
    area.addEventListener("input", update);
    update();
  });

  // The wijk next to a postcode: asked only when the postcode typed lies in more than one wijk, with just its wijken.
  Array.prototype.forEach.call(document.querySelectorAll(".wijk-choice"), function (box) {
    var form = box.closest("form");
    var input = form && form.querySelector("input[name=postcode]");
    var select = box.querySelector("select");
    if (!input || !select) { return; }
    var table = JSON.parse(box.getAttribute("data-postcodes") || "{}");
    var shownFor = null;
    function update() {
      var found = /^\s*([1-9][0-9]{3})/.exec(input.value);
      var wijken = found ? table[found[1]] : null;
      if (!wijken || wijken.length < 2) { box.hidden = true; shownFor = null; return; }
      box.hidden = false;
      if (shownFor === found[1]) { return; }
      shownFor = found[1];
      var kept = select.value;
      while (select.firstChild) { select.removeChild(select.firstChild); }
      select.appendChild(new Option(box.getAttribute("data-not-sure"), ""));
      wijken.forEach(function (wijk) { select.appendChild(new Option(wijk[1], wijk[0], false, wijk[0] === kept)); });
    }
    input.addEventListener("input", update);
    update();
  });

  // Otherwise a message after an action ("Your request is cancelled."): move focus to it, so it is read out first.
  var flashes = document.getElementById("flashes");
  if (flashes && !summary) { flashes.focus(); }
  // The main menu is a <details> that starts closed (a phone, or large text, sees the page and not only the menu).
  // On a wide screen with room to spare it opens at once.
  var menu = document.getElementById("site-menu");
  if (menu && window.matchMedia && window.matchMedia("(min-width: 48em)").matches) { menu.open = true; }
  // Drafts: what someone types into a form is kept on this device when it is sent. If the network is gone, the
  // service worker answers with the offline page, which marks the draft as not sent and links back to the form;
  // there the text is put back. A page from the server after a normal send means it arrived: the draft goes.
  var DRAFT = "samen-draft";
  var WEEK = 7 * 24 * 3600 * 1000;
  var readDraft = function () {
    try { return JSON.parse(window.localStorage.getItem(DRAFT) || "null"); } catch (e) { return null; }
  };
  var keepDraft = function (draft) {
    try { window.localStorage.setItem(DRAFT, JSON.stringify(draft)); } catch (e) { /* private mode: no drafts */ }
  };
  var dropDraft = function () { try { window.localStorage.removeItem(DRAFT); } catch (e) { /* nothing kept */ } };
  var draft = readDraft();
  if (draft && (!draft.at || Date.now() - draft.at > WEEK)) { dropDraft(); draft = null; }
  if (document.body && document.body.hasAttribute("data-offline")) {
    if (draft) {
      draft.failed = true;
      keepDraft(draft);
      Array.prototype.forEach.call(document.querySelectorAll("[data-draft-link]"), function (link) {
        link.setAttribute("href", draft.page);
        link.hidden = false;
      });
    }
  } else if (draft && draft.failed) {
    var target = null;
    Array.prototype.forEach.call(document.querySelectorAll("form[method=post]"), function (form) {
      if (!target && (form.getAttribute("action") || location.pathname) === draft.action) { target = form; }
    });
    if (target) {
      Array.prototype.forEach.call(target.elements, function (field) {
        var value = draft.fields[field.name];
        if (value === undefined) { return; }
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = value.indexOf(field.value) >= 0;
        } else if (!field.value || field.value === field.defaultValue) {
          field.value = value;
        }
      });
      var note = document.createElement("p");
      note.className = "flash flash-warning";
      note.setAttribute("role", "alert");
      note.setAttribute("tabindex", "-1");
      note.id = "draft-restored";
      note.textContent = document.body.getAttribute("data-draft-restored");
      target.parentNode.insertBefore(note, target);
      note.focus();
    }
  } else if (draft) {
    dropDraft();
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.getAttribute("method") || "").toLowerCase() !== "post") { return; }
    if (/\/uitloggen$/.test(form.getAttribute("action") || "")) { dropDraft(); return; }
    if (form.querySelector("input[type=password]")) { return; }  // never keep passwords
    var fields = {};
    var typed = false;
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.name === "csrf_token" || field.disabled) { return; }
      if (["hidden", "submit", "button", "file", "password", "reset"].indexOf(field.type) >= 0) { return; }
      if (field.type === "checkbox" || field.type === "radio") {
        fields[field.name] = fields[field.name] || [];
        if (field.checked) { fields[field.name].push(field.value); }
      } else {
        fields[field.name] = field.value;
        if (field.value && field.tagName !== "SELECT") { typed = true; }
      }
    });
    if (!typed) { return; }
    keepDraft({action: form.getAttribute("action") || location.pathname, page: location.pathname + location.search,
               fields: fields, failed: false, at: Date.now()});
  }, true);
  // Offline page: a service worker shows it when there is no internet.
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () { /* no offline page, nothing else lost */ });
    });
  }
}());
