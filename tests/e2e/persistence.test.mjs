// "Keep the last database": the opt-in copy in the browser's private storage (OPFS, sahpool in
// the worker). Each start() is a fresh browser context, so OPFS starts empty in every test and
// survives reloads within it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start as startBrowser, OUT } from './harness.mjs';
import { SMALL_DB, QUERY, WAIT } from './small-db.mjs';

/** The largest file the page accepts (`MAX_FILE_BYTES` in crates/worker/src/files.rs: 1.25 GiB). */
const MAX_FILE_BYTES = 5 * 2 ** 28;
/** The worker's answers to the page's start-up `KeepStatus`. */
const KEEP_STATUS = ['kept', 'none_kept', 'keep_unavailable'];

/** A browser whose page records the worker's answers (to wait for the keep status). */
const start = () => startBrowser({ watchWorker: true });

/** Waits until the dashboard is idle; returns the satellites of the earnings table and the total. */
async function dashboard(page) {
  await page.getByTestId('earnings-table').waitFor(WAIT);
  await page.waitForFunction(() => document.querySelector('.dashboard')?.getAttribute('aria-busy') === 'false', null, WAIT);
  const satellites = await page.locator('[data-testid="earnings-table"] tbody tr[data-satellite]').count();
  const total = await page.getByTestId('summary-total').getAttribute('data-value');
  return { satellites, total };
}

/** Opens the page at the fixture's "now", waits for the keep setting, and picks small.db. */
async function openWithSmallDb({ page, url }) {
  await page.goto(`${url}${QUERY}`);
  await page.getByTestId('keep-toggle').waitFor(WAIT);
  await page.getByTestId('file-input').setInputFiles(SMALL_DB);
}

/**
 * Reloads and waits until the worker answered the start-up `KeepStatus` (it installs the storage
 * pool first): `kept` (the page then opens the kept file), `none_kept` or `keep_unavailable`.
 * Returns that answer.
 */
async function reload(page) {
  await page.reload();
  await page.getByTestId('dropzone').waitFor(WAIT);
  const status = await page.waitForFunction((types) => window.__workerMessages.find((m) => types.includes(m.type))?.type,
    KEEP_STATUS, WAIT);
  return status.jsonValue();
}

test('kept: a reload shows the same dashboard without a drop; "Forget this file" removes it', async () => {
  const app = await start();
  const { page } = app;
  try {
    await page.goto(`${app.url}${QUERY}`);
    const toggle = page.getByTestId('keep-toggle');
    await toggle.waitFor(WAIT);
    assert.equal(await toggle.isChecked(), false, 'off by default');
    await toggle.check();
    await page.getByTestId('file-input').setInputFiles(SMALL_DB);
    const first = await dashboard(page);
    assert.equal(first.satellites, 4);
    await page.getByTestId('kept').waitFor(WAIT);
    assert.equal((await page.getByTestId('kept-name').textContent()).trim(), 'small.db');
    await page.screenshot({ path: join(OUT, 'keep-setting.png'), fullPage: false });

    assert.equal(await reload(page), 'kept');
    const again = await dashboard(page);
    assert.deepEqual(again, first, 'same dashboard after a reload');
    assert.match(await page.getByTestId('kept-from').textContent(), /kept from /);
    assert.match(await page.getByTestId('kept').textContent(), /small\.db/);
    // The file card carries the original name and size.
    assert.match(await page.getByTestId('file-summary').textContent(), /small\.db/);
    assert.equal(await page.getByTestId('keep-toggle').isChecked(), true, 'the setting is remembered');
    await page.screenshot({ path: join(OUT, 'keep-reopened.png'), fullPage: false });

    await page.getByTestId('forget').click();
    await page.getByTestId('kept').waitFor({ state: 'detached', ...WAIT });
    assert.equal(await reload(page), 'none_kept');
    assert.equal(await page.getByTestId('earnings-table').count(), 0, 'no dashboard after forgetting');
    assert.equal(await page.getByTestId('file-summary').count(), 0);
    assert.equal(await page.getByTestId('kept').count(), 0);
    assert.deepEqual(app.offOrigin, []);
  } finally {
    await app.close();
  }
});

test('off (the default): a reload shows the landing view', async () => {
  const app = await start();
  const { page } = app;
  try {
    await openWithSmallDb(app);
    assert.equal((await dashboard(page)).satellites, 4);
    assert.equal(await page.getByTestId('kept').count(), 0);
    assert.equal(await reload(page), 'none_kept');
    assert.equal(await page.getByTestId('earnings-table').count(), 0);
    assert.equal(await page.getByTestId('keep-toggle').isChecked(), false);
  } finally {
    await app.close();
  }
});

test('switching the setting on after a load keeps the file on screen; off forgets it', async () => {
  const app = await start();
  const { page } = app;
  try {
    await openWithSmallDb(app);
    const first = await dashboard(page);
    await page.getByTestId('keep-toggle').check();
    await page.getByTestId('kept').waitFor(WAIT);
    assert.equal(await reload(page), 'kept');
    assert.deepEqual(await dashboard(page), first);
    await page.getByTestId('keep-toggle').uncheck();
    await page.getByTestId('kept').waitFor({ state: 'detached', ...WAIT });
    assert.equal(await reload(page), 'none_kept');
    assert.equal(await page.getByTestId('earnings-table').count(), 0);
  } finally {
    await app.close();
  }
});

test('switching the setting on while the file is still loading keeps it too', async () => {
  const app = await start();
  const { page } = app;
  try {
    await openWithSmallDb(app);
    await page.getByTestId('keep-toggle').check();
    const first = await dashboard(page);
    await page.getByTestId('kept').waitFor(WAIT);
    assert.equal(await reload(page), 'kept');
    assert.deepEqual(await dashboard(page), first);
  } finally {
    await app.close();
  }
});

test('without private storage (?opfs=off) the page says so and analyzes in memory', async () => {
  const app = await start();
  const { page } = app;
  try {
    await page.goto(`${app.url}${QUERY}&opfs=off`);
    const note = page.getByTestId('keep-unavailable');
    await note.waitFor(WAIT);
    assert.match(await note.textContent(), /cannot keep files here/);
    assert.equal(await page.getByTestId('keep-toggle').isDisabled(), true);
    await page.getByTestId('file-input').setInputFiles(SMALL_DB);
    assert.equal((await dashboard(page)).satellites, 4);
    assert.equal(await page.getByTestId('kept').count(), 0);
    await page.screenshot({ path: join(OUT, 'keep-unavailable.png'), fullPage: false });
  } finally {
    await app.close();
  }
});

test('over the storage quota: a clear message, the analysis goes on, nothing is kept', async () => {
  const app = await start();
  const { page } = app;
  try {
    // Chromium's DevTools protocol can lower the origin's quota: 4 MB (the service worker's
    // precache takes about 2.6 MB of it) for a 4.8 MB file.
    const cdp = await app.context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(app.url).origin, quotaSize: 4_000_000 });
    await page.goto(`${app.url}${QUERY}`);
    await page.getByTestId('keep-toggle').check();
    await page.getByTestId('file-input').setInputFiles(SMALL_DB);
    assert.equal((await dashboard(page)).satellites, 4);
    // Either the copy fails (the usual case) or, when the precache already filled the quota, the
    // storage cannot even be set up: both say so next to the checkbox.
    const said = page.locator('[data-testid="keep-failed"], [data-testid="keep-unavailable"]');
    await said.first().waitFor(WAIT);
    assert.match(await said.first().textContent(),
      /larger than the space this browser gives storj-lens: it is analyzed, but not kept|storage is full/);
    assert.equal(await page.getByTestId('kept').count(), 0);
    await page.screenshot({ path: join(OUT, 'keep-quota.png'), fullPage: false });
    // Nothing was kept: the storage either holds nothing or could not be set up at all.
    assert.ok(['none_kept', 'keep_unavailable'].includes(await reload(page)));
    assert.equal(await page.getByTestId('earnings-table').count(), 0);
    assert.deepEqual(app.consoleErrors.filter((e) => /panicked|RuntimeError/.test(e)), []);
  } finally {
    await app.close();
  }
});

test('the storage quota has room for the largest file the page accepts, twice', async () => {
  // "Keep this database" copies a new file into the free one of two slots while the kept one
  // stays until the new analysis succeeded: keeping a file as large as the page accepts
  // (1.25 GiB) in place of another that large needs twice that, beside what the site already
  // uses (the service worker's precache). README: "every file the browser can analyze fits".
  const app = await start();
  try {
    const estimate = await app.page.evaluate(async () => {
      const e = await navigator.storage.estimate();
      return { quota: e.quota, usage: e.usage, persisted: await navigator.storage.persisted() };
    });
    const gib = (n) => `${(n / 2 ** 30).toFixed(2)} GiB`;
    console.log(`navigator.storage.estimate(): quota ${gib(estimate.quota)}, usage ${estimate.usage} bytes, persisted ${estimate.persisted}`);
    assert.ok(Number.isFinite(estimate.quota) && Number.isFinite(estimate.usage), JSON.stringify(estimate));
    const free = estimate.quota - estimate.usage;
    assert.ok(free >= 2 * MAX_FILE_BYTES,
      `free quota ${gib(free)} < 2 x ${gib(MAX_FILE_BYTES)}: a file the page accepts could not be kept in place of another`);
  } finally {
    await app.close();
  }
});
