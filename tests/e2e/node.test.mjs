// The node view in a real browser (NODE_DATA.md §5): the eight fixture files picked, figures on
// screen and the downloaded JSON against earnings.py's goldens (§4.4 rules), the month switch,
// and screenshots at 1280 and 390 px, light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { start, FIXTURES, OUT } from './harness.mjs';
import { WAIT } from './small-db.mjs';
import { compareNode, formatSize } from './node-compare.mjs';

const NODE_DIR = join(FIXTURES, 'node');
const NODE_FILES = readdirSync(NODE_DIR).filter((f) => f.endsWith('.db')).sort().map((f) => join(NODE_DIR, f));
const PAST = JSON.parse(readFileSync(join(NODE_DIR, 'fixture.expected.json'), 'utf8'));
const CURRENT = JSON.parse(readFileSync(join(NODE_DIR, 'fixture-current.expected.json'), 'utf8'));

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

async function openFixture(month) {
  const { page } = app;
  await page.goto(`${app.url}?now=2025-04-14T09:30:00Z&month=${month}`);
  await page.getByTestId('dropzone').waitFor(WAIT);
  await page.getByTestId('file-input').setInputFiles(NODE_FILES);
  await page.locator(`[data-testid="node-view"][data-month="${month}"]`).waitFor(WAIT);
  return page;
}

async function downloadJson(page, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
  const path = join(OUT, name);
  await download.saveAs(path);
  return JSON.parse(readFileSync(path, 'utf8'));
}

const near = (got, want, decimals, what) => assert.ok(Math.abs(got - want) <= 0.5 * 10 ** -decimals + 1e-9, `${what}: ${got} vs ${want}`);

/** The figures of the table on screen against a golden: each satellite block in order, then TOTAL. */
async function checkScreen(page, golden) {
  const table = page.getByTestId('earnings-table');
  const blocks = table.locator('tbody.sat-block');
  assert.equal(await blocks.count(), golden.satellites.length);
  for (let i = 0; i < golden.satellites.length; i++) {
    const g = golden.satellites[i];
    const block = blocks.nth(i);
    assert.equal(await block.locator('.sat-name').textContent(), g.name);
    assert.match(await block.getAttribute('data-satellite'), /^1[1-9A-HJ-NP-Za-km-z]{45,52}$/);
    for (const k of ['storage', 'egress', 'repair_audit', 'held', 'payout']) {
      near(Number(await block.locator(`tr.sat-main [data-field="${k}"]`).getAttribute('data-value')), g[k], 4, `${g.name} ${k}`);
    }
    near(Number(await block.locator('[data-field="held_total"]').first().getAttribute('data-value')), g.held_total, 2, `${g.name} held total`);
    assert.equal(await block.locator('[data-field="held_percent"]').textContent(), `${g.held_percent}%`);
    assert.equal(await block.locator('[data-field="month_nr"]').textContent(), String(g.month_nr));
    if (g.status) assert.equal(await block.locator('[data-field="status"]').textContent(), g.status);
    if (g.reputation) near(Number(await block.locator('[data-field="down_percent"]').getAttribute('data-value')), g.reputation.down_percent, 2, 'down');
    for (const k of ['difference', 'paid', 'paid_previous_months', 'paid_total', 'payout_postponed']) {
      const cell = block.locator(`[data-field="${k}"]`);
      if (g[k] === null) assert.equal(await cell.count(), 0, `${g.name} ${k} not printed`);
      else near(Number(await cell.getAttribute('data-value')), g[k], 4, `${g.name} ${k}`);
    }
    if (g.transaction) assert.equal(await block.locator('a[data-field="transaction_url"]').getAttribute('href'), g.transaction.url);
  }
  const total = table.locator('tr[data-satellite="total"]');
  for (const k of ['storage', 'egress', 'repair_audit', 'held', 'payout']) {
    near(Number(await total.locator(`[data-field="${k}"]`).getAttribute('data-value')), golden.totals.table[k], 4, `TOTAL ${k}`);
  }
  const estimate = table.locator('tr[data-satellite="estimate"]');
  assert.equal(await estimate.count(), golden.totals.table.estimated ? 1 : 0);
  if (golden.totals.table.estimated) {
    near(Number(await estimate.locator('[data-field="payout"]').getAttribute('data-value')), golden.totals.table.estimated.payout, 4, 'estimate');
  }
  near(Number(await page.getByTestId('summary-total').getAttribute('data-value')), golden.totals.total.payout, 2, 'summary-total');
  near(Number(await page.getByTestId('summary-held').getAttribute('data-value')), golden.totals.table.held, 2, 'summary-held');
  near(Number(await page.getByTestId('summary-paid').getAttribute('data-value')), golden.totals.table.payout, 2, 'summary-paid');
  const upload = await page.locator('[data-testid="node-upper"] [data-field="upload"]').textContent();
  assert.equal(upload, golden.totals.upload.text);
  assert.equal(formatSize(Number(await page.locator('[data-testid="node-upper"] [data-field="upload"]').getAttribute('data-value'))), golden.totals.upload.text);
}

test('the past month on screen and in the download matches earnings.py', async () => {
  const page = await openFixture('2025-03');
  const files = page.getByTestId('node-files').locator('[data-file]');
  assert.equal(await files.count(), 8);
  for (let i = 0; i < 8; i++) assert.equal(await files.nth(i).getAttribute('data-status'), 'loaded');
  await checkScreen(page, PAST);
  const report = await downloadJson(page, 'node-2025-03.json');
  assert.deepEqual(compareNode(PAST, report), []);
  // Payout history: a row per paystub (4 months × 3 satellites); the reputation table: 3 rows.
  assert.equal(await page.getByTestId('payout-history').locator('tr[data-period]').count(), 12);
  assert.equal(await page.getByTestId('payout-history').locator('tr[data-period="2025-03"][data-satellite]').count(), 3);
  assert.equal(await page.getByTestId('reputation-table').locator('tr[data-satellite]').count(), 3);
  // Charts: a day group per day of March with data, hover values as <title>.
  assert.equal(await page.getByTestId('bandwidth-chart').locator('g.day').count(), 31);
  assert.match(await page.getByTestId('bandwidth-chart').locator('g.day title').first().textContent(), /^2025-03-01: .* in all/);
  assert.ok((await page.getByTestId('storage-chart').locator('path.ln').count()) >= 3);
});

test('switching to the current month shows its figures, the estimate and the status', async () => {
  const page = await openFixture('2025-03');
  const started = Date.now();
  await page.getByTestId('period-select').selectOption('2025-04');
  await page.locator('[data-testid="node-view"][data-month="2025-04"]').waitFor(WAIT);
  const switchMs = Date.now() - started;
  await checkScreen(page, CURRENT);
  const report = await downloadJson(page, 'node-2025-04.json');
  assert.deepEqual(compareNode(CURRENT, report), []);
  near(Number(await page.getByTestId('summary-estimate').getAttribute('data-value')), CURRENT.totals.estimated_total.payout, 2, 'summary-estimate');
  // ap1 is vetting: its progress in the reputation table.
  const ap1 = page.getByTestId('reputation-table').locator('tr[data-satellite]').first();
  assert.equal(await ap1.locator('[data-field="vetting_percent"]').getAttribute('data-value'), '76');
  // A month switch never reloads the files: it answers quickly (the bound is loose: shared machines).
  assert.ok(switchMs < 5000, `${switchMs} ms`);
  // Missing days of the current month are gaps in the bandwidth chart: days after the 14th.
  assert.equal(await page.getByTestId('bandwidth-chart').locator('g.day').count(), 14);
});

test('screenshots at 1280 and 390 px, light and dark', async () => {
  const page = await openFixture('2025-04');
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.screenshot({ path: join(OUT, `node-${width}-${scheme}.png`), fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
  // Nothing scrolls the whole page sideways at phone width: tables scroll inside their cards.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.ok(overflow <= 1, `page wider than the screen by ${overflow} px`);
});
