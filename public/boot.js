// Starts the app (a file, not an inline script, so the Content-Security-Policy allows only this origin's
// scripts), and offers a new version of the service worker when one is waiting.
import init, * as linli from '/pkg/linli_app.js';
window.linli = linli;
init({ module_or_path: '/pkg/linli_app_bg.wasm' }).catch((e) => {
  document.getElementById('app').textContent = '无法启动 / Cannot start: ' + e;
});

// Service worker: a new version waits until the person accepts it (DESIGN.md: "takes over only after the page is told").
if ('serviceWorker' in navigator) {
  const notice = document.getElementById('sw-update');
  let accepted = false;
  const offer = (worker) => {
    notice.hidden = false;
    document.getElementById('sw-reload').onclick = () => { accepted = true; worker.postMessage('skipWaiting'); };
  };
  navigator.serviceWorker.addEventListener('controllerchange', () => { if (accepted) location.reload(); });
  navigator.serviceWorker.register('/sw.js').then((reg) => {
    if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
    reg.addEventListener('updatefound', () => {
      const w = reg.installing;
      if (!w) return;
      w.addEventListener('statechange', () => {
        if (w.state === 'installed' && navigator.serviceWorker.controller) offer(w);
      });
    });
  }).catch(() => {});
}
