// The node log in a real browser (LOGS.md §5): the fixture log picked, its figures on screen
// against the truth and successrate.sh's golden, the hourly chart's category and time-zone
// choices, the downloaded JSON by the rules of §4.7 (log-compare.mjs), and screenshots at 1280
// and 390 px, light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, FIXTURES, OUT } from './harness.mjs';
import { WAIT } from './small-db.mjs';
import { compareLogReport } from './log-compare.mjs';

const DIR = join(FIXTURES, 'logs');
const LOG = join(DIR, 'fixture.log');
const TRUTH = JSON.parse(readFileSync(join(DIR, 'fixture.truth.json'), 'utf8'));
const GOLDEN = JSON.parse(readFileSync(join(DIR, 'fixture.expected.json'), 'utf8'));
const CATS = { audit: 'GET_AUDIT', download: 'GET', upload: 'PUT', repair_download: 'GET_REPAIR', repair_upload: 'PUT_REPAIR' };

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

async function openLog() {
  const { page } = app;
  await page.goto(app.url);
  await page.getByTestId('dropzone').waitFor(WAIT);
  await page.getByTestId('file-input').setInputFiles(LOG);
  await page.getByTestId('log-summary').waitFor(WAIT);
  return page;
}

const num = (text) => Number(String(text).replace(/[^0-9.-]/g, ''));
const truthTotals = (action) => {
  const t = TRUTH.transfers.by_action[action] ?? {};
  const total = (t.success ?? 0) + (t.canceled ?? 0) + (t.failed ?? 0);
  return { ...t, total };
};

test('the figures on screen are the truth and successrate.sh\'s output', async () => {
  const page = await openLog();
  // summary cards: rates of the true counts
  for (const [card, action] of [['audit', 'GET_AUDIT'], ['download', 'GET'], ['upload', 'PUT']]) {
    const t = truthTotals(action);
    const got = Number(await page.getByTestId(`log-card-${card}`).getAttribute('data-value'));
    assert.ok(Math.abs(got - (100 * t.success) / t.total) < 1e-9, `${card} card ${got}`);
  }
  const rd = truthTotals('GET_REPAIR');
  const ru = truthTotals('PUT_REPAIR');
  const repair = Number(await page.getByTestId('log-card-repair').getAttribute('data-value'));
  assert.ok(Math.abs(repair - (100 * (rd.success + ru.success)) / (rd.total + ru.total)) < 1e-9);
  assert.match(await page.getByTestId('log-range').textContent(), /2026-02-15 06:00:00 UTC → 2026-02-15 11:48:07 UTC/);
  assert.match(await page.getByTestId('log-not-understood').textContent(), /^4 lines not understood/);

  // categories table
  for (const [cat, action] of Object.entries(CATS)) {
    const row = page.locator(`[data-testid=log-categories] tr[data-category=${cat}]`);
    const t = truthTotals(action);
    assert.equal(num(await row.locator('[data-col=success]').textContent()), t.success ?? 0, `${cat} success`);
    assert.equal(num(await row.locator('[data-col=canceled]').textContent()), t.canceled ?? 0, `${cat} canceled`);
    assert.equal(num(await row.locator('[data-col=total]').textContent()), t.total, `${cat} total`);
  }
  const audit = await page.locator('[data-testid=log-categories] tr[data-category=audit] [data-col=failed]').textContent();
  assert.equal(audit, `${TRUTH.audit.failed_critical + TRUTH.audit.failed_recoverable} (${TRUTH.audit.failed_critical} critical, ${TRUTH.audit.failed_recoverable} recoverable)`);
  const del = page.locator('[data-testid=log-categories] tr[data-category=delete]');
  assert.equal(num(await del.locator('[data-col=success]').textContent()), TRUTH.deletes_piecestore.success);

  // satellites: one row per satellite of the log, by ID
  const ids = await page.locator('[data-testid=log-satellites] tr[data-satellite]').evaluateAll((rows) => rows.map((r) => r.dataset.satellite));
  assert.deepEqual(ids, Object.values(TRUTH.satellites).sort());
  for (const [name, id] of Object.entries(TRUTH.satellites)) {
    const row = page.locator(`[data-testid=log-satellites] tr[data-satellite="${id}"]`);
    assert.equal(await row.locator('.sat-name').textContent(), name);
    const t = TRUTH.transfers.by_satellite[name].GET;
    const want = (100 * t.success) / (t.success + t.canceled + t.failed);
    assert.ok(Math.abs(Number(await row.locator('[data-col=download]').getAttribute('data-value')) - want) < 1e-9);
  }

  // successrate.sh's figures as it prints them
  for (const [cat, fields] of Object.entries(GOLDEN.categories)) {
    for (const [f, want] of Object.entries(fields)) {
      const cell = page.locator(`[data-testid=log-compat] tr[data-field="${cat}.${f}"] [data-col=successrate]`);
      const text = f.endsWith('_rate') ? (want === null ? '-nan%' : `${want.toFixed(3)}%`) : String(want);
      assert.equal(await cell.textContent(), text, `${cat}.${f}`);
    }
  }
  // a differing row names its causes with their line counts
  const dl = page.locator('[data-testid=log-compat] tr[data-field="download.successful"]');
  assert.match(await dl.locator('[data-cause=size_mismatch_cancel]').textContent(), /^\+6 6 canceled downloads give the reason/);
  assert.equal(num(await dl.locator('[data-col=corrected]').textContent()), TRUTH.successrate_model.semantic.dl_success);
  assert.equal(await page.locator('[data-testid=log-compat-notes] [data-note=canceled_audits]').count(), 1);

  // failures and diagnostics
  assert.match(await page.getByTestId('log-failures').textContent(), /file does not exist/);
  const diag = page.getByTestId('diagnostics');
  await diag.locator('summary').click();
  assert.match(await diag.locator('li[data-kind=unrecognised]').textContent(), /× 4 — first at line/);
});

test('the hourly chart: stacked bars per UTC hour with hover values, category and local time', async () => {
  const page = await openLog();
  const chart = page.getByTestId('log-hourly-chart');
  const svg = chart.locator('.wide-only svg');
  const hours = Object.keys(TRUTH.by_hour_utc).sort();
  assert.equal(await svg.locator('g.hour').count(), hours.length);
  const first = TRUTH.by_hour_utc[hours[0]].GET;
  const title = await svg.locator('g.hour').first().locator('title').textContent();
  assert.ok(title.startsWith(`${hours[0].slice(0, 10)} ${hours[0].slice(11)}:00 UTC: ${first[0]} succeeded, ${first[1]} canceled, ${first[2]} failed`), title);
  await chart.getByTestId('log-hourly-category').selectOption('upload');
  const up = TRUTH.by_hour_utc[hours[0]].PUT;
  assert.match(await svg.locator('g.hour').first().locator('title').textContent(), new RegExp(`: ${up[0]} succeeded, ${up[1]} canceled, ${up[2]} failed`));
  await chart.getByTestId('log-hourly-local').check();
  assert.doesNotMatch(await svg.locator('g.hour').first().locator('title').textContent(), / UTC:/);
  assert.ok((await svg.locator('.rate-line').getAttribute('d')).startsWith('M'));
});

test('the downloaded report passes the rules of LOGS.md 4.7', async () => {
  const page = await openLog();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
  const path = join(OUT, 'logs-download.json');
  await download.saveAs(path);
  const report = JSON.parse(readFileSync(path, 'utf8'));
  assert.deepEqual(compareLogReport(GOLDEN, TRUTH, report), []);
  assert.deepEqual(report.successrate_compat.categories, GOLDEN.categories, 'exact, the double rounding emulated');
});

test('screenshots at 1280 and 390 px, light and dark; the page never scrolls sideways', async () => {
  const page = await openLog();
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: join(OUT, `logs-${width}-${colorScheme}.png`), fullPage: true });
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scroll <= width, `${width}px ${colorScheme}: page is ${scroll}px wide`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
});
