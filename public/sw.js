// Linli's service worker: keeps the app shell so the app starts with no network.
// The build may replace __LINLI_BUILD__ with a content hash so that each build is a new worker version.
const VERSION = '__LINLI_BUILD__';
const CACHE = 'linli-shell-v1-' + VERSION;
const SHELL = [
  '/',
  '/index.html',
  '/boot.js',
  '/pkg/linli_app.js',
  '/pkg/linli_app_bg.wasm',
  '/styles.css',
  '/manifest.webmanifest',
  '/icons/icon.svg',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
];

self.addEventListener('install', (event) => {
  // No skipWaiting here: a new version waits until the page says the person accepted it.
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL.map((u) => new Request(u, { cache: 'reload' })))));
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
    event.respondWith(
      caches.match('/index.html', { cacheName: CACHE }).then((hit) => hit || fetch(req)),
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
