// The Web Worker's life as the page sees it: when the worker dies the page says so
// (data-kind="WorkerStopped"), starts a fresh one and "Try again" repeats the last load; after
// the first dashboard the worker is idle (no background step): clicks are answered at once.
// Each test has its own browser: the deliberate worker errors stay out of the other files'
// console-error checks.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, workerMessages, OUT } from './harness.mjs';
import { SMALL_DB, QUERY, WAIT, allNodesGross, card, close, settled, demoDatabase } from './small-db.mjs';

const SHORT = { timeout: 15_000 };
const BOOM = 'boom (deliberate e2e worker error)';

let OTHER_DB; // a second, different monitor database (the CLI's generator, 5,000 events)
let BIG_DB; // 400,000 events
before(() => {
  OTHER_DB = demoDatabase('other.db', ['--events', '5000', '--nodes', '2', '--seed', '7']);
  BIG_DB = demoDatabase('big.db', ['--events', '400000']);
});

const workersStarted = (page) => page.evaluate(() => window.__workersStarted);

/** Opens the page at the fixture's "now" with the worker watched. */
async function open(app) {
  await app.page.goto(`${app.url}${QUERY}`);
  await app.page.getByTestId('dropzone').waitFor(WAIT);
}

/** Picks small.db and checks its figures: the file card, the events, the all-nodes gross. */
async function smallDbShown(page) {
  await page.locator('.file-summary h2', { hasText: 'small.db' }).waitFor(WAIT);
  await settled(page);
  const events = page.locator('[data-testid="table-counts"] tr[data-table="events"] td.num');
  assert.equal(Number(await events.textContent()), 20000);
  close((await card(page, 'summary-total')).value, allNodesGross('2025-10'), 'small.db gross, all nodes, 2025-10');
}

/** The page's one live worker (Playwright's handle), once it said `ready`. */
async function currentWorker(page) {
  await page.waitForFunction(() => window.__workerMessages.some((m) => m.type === 'ready'), null, WAIT);
  // A worker the page terminated leaves Playwright's list shortly after.
  for (const deadline = Date.now() + SHORT.timeout; page.workers().length !== 1 && Date.now() < deadline;) {
    await new Promise((ok) => setTimeout(ok, 50));
  }
  assert.equal(page.workers().length, 1, 'one worker alive');
  return page.workers()[0];
}

/** Makes the worker throw an uncaught error in its global scope (a task of its own). */
async function killWorker(page) {
  const worker = await currentWorker(page);
  await worker.evaluate((message) => { setTimeout(() => { throw new Error(message); }, 0); }, BOOM);
}

/** Waits for the error view of a stopped worker and checks what it says. */
async function stoppedView(page, detail) {
  const error = page.getByTestId('error');
  await error.waitFor(SHORT);
  assert.equal(await error.getAttribute('data-kind'), 'WorkerStopped');
  const text = await error.textContent();
  assert.match(text, /The analysis stopped unexpectedly/);
  assert.ok(text.includes(detail), `the browser's detail (${detail}) in ${JSON.stringify(text)}`);
  assert.equal(await page.getByTestId('earnings-table').count(), 0, 'no figures left');
  assert.equal(await page.getByTestId('file-summary').count(), 0, 'no file card left');
  assert.equal(await page.getByTestId('progress').count(), 0, 'no progress left');
  assert.equal(await page.getByTestId('retry').textContent(), 'Try again');
}

/** Console errors other than the deliberate ones. */
const unexpected = (errors) => errors.filter((e) => !e.includes(BOOM) && !/favicon/.test(e));

test('the worker dies: the error view says so, "Try again" loads small.db again, another file loads after', async () => {
  const app = await start({ watchWorker: true });
  const { page } = app;
  try {
    await open(app);
    await page.getByTestId('file-input').setInputFiles(SMALL_DB);
    await smallDbShown(page);

    const started = await workersStarted(page);
    await killWorker(page);
    await stoppedView(page, BOOM);
    // The page terminated the dead worker and started a fresh one.
    await page.waitForFunction((n) => window.__workersStarted > n, started, SHORT);
    await page.screenshot({ path: join(OUT, 'worker-stopped.png'), fullPage: true });

    await page.getByTestId('retry').click();
    await smallDbShown(page);
    assert.equal(await page.getByTestId('error').count(), 0, 'the error view is gone');

    // The restarted worker goes on serving: another node, then another file.
    await page.getByTestId('node-select').selectOption('node-2');
    await settled(page);
    assert.notEqual((await card(page, 'summary-total')).value, allNodesGross('2025-10'));
    await page.getByTestId('file-input').setInputFiles(OTHER_DB);
    await page.locator('.file-summary h2', { hasText: 'other.db' }).waitFor(WAIT);
    await settled(page);
    const events = page.locator('[data-testid="table-counts"] tr[data-table="events"] td.num');
    assert.equal(Number((await events.textContent()).replace(/,/g, '')), 5000);
    assert.equal(await page.getByTestId('error').count(), 0);
    assert.deepEqual(unexpected(app.consoleErrors), []);
    assert.deepEqual(app.offOrigin, []);
  } finally {
    await app.close();
  }
});

test('the worker dies after the demo: "Try again" generates the demo again', async () => {
  const app = await start({ watchWorker: true });
  const { page } = app;
  try {
    await open(app);
    await page.getByTestId('demo-button').click();
    await page.locator('.file-summary h2', { hasText: 'demo.db' }).waitFor(WAIT);
    await settled(page);
    const demoTotal = (await card(page, 'summary-total')).value;
    assert.ok(demoTotal > 0);
    await killWorker(page);
    await stoppedView(page, BOOM);
    await page.getByTestId('retry').click();
    await page.locator('.file-summary h2', { hasText: 'demo.db' }).waitFor(WAIT);
    await settled(page);
    assert.equal((await card(page, 'summary-total')).value, demoTotal, 'the same demo figures');
    assert.equal(await page.getByTestId('error').count(), 0);
    assert.deepEqual(unexpected(app.consoleErrors), []);
  } finally {
    await app.close();
  }
});

test('a worker answer the page cannot read stops it the same way', async () => {
  const app = await start({ watchWorker: true });
  const { page } = app;
  try {
    await open(app);
    await page.getByTestId('file-input').setInputFiles(SMALL_DB);
    await smallDbShown(page);
    const worker = await currentWorker(page);
    await worker.evaluate(() => self.postMessage({ type: 'no_such_response' }));
    await stoppedView(page, 'the worker sent a message the page cannot read');
    await page.getByTestId('retry').click();
    await smallDbShown(page);
    assert.deepEqual(unexpected(app.consoleErrors), []);
  } finally {
    await app.close();
  }
});

test('after the first dashboard nothing runs: clicks right away are answered, a new file loads in the same worker', async () => {
  const app = await start({ watchWorker: true });
  const { page } = app;
  const loadId = async () => (await workerMessages(page)).findLast((m) => m.type === 'loaded')?.id;
  const idle = () => page.waitForFunction(() => document.querySelector('[data-testid="busy"]')?.textContent === '', null, WAIT);
  try {
    await open(app);
    await page.getByTestId('file-input').setInputFiles(BIG_DB);
    await page.locator('.file-summary h2', { hasText: 'big.db' }).waitFor(WAIT);
    await page.getByTestId('earnings-table').waitFor(WAIT);
    const started = await workersStarted(page);
    // The clicks a user makes at once: another node, the whole-file window, another bucket size.
    const timings = [];
    for (const [testid, pick] of [['node-select', (v) => v[v.length - 1]], ['window-select', (v) => v[v.length - 1]], ['bucket-select', (v) => v[0]]]) {
      const select = page.getByTestId(testid);
      const values = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
      const current = await select.inputValue();
      const value = pick(values.filter((v) => v !== current));
      const t = Date.now();
      await select.selectOption(value);
      await idle();
      timings.push(`${testid} ${Date.now() - t} ms`);
      assert.equal(await select.inputValue(), value, `${testid} shows the choice`);
    }
    console.log(`big.db (400,000 events), clicks right after the dashboard (wall, with Playwright's round trips): ${timings.join(', ')}`);
    const latency = page.locator('[data-testid="latency-table"] tr[data-category="all"]');
    assert.ok(await latency.count() > 0, 'the latency panel answers the whole-file window');
    const messages = await workerMessages(page);
    assert.equal(messages.filter((m) => m.stage === 'indexing').length, 0, 'no index is built, before or after the dashboard');
    assert.ok(await loadId() !== undefined);

    // The worker is idle: a new file goes to the same worker, no restart needed.
    await page.getByTestId('file-input').setInputFiles(SMALL_DB);
    await smallDbShown(page);
    assert.equal(await workersStarted(page), started, 'the idle worker was kept');
    assert.equal(await page.getByTestId('error').count(), 0, 'no error view');
    assert.deepEqual(app.consoleErrors.filter((e) => !/favicon/.test(e)), []);
  } finally {
    await app.close();
  }
});
