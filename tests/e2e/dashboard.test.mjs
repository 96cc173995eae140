// The dashboard in a real browser: figures against the fixture, pickers, downloads (the JSON
// report equals the CLI's), drop, demo, bad file then good file, empty state, screenshots.
// One browser for the file, but every test opens the page afresh and loads what it needs
// (`openSmallDb`): none relies on the file or the node an earlier test left on screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { start, dropFile, OUT, ROOT } from './harness.mjs';
import {
  SMALL_DB, EXPECTED, NOW, QUERY, WAIT, NODES as nodes, sum, gross, held, net, allNodesGross,
  close, card, settled, choose, openSmallDb, compareReports,
} from './small-db.mjs';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

const money = (x) => `${x < 0 ? '-' : ''}$${Math.abs(x).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;

/** Opens the page with no file loaded (the landing view), at the fixture's "now". */
async function landing(page) {
  await page.goto(`${app.url}${QUERY}`);
  await page.getByTestId('dropzone').waitFor(WAIT);
}

test('small.db: summary cards and earnings cells match small.expected.json', async () => {
  const { page } = app;
  await openSmallDb(app);
  assert.equal(await page.getByTestId('as-of').getAttribute('data-now'), NOW);
  assert.equal(await page.getByTestId('period-select').inputValue(), '2025-10');
  assert.equal(await page.getByTestId('node-select').inputValue(), '');

  // All nodes: the sums over the nodes.
  const g = allNodesGross('2025-10');
  const h = sum(nodes.map((n) => held(n, '2025-10')));
  const total = await card(page, 'summary-total');
  close(total.value, g, 'gross');
  assert.equal(total.text, money(g));
  close((await card(page, 'summary-held')).value, h, 'held');
  close((await card(page, 'summary-paid')).value, g - h, 'paid');
  const nets = sum(nodes.map((n) => net(n, '2025-10')));
  close((await card(page, 'summary-estimate')).value, nets / 0.3064516129032258, 'estimate');
  await page.screenshot({ path: join(OUT, 'dashboard-all-nodes.png'), fullPage: true });

  // One node: three cells of the table.
  await choose(page, 'node-select', 'node-2');
  const e = EXPECTED.nodes['node-2'].periods['2025-10'].satellites;
  const us1 = '12EayRS2V1kEsWESU9QMRseFhdxYxKicsiFmxrsLZHeLUtdps3S';
  const eu1 = '12L9ZFwhzVpuEKMUNUqkaTLGzwY9G24tbiigLiXpmZWKwmcNDDs';
  const cell = (sat, col) => page.locator(`[data-testid="earnings-table"] tr[data-satellite="${sat}"] td[data-col="${col}"]`);
  assert.equal((await cell(us1, 'gross').textContent()).trim(), money(e[us1].estimate.total_earnings_gross));
  assert.equal((await cell(us1, 'egress').locator('.usd').textContent()).trim(), money(e[us1].traffic.egress_earnings_gross));
  assert.equal((await cell(eu1, 'storage').locator('.usd').textContent()).trim(), money(e[eu1].storage.storage_earnings_gross));
  close(Number(await cell(eu1, 'held').getAttribute('data-value')), e[eu1].estimate.held_amount, 'eu1 held');
  assert.equal(await page.locator('[data-testid="earnings-table"] tbody tr[data-satellite]').count(), Object.keys(e).length);
  close((await card(page, 'summary-total')).value, 6.353710545006654, 'node-2 gross');
  close((await card(page, 'summary-paid')).value, 1.5884276362516632, 'node-2 paid');
});

test('switching node and period changes the figures', async () => {
  const { page } = app;
  // Its own start: small.db with node-2 picked (the figures of 2025-10 checked first).
  await openSmallDb(app, { node: 'node-2' });
  assert.equal(await page.getByTestId('period-select').inputValue(), '2025-10');
  const before = await card(page, 'summary-total');
  close(before.value, gross('node-2', '2025-10'), 'node-2 2025-10');
  await choose(page, 'period-select', '2025-09');
  const sept = await card(page, 'summary-total');
  assert.notEqual(sept.text, before.text);
  close(sept.value, gross('node-2', '2025-09'), 'node-2 2025-09');
  await choose(page, 'node-select', 'node-1');
  close((await card(page, 'summary-total')).value, gross('node-1', '2025-09'), 'node-1 2025-09');
  assert.equal(await page.getByTestId('period-select').inputValue(), '2025-09');
  await choose(page, 'node-select', '');
  await choose(page, 'period-select', '2025-10');
  close((await card(page, 'summary-total')).value, allNodesGross('2025-10'), 'all 2025-10');
});

test('latency panel: window, histogram bucket, diagnostics', async () => {
  const { page } = app;
  await openSmallDb(app);
  const table = page.getByTestId('latency-table');
  await table.waitFor(WAIT);
  const all24 = EXPECTED.latency.stats['node-1,node-2,node-3']['24'].statistics.all;
  const count = async () => Number((await table.locator('tr[data-category="all"] td[data-col="count"]').textContent()).replace(/,/g, ''));
  assert.equal(await count(), all24.count);
  await choose(page, 'window-select', '1');
  assert.equal(await count(), EXPECTED.latency.stats['node-1,node-2,node-3']['1'].statistics.all.count);
  await choose(page, 'window-select', '24');

  const hist = page.getByTestId('histogram');
  assert.equal(await hist.getAttribute('data-bucket-ms'), '100');
  assert.equal(Number(await hist.getAttribute('data-buckets')), EXPECTED.latency.histograms['node-1,node-2,node-3']['24']['100'].length);
  assert.ok((await hist.locator('rect title').count()) > 0, 'bars carry hover values');
  await choose(page, 'bucket-select', '250');
  assert.equal(await hist.getAttribute('data-bucket-ms'), '250');
  assert.equal(Number(await hist.getAttribute('data-buckets')), EXPECTED.latency.histograms['node-1,node-2,node-3']['24']['250'].length);

  const diag = page.getByTestId('diagnostics');
  await diag.locator('summary').click();
  const text = await diag.textContent();
  // No index on events: the single pass and the copy of recent rows answer every click.
  assert.match(text, /single pass/);
  assert.match(text, /copy of recent rows/);
  assert.match(text, /idx_storage_node_time_used/);
  assert.doesNotMatch(text, /idx_events_/);
  assert.match(text, /SQLite 3\./);
  assert.match(text, /latency_histograms/);
  await page.screenshot({ path: join(OUT, 'dashboard-latency.png'), fullPage: true });
});

/** The CLI's report on small.db at the same now (`cargo run` keeps the binary in step with the engine). */
function cliReport() {
  const args = ['analyze', SMALL_DB, '--now', NOW];
  const out = execFileSync('cargo', ['run', '--quiet', '--release', '-p', 'storj-lens-cli', '--', ...args],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out);
}

test('the JSON download is the CLI report; the earnings CSV has every row', async () => {
  const { page } = app;
  await openSmallDb(app);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
  const path = join(OUT, 'app-report.json');
  await download.saveAs(path);
  const fromApp = JSON.parse(readFileSync(path, 'utf8'));
  const fromCli = cliReport();
  // Only the diagnostics (timings, and cache counts that depend on earlier requests) may differ.
  for (const r of [fromApp, fromCli]) delete r.diagnostics;
  assert.deepEqual(fromApp, fromCli);
  // And it equals small.expected.json under the comparison rules of ANALYTICS section 11.
  assert.deepEqual(compareReports(EXPECTED, JSON.parse(readFileSync(path, 'utf8'))), []);

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-earnings-csv').click()]);
  const csvPath = join(OUT, 'earnings.csv');
  await csv.saveAs(csvPath);
  const lines = readFileSync(csvPath, 'utf8').trim().split('\n');
  assert.match(lines[0], /^satellite_id,satellite,storage_tb_month,storage_usd,egress_bytes/);
  assert.equal(lines.length, 1 + 4 + 1, 'header, four satellites, totals');
});

test('"current time" moves now; a month without events shows the empty state', async () => {
  const { page } = app;
  await openSmallDb(app);
  assert.equal(await page.getByTestId('as-of').getAttribute('data-now'), NOW);
  await choose(page, 'now-select', 'current');
  const now = await page.getByTestId('as-of').getAttribute('data-now');
  assert.notEqual(now, NOW);
  // The machine's clock is past the fixture's months: nothing happened in the month of now.
  await page.getByTestId('empty').waitFor(WAIT);
  assert.equal(await page.getByTestId('earnings-table').count(), 0);
  await page.screenshot({ path: join(OUT, 'dashboard-empty.png'), fullPage: true });
  await choose(page, 'now-select', 'file');
  await settled(page);
  // Back to "as of the newest record": a moment of the fixture's last month.
  assert.match(await page.getByTestId('as-of').getAttribute('data-now'), /^2025-10-/);
});

test('dropping a file replaces the dashboard', async () => {
  const { page } = app;
  // A dashboard to replace: small.db with a node picked, which the new file must reset.
  await openSmallDb(app, { node: 'node-2' });
  await dropFile(page, 'dropped.db', readFileSync(SMALL_DB));
  await page.locator('.file-summary h2', { hasText: 'dropped.db' }).waitFor(WAIT);
  await settled(page);
  assert.equal(await page.locator('.file-summary h2', { hasText: 'small.db' }).count(), 0);
  assert.equal(await page.getByTestId('node-select').inputValue(), '');
  close((await card(page, 'summary-total')).value, allNodesGross('2025-10'), 'dropped.db, all nodes');
});

test('the demo database gets a full dashboard', async () => {
  const { page } = app;
  await landing(page);
  await page.getByTestId('demo-button').click();
  const progress = page.getByTestId('progress');
  if (await progress.isVisible()) await page.screenshot({ path: join(OUT, 'dashboard-progress.png') });
  await page.locator('.file-summary h2', { hasText: 'demo.db' }).waitFor(WAIT);
  await settled(page);
  assert.ok((await page.locator('[data-testid="earnings-table"] tbody tr[data-satellite]').count()) > 0);
  assert.ok((await page.locator('[data-testid="node-select"] option').count()) >= 2);
  await page.screenshot({ path: join(OUT, 'dashboard-demo.png'), fullPage: true });
});

test('a bad file shows the error and no table; a good file then loads', async () => {
  const { page } = app;
  await landing(page);
  await page.getByTestId('file-input').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
  const error = page.getByTestId('error');
  await error.waitFor(WAIT);
  assert.match(await error.textContent(), /neither a database nor a node log.*PNG/i);
  assert.equal(await page.getByTestId('earnings-table').count(), 0);
  await page.screenshot({ path: join(OUT, 'dashboard-error.png'), fullPage: true });
  await page.getByTestId('file-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('2025-10-01 GET ok\n') });
  await error.waitFor(WAIT);
  assert.match(await error.textContent(), /not a storagenode log.*text file/i);
  await page.getByTestId('file-input').setInputFiles(SMALL_DB);
  await settled(page);
  assert.equal(await error.count(), 0);
});

test('phone width: screenshots of the landing and the dashboard', async () => {
  const { page } = app;
  await openSmallDb(app);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(OUT, 'dashboard-dark.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(OUT, 'phone-dashboard.png'), fullPage: true });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling of the page (${width}px)`);
  await landing(page);
  await page.screenshot({ path: join(OUT, 'phone-landing.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: join(OUT, 'desktop-landing.png'), fullPage: true });
});

test('no request leaves the page origin; no console errors', async () => {
  // Over every test of this file (one browser), and at least over a load of its own.
  await openSmallDb(app);
  assert.deepEqual(app.offOrigin, []);
  assert.deepEqual(app.consoleErrors.filter((e) => !/favicon/.test(e)), []);
});
