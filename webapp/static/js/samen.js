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

  // Offline page: a service worker shows it when there is no internet.
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () { /* no offline page, nothing else lost */ });
    });
  }
}());
