/* Samen, the request form: while the person types what they need, suggest the kind of help and choose it for them
   (until they choose one themselves). The form works the same without this file: the server then chooses when the
   form is sent (webapp/asks/categories.py). */
(function () {
  "use strict";
  var hint = document.getElementById("category-suggestion");
  var select = document.querySelector("select[name=category]");
  var title = document.querySelector("input[name=title]");
  var description = document.querySelector("textarea[name=description]");
  var language = document.querySelector("select[name=text_language]");
  if (!hint || !select || !title || !window.fetch) { return; }
  var chosenByPerson = select.value !== "auto";
  var chosenByScript = false;
  var timer = null;
  var asked = "";
  select.addEventListener("change", function () { chosenByPerson = true; chosenByScript = false; });

  function ask() {
    var text = (title.value + "\n" + (description ? description.value : "")).trim();
    if (text.length < 4 || text === asked) { return; }
    asked = text;
    var url = hint.getAttribute("data-url") + "?text=" + encodeURIComponent(text.slice(0, 1000)) +
      "&lang=" + encodeURIComponent(language ? language.value : "");
    window.fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (found) {
        if (!found) { return; }
        if (!found.category) {  // the words no longer point anywhere: back to "let Samen choose"
          hint.hidden = true;
          if (chosenByScript) { select.value = "auto"; chosenByScript = false; }
          return;
        }
        hint.textContent = hint.getAttribute("data-text").replace("{kind}", found.label);
        hint.hidden = false;
        if (!chosenByPerson || chosenByScript) {
          select.value = found.category;
          chosenByPerson = false;
          chosenByScript = true;
        }
      })
      .catch(function () { /* offline or refused: the server chooses when the form is sent */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 700);
  }
  title.addEventListener("input", later);
  if (description) { description.addEventListener("input", later); }
})();
