// storj-lens service worker: the app opens and analyzes with no network after the first visit.
// It caches only the app's own files; the user's database never passes through fetch.
// scripts/postbuild.mjs replaces the PRECACHE line with the built files and their content hashes.
const PRECACHE = [];
const VERSION = PRECACHE.map((f) => f.hash).join('').slice(0, 16) || 'dev';
const CACHE = `storj-lens-${VERSION}`;
const scope = new URL(self.registration.scope);
const urlOf = (path) => new URL(path, scope).href;
// Files Trunk names by content hash never change: serve them from the cache first.
const HASHED = /-[0-9a-f]{16}(_bg)?\.[a-z]+$/;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.map((f) => urlOf(f.path)))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('storj-lens-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// The page asks a waiting worker to take over when the user chooses to reload.
self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(scope.href)) return;
  const path = new URL(request.url).pathname;
  if (HASHED.test(path)) {
    event.respondWith(cacheFirst(request));
  } else {
    // index.html and the unhashed worker files: the newest when online, the cached copy offline.
    event.respondWith(networkFirst(request));
  }
});

async function cacheFirst(request) {
  const cached = await caches.match(request, { cacheName: CACHE });
  return cached ?? fetch(request);
}

async function networkFirst(request) {
  try {
    return await fetch(request);
  } catch (offline) {
    const cached = await caches.match(request, { cacheName: CACHE, ignoreSearch: true })
      ?? (request.mode === 'navigate' ? await caches.match(urlOf('./'), { cacheName: CACHE }) : undefined);
    if (cached) return cached;
    throw offline;
  }
}
