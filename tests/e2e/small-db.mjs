// small.db and what the tests expect of it: the fixture's figures (small.expected.json, at the
// fixed "now" of `?now=`), a helper that opens the page and loads it, and the dashboard probes the
// test files share. Also the database files the tests build (Python's sqlite3, the CLI's demo).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, OUT, ROOT } from './harness.mjs';

export const SMALL_DB = join(FIXTURES, 'small.db');
export const EXPECTED = JSON.parse(readFileSync(join(FIXTURES, 'small.expected.json'), 'utf8'));
/** The fixture's "now" as the page reports it (`data-now`), and as the address fixes it. */
export const NOW = '2025-10-10T12:00:00+00:00';
export const QUERY = '?now=2025-10-10T12:00:00Z';
export const WAIT = { timeout: 60_000 };

export const sum = (xs) => xs.reduce((a, b) => a + b, 0);
export const NODES = Object.keys(EXPECTED.nodes);
const sats = (node, period) => Object.values(EXPECTED.nodes[node].periods[period].satellites);
export const satellites = (node, period) => EXPECTED.nodes[node].periods[period].satellites;
export const gross = (node, period) => sum(sats(node, period).map((s) => s.estimate.total_earnings_gross));
export const held = (node, period) => sum(sats(node, period).map((s) => s.estimate.held_amount));
export const net = (node, period) => sum(sats(node, period).map((s) => s.estimate.total_earnings_net));
/** The month-to-date gross of all nodes: `summary-total` after small.db loaded (2025-10). */
export const allNodesGross = (period = '2025-10') => sum(NODES.map((n) => gross(n, period)));

/** `actual` equals `expected` up to floating-point noise. */
export function close(actual, expected, what) {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

/** A summary card: its text and its exact value (`data-value`). */
export async function card(page, id) {
  const el = page.getByTestId(id);
  return { text: (await el.textContent()).trim(), value: Number(await el.getAttribute('data-value')) };
}

const idle = () => document.querySelector('.dashboard')?.getAttribute('aria-busy') === 'false';

/** Waits until the page is idle (no request running) and the earnings table is there. */
export async function settled(page) {
  await page.getByTestId('earnings-table').waitFor(WAIT);
  await page.waitForFunction(idle, null, WAIT);
}

/** Picks `value` in the select `testid` and waits for the new figures. */
export async function choose(page, testid, value) {
  await page.getByTestId(testid).selectOption(value);
  await page.waitForFunction(idle, null, WAIT);
}

/**
 * Opens the page afresh at the fixture's "now", picks small.db and waits for its dashboard, so
 * that a test starts from the same state whatever ran before it. `node`/`period` are picked then.
 */
export async function openSmallDb({ page, url }, { node, period } = {}) {
  await page.goto(`${url}${QUERY}`);
  await page.getByTestId('dropzone').waitFor(WAIT);
  await page.getByTestId('file-input').setInputFiles(SMALL_DB);
  await page.locator('.file-summary h2', { hasText: 'small.db' }).waitFor(WAIT);
  await settled(page);
  if (node !== undefined) await choose(page, 'node-select', node);
  if (period !== undefined) await choose(page, 'period-select', period);
}

/** A SQLite database made by Python's sqlite3 from `sql` (Node 20 has no SQLite), in `dir`. */
export function sqliteBytes(dir, name, sql) {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  execFileSync('python3', ['-c', `
import sqlite3, os, sys
p = sys.argv[1]
if os.path.exists(p): os.remove(p)
c = sqlite3.connect(p); c.executescript(sys.argv[2]); c.commit(); c.close()`, path, sql]);
  return readFileSync(path);
}

/**
 * A monitor database from the CLI's generator (`storj-lens demo`, deterministic), written to
 * tests/e2e/out/generated/`name`; `args` are the CLI's options, e.g. `['--events', '400000']`.
 */
export function demoDatabase(name, args) {
  const dir = join(OUT, 'generated');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  execFileSync('cargo', ['run', '--quiet', '--release', '-p', 'storj-lens-cli', '--', 'demo', path, ...args, '--force'],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  return path;
}

/** Fields the original rounds to 2 decimals; compared within ±0.0100001. */
const ROUNDED = new Set(['mean', 'median', 'p50', 'p95', 'p99']);

/**
 * Every difference between an expected report (small.expected.json) and an actual one, as
 * `path: what`: the rules of ANALYTICS section 11, as `engine::compare::compare_reports`
 * (crates/engine/src/compare.rs) applies them. Integers exact, other numbers within
 * max(1e-12, 1e-9 |expected|), rounded fields within 0.0100001, lists in order, every expected
 * key present (the actual report may have more), the top-level `meta` ignored.
 */
export function compareReports(expected, actual) {
  const diffs = [];
  const kind = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  const walk = (e, a, path, key) => {
    const [ke, ka] = [kind(e), kind(a)];
    if (ke !== ka) return diffs.push(`${path}: type differs (${JSON.stringify(e)} / ${JSON.stringify(a)})`);
    if (ke === 'number') {
      if (Number.isSafeInteger(e) && Number.isSafeInteger(a)) {
        if (e !== a) diffs.push(`${path}: expected ${e}, got ${a}`);
        return;
      }
      const tolerance = ROUNDED.has(key) ? 0.0100001 : Math.max(1e-12, 1e-9 * Math.abs(e));
      const d = Math.abs(e - a);
      if (!(d <= tolerance)) diffs.push(`${path}: expected ${e}, got ${a} (diff ${d}, tolerance ${tolerance})`);
    } else if (ke === 'array') {
      if (e.length !== a.length) diffs.push(`${path}: list length ${e.length} vs ${a.length}`);
      for (let i = 0; i < Math.min(e.length, a.length); i++) walk(e[i], a[i], `${path}[${i}]`, key);
    } else if (ke === 'object') {
      for (const [k, v] of Object.entries(e)) {
        if (k === 'meta' && path === '$') continue;
        if (Object.hasOwn(a, k)) walk(v, a[k], `${path}.${k}`, k);
        else diffs.push(`${path}.${k}: missing in actual`);
      }
    } else if (e !== a) {
      diffs.push(`${path}: expected ${JSON.stringify(e)}, got ${JSON.stringify(a)}`);
    }
  };
  walk(expected, actual, '$', undefined);
  return diffs;
}
