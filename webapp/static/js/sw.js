/* Samen service worker: shows the offline page when there is no internet, also when a form was sent (samen.js keeps
   what was typed and puts it back on the form later). Only that page, its CSS, script and icon are kept. */
"use strict";
var CACHE = "samen-offline-v2";  // change the name when the offline page changes, so browsers fetch it again
var OFFLINE_URL = "/offline";
var KEEP = [OFFLINE_URL, "/static/css/samen.css", "/static/icons/icon.svg", "/static/js/samen.js"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(KEEP.map(function (url) { return new Request(url, { cache: "reload" }); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) { return key !== CACHE; }).map(function (key) {
      return caches.delete(key);
    }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.mode === "navigate") {  // a page, or a form sent: from the network, or the offline page without it
    event.respondWith(fetch(request).catch(function () { return caches.match(OFFLINE_URL); }));
    return;
  }
  if (request.method !== "GET") { return; }  // anything else sent goes straight to the network
  var url = new URL(request.url);
  if (url.origin === self.location.origin && KEEP.indexOf(url.pathname) > 0) {  // the offline page's CSS and icon
    event.respondWith(fetch(request).catch(function () { return caches.match(url.pathname); }));
  }
});
