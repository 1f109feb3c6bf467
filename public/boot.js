// Starts the app (a file, not an inline script, so the Content-Security-Policy allows only this origin's
// scripts). The page names its entry's files in its preload links (content-hashed names written by
// `cargo xtask build`): the staff app on every page but `/v/…`, the resident's small voting entry there.
// The service worker is registered only once the app runs, so its install never downloads a file the page
// is still downloading; it then offers a new version when one is waiting.
// A voting slip's link: the household's login is asked for at once, while the Wasm is still on its way (one
// round trip fewer before the ballot on a slow line); the voting page takes the answer (`renovation::resident`).
const slip = location.pathname.match(/^\/v\/([^/?#]+)/);
if (slip) {
  try {
    const code = decodeURIComponent(slip[1]);
    const answer = fetch('/api/vote/login', {
      method: 'POST', cache: 'no-store',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ code }),
    }).then((r) => r.text().then((text) => ({ status: r.status, text }))).catch(() => null);
    window.__linliLogin = { code, answer };
  } catch (e) { /* a malformed address: the page says so */ }
}
const js = document.querySelector('link[rel=modulepreload]').getAttribute('href');
const wasm = document.querySelector('link[rel=preload][as=fetch]').getAttribute('href');
const fail = (e) => { document.getElementById('app').textContent = '无法启动 / Cannot start: ' + e; };

import(js).then((linli) => {
  window.linli = linli;
  return linli.default({ module_or_path: wasm });
}).then(registerServiceWorker, fail);

// Service worker: a new version waits until the person accepts it (DESIGN.md: "takes over only after the page is told").
function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  const notice = document.getElementById('sw-update');
  let accepted = false;
  const offer = (worker) => {
    notice.hidden = false;
    document.getElementById('sw-reload').onclick = () => { accepted = true; worker.postMessage('skipWaiting'); };
  };
  navigator.serviceWorker.addEventListener('controllerchange', () => { if (accepted) location.reload(); });
  navigator.serviceWorker.register('/sw.js').then((reg) => {
    if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
    // The staff app's other chunks, kept for offline use once this page is interactive and idle (not while
    // it may still be fetching the chunk of the page it opened on).
    if (js.includes('/linli_app')) {
      navigator.serviceWorker.ready.then((r) => setTimeout(() => r.active && r.active.postMessage('precache'), 1500));
    }
    reg.addEventListener('updatefound', () => {
      const w = reg.installing;
      if (!w) return;
      w.addEventListener('statechange', () => {
        if (w.state === 'installed' && navigator.serviceWorker.controller) offer(w);
      });
    });
  }).catch(() => {});
}
