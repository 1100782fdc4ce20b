// Registers the service worker that keeps this language's programme for reading offline at the
// venue (eventsite/offline.py, docs/deploy.md). Its URL and the page's language are attributes of
// this script's tag: no inline script, so the Content-Security-Policy stays strict.
"use strict";
(function () {
  const script = document.currentScript;
  if (!("serviceWorker" in navigator) || script === null) return;
  const worker = new URL(script.dataset.worker, document.baseURI);
  worker.searchParams.set("lang", script.dataset.lang);
  // After the page itself has loaded: keeping the programme must not slow the first visit down.
  window.addEventListener("load", () => {
    // Refused (a private window, storage off): the site works as it did, online only.
    navigator.serviceWorker.register(worker.href).catch(() => undefined);
  });
})();
