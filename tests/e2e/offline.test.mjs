// Static hosting and offline use: the CSP holds, the service worker serves the app with no
// network, and a build for a sub-path works there, worker and service worker included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, cspViolations, waitForServiceWorker, FIXTURES, ROOT, OUT } from './harness.mjs';

const SMALL_DB = join(FIXTURES, 'small.db');

async function loadsSmallDb(page) {
  await page.getByTestId('file-input').setInputFiles(SMALL_DB);
  const events = page.locator('[data-testid="table-counts"] tr[data-table="events"] td.num');
  await events.waitFor({ timeout: 30_000 });
  assert.equal(Number(await events.textContent()), 20000);
}

test('the page carries a same-origin Content-Security-Policy and breaks none of it', async () => {
  const app = await start();
  try {
    const policy = await app.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(policy, /default-src 'self'/);
    assert.match(policy, /connect-src 'self'/);
    assert.match(policy, /'wasm-unsafe-eval'/);
    assert.doesNotMatch(policy, /'unsafe-eval'|https?:|\*/);
    await loadsSmallDb(app.page);
    // Analyze and download the JSON report with the policy on.
    await app.page.getByTestId('download-json').waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.getByTestId('download-json').click()]);
    const path = join(OUT, 'csp-report.json');
    await download.saveAs(path);
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).format !== undefined, true);
    await app.page.getByTestId('demo-button').click();
    await app.page.getByText('demo.db').waitFor({ timeout: 30_000 });
    assert.deepEqual(await cspViolations(app.page), []);
    assert.deepEqual(app.offOrigin, []);
  } finally {
    await app.close();
  }
});

test('after the first visit the app opens and analyzes offline', async () => {
  const app = await start();
  try {
    await waitForServiceWorker(app.page);
    await app.context.setOffline(true);
    await app.page.reload();
    await app.page.getByTestId('dropzone').waitFor({ timeout: 30_000 });
    await loadsSmallDb(app.page);
    await app.page.screenshot({ path: join(OUT, 'offline.png') });
    assert.deepEqual(app.offOrigin, []);
  } finally {
    await app.close();
  }
});

const SUBPATH_DIST = join(ROOT, 'dist-subpath');
test('a build for a sub-path works under it, offline too', { skip: !existsSync(SUBPATH_DIST) && 'dist-subpath not built' }, async () => {
  assert.match(readFileSync(join(SUBPATH_DIST, 'index.html'), 'utf8'), /\/some\/path\/app-/);
  const app = await start({ prefix: '/some/path/', dist: SUBPATH_DIST });
  try {
    assert.match(app.url, /\/some\/path\/$/);
    await loadsSmallDb(app.page);
    await waitForServiceWorker(app.page);
    const scope = await app.page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert.match(scope, /\/some\/path\/$/);
    await app.context.setOffline(true);
    await app.page.reload();
    await loadsSmallDb(app.page);
    assert.deepEqual(await cspViolations(app.page), []);
  } finally {
    await app.close();
  }
});
