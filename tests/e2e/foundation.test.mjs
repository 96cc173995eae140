// The worker round trip in a real browser: upload, drop, demo, a bad file then a good one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, dropFile, FIXTURES, OUT } from './harness.mjs';

const SMALL_DB = join(FIXTURES, 'small.db');
// A real 1x1 PNG: the page must say it is not a SQLite file.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

async function rowCount(page, table) {
  const cell = page.locator(`[data-testid="table-counts"] tr[data-table="${table}"] td.num`);
  await cell.waitFor({ timeout: 30_000 });
  return Number(await cell.textContent());
}

test('uploading small.db shows its tables and row counts', async () => {
  const { page } = app;
  await page.getByTestId('file-input').setInputFiles(SMALL_DB);
  await page.getByText('small.db').waitFor();
  assert.equal(await rowCount(page, 'events'), 20000);
  assert.equal(await rowCount(page, 'storage_snapshots'), 2753);
  await page.screenshot({ path: join(OUT, 'foundation-loaded.png'), fullPage: true });
});

test('dropping small.db loads it the same way', async () => {
  const { page } = app;
  await page.reload();
  await dropFile(page, 'dropped.db', readFileSync(SMALL_DB));
  await page.getByText('dropped.db').waitFor({ timeout: 30_000 });
  assert.equal(await rowCount(page, 'events'), 20000);
});

test('the demo button generates and loads a demo database', async () => {
  const { page } = app;
  await page.reload();
  await page.getByTestId('demo-button').click();
  await page.getByText('demo.db').waitFor({ timeout: 30_000 });
  assert.ok((await rowCount(page, 'events')) > 1000);
  assert.ok((await rowCount(page, 'storage_snapshots')) > 100);
});

test('a PNG gets a clear error, then a good file still loads', async () => {
  const { page, consoleErrors } = app;
  await page.reload();
  await page.getByTestId('file-input').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
  const error = page.getByTestId('error');
  await error.waitFor({ timeout: 30_000 });
  assert.match(await error.textContent(), /not a storagenode log.*PNG/i);
  await page.screenshot({ path: join(OUT, 'foundation-error.png'), fullPage: true });
  await page.getByTestId('file-input').setInputFiles(SMALL_DB);
  assert.equal(await rowCount(page, 'events'), 20000);
  assert.equal(await error.count(), 0);
  assert.deepEqual(consoleErrors.filter((e) => !/favicon/.test(e)), []);
});

test('no request leaves the page origin', () => {
  assert.deepEqual(app.offOrigin, []);
});
