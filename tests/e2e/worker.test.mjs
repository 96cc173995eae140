// The Web Worker's life as the page sees it: when the worker dies the page says so
// (data-kind="WorkerStopped"), starts a fresh one and "Try again" repeats the last load; a new
// file dropped while the worker builds the indexes in the background does not wait for them.
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
let BIG_DB; // 400,000 events: its background indexes take seconds
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

test('a new file during the background indexes restarts the worker and loads at once', async () => {
  const app = await start({ watchWorker: true });
  const { page } = app;
  const busy = page.getByTestId('busy');
  const indexing = /Building indexes in the background/;
  // The worker's `Progress { stage: indexing, done }` answers for the load `id`.
  const indexProgress = async (id, done) =>
    (await workerMessages(page)).filter((m) => m.id === id && m.stage === 'indexing' && m.done === done).length;
  const loadId = async () => (await workerMessages(page)).findLast((m) => m.type === 'loaded')?.id;
  try {
    // How long big.db's background indexes take here, from the status appearing to it going.
    await open(app);
    await page.getByTestId('file-input').setInputFiles(BIG_DB);
    await page.getByTestId('earnings-table').waitFor(WAIT);
    await page.waitForFunction(() => /Building indexes/.test(document.querySelector('[data-testid="busy"]')?.textContent), null, WAIT);
    const indexStart = Date.now();
    await page.waitForFunction(() => document.querySelector('[data-testid="busy"]')?.textContent === '', null, WAIT);
    const indexMs = Date.now() - indexStart;
    assert.equal(await indexProgress(await loadId(), 1), 1, 'the indexes were built');

    // Again, and this time small.db is picked as soon as the dashboard shows the indexing status.
    await open(app);
    await page.getByTestId('file-input').setInputFiles(BIG_DB);
    await page.locator('.file-summary h2', { hasText: 'big.db' }).waitFor(WAIT);
    await page.getByTestId('earnings-table').waitFor(WAIT);
    await page.waitForFunction(() => /Building indexes/.test(document.querySelector('[data-testid="busy"]')?.textContent), null, WAIT);
    const seen = Date.now();
    assert.match(await busy.textContent(), indexing);
    const bigId = await loadId();
    assert.equal(await indexProgress(bigId, 0), 1, 'the worker started the indexes');
    assert.equal(await indexProgress(bigId, 1), 0, 'the worker has not finished them');
    await page.screenshot({ path: join(OUT, 'worker-indexing.png'), fullPage: false });
    const started = await workersStarted(page);

    const picked = Date.now();
    await page.getByTestId('file-input').setInputFiles(SMALL_DB);
    await smallDbShown(page);
    const smallMs = Date.now() - picked;
    const sinceIndexing = Date.now() - seen;
    console.log(`big.db (400,000 events) background indexes: ${indexMs} ms; small.db picked during them: figures after ${smallMs} ms (${sinceIndexing} ms after the indexing status appeared)`);
    assert.ok(await workersStarted(page) > started, 'the busy worker was replaced by a fresh one');
    assert.ok(sinceIndexing < indexMs, `small.db's figures (${sinceIndexing} ms after the indexing began) came before big.db's indexes could finish (${indexMs} ms)`);
    assert.ok(smallMs < 10_000, `small.db's figures within a few seconds (${smallMs} ms)`);
    assert.equal(await page.getByTestId('error').count(), 0, 'no error view');

    // Nothing of big.db comes back when its indexes would have finished: a deliberate wait for
    // something that must not happen (the old worker was terminated, not left to finish).
    await page.waitForTimeout(Math.max(0, indexMs - (Date.now() - seen)) + 500);
    assert.equal(await indexProgress(bigId, 1), 0, 'big.db\'s indexes never finished');
    await smallDbShown(page);
    assert.equal(await page.getByTestId('error').count(), 0, 'no error view later either');
    assert.equal(await page.locator('.file-summary h2', { hasText: 'big.db' }).count(), 0);
    assert.deepEqual(app.consoleErrors.filter((e) => !/favicon/.test(e)), []);
  } finally {
    await app.close();
  }
});
