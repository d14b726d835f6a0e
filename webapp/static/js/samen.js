/* Samen: small enhancements only. Every page works the same without this file. */
(function () {
  "use strict";
  // A form came back with mistakes: move focus to the list of them, so it is read out and the links are next.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  // Offline page: a service worker shows it when there is no internet.
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () { /* no offline page, nothing else lost */ });
    });
  }
}());
