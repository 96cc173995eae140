// The trend panels (TRENDS.md section 7, SPEC section 11) in a real browser: trends.db and
// small.db at the fixtures' "now", figures on screen against trends.trends.json and
// small.trends.json, the JSON download's "trends" section compared with them by the rules of
// TRENDS.md section 9, empty states, the storage window picker, screenshots at 1280 and 390 px in
// light and dark. Every test opens the page afresh and loads what it needs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, OUT, FIXTURES } from './harness.mjs';
import { SMALL_DB, QUERY, WAIT, choose, sqliteBytes } from './small-db.mjs';

const TRENDS_DB = join(FIXTURES, 'trends.db');
const GOLDEN = JSON.parse(readFileSync(join(FIXTURES, 'trends.trends.json'), 'utf8'));
const SMALL_GOLDEN = JSON.parse(readFileSync(join(FIXTURES, 'small.trends.json'), 'utf8'));
const SALTLAKE = '1wFTAgs9DP5RSnCqKV1eLf6N9wtk4EAtmN5DpSxcs8EjT69tGE';
const AP1 = '121RTSDpyNZVcEU84Ticf2L1ntiuUimbWgfATz21tuvgk3vzoA6';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

const idle = () => document.querySelector('.dashboard')?.getAttribute('aria-busy') === 'false';

/** Opens the page afresh at the fixtures' "now", picks `path` and waits for its trend panels. */
async function openDb(path, { node } = {}) {
  const { page } = app;
  await page.goto(`${app.url}${QUERY}`);
  await page.getByTestId('dropzone').waitFor(WAIT);
  await page.getByTestId('file-input').setInputFiles(path);
  await page.locator('.file-summary h2', { hasText: path.split('/').pop() }).waitFor(WAIT);
  await page.getByTestId('payout-panel').waitFor(WAIT);
  await page.waitForFunction(idle, null, WAIT);
  if (node !== undefined) await choose(page, 'node-select', node);
  return page;
}

const text = async (locator) => (await locator.textContent()).replace(/\s+/g, ' ').trim();

// ----- the page-side rules of TRENDS.md section 7, to derive what the page must show ---------

/** The storage card over forecast entries for a window of `days` (1, 3, 7, 14, 30). */
function storageCard(entries, days) {
  const key = days === 1 ? '1d' : days === 30 ? '30d' : '7d';
  const used = entries.reduce((a, e) => a + (e.used_bytes ?? 0), 0);
  const available = entries.reduce((a, e) => a + (e.available_bytes ?? 0), 0);
  const growth = entries.map((e) => e.growth_rates?.[key]?.growth_rate_bytes_per_day ?? 0).filter((r) => r > 0).reduce((a, r) => a + r, 0);
  const usedText = used + available === 0 ? 'N/A' : `${(used / (used + available) * 100).toFixed(1)} %`;
  let fullIn = 'N/A';
  if (growth > 0 && available > 0) {
    const d = Math.floor(available / growth);
    fullIn = d > 365 ? '>365 days' : `~${d} days`;
  }
  return { usedText, growth, fullIn };
}

const rate = (ok, failed) => (ok + failed === 0 ? 100 : ok / (ok + failed) * 100);

/** The reputation table's rows: node, satellite, alerts, health, texts of the score cells. */
async function reputationRows(page) {
  return page.locator('[data-testid="reputation-table"] tbody tr').evaluateAll((rows) => rows.map((r) => ({
    node: r.dataset.node,
    satellite: r.dataset.satellite,
    flags: [...r.querySelectorAll('[data-flag]')].map((b) => b.textContent.trim()),
    alerts: [...r.querySelectorAll('[data-alert]')].map((a) => a.dataset.alert),
    alertTexts: [...r.querySelectorAll('[data-alert]')].map((a) => a.textContent.trim()),
    health: r.querySelector('[data-col="health"]').textContent.trim(),
    audit: r.querySelector('[data-col="audit"]').textContent.replace(/\s+/g, ' ').trim(),
    suspension: r.querySelector('[data-col="suspension"]').textContent.replace(/\s+/g, ' ').trim(),
    online: r.querySelector('[data-col="online"]').textContent.replace(/\s+/g, ' ').trim(),
  })));
}

/** "good 99.75" as the page words a score (TRENDS section 7): level, 2 decimals, N/A. */
function scoreWords(s) {
  if (s === null || s === 0) return 'N/A';
  const level = s >= 95 ? 'good' : s >= 85 ? 'fair' : 'poor';
  return `${level} ${s.toFixed(2)}`;
}

function assertReputation(rows, expected) {
  assert.equal(rows.length, expected.length, 'one row per node and satellite');
  expected.forEach((e, i) => {
    const r = rows[i];
    assert.equal(r.node, e.node_name);
    assert.equal(r.satellite, e.satellite);
    assert.deepEqual(r.alerts, e.alerts.map((a) => a.alert_type), `${e.node_name}/${e.satellite} alerts`);
    assert.equal(r.health, e.health_score === null ? 'N/A' : e.health_score.toFixed(2));
    assert.equal(r.audit.toLowerCase(), scoreWords(e.audit_score));
    assert.equal(r.suspension.toLowerCase(), scoreWords(e.suspension_score));
    assert.equal(r.online.toLowerCase(), scoreWords(e.online_score));
    const flags = [e.is_disqualified ? 'Disqualified' : null, e.is_suspended ? 'Suspended' : null].filter(Boolean);
    assert.deepEqual(r.flags, flags, `${e.node_name}/${e.satellite} flags`);
  });
}

/** The hour of a stored key as the page shows it: "Oct 10, 11:00" in the browser's time zone. */
async function localHour(page, key) {
  return page.evaluate((k) => {
    const d = new Date(k);
    const m = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getMonth()];
    return `${m} ${d.getDate()}, ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  }, key);
}

async function assertHourly(page, view) {
  const chart = page.getByTestId('hourly-chart');
  const rows = chart.locator('tr[data-hour]');
  assert.equal(await rows.count(), view.hourly.length);
  assert.deepEqual(await rows.evaluateAll((rs) => rs.map((r) => r.dataset.hour)), view.hourly.map((h) => h.hour_timestamp));
  for (let i = 0; i < view.hourly.length; i++) {
    const h = view.hourly[i];
    const row = rows.nth(i);
    const cell = (col) => text(row.locator(`[data-col="${col}"]`));
    assert.equal(await cell('downloads'), `${rate(h.dl_success, h.dl_fail).toFixed(2)} %`);
    assert.equal(await cell('uploads'), `${rate(h.ul_success, h.ul_fail).toFixed(2)} %`);
    assert.equal(await cell('audits'), `${rate(h.audit_success, h.audit_fail).toFixed(2)} %`);
    assert.equal(await cell('dl_mbps'), h.dl_mbps.toFixed(2));
    assert.equal(await cell('ul_mbps'), h.ul_mbps.toFixed(2));
    assert.match(await text(row.locator('th')), new RegExp(`^${await localHour(page, h.hour_timestamp)}`));
  }
  // The 24-hour chart: 25 points, oldest first, each with its hover values.
  assert.equal(await chart.getAttribute('data-points'), String(view.hourly_traffic.length));
  const slots = chart.locator('.wide-only g.slot');
  assert.equal(await slots.count(), 25);
  assert.deepEqual(await slots.evaluateAll((s) => s.map((g) => g.dataset.timestamp)), view.hourly_traffic.map((p) => p.timestamp));
  for (const i of [0, 12, 24]) {
    const p = view.hourly_traffic[i];
    const title = await slots.nth(i).locator('title').textContent();
    assert.match(title, new RegExp(`ingress ${p.ingress_mbps.toFixed(2)} Mbps`));
    assert.match(title, new RegExp(`egress ${p.egress_mbps.toFixed(2)} Mbps`));
    assert.match(title, new RegExp(`${p.total_ops.toLocaleString('en-US')} operations`));
  }
}

/** The page lists the newest 100 payouts of a longer history (`model::trends_view::LISTED_ROWS`). */
const LISTED_ROWS = 100;

async function assertPayouts(page, rowsExpected) {
  const rows = page.locator('[data-testid="payout-history"] tbody tr');
  const listed = rowsExpected.slice(0, LISTED_ROWS);
  assert.equal(await rows.count(), listed.length);
  assert.deepEqual(await rows.evaluateAll((rs) => rs.map((r) => r.dataset.period)), listed.map((p) => p.period));
  const panel = page.getByTestId('payout-panel');
  assert.match(await text(panel.locator('p.muted').first()), new RegExp(`^${rowsExpected.length} payouts? in the last 360 days`));
  if (rowsExpected.length > LISTED_ROWS) {
    assert.equal(await text(page.getByTestId('payout-more')), `The newest ${LISTED_ROWS} of ${rowsExpected.length} payouts are listed; the downloaded report has all.`);
  } else {
    assert.equal(await page.getByTestId('payout-more').count(), 0);
  }
  const first = rowsExpected[0];
  assert.equal(await text(rows.first().locator('[data-col="receipt"] .hash')), first.transaction_hash);
  assert.equal(await rows.first().locator('[data-col="receipt"] a').count(), 0, 'the receipt is plain text, no link');
  assert.equal(Number(await rows.first().locator('[data-col="actual"]').getAttribute('data-value')), first.actual_payout);
}

// ----- the tests ------------------------------------------------------------------------------

test('trends.db, all nodes: reputation, storage card, hourly table and chart, payouts', async () => {
  const page = await openDb(TRENDS_DB);
  const all = GOLDEN.all;
  assertReputation(await reputationRows(page), all.reputation);
  const rows = await reputationRows(page);
  const saltlake2 = rows.find((r) => r.node === 'node-2' && r.satellite === SALTLAKE);
  assert.deepEqual(saltlake2.flags, ['Disqualified']);
  assert.equal(saltlake2.health, '87.16');
  assert.deepEqual(saltlake2.alertTexts, ['disqualified (critical)', 'audit score critical']);
  const ap1 = rows.find((r) => r.node === 'node-1' && r.satellite === AP1);
  assert.deepEqual(ap1.flags, ['Suspended']);
  assert.deepEqual(ap1.alerts, ['node_suspended', 'suspension_risk']);
  assert.equal(ap1.health, '86.69');
  assert.ok(rows.filter((r) => r.node === 'node-6').every((r) => r.alerts.includes('uptime_warning')));
  // The thresholds are said in words (a legend), not only by colour.
  assert.match(await text(page.getByTestId('reputation-panel')), /audit < 70 critical, < 85 warning; suspension < 60 critical; online < 95 warning/);
  assert.equal(await page.getByTestId('reputation-chart').count(), 0, 'no history chart for all nodes');

  // Storage: the card for the default 7 days, then each window; one row per node with its reason.
  const forecast = page.getByTestId('storage-forecast');
  for (const days of [7, 1, 3, 14, 30]) {
    if (days !== 7) await page.getByTestId('storage-window').selectOption(String(days));
    assert.equal(await forecast.getAttribute('data-window'), String(days));
    const card = storageCard(all.storage_forecast, days);
    assert.equal(await text(page.getByTestId('storage-used')), card.usedText, `used % over ${days} days`);
    assert.equal(Number(await page.getByTestId('storage-growth').getAttribute('data-value')), card.growth, `growth over ${days} days`);
    assert.equal(await text(page.getByTestId('storage-full-in')), card.fullIn, `full in over ${days} days`);
  }
  const nodeRows = forecast.locator('tr[data-node]');
  assert.deepEqual(await nodeRows.evaluateAll((rs) => rs.map((r) => r.dataset.node)), all.storage_forecast.map((e) => e.node_name));
  const node5 = forecast.locator('tr[data-node="node-5"]');
  assert.equal(await node5.getAttribute('data-status'), 'short_timespan');
  for (const w of ['1d', '7d', '30d']) assert.match(await text(node5.locator(`td[data-window="${w}"]`)), /short timespan/);
  assert.equal(await forecast.locator('tr[data-node="node-4"]').getAttribute('data-status'), 'no_api_data');
  assert.match(await text(forecast.locator('tr[data-node="node-4"]')), /no API data/);
  assert.match(await text(forecast.locator('tr[data-node="node-2"] td[data-window="7d"]')), /full in 12\.4 days/);
  assert.match(await text(forecast.locator('tr[data-node="node-3"]')), /over by/);
  assert.equal(await forecast.locator('tr[data-node="node-1"] td[data-window="1d"]').getAttribute('data-status'), 'flat');
  assert.equal(await forecast.locator('tr[data-node="node-6"] td[data-window="1d"]').getAttribute('data-status'), 'not_enough_data');
  assert.equal(await page.getByTestId('storage-chart').count(), 0, 'no history chart for all nodes');

  await assertHourly(page, all);
  // The hour written under two keys shows twice, the backfill key marked.
  assert.equal(await page.locator('[data-testid="hourly-chart"] tr[data-hour$=".000Z"] .tag').count(), 1);

  await assertPayouts(page, all.payout_history);
});

test('trends.db, node-2: its reputation with the 24-hour chart, "~12 days", storage chart, no payouts', async () => {
  const page = await openDb(TRENDS_DB, { node: 'node-2' });
  const view = GOLDEN.nodes['node-2'];
  assertReputation(await reputationRows(page), view.reputation);
  const chart = page.getByTestId('reputation-chart');
  assert.equal(await chart.getAttribute('data-points'), String(view.reputation_history.length));
  assert.equal(await chart.locator('.rep-chart').count(), 3, 'audit, suspension and online');
  assert.equal(await chart.locator('.rep-chart[data-metric="audit"] .series').count(), 4, 'a line per satellite');
  const hover = await chart.locator('.rep-chart[data-metric="audit"] rect.hover title').last().textContent();
  assert.match(hover, /saltlake 68\.30 poor \(disqualified\)/);
  assert.deepEqual((await chart.locator('.legend .line-key').allTextContents()).slice(0, 4), ['ap1', 'us1', 'eu1', 'saltlake']);

  // The card: "~12 days" (TRENDS section 7's fixture value) for 7 days, and what each window gives.
  assert.equal(await text(page.getByTestId('storage-full-in')), '~12 days');
  assert.equal(await text(page.getByTestId('storage-used')), '88.4 %');
  assert.equal(Number(await page.getByTestId('storage-growth').getAttribute('data-value')), 38650942923);
  assert.match(await text(page.getByTestId('storage-growth')), /^36\.0 GiB\/day$/);
  // The window picker is a real <select>: the keyboard moves it.
  const select = page.getByTestId('storage-window');
  await select.focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await select.inputValue(), '14');
  assert.equal(await page.getByTestId('storage-forecast').getAttribute('data-window'), '14');
  for (const days of [1, 30]) {
    await select.selectOption(String(days));
    assert.equal(await text(page.getByTestId('storage-full-in')), storageCard([view.storage_forecast], days).fullIn);
  }
  await select.selectOption('7');

  const storageChart = page.getByTestId('storage-chart');
  assert.equal(await storageChart.getAttribute('data-points'), String(view.storage_history.length));
  assert.ok((await storageChart.locator('.wide-only rect.hover title').count()) === view.storage_history.length, 'a hover value per snapshot');
  // Log-derived rows (no used bytes) are skipped, not drawn as zeros.
  const logRow = view.storage_history.findIndex((r) => r.used_bytes === null);
  assert.ok(logRow >= 0);
  assert.match(await storageChart.locator('.wide-only rect.hover title').nth(logRow).textContent(), /from the log: free/);

  await assertHourly(page, view);
  const empty = page.locator('[data-testid="trend-empty"][data-panel="payouts"]');
  assert.equal(await empty.getAttribute('data-reason'), 'no-rows');
  assert.match(await text(empty), /did not record/);
  assert.equal(await page.getByTestId('payout-history').count(), 0);
});

test('trends.db, other nodes: short timespan, no API data, no reputation, no recent polls', async () => {
  const page = await openDb(TRENDS_DB, { node: 'node-5' });
  const f = page.getByTestId('storage-forecast');
  assert.equal(await f.locator('tr[data-node="node-5"]').getAttribute('data-status'), 'short_timespan');
  assert.match(await text(f.locator('tr[data-node="node-5"] td[data-window="7d"]')), /short timespan/);
  assert.equal(await text(page.getByTestId('storage-full-in')), 'N/A');
  await assertPayouts(page, GOLDEN.nodes['node-5'].payout_history);

  await choose(page, 'node-select', 'node-4');
  const rep = page.locator('[data-testid="trend-empty"][data-panel="reputation"]');
  assert.equal(await rep.getAttribute('data-reason'), 'no-rows');
  assert.match(await text(rep), /No reputation poll recorded for node-4/);
  assert.match(await text(page.getByTestId('storage-forecast').locator('tr[data-node="node-4"]')), /no API data/);
  assert.match(await text(page.getByTestId('storage-chart').locator('.legend')), /Only log-derived snapshots/);

  await choose(page, 'node-select', 'node-6');
  assertReputation(await reputationRows(page), GOLDEN.nodes['node-6'].reputation);
  assert.equal(await page.getByTestId('reputation-chart').count(), 0);
  assert.match(await text(page.locator('[data-testid="trend-empty"][data-panel="reputation-chart"]')), /No reputation poll in the last 24 hours/);
  assert.match(await text(page.getByTestId('storage-forecast').locator('tr[data-node="node-6"] td[data-window="1d"]')), /not enough data/);

  await choose(page, 'node-select', 'node-1');
  const ap1 = (await reputationRows(page)).find((r) => r.satellite === AP1);
  assert.deepEqual(ap1.flags, ['Suspended']);
  assert.deepEqual(ap1.alertTexts, ['suspended (critical)', 'suspension risk (critical)']);
});

test('small.db: the storage panels, and the empty states of the others', async () => {
  const page = await openDb(SMALL_DB);
  const all = SMALL_GOLDEN.all;
  for (const [panel, testid] of [['reputation', 'reputation-table'], ['hourly', 'hourly-chart'], ['payouts', 'payout-history']]) {
    const empty = page.locator(`[data-testid="trend-empty"][data-panel="${panel}"]`);
    assert.equal(await empty.getAttribute('data-reason'), 'no-rows', `${panel}: the table is there, without rows`);
    assert.equal(await page.getByTestId(testid).count(), 0);
  }
  assert.match(await text(page.locator('[data-testid="trend-empty"][data-panel="payouts"]')), /did not record a payout/);
  const card = storageCard(all.storage_forecast, 7);
  assert.equal(await text(page.getByTestId('storage-used')), card.usedText);
  assert.equal(await text(page.getByTestId('storage-full-in')), card.fullIn);
  assert.equal(await page.getByTestId('storage-forecast').locator('tr[data-node]').count(), all.storage_forecast.length);

  await choose(page, 'node-select', 'node-2');
  const view = SMALL_GOLDEN.nodes['node-2'];
  assert.equal(await text(page.getByTestId('storage-full-in')), storageCard([view.storage_forecast], 7).fullIn);
  assert.equal(await page.getByTestId('storage-forecast').locator('td[data-window="1d"]').getAttribute('data-status'), 'flat');
  assert.equal(await page.getByTestId('storage-chart').getAttribute('data-points'), String(view.storage_history.length));
  assert.equal(await page.getByTestId('reputation-chart').count(), 0);
});

test('a file without the trend tables: each panel says the monitor did not record it', async () => {
  // events and an empty storage_snapshots, as a monitor that records only those; one event.
  const sql = `CREATE TABLE events (id INTEGER PRIMARY KEY, timestamp DATETIME, action TEXT, status TEXT,
      size INTEGER, piece_id TEXT, satellite_id TEXT, remote_ip TEXT, country TEXT, latitude REAL, longitude REAL,
      error_reason TEXT, node_name TEXT, duration_ms INTEGER);
    CREATE TABLE storage_snapshots (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp DATETIME NOT NULL,
      node_name TEXT NOT NULL, total_bytes INTEGER, used_bytes INTEGER, available_bytes INTEGER, trash_bytes INTEGER,
      used_percent REAL, trash_percent REAL, available_percent REAL);
    INSERT INTO events (timestamp, action, status, size, satellite_id, node_name, duration_ms)
      VALUES ('2025-10-10T10:00:00+00:00', 'GET', 'success', 1000, '12EayRS2V1kEsWESU9QMRseFhdxYxKicsiFmxrsLZHeLUtdps3S', 'node-a', 50);`;
  const bytes = sqliteBytes(join(OUT, 'generated'), 'no-trends.db', sql);
  const { page } = app;
  await page.goto(`${app.url}${QUERY}`);
  await page.getByTestId('dropzone').waitFor(WAIT);
  await page.getByTestId('file-input').setInputFiles({ name: 'no-trends.db', mimeType: 'application/octet-stream', buffer: bytes });
  await page.getByTestId('payout-panel').waitFor(WAIT);
  await page.waitForFunction(idle, null, WAIT);
  const empty = (panel) => page.locator(`[data-testid="trend-empty"][data-panel="${panel}"]`);
  for (const [panel, words] of [['reputation', /did not record reputation/], ['hourly', /did not record hourly statistics/], ['payouts', /did not record payouts/]]) {
    assert.equal(await empty(panel).getAttribute('data-reason'), 'missing-table', panel);
    assert.match(await text(empty(panel)), words);
  }
  assert.equal(await empty('storage').getAttribute('data-reason'), 'no-rows');
  assert.match(await text(empty('storage')), /No disk snapshot recorded for any node/);
  await shootTrends(page, 'trends-missing-tables-1280-light.png');
});

// ----- the download against the fixtures (TRENDS.md section 9) --------------------------------

/** Fields the original rounds itself: they may differ by one unit of their last digit. */
const ROUNDED = new Map([['health_score', 0.01], ['growth_rate_gb_per_day', 0.01], ['ingress_mbps', 0.01],
  ['egress_mbps', 0.01], ['concurrency', 0.01], ['days_until_full', 0.1]]);

/**
 * Every difference between an expected trends section and an actual one, as `path: what`:
 * every expected key present with an equal value (more keys allowed), lists of the same length
 * element by element, integers, strings and nulls exact (a boolean is not a number), other
 * numbers within max(1e-12, 1e-9 |expected|), the rounded fields within one unit.
 */
function compareTrends(expected, actual) {
  const diffs = [];
  const kind = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  const walk = (e, a, path, key) => {
    const [ke, ka] = [kind(e), kind(a)];
    if (ke !== ka) return diffs.push(`${path}: type differs (${JSON.stringify(e)} / ${JSON.stringify(a)})`);
    if (ke === 'number') {
      const d = Math.abs(e - a);
      if (ROUNDED.has(key)) {
        if (!(d <= ROUNDED.get(key) * (1 + 1e-6))) diffs.push(`${path}: expected ${e}, got ${a} (rounded field)`);
      } else if (Number.isInteger(e) && Number.isInteger(a)) {
        if (e !== a) diffs.push(`${path}: expected ${e}, got ${a}`);
      } else if (!(d <= Math.max(1e-12, 1e-9 * Math.abs(e)))) {
        diffs.push(`${path}: expected ${e}, got ${a} (diff ${d})`);
      }
    } else if (ke === 'array') {
      if (e.length !== a.length) diffs.push(`${path}: list length ${e.length} vs ${a.length}`);
      for (let i = 0; i < Math.min(e.length, a.length); i++) walk(e[i], a[i], `${path}[${i}]`, key);
    } else if (ke === 'object') {
      for (const [k, v] of Object.entries(e)) {
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

/** The page's JSON download, parsed. */
async function downloadReport(page, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
  const path = join(OUT, name);
  await download.saveAs(path);
  return JSON.parse(readFileSync(path, 'utf8'));
}

test('the JSON download: its "trends" section equals trends.trends.json and small.trends.json', async () => {
  for (const [db, golden, name] of [[TRENDS_DB, GOLDEN, 'trends-report.json'], [SMALL_DB, SMALL_GOLDEN, 'trends-small-report.json']]) {
    const page = await openDb(db);
    const report = await downloadReport(page, name);
    assert.ok(report.trends, `${name}: a "trends" section`);
    // The report is for the fixture's instant.
    const { format, now, ...expected } = golden;
    assert.equal(format, 'storj-trends-golden/1');
    assert.equal(report.now ?? report.meta?.now, now, `${name}: the figures are for ${now}`);
    assert.deepEqual(compareTrends(expected, report.trends), [], `${name}: TRENDS section 9`);
    // Keys in section 8's order.
    assert.deepEqual(Object.keys(report.trends.nodes), Object.keys(golden.nodes));
    assert.deepEqual(Object.keys(report.trends.nodes[Object.keys(golden.nodes)[0]]),
      ['reputation', 'reputation_history', 'storage_forecast', 'storage_history', 'hourly', 'hourly_traffic', 'payout_history']);
  }
  // The comparison itself catches a difference.
  assert.equal(compareTrends({ a: [1, 2.5, { health_score: 87.16 }] }, { a: [1, 2.5, { health_score: 87.18 }] }).length, 1);
  assert.equal(compareTrends({ a: 1 }, { a: true }).length, 1);
  assert.equal(compareTrends({ days_until_full: 12.4 }, { days_until_full: 12.5 }).length, 0);
});

// ----- screenshots ----------------------------------------------------------------------------

/** The trend panels only (from reputation to payouts), the whole height. */
async function shootTrends(page, name) {
  const top = await page.getByTestId('reputation-panel').boundingBox();
  const bottom = await page.getByTestId('payout-panel').boundingBox();
  const width = page.viewportSize().width;
  await page.screenshot({ path: join(OUT, name), fullPage: true, clip: { x: 0, y: top.y - 8, width, height: bottom.y + bottom.height - top.y + 16 } });
}

test('screenshots at 1280 and 390 px, light and dark; the page never scrolls sideways', async () => {
  for (const node of ['node-2', '']) {
    const page = await openDb(TRENDS_DB, { node });
    const view = node || 'all';
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await shootTrends(page, `trends-${view}-${width}-${colorScheme}.png`);
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(scroll <= width, `${view} ${width}px ${colorScheme}: no sideways scrolling of the page (${scroll}px)`);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  const page = await openDb(SMALL_DB);
  await shootTrends(page, 'trends-small-1280-light.png');
});

test('no request leaves the page origin; no console errors', async () => {
  await openDb(TRENDS_DB, { node: 'node-3' });
  assert.deepEqual(app.offOrigin, []);
  assert.deepEqual(app.consoleErrors.filter((e) => !/favicon/.test(e)), []);
});
