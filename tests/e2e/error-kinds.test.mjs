// Every error the worker answers carries a kind: the error view shows it as `data-kind`, a
// heading in the page's words for that kind, the engine's message and advice. Files that are
// neither SQLite nor a node log are `NotLog`; SQLite files that are not a monitor's database are `NotMonitor`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, dropFile, OUT } from './harness.mjs';
import { WAIT, SMALL_DB, settled, sqliteBytes } from './small-db.mjs';

const DIR = join(OUT, 'error-kinds');
// A real 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const LOG = Buffer.from('2025-10-10T12:00:00Z INFO piecestore downloaded {"Piece ID": "X"}\n'.repeat(20));
// The headings and advice of crates/model/src/protocol.rs (ErrorKind::title / advice).
const NOT_LOG = { kind: 'NotLog', title: 'This is neither a database nor a node log', advice: 'storj-lens reads the monitor\'s storj_stats.db' };
const NOT_MONITOR = { kind: 'NotMonitor', title: 'This is not a storj_monitor database', advice: 'Choose your node monitor\'s storj_stats.db' };

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

/** Picks `bytes` as `name`, then checks the error view: kind, heading, message, advice. */
async function expectError(name, bytes, mimeType, { kind, title, advice }, says) {
  const { page } = app;
  await page.getByTestId('file-input').setInputFiles({ name, mimeType, buffer: bytes });
  const error = page.getByTestId('error');
  await error.waitFor(WAIT);
  assert.equal(await error.getAttribute('data-kind'), kind, `${name}: data-kind`);
  assert.equal((await error.locator('strong').first().textContent()).trim(), `${title}.`, `${name}: heading`);
  const text = await error.textContent();
  assert.ok(text.includes(says), `${name}: the engine's message (${says}) in ${JSON.stringify(text)}`);
  assert.ok(text.includes(advice), `${name}: the advice in ${JSON.stringify(text)}`);
  assert.equal(await page.getByTestId('retry').count(), 0, `${name}: "Try again" is for a stopped worker only`);
  assert.equal(await page.getByTestId('earnings-table').count(), 0, `${name}: no figures`);
  return error;
}

test('a PNG and a text file that is not a node log are NotLog', async () => {
  await app.page.goto(app.url);
  await expectError('photo.png', PNG, 'image/png', NOT_LOG, 'PNG');
  await app.page.screenshot({ path: join(OUT, 'error-not-sqlite.png'), fullPage: false });
  await expectError('storagenode.log', LOG, 'text/plain', NOT_LOG, 'text file');
});

test('a SQLite database without an events table, or without its columns, is NotMonitor', async () => {
  await app.page.goto(app.url);
  const places = sqliteBytes(DIR, 'places.sqlite', 'CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);');
  await expectError('places.sqlite', places, 'application/octet-stream', NOT_MONITOR, 'no `events` table');
  await app.page.screenshot({ path: join(OUT, 'error-not-monitor.png'), fullPage: false });
  const columns = sqliteBytes(DIR, 'columns.db', 'CREATE TABLE events (id INTEGER PRIMARY KEY, timestamp TEXT, action TEXT);');
  await expectError('columns.db', columns, 'application/octet-stream', NOT_MONITOR, 'lacks the column(s)');
});

test('after such an error a good file loads and the error view goes; no console errors', async () => {
  const { page } = app;
  await page.goto(app.url);
  await dropFile(page, 'photo.png', PNG);
  await page.getByTestId('error').waitFor(WAIT);
  assert.equal(await page.getByTestId('error').getAttribute('data-kind'), 'NotLog');
  await page.getByTestId('file-input').setInputFiles(SMALL_DB);
  await settled(page);
  assert.equal(await page.getByTestId('error').count(), 0);
  assert.deepEqual(app.consoleErrors.filter((e) => !/favicon/.test(e)), []);
  assert.deepEqual(app.offOrigin, []);
});
