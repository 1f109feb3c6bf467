// Linli's service worker: keeps the app shell so the app starts with no network.
// The build may replace __LINLI_BUILD__ with a content hash so that each build is a new worker version.
const VERSION = '__LINLI_BUILD__';
const CACHE = 'linli-shell-v1-' + VERSION;
// Small files, fetched at install.
const SHELL = [
  '/',
  '/index.html',
  '/vote.html',
  '/boot.js',
  '/styles.css',
  '/manifest.webmanifest',
  '/icons/icon.svg',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
];
// The entries' script and Wasm (content-hashed names, written by the build). The worker is registered only
// after the page has loaded its entry, so these are taken from the browser's HTTP cache, never downloaded
// again: a resident's phone keeps the voting entry it loaded, and is never sent the staff app.
const ENTRIES = __LINLI_ENTRIES__;
// The staff app's lazily loaded chunks (a feature's pages each; written by the build). The staff page asks
// for them once it is interactive ('precache'), so every page opens offline after one load; a resident's
// phone never asks, and is never sent them.
const CHUNKS = __LINLI_CHUNKS__;

self.addEventListener('install', (event) => {
  // No skipWaiting here: a new version waits until the page says the person accepted it.
  event.waitUntil(caches.open(CACHE).then((c) => Promise.all([
    c.addAll(SHELL.map((u) => new Request(u, { cache: 'reload' }))),
    ...ENTRIES.map((u) => fetch(u, { cache: 'only-if-cached', mode: 'same-origin' })
      .then((r) => (r.ok ? c.put(u, r) : undefined))
      .catch(() => undefined)),
  ])));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('linli-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skipWaiting') self.skipWaiting();
  if (event.data === 'precache') {
    // One at a time, each only when not cached yet: a chunk the page already fetched comes from the browser's
    // HTTP cache (the files are immutable), and the chunks never compete with each other for a slow line.
    event.waitUntil(caches.open(CACHE).then((c) => CHUNKS.reduce((done, u) => done.then(() => c.match(u)
      .then((hit) => hit || fetch(u).then((r) => (r.ok ? c.put(u, r) : undefined)))
      .catch(() => undefined)), Promise.resolve())));
  }
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  // Never cache the API: answers are per user and must be fresh.
  if (url.pathname.startsWith('/api/')) return;
  if (req.mode === 'navigate') {
    // The single-page app: every page is the cached shell (offline first); the network only when not cached.
    // The resident's addresses (/v, /v/<code>) open the voting entry; all others the staff app.
    const page = url.pathname === '/v' || url.pathname.startsWith('/v/') ? '/vote.html' : '/index.html';
    event.respondWith(
      caches.match(page, { cacheName: CACHE }).then((hit) => hit || fetch(req)),
    );
    return;
  }
  event.respondWith(
    caches.match(req, { cacheName: CACHE }).then((hit) => {
      if (hit) return hit;
      return fetch(req).then((resp) => {
        if (resp.ok && resp.type === 'basic') {
          const copy = resp.clone();
          caches.open(CACHE).then((c) => c.put(req, copy));
        }
        return resp;
      });
    }),
  );
});
