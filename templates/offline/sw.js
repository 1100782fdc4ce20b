// The service worker: the programme offline at the venue (eventsite/offline.py writes VERSION and KEPT
// above this line; docs/deploy.md, "Offline at the venue"). static/offline.js registers it as
// sw.js?lang=xx; it keeps KEPT[xx], the files of that language's programme, and answers from them
// when the network fails. A new build is a new VERSION: new caches, and the old ones are deleted
// once the reader has closed every page the old worker looked after.
"use strict";

const PREFIX = "eventsite-offline-";
const CACHE = PREFIX + VERSION + "-"; // + a language: one cache per language the reader has used
const REQUESTED = new URL(self.location.href).searchParams.get("lang");
const LANGUAGE = REQUESTED in KEPT ? REQUESTED : Object.keys(KEPT)[0];
// Every URL any language keeps (assets are shared): only these are answered from the caches.
const KEPT_URLS = new Set(Object.values(KEPT).flat().map((path) => new URL(path, self.location.href).href));
const NETWORK_WAIT = 4000; // ms: on a crowded venue network, the kept copy beats a page that hangs

self.addEventListener("install", (event) => {
  // cache: "reload": the files as the server has them now, not as the browser's HTTP cache keeps them.
  const requests = KEPT[LANGUAGE].map((path) => new Request(path, { cache: "reload" }));
  event.waitUntil(caches.open(CACHE + LANGUAGE).then((cache) => cache.addAll(requests)));
});

// No skipWaiting() and no clients.claim(): a new worker (every language switch registers one,
// sw.js?lang=xx) waits until the reader has closed the site's pages. Taking over at once, while the
// old worker was answering the page being opened, left Chromium's navigation waiting for ever about
// once in ten quick language switches. Waiting costs nothing offline: the old worker reads the
// caches of every language of its VERSION, including the one the new worker has just filled.
self.addEventListener("activate", (event) => {
  const old = (name) => name.startsWith(PREFIX) && !name.startsWith(CACHE);
  event.waitUntil(caches.keys().then((names) => Promise.all(names.filter(old).map((name) => caches.delete(name)))));
});

// Network first, so that an online reader always sees the current programme; the kept copy when
// the network fails or is too slow. Every fresh copy replaces the kept one.
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  url.search = "";
  url.hash = "";
  if (event.request.method !== "GET" || !KEPT_URLS.has(url.href)) return;
  const network = fetch(event.request);
  // The copy is taken as soon as the response arrives, before the page starts reading its body.
  event.waitUntil(network.then((response) => keep(url.href, response.clone()), () => undefined));
  event.respondWith(freshOrKept(network, url.href));
});

async function keep(url, copy) {
  if (copy.ok && !copy.redirected) {
    const cache = await caches.open(CACHE + LANGUAGE);
    await cache.put(url, copy);
  }
}

async function freshOrKept(network, url) {
  const kept = await keptCopy(url);
  if (kept === undefined) return network;
  const slow = new Promise((resolve) => setTimeout(() => resolve(kept), NETWORK_WAIT));
  const fresh = network.then((response) => (response.status >= 500 ? kept : response), () => kept);
  return Promise.race([fresh, slow]);
}

async function keptCopy(url) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(CACHE)) continue;
    const found = await (await caches.open(name)).match(url);
    if (found !== undefined) return found;
  }
  return undefined;
}
