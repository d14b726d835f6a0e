/* Samen: small enhancements only. Every page works the same without this file. */
(function () {
  "use strict";
  // A form came back with mistakes: move focus to the list of them, so it is read out and the links are next.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  // Otherwise a message after an action ("Your request is cancelled."): move focus to it, so it is read out first.
  var flashes = document.getElementById("flashes");
  if (flashes && !summary) { flashes.focus(); }
  // The main menu is a <details> that starts closed (a phone, or large text, sees the page and not only the menu).
  // On a wide screen with room to spare it opens at once.
  var menu = document.getElementById("site-menu");
  if (menu && window.matchMedia && window.matchMedia("(min-width: 48em)").matches) { menu.open = true; }
  // Offline page: a service worker shows it when there is no internet.
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () { /* no offline page, nothing else lost */ });
    });
  }
}());
