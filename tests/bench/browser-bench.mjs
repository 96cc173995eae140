// The in-browser benchmark (not part of `node --test`: the name has no `.test.`): drops a monitor
// database on the built app in headless Chromium and measures what a user feels:
//   - drop → dashboard: from the file input's change event to the first frame with the
//     earnings table, on the page's own clock;
//   - clicks: the moment the table is there, and again 10 s later, the node, latency window,
//     bucket and month pickers are changed one after another; each click is timed from the
//     select's change to the first frame after the page shows the answer (the worker's Report
//     for that request received, the busy indicator off, the select showing the new value);
//   - the worker's stage timings (from its Report messages) and its peak wasm memory.
// Results go to a JSON file (default target/bench/<label>.browser.json); scripts/bench-browser
// reads them with the native figures of the same run (tests/bench/goals.mjs).
//
//   node tests/bench/browser-bench.mjs DB [--label NAME] [--out FILE] [--no-clicks] [--pause-ms MS]
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { start } from '../e2e/harness.mjs';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    label: { type: 'string' },
    out: { type: 'string' },
    'no-clicks': { type: 'boolean', default: false },
    // Between the two rounds of clicks: "at any moment", not only right after the dashboard.
    'pause-ms': { type: 'string', default: '10000' },
    'timeout-ms': { type: 'string', default: '180000' },
  },
});
const db = positionals[0] ?? 'target/bench/storj-lens-bench.db';
const label = opt.label ?? basename(db).replace(/\.db$/, '');
const outPath = opt.out ?? `target/bench/${label}.browser.json`;
const timeoutMs = Number(opt['timeout-ms']);

/**
 * Runs in the page before its own scripts. Records, on the page's clock, the requests the page
 * posts to its worker, every answer the worker posts back (with the Report's request_ms and
 * stages), and when a file was chosen; and offers `until(pred)` and `nextFrame()` so the timing
 * is done in the page, without Playwright round trips and without `worker.evaluate` (which waits
 * for an idle worker).
 */
function installRecorder() {
  const rec = { sent: [], received: [], fileChosenAt: null, listeners: new Set() };
  window.__bench = rec;
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (data, ...rest) {
    const r = data?.request;
    rec.sent.push({ at: performance.now(), type: r?.type, id: r?.id });
    return post.call(this, data, ...rest);
  };
  window.Worker = new Proxy(window.Worker, {
    construct(target, args, newTarget) {
      const worker = Reflect.construct(target, args, newTarget);
      // Added before the page's own onmessage handler: runs first, so `at` is the arrival.
      worker.addEventListener('message', (e) => {
        const d = e.data ?? {};
        const diag = d.analysis?.diagnostics;
        rec.received.push({
          at: performance.now(), type: d.type, id: d.id, stage: d.stage, kind: d.kind, message: d.message,
          request_ms: diag?.request_ms,
          stages: diag?.stages?.map((s) => ({ stage: s.stage, ms: s.ms })),
        });
        for (const f of rec.listeners) f();
      });
      return worker;
    },
  });
  document.addEventListener('change', (e) => {
    if (e.target?.type === 'file' && rec.fileChosenAt === null) rec.fileChosenAt = performance.now();
  }, true);

  /** Resolves with performance.now() when pred() first holds (checked on every DOM change, every
   *  worker message and every 4 ms), or null after timeoutMs. */
  rec.until = (pred, timeoutMs) => new Promise((resolve) => {
    const started = performance.now();
    let finished = false;
    const finish = (at) => {
      if (finished) return;
      finished = true;
      observer.disconnect();
      clearInterval(timer);
      rec.listeners.delete(check);
      resolve(at);
    };
    const check = () => {
      if (finished) return;
      if (pred()) finish(performance.now());
      else if (performance.now() - started > timeoutMs) finish(null);
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    const timer = setInterval(check, 4);
    rec.listeners.add(check);
    check();
  });
  /** The start of the next frame (the one that paints what the DOM holds now); a page without
   *  frames (hidden) falls back to now + 100 ms and says so. */
  rec.nextFrame = () => new Promise((resolve) => {
    const fallback = setTimeout(() => resolve({ at: performance.now(), frame: false }), 100);
    requestAnimationFrame(() => { clearTimeout(fallback); resolve({ at: performance.now(), frame: true }); });
  });
}

/**
 * Runs in the page: one round of clicks (optionally first waiting for the dashboard). Each click
 * changes a select the way a user does (value + a bubbling change event) and waits for the answer
 * to that very request. Returns the dashboard time and one record per click.
 */
async function roundInPage({ waitForDashboard, clicks = true, timeoutMs }) {
  const rec = window.__bench;
  const q = (testid) => document.querySelector(`[data-testid="${testid}"]`);
  const out = { clicks: [] };
  if (waitForDashboard) {
    const at = await rec.until(() => q('earnings-table') || q('error'), timeoutMs);
    const frame = await rec.nextFrame();
    const error = q('error');
    // Where the time went: until the worker's first Report reached the page, and after it
    // (decoding the answer and rendering the dashboard on the page's thread).
    const report = rec.received.find((m) => m.type === 'report');
    out.dashboard = {
      report_at_ms: report ? report.at - rec.fileChosenAt : null,
      report_to_frame_ms: report && at !== null ? frame.at - report.at : null,
      ok: at !== null && !error,
      error: error ? `${error.dataset.kind}: ${error.textContent.trim().slice(0, 300)}` : at === null ? 'timed out' : null,
      dom_ms: at === null ? null : at - rec.fileChosenAt,
      wall_ms: at === null ? null : frame.at - rec.fileChosenAt,
      frame: frame.frame,
    };
    if (!out.dashboard.ok || !clicks) return out;
  }
  const options = (testid) => [...(q(testid)?.options ?? [])].map((o) => o.value);

  async function click(name, testid, value) {
    const select = q(testid);
    if (!select || value === undefined || select.value === value) {
      out.clicks.push({ name, testid, skipped: select ? 'no other choice' : 'select not on the page' });
      return;
    }
    const sentBefore = rec.sent.length;
    const maxIdBefore = Math.max(0, ...rec.received.map((m) => m.id ?? 0));
    const t0 = performance.now();
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    const handled = performance.now();
    // The page posts its request synchronously in the change handler; without the record
    // (a changed client), the first answer with a newer id than any before stands for it.
    const request = rec.sent.slice(sentBefore).find((s) => s.type === 'analyze');
    const answer = () => rec.received.find((m) => (m.type === 'report' || m.type === 'error')
      && (request ? m.id === request.id : m.id > maxIdBefore && m.at >= t0));
    const dom = await rec.until(() => {
      if (!answer()) return false;
      if (q('busy')?.classList.contains('on')) return false;
      return q(testid)?.value === value;
    }, timeoutMs);
    const frame = await rec.nextFrame();
    const a = answer();
    out.clicks.push({
      name, testid, value,
      request_id: request?.id ?? a?.id ?? null,
      handler_ms: handled - t0,
      answer_ms: a ? a.at - t0 : null,
      worker_ms: a?.request_ms ?? null,
      dom_ms: dom === null ? null : dom - t0,
      wall_ms: dom === null ? null : frame.at - t0,
      error: a?.type === 'error' ? `${a.kind}: ${a.message}` : dom === null ? 'timed out' : null,
    });
  }

  const startNode = q('node-select')?.value;
  await click('a node', 'node-select', options('node-select').find((v) => v !== '' && v !== q('node-select').value));
  // Every latency window in turn (1 h, whole file, ...), then back to the one shown first.
  const firstWindow = q('window-select')?.value;
  for (const w of options('window-select').filter((v) => v !== firstWindow)) await click(`window ${w}`, 'window-select', w);
  await click(`window ${firstWindow}`, 'window-select', firstWindow);
  const bucket = q('bucket-select')?.value;
  await click('another bucket', 'bucket-select', options('bucket-select').find((v) => v !== bucket));
  const month = q('period-select')?.value;
  await click('another month', 'period-select', options('period-select').find((v) => v !== month));
  await click('all nodes', 'node-select', startNode === undefined ? '' : startNode || '');
  return out;
}

/** The worker's stages: the first report's (the load), plus stages that only later reports
 *  carry (e.g. a background index build); the first value of a stage wins. */
function stagesFrom(received) {
  const reports = received.filter((m) => m.type === 'report' && m.stages);
  const stages = {};
  for (const r of reports) for (const s of r.stages) if (!(s.stage in stages)) stages[s.stage] = s.ms;
  return {
    stages,
    first: reports[0]?.stages ?? [],
    last: reports.at(-1)?.stages ?? [],
    first_report_request_ms: reports[0]?.request_ms ?? null,
  };
}

/** The worker's wasm memory (it never shrinks: the peak). `worker.evaluate` waits until the
 *  worker is idle, so this is read last; a worker still busy after 60 s gives null. */
async function peakWasmMemory(page) {
  const worker = page.workers().at(-1);
  if (!worker) return null;
  const read = worker.evaluate(() => self.__storjLensBench?.wasm_memory_bytes ?? null).catch(() => null);
  let timer;
  const late = new Promise((r) => { timer = setTimeout(() => r(null), 60_000); });
  const bytes = await Promise.race([read, late]);
  clearTimeout(timer); // a pending timer would keep this process alive
  return bytes;
}

// BENCH_DEBUG=1 prints when each step of this script ends (stderr).
const T0 = Date.now();
const step = (s) => process.env.BENCH_DEBUG && console.error(`[${Date.now() - T0} ms] ${s}`);

async function run() {
  const bytes = statSync(db).size;
  const app = await start();
  const { page, context } = app;
  const out = { label, file: db, bytes };
  try {
    await context.addInitScript(installRecorder);
    step('started');
    await page.reload();
    await page.getByTestId('dropzone').waitFor({ timeout: 30_000 });

    // The first round starts waiting in the page before the file is chosen: its first click
    // follows the dashboard without a round trip to this process.
    const clicks = !opt['no-clicks'];
    const round1 = page.evaluate(roundInPage, { waitForDashboard: true, clicks, timeoutMs });
    await page.locator('input[type=file]').first().setInputFiles(db);
    const first = await round1;
    step('dashboard + first round');
    out.dashboard = first.dashboard;
    if (first.dashboard.ok && clicks) {
      out.clicks_after_dashboard = first.clicks;
      await new Promise((r) => setTimeout(r, Number(opt['pause-ms'])));
      out.pause_ms = Number(opt['pause-ms']);
      out.clicks_later = (await page.evaluate(roundInPage, { waitForDashboard: false, timeoutMs })).clicks;
    }
    step('clicks done');
    out.peak_wasm_memory_bytes = await peakWasmMemory(page);
    step('memory read');
    const rec = await page.evaluate(() => ({ received: window.__bench.received, sent: window.__bench.sent }));
    Object.assign(out, stagesFrom(rec.received));
    out.messages = rec.received.map(({ stages, ...m }) => m);
  } finally {
    await app.close();
    step('closed');
  }
  const clicks = [...(out.clicks_after_dashboard ?? []), ...(out.clicks_later ?? [])].filter((c) => !c.skipped);
  out.max_click_wall_ms = clicks.length ? Math.max(...clicks.map((c) => c.wall_ms ?? Infinity)) : null;
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, JSON.stringify(out, null, 2));
  report(out);
}

const fmt = (x, d = 1) => (x === undefined || x === null ? '–' : Number.isFinite(x) ? x.toFixed(d) : String(x));

function report(out) {
  const d = out.dashboard ?? {};
  console.log(`${out.file}: ${(out.bytes / 1e6).toFixed(1)} MB`);
  console.log(`  drop → dashboard: ${fmt(d.wall_ms, 0)} ms (the file input's change → the first frame with the earnings table)${d.error ? ` — ${d.error}` : ''}`);
  console.log(`    of which until the worker's first Report reached the page: ${fmt(d.report_at_ms, 0)} ms; from there to the frame: ${fmt(d.report_to_frame_ms, 0)} ms`);
  for (const [k, v] of Object.entries(out.stages ?? {})) console.log(`  worker stage ${k.padEnd(45)} ${fmt(v).padStart(9)} ms`);
  console.log(`  worker: the first Report's own request ${''.padEnd(20)} ${fmt(out.first_report_request_ms).padStart(9)} ms`);
  for (const [title, list] of [['right after the dashboard', out.clicks_after_dashboard], [`${(out.pause_ms ?? 0) / 1000} s later`, out.clicks_later]]) {
    if (!list) continue;
    console.log(`  clicks ${title} (worker: the request in the worker; answer: select change → its answer at the page; wall: → the frame showing it):`);
    console.log(`    ${''.padEnd(28)} ${'worker ms'.padStart(9)} ${'answer ms'.padStart(11)} ${'wall ms'.padStart(10)}`);
    for (const c of list) {
      if (c.skipped) { console.log(`    ${c.name.padEnd(28)} skipped: ${c.skipped}`); continue; }
      console.log(`    ${c.name.padEnd(28)} ${fmt(c.worker_ms).padStart(9)} ${fmt(c.answer_ms).padStart(11)} ${fmt(c.wall_ms).padStart(10)}${c.error ? `  ${c.error}` : ''}`);
    }
  }
  if (out.max_click_wall_ms !== null && out.max_click_wall_ms !== undefined) console.log(`  slowest click (wall): ${fmt(out.max_click_wall_ms)} ms`);
  const m = out.peak_wasm_memory_bytes;
  console.log(`  peak wasm memory: ${m ? `${(m / 2 ** 20).toFixed(0)} MiB = ${(m / out.bytes).toFixed(2)}x the file` : '–'}`);
}

await run();
