// The in-browser benchmark (not part of `node --test`: the name has no `.test.`): drops the
// benchmark database on the built app in headless Chromium and prints the worker's stage
// timings, the wall time from drop to the earnings table, re-query times and wasm memory,
// next to the native figures of the same run (`storj-lens bench --json`, path given as argv[3]).
//   node tests/bench/browser-bench.mjs target/bench/storj-lens-bench.db target/bench/storj-lens-bench.native.json
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { start } from '../e2e/harness.mjs';

const db = process.argv[2] ?? 'target/bench/storj-lens-bench.db';
const nativePath = process.argv[3];
const size = statSync(db).size;
const native = nativePath ? JSON.parse(readFileSync(nativePath, 'utf8')) : { stages: [] };
const nativeMs = (name) => native.stages.find((s) => s.stage === name)?.ms;

const app = await start();
const { page } = app;
const out = { file: db, bytes: size, wasm: {}, wall: {}, requery: {}, memory: {} };
try {
  const worker = () => page.workers()[0];
  const bench = async () => worker()?.evaluate(() => self.__storjLensBench ?? null).catch(() => null);
  const input = page.locator('input[type=file]').first();

  const t0 = Date.now();
  await input.setInputFiles(db);
  await page.getByTestId('earnings-table').waitFor({ timeout: 120_000 });
  out.wall.drop_to_dashboard_ms = Date.now() - t0;
  const first = await bench();
  out.memory.after_first_report = first?.wasm_memory_bytes;
  for (const s of first?.stages ?? []) out.wasm[s.stage] = s.ms;

  // The indexes are built in the background; the worker reports again when they are done.
  const t1 = Date.now();
  let done = null;
  while (Date.now() - t1 < 180_000) {
    const b = await bench();
    if (b?.stages?.some((s) => s.stage.includes('background'))) { done = b; break; }
    await new Promise((r) => setTimeout(r, 200));
  }
  out.wall.dashboard_to_indexed_ms = Date.now() - t1;
  out.memory.after_indexing = done?.wasm_memory_bytes;
  for (const s of done?.stages ?? []) out.wasm[s.stage] = s.ms;

  // Re-queries: each change posts one Analyze; the worker's own time and the wall time.
  const requery = async (label, testid, pick) => {
    const select = page.getByTestId(testid);
    if (!(await select.count())) return;
    const values = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
    const current = await select.inputValue();
    const value = pick(values.filter((v) => v !== current));
    if (value === undefined) return;
    await worker().evaluate(() => { self.__storjLensBench = null; });
    const t = Date.now();
    await select.selectOption(value);
    let b = null;
    while (!b && Date.now() - t < 60_000) { b = await bench(); if (!b) await new Promise((r) => setTimeout(r, 5)); }
    out.requery[label] = { worker_ms: b?.request_ms, wall_ms: Date.now() - t };
  };
  await requery('another node', 'node-select', (v) => v[v.length - 1]);
  await requery('another month', 'period-select', (v) => v[0]);
  await requery('another latency window', 'window-select', (v) => v[0]);
  await requery('another bucket size', 'bucket-select', (v) => v[0]);
} finally {
  await app.close();
}

const rows = [
  // The worker reads the File in slices straight into SQLite's copy: one stage.
  ['read + load + validate', ['read', 'load', 'validate']],
  ['single pass', 'single pass (scan of events + snapshots)'],
  ['full report', 'report after single pass (no index)'],
  ['indexes + ANALYZE (background)', 'indexes + ANALYZE (background)'],
];
const fmt = (x) => (x === undefined || x === null ? '–' : x.toFixed(1));
console.log(`${db}: ${(size / 1e6).toFixed(1)} MB`);
console.log('stage                              native ms    wasm ms   ratio');
for (const [w, n] of rows) {
  const nv = Array.isArray(n) ? n.map(nativeMs).reduce((a, b) => (a ?? 0) + (b ?? 0), 0) : nativeMs(n);
  const wv = out.wasm[w];
  console.log(`${w.padEnd(34)} ${fmt(nv).padStart(9)} ${fmt(wv).padStart(10)} ${nv && wv ? (wv / nv).toFixed(2).padStart(7) : '      –'}`);
}
for (const [k, v] of Object.entries(out.wasm)) if (!rows.some(([w]) => w === k)) console.log(`(wasm) ${k}: ${fmt(v)} ms`);
console.log(`drop to dashboard (wall): ${out.wall.drop_to_dashboard_ms} ms; native first report via single pass: ${fmt(nativeMs('FIRST REPORT VIA SINGLE PASS (load → report)'))} ms`);
console.log(`dashboard to indexes ready (wall): ${out.wall.dashboard_to_indexed_ms} ms`);
for (const [k, v] of Object.entries(out.requery)) console.log(`re-query, ${k}: worker ${fmt(v.worker_ms)} ms, wall ${v.wall_ms} ms`);
const mib = (b) => (b ? `${(b / 2 ** 20).toFixed(0)} MiB (${(b / size).toFixed(2)}x the file)` : '–');
console.log(`wasm memory after first report: ${mib(out.memory.after_first_report)}; after indexing: ${mib(out.memory.after_indexing)}`);
writeFileSync('target/bench/storj-lens-bench.browser.json', JSON.stringify(out, null, 2));
