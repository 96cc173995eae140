// The goals table of scripts/bench-browser (issue 14, SPEC 8): for each benchmark file, the
// browser's figures (tests/bench/browser-bench.mjs) against their targets and against the
// native figures of the same run (`storj-lens bench --json`, the timed `storj-lens analyze`).
// Reads target/bench/<label>.{native,analyze,browser}.json, prints the table and writes every
// figure to target/bench/goals.json.
//   node tests/bench/goals.mjs LABEL...
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const DIR = 'target/bench';

// The worker's stage names and the native stages (`storj-lens bench`) they correspond to.
// The worker reads the File in slices straight into SQLite's copy: one stage for read + load +
// validate, with the reading and the validation also reported on their own.
const STAGE_MAP = [
  ['read + load + validate', ['read', 'load', 'validate']],
  ['– of which reading the File', ['read']],
  ['– of which validate (schema + quick_check)', ['validate']],
  ['single pass', ['single pass (scan of events + snapshots)']],
  ['– of which the copy of recent rows', ['  of which the copy of recent rows']],
  ['full report', ['report after single pass (no index)']],
  ['indexes + ANALYZE (background)', ['indexes + ANALYZE (background)']],
];
const FIRST_REPORT = 'FIRST REPORT VIA SINGLE PASS (load → report)';

const TARGETS = {
  dashboardMs: 2000,
  dashboardVsAnalyze: 1.3,
  clickMs: 50,
  wasmVsNative: 1.3,
  analyzeVsFirstReport: 1.2,
  memoryVsFile: 2.5,
};

const readJson = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null);
const fmtMs = (x) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${Math.round(x).toLocaleString('en-US')} ms`);
const ratio = (a, b) => (a !== null && a !== undefined && b ? a / b : null);
const fmtX = (x) => (x === null ? '–' : `${x.toFixed(2)}x`);

/** One goal row: `met` is null when a figure is missing. */
function goal(name, measured, target, met) {
  return { goal: name, measured, target, met: met ?? null };
}

/** The native ms of a list of stages of `storj-lens bench --json`; null if one is missing. */
function nativeMs(native, names) {
  const values = names.map((n) => native?.stages?.find((s) => s.stage === n)?.ms);
  return values.some((v) => v === undefined) ? null : values.reduce((a, b) => a + b, 0);
}

function allClicks(browser) {
  return [...(browser?.clicks_after_dashboard ?? []), ...(browser?.clicks_later ?? [])].filter((c) => !c.skipped);
}

function goalsOf(label) {
  const native = readJson(`${DIR}/${label}.native.json`);
  const analyze = readJson(`${DIR}/${label}.analyze.json`);
  const browser = readJson(`${DIR}/${label}.browser.json`);
  const goals = [];

  const dash = browser?.dashboard?.ok ? browser.dashboard.wall_ms : null;
  goals.push(goal('drop → dashboard (wall)', browser?.dashboard?.error ? `failed: ${browser.dashboard.error}` : fmtMs(dash),
    `< ${fmtMs(TARGETS.dashboardMs)}`, dash === null ? null : dash < TARGETS.dashboardMs));
  const analyzeMs = analyze?.ok ? analyze.median_ms : null;
  const vsAnalyze = ratio(dash, analyzeMs);
  goals.push(goal('drop → dashboard / native analyze (wall)', `${fmtX(vsAnalyze)} (${fmtMs(dash)} / ${fmtMs(analyzeMs)})`,
    `≤ ${TARGETS.dashboardVsAnalyze}x`, vsAnalyze === null ? null : vsAnalyze <= TARGETS.dashboardVsAnalyze));

  const clicks = allClicks(browser);
  const slowest = clicks.reduce((m, c) => ((c.wall_ms ?? Infinity) > (m?.wall_ms ?? -1) ? c : m), null);
  const slowestMs = slowest ? slowest.wall_ms ?? Infinity : null;
  goals.push(goal(`every click (max of ${clicks.length}, both rounds)`,
    slowest ? `${fmtMs(slowestMs)} (${slowest.name}${slowest.error ? `, ${slowest.error}` : ''})` : '–',
    `< ${fmtMs(TARGETS.clickMs)}`, slowest ? slowestMs < TARGETS.clickMs : null));

  const wasm = browser?.stages ?? {};
  for (const [stage, names] of STAGE_MAP) {
    const w = wasm[stage];
    const n = nativeMs(native, names);
    if (w === undefined) continue; // the worker did not report it (e.g. no background step)
    const r = ratio(w, n);
    goals.push(goal(`wasm / native: ${stage}`, `${fmtX(r)} (${fmtMs(w)} / ${fmtMs(n)})`, `≤ ${TARGETS.wasmVsNative}x`,
      r === null ? null : r <= TARGETS.wasmVsNative));
  }
  const unmapped = Object.entries(wasm).filter(([s]) => !STAGE_MAP.some(([m]) => m === s));
  // The first dashboard itself is no load stage: the first Report's own time in the worker.
  if (browser?.first_report_request_ms != null) unmapped.push(['first dashboard (the first Report\'s request_ms)', browser.first_report_request_ms]);

  const first = nativeMs(native, [FIRST_REPORT]);
  const vsFirst = ratio(analyzeMs, first);
  goals.push(goal('CLI analyze / bench first report via single pass', `${fmtX(vsFirst)} (${fmtMs(analyzeMs)} / ${fmtMs(first)})`,
    `≤ ${TARGETS.analyzeVsFirstReport}x`, vsFirst === null ? null : vsFirst <= TARGETS.analyzeVsFirstReport));

  const mem = browser?.peak_wasm_memory_bytes ?? null;
  const vsFile = ratio(mem, browser?.bytes);
  goals.push(goal('peak wasm memory / file size', mem ? `${fmtX(vsFile)} (${(mem / 2 ** 20).toFixed(0)} MiB)` : '–',
    `< ${TARGETS.memoryVsFile}x`, vsFile === null ? null : vsFile < TARGETS.memoryVsFile));

  return { label, file: browser?.file ?? analyze?.file ?? native?.file, bytes: browser?.bytes, goals, unmapped, native, analyze, browser };
}

function print(results) {
  const rows = results.flatMap((r) => r.goals.map((g) => [r.label, g.goal, g.measured, g.target, g.met === null ? '?' : g.met ? 'met' : 'NOT met']));
  const head = ['file', 'goal', 'measured', 'target', 'met?'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  console.log('\nGOALS (issue 14: what a user feels)');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  let previous = null;
  for (const row of rows) {
    if (previous !== null && row[0] !== previous) console.log('');
    console.log(line(row));
    previous = row[0];
  }
  for (const r of results) {
    if (r.unmapped.length) {
      console.log(`${r.label}: worker stages without a native counterpart: ${r.unmapped.map(([s, ms]) => `${s} ${fmtMs(ms)}`).join(', ')}`);
    }
    const met = r.goals.filter((g) => g.met).length;
    console.log(`${r.label}: ${met} of ${r.goals.length} goals met (${r.file}, ${((r.bytes ?? 0) / 1e6).toFixed(1)} MB)`);
  }
}

const labels = process.argv.slice(2);
const results = labels.map(goalsOf);
print(results);
writeFileSync(`${DIR}/goals.json`, JSON.stringify({ targets: TARGETS, stage_map: STAGE_MAP, files: results }, null, 2));
console.log(`all figures: ${DIR}/goals.json`);
