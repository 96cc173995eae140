// Shared set-up for the end-to-end tests: serve dist/, launch Debian's Chromium, watch requests.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './static-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '..', '..');
export const DIST = join(ROOT, 'dist');
export const FIXTURES = join(ROOT, 'tests', 'fixtures');
export const OUT = join(here, 'out');
mkdirSync(OUT, { recursive: true });

// Without the network-quietening flags Chromium floods this closed network with connections.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/**
 * Starts a server and a browser; returns { url, browser, page, offOrigin, consoleErrors, close }.
 * `watchWorker` records what the page's Web Workers answer (see `watchWorkers`).
 */
export async function start({ prefix = '/', dist = DIST, viewport = { width: 1280, height: 900 }, watchWorker = false } = {}) {
  const server = await serve(dist, 0, { prefix });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const origin = new URL(server.url).origin;
  const offOrigin = [];
  const consoleErrors = [];
  context.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) offOrigin.push(url);
  });
  // Every Content-Security-Policy violation is recorded for the tests to assert on.
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation',
      (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  if (watchWorker) await watchWorkers(context);
  page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
  page.on('pageerror', (err) => consoleErrors.push(String(err)));
  await page.goto(server.url);
  await page.getByTestId('dropzone').waitFor({ timeout: 30_000 });
  return {
    url: server.url, browser, context, page, offOrigin, consoleErrors,
    close: async () => { await browser.close(); await server.close(); },
  };
}

/**
 * From the next navigation on, every page of `context` counts the Web Workers it starts
 * (`window.__workersStarted`) and records the messages they post, `{ type, stage, done, total, id }`
 * (`window.__workerMessages`): the protocol's `Response`s as the page receives them. Only a
 * listener is added beside the page's own handler; the workers are the page's.
 */
export async function watchWorkers(context) {
  await context.addInitScript(() => {
    window.__workersStarted = 0;
    window.__workerMessages = [];
    window.Worker = new Proxy(window.Worker, {
      construct(target, args, newTarget) {
        const worker = Reflect.construct(target, args, newTarget);
        window.__workersStarted += 1;
        worker.addEventListener('message', (e) => {
          const { type, stage, done, total, id } = e.data ?? {};
          window.__workerMessages.push({ type, stage, done, total, id });
        });
        return worker;
      },
    });
  });
}

/** The worker messages recorded by `watchWorkers` since the page was (re)loaded. */
export async function workerMessages(page) {
  return page.evaluate(() => window.__workerMessages);
}

/** Drops `bytes` as a file named `name` onto the drop zone with a synthetic DataTransfer. */
export async function dropFile(page, name, bytes, type = 'application/octet-stream') {
  const dataTransfer = await page.evaluateHandle(({ name, base64, type }) => {
    const raw = atob(base64);
    const data = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) data[i] = raw.charCodeAt(i);
    const dt = new DataTransfer();
    dt.items.add(new File([data], name, { type }));
    return dt;
  }, { name, base64: Buffer.from(bytes).toString('base64'), type });
  const zone = page.getByTestId('dropzone');
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

/** The CSP violations the page has seen since it was loaded. */
export async function cspViolations(page) {
  return page.evaluate(() => window.__cspViolations ?? []);
}

/** Waits until a service worker controls the page (the first visit installs it). */
export async function waitForServiceWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
    }
  });
}
