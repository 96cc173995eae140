// Untrusted files in the browser (issue 7): each bad file gets the `error` view naming the problem
// and its kind (`data-kind`), after which a good file loads; a monitor database without events is an empty state; the cancel
// button stops the work; the dropped file is never written (its bytes read back unchanged).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, dropFile, cspViolations, OUT } from './harness.mjs';
import { SMALL_DB, sqliteBytes as sqliteIn } from './small-db.mjs';

const DIR = join(OUT, 'hostile');

const EVENTS = `CREATE TABLE events (id INTEGER PRIMARY KEY, timestamp DATETIME, action TEXT, status TEXT,
  size INTEGER, piece_id TEXT, satellite_id TEXT, remote_ip TEXT, country TEXT, latitude REAL, longitude REAL,
  error_reason TEXT, node_name TEXT, duration_ms INTEGER);`;
const SNAPSHOTS = `CREATE TABLE storage_snapshots (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp DATETIME NOT NULL,
  node_name TEXT NOT NULL, total_bytes INTEGER, used_bytes INTEGER, available_bytes INTEGER, trash_bytes INTEGER,
  used_percent REAL, trash_percent REAL, available_percent REAL);`;

/** A SQLite database made by Python's sqlite3 from `sql` (Node 20 has no SQLite). */
const sqliteBytes = (name, sql) => sqliteIn(DIR, name, sql);

const fixture = readFileSync(SMALL_DB);
const pageSize = fixture.readUInt16BE(16);
const corrupt = Buffer.from(fixture);
corrupt.fill(0xa5, Math.floor(fixture.length / pageSize / 2) * pageSize, (Math.floor(fixture.length / pageSize / 2) + 8) * pageSize);

const BAD = [
  { name: 'photo.png', bytes: Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 7)]), kind: 'NotLog', says: ['storagenode log', 'PNG'] },
  { name: 'node.log', bytes: Buffer.from('2025-10-10T12:00:00Z INFO piecestore downloaded\n'.repeat(50)), kind: 'NotLog', says: ['storagenode log', 'text file'] },
  { name: 'empty.db', bytes: Buffer.alloc(0), kind: 'EmptyFile', says: ['file is empty (0 bytes)'] },
  { name: 'truncated.db', bytes: fixture.subarray(0, Math.floor(fixture.length / 2)), kind: 'Corrupt', says: ['truncated or corrupt', 'cut short'] },
  { name: 'corrupt.db', bytes: corrupt, kind: 'Corrupt', says: ['truncated or corrupt'] },
  { name: 'places.sqlite', bytes: sqliteBytes('places.sqlite', 'CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);'), kind: 'NotMonitor', says: ['no `events` table'] },
  { name: 'columns.db', bytes: sqliteBytes('columns.db', 'CREATE TABLE events (id INTEGER PRIMARY KEY, timestamp TEXT, action TEXT, status TEXT, node_name TEXT);'), kind: 'NotMonitor', says: ['lacks the column(s)', '`size`', '`satellite_id`'] },
];

async function goodFileLoads(page) {
  await page.getByTestId('file-input').setInputFiles(SMALL_DB);
  const events = page.locator('[data-testid="table-counts"] tr[data-table="events"] td.num');
  await events.waitFor({ timeout: 60_000 });
  assert.equal(Number(await events.textContent()), 20000);
  assert.equal(await page.getByTestId('error').count(), 0, 'no error left over');
}

test('every bad file gets the error view naming the problem, then a good file loads', async () => {
  const app = await start();
  try {
    for (const bad of BAD) {
      await dropFile(app.page, bad.name, bad.bytes);
      const error = app.page.getByTestId('error');
      await error.waitFor({ timeout: 60_000 });
      assert.equal(await error.getAttribute('data-kind'), bad.kind, `${bad.name}: the error's kind`);
      const text = await error.textContent();
      for (const part of bad.says) assert.ok(text.includes(part), `${bad.name}: ${JSON.stringify(text)} lacks ${part}`);
      assert.match(text, /another file/, `${bad.name}: the error says what to do`);
      assert.equal(await app.page.getByTestId('progress').count(), 0, `${bad.name}: no progress left`);
      await goodFileLoads(app.page);
    }
    assert.deepEqual(await cspViolations(app.page), []);
    assert.deepEqual(app.offOrigin, []);
    assert.ok(!app.consoleErrors.some((e) => /panicked|RuntimeError|unreachable/.test(e)), app.consoleErrors.join('\n'));
  } finally {
    await app.close();
  }
});

test('a monitor database without events is an empty state, not an error', async () => {
  const app = await start();
  try {
    await dropFile(app.page, 'no-events.db', sqliteBytes('no-events.db', EVENTS + SNAPSHOTS));
    await app.page.getByTestId('empty').waitFor({ timeout: 60_000 });
    assert.equal(await app.page.getByTestId('error').count(), 0);
    await goodFileLoads(app.page);
  } finally {
    await app.close();
  }
});

test('cancel stops the work, and the next file loads', async () => {
  const app = await start();
  try {
    await app.page.getByTestId('file-input').setInputFiles(SMALL_DB);
    await app.page.getByTestId('cancel').click({ timeout: 10_000 });
    await app.page.getByTestId('progress').waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal(await app.page.getByTestId('error').count(), 0);
    await goodFileLoads(app.page);
  } finally {
    await app.close();
  }
});

test('the analyzed file is never written: its bytes read back unchanged', async () => {
  const app = await start();
  try {
    const before = createHash('sha256').update(readFileSync(SMALL_DB)).digest('hex');
    // Keep the File the page hands to the worker (the page clears its input after a pick, so that
    // the same file can be picked again): a capture listener runs before the page's own handler.
    await app.page.evaluate(() => document.addEventListener('change', (e) => {
      if (e.target.matches('[data-testid="file-input"]')) window.__pickedFile = e.target.files[0];
    }, true));
    await goodFileLoads(app.page);
    await app.page.getByTestId('download-json').waitFor({ timeout: 60_000 });
    // The File the page handed to the worker, read back after the analysis.
    const after = await app.page.evaluate(async () => {
      const file = window.__pickedFile;
      const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
      return { hex: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''), size: file.size };
    });
    assert.equal(after.hex, before);
    assert.equal(after.size, readFileSync(SMALL_DB).length);
    assert.equal(createHash('sha256').update(readFileSync(SMALL_DB)).digest('hex'), before, 'on disk too');
    // The page has no way to write files: no File System Access handle was requested.
    const used = await app.page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name).filter((n) => !n.startsWith(location.origin)));
    assert.deepEqual(used, []);
  } finally {
    await app.close();
  }
});
