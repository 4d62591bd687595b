// The service worker: keeps the app shell (pages, scripts, wasm, icons) so the wallet opens
// offline and shows its offline state. The hub's API is never cached: money needs the live hub.
const VERSION = 'geo-83ad9eb4c550';
const SHELL = ["/","/admin/","/manifest.webmanifest","/icon.svg","/icon-192.png","/icon-512.png","/assets/_commonjsHelpers-CqkleIqs.js","/assets/admin-DdvjjEr2.js","/assets/geo_admin_bg-iyz5wsou.wasm","/assets/geo_wasm_bg-B8zt4n6m.wasm","/assets/jsQR-DTXHP3BW.js","/assets/shared-CKc3Kxxz.js","/assets/shared-a6348mpB.css","/assets/wallet-srhZG_K4.js"];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(VERSION).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  if (event.request.mode === 'navigate') {
    // Pages: the network first (a new version), the cached shell when offline.
    const shell = url.pathname.startsWith('/admin') ? '/admin/' : '/';
    event.respondWith(fetch(event.request).catch(() => caches.match(shell, { cacheName: VERSION, ignoreVary: true })));
    return;
  }
  // ignoreVary: the hub varies on Origin (CORS) and Accept-Encoding, but a module script's request
  // carries an Origin the shell's own requests did not, and the cache holds decoded bodies.
  event.respondWith(caches.match(event.request, { cacheName: VERSION, ignoreVary: true }).then((hit) => hit || fetch(event.request)));
});
