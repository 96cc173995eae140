// The built files in dist/: SQLite is linked into the worker's wasm only, never into the page's,
// and the page's wasm stays small. Prints each file's size and gzip size (zlib level 9) and the
// totals, the figures BENCHMARKS.md quotes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST } from './harness.mjs';

/** A string only SQLite's C code carries (its SQLITE_CORRUPT message). */
const SQLITE_MARK = 'database disk image is malformed';
/**
 * The page's wasm, gzipped, must stay under this: SQLite would add about 400,000 (besides the
 * SQLITE_MARK check). 437,415 with the node and log views (two report types decoded from the
 * worker's messages, fifteen panels), 269,430 before them (BENCHMARKS.md, Download size).
 */
const APP_WASM_GZIP_LIMIT = 460_000;

const files = readdirSync(DIST).filter((f) => statSync(join(DIST, f)).isFile()).sort();
const appWasm = files.filter((f) => /^app-[0-9a-f]+_bg\.wasm$/.test(f));
const WORKER_WASM = 'worker_bg.wasm';
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const fmt = (n) => n.toLocaleString('en-US');

test('dist/ holds one page wasm and the worker wasm', () => {
  assert.equal(appWasm.length, 1, `one app-*_bg.wasm in dist/: ${files.join(', ')}`);
  assert.ok(files.includes(WORKER_WASM), `worker_bg.wasm in dist/: ${files.join(', ')}`);
});

test('the worker links SQLite and the page does not', () => {
  const worker = readFileSync(join(DIST, WORKER_WASM));
  const app = readFileSync(join(DIST, appWasm[0]));
  assert.ok(worker.includes(SQLITE_MARK), `${WORKER_WASM} carries SQLite ("${SQLITE_MARK}")`);
  assert.ok(!app.includes(SQLITE_MARK), `${appWasm[0]} carries no SQLite ("${SQLITE_MARK}")`);
  // Another of SQLite's own error messages (SQLITE_CANTOPEN), to be sure it is not one string.
  assert.ok(worker.includes('unable to open database file'));
  assert.ok(!app.includes('unable to open database file'));
});

test('sizes: each file raw and gzip -9, the totals; the page wasm gzip under 460,000 bytes', () => {
  let raw = 0;
  let zipped = 0;
  const rows = files.map((name) => {
    const bytes = readFileSync(join(DIST, name));
    const row = { name, raw: bytes.length, gzip: gzip(bytes) };
    raw += row.raw;
    zipped += row.gzip;
    return row;
  });
  const width = Math.max(...files.map((f) => f.length));
  console.log(`dist/ sizes in bytes (gzip: node zlib gzipSync level 9)`);
  for (const r of rows) console.log(`  ${r.name.padEnd(width)} ${fmt(r.raw).padStart(11)} raw ${fmt(r.gzip).padStart(11)} gzip`);
  console.log(`  ${'total'.padEnd(width)} ${fmt(raw).padStart(11)} raw ${fmt(zipped).padStart(11)} gzip (${rows.length} files)`);
  const app = rows.find((r) => r.name === appWasm[0]);
  const worker = rows.find((r) => r.name === WORKER_WASM);
  assert.ok(app && worker);
  assert.ok(app.gzip > 0 && app.gzip < app.raw);
  assert.ok(app.gzip < APP_WASM_GZIP_LIMIT, `${app.name}: ${fmt(app.gzip)} bytes gzip >= ${fmt(APP_WASM_GZIP_LIMIT)}`);
  // SQLite and the engine are in the worker: the page's wasm is the smaller one by far.
  assert.ok(app.gzip < worker.gzip, `page ${fmt(app.gzip)} < worker ${fmt(worker.gzip)} gzip`);
});
