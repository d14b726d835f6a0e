/* District budget ballot: keep the total up to date while ticking. The page works the same without this file
   ("Add up my choice" asks the server). */
(function () {
  "use strict";
  var form = document.querySelector("form[data-budget]");
  if (!form) { return; }
  var budget = parseInt(form.getAttribute("data-budget"), 10);
  var totalOut = form.querySelector("[data-total]");
  var leftOut = form.querySelector("[data-left]");
  var format = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en-GB" : "nl-NL");
  function update() {
    var total = 0;
    form.querySelectorAll("input[type=checkbox][data-cost]").forEach(function (box) {
      if (box.checked) { total += parseInt(box.getAttribute("data-cost"), 10); }
    });
    totalOut.textContent = "€\u00a0" + format.format(total);
    leftOut.textContent = "€\u00a0" + format.format(budget - total);
    leftOut.classList.toggle("over", total > budget);
  }
  form.addEventListener("change", update);
}());
