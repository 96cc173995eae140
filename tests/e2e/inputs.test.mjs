// Every kind of input through the page (SPEC §1, NODE_DATA §1.2 and §5.3, LOGS §1.1 and §5): the
// worker tells a log, the node's databases and a monitor database by content; several kinds in
// one drop each get their view (tabs); an incomplete node set names what is missing and grows
// with the next drop; a log shows bytes read and can be cancelled, after which the page takes the
// next file; files that are neither say what was expected. The figures of each view are checked
// in logs.test.mjs and node.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { start, FIXTURES, OUT } from './harness.mjs';
import { SMALL_DB, WAIT } from './small-db.mjs';

const NODE_DIR = join(FIXTURES, 'node');
const NODE_FILES = readdirSync(NODE_DIR).filter((f) => f.endsWith('.db')).sort().map((f) => join(NODE_DIR, f));
const LOG = join(FIXTURES, 'logs', 'fixture.log');
const NODE_QUERY = '?now=2025-04-14T09:30:00Z&month=2025-03';

let app;
before(async () => { app = await start(); });
after(async () => { await app?.close(); });

async function open(query = '') {
  const { page } = app;
  await page.goto(`${app.url}${query}`);
  await page.getByTestId('dropzone').waitFor(WAIT);
  return page;
}

/** Drops files (name + bytes) together with one synthetic DataTransfer. */
async function dropFiles(page, files) {
  const dataTransfer = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    for (const { name, base64 } of files) {
      const raw = atob(base64);
      const data = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) data[i] = raw.charCodeAt(i);
      dt.items.add(new File([data], name));
    }
    return dt;
  }, files.map(({ name, bytes }) => ({ name, base64: Buffer.from(bytes).toString('base64') })));
  const zone = page.getByTestId('dropzone');
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

const named = (path) => ({ name: path.split('/').pop(), bytes: readFileSync(path) });

test('the node fixture picked as eight files gives the node view, each file listed as loaded', async () => {
  const page = await open(NODE_QUERY);
  await page.getByTestId('file-input').setInputFiles(NODE_FILES);
  await page.getByTestId('earnings-table').waitFor(WAIT);
  const rows = page.getByTestId('node-files').locator('[data-file]');
  assert.equal(await rows.count(), 8);
  for (const path of NODE_FILES) {
    const name = path.split('/').pop();
    assert.equal(await page.getByTestId('node-files').locator(`[data-file="${name}"]`).getAttribute('data-status'), 'loaded', name);
  }
  assert.equal(await page.getByTestId('error').count(), 0);
});

test('an incomplete node set names the missing file and its use, and grows with the next drop', async () => {
  const page = await open(NODE_QUERY);
  const withoutPricing = NODE_FILES.filter((f) => !f.endsWith('pricing.db'));
  await page.getByTestId('file-input').setInputFiles(withoutPricing);
  const error = page.getByTestId('error');
  await error.waitFor(WAIT);
  const text = await error.textContent();
  assert.match(text, /pricing\.db/);
  assert.match(text, /price/i);
  assert.equal(await page.getByTestId('node-files').locator('[data-file="pricing.db"]').getAttribute('data-status'), 'missing');
  assert.equal(await page.getByTestId('earnings-table').count(), 0);
  // The missing file alone, dropped: the set is complete now.
  await dropFiles(page, [named(join(NODE_DIR, 'pricing.db'))]);
  await page.getByTestId('earnings-table').waitFor(WAIT);
  assert.equal(await page.getByTestId('error').count(), 0);
});

test('a log and the node files dropped together: both views, one tab each', async () => {
  const page = await open(NODE_QUERY);
  await dropFiles(page, [...NODE_FILES.map(named), named(LOG)]);
  await page.getByTestId('log-summary').waitFor(WAIT);
  const tabs = page.getByTestId('view-tabs');
  assert.equal(await tabs.locator('[role=tab]').count(), 2);
  await tabs.locator('[data-view=node]').click();
  await page.getByTestId('earnings-table').waitFor(WAIT);
  assert.equal(await page.getByTestId('log-summary').count(), 0);
  await tabs.locator('[data-view=log]').click();
  await page.getByTestId('log-summary').waitFor(WAIT);
  await page.screenshot({ path: join(OUT, 'inputs-log-and-node-1280.png'), fullPage: false });
});

test('a monitor database dropped with a complete node set: the node view, saying the monitor file was not used', async () => {
  const page = await open(NODE_QUERY);
  await dropFiles(page, [...NODE_FILES.map(named), named(SMALL_DB)]);
  await page.getByTestId('earnings-table').waitFor(WAIT);
  assert.match(await page.getByTestId('input-note').textContent(), /small\.db.*not used/);
});

test('a single monitor database still opens the monitor dashboard', async () => {
  const page = await open('?now=2025-10-10T12:00:00Z');
  await page.getByTestId('file-input').setInputFiles(SMALL_DB);
  await page.getByTestId('node-select').waitFor(WAIT);
  assert.equal(await page.getByTestId('view-tabs').count(), 0);
});

test('a log being read shows bytes and lines, Cancel returns to the drop zone, and the next file works', async () => {
  const page = await open();
  // A large log made in the page (about 200 MB): the fixture's lines over and over.
  const handle = await page.evaluateHandle((text) => {
    const chunk = new TextEncoder().encode(text);
    const parts = [];
    for (let size = 0; size < 200e6; size += chunk.length) parts.push(chunk);
    const dt = new DataTransfer();
    dt.items.add(new File(parts, 'big.log'));
    return dt;
  }, readFileSync(LOG, 'latin1'));
  const zone = page.getByTestId('dropzone');
  await zone.dispatchEvent('drop', { dataTransfer: handle });
  const lines = page.getByTestId('progress-lines');
  await lines.waitFor(WAIT);
  assert.match(await page.getByTestId('progress').textContent(), /of 19\d(\.\d)? MiB/);
  const started = Date.now();
  await page.getByTestId('cancel').click();
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 5_000 });
  const ms = Date.now() - started;
  assert.ok(ms < 2_000, `cancel took ${ms} ms`);
  await page.getByTestId('file-input').setInputFiles(LOG);
  await page.getByTestId('log-summary').waitFor(WAIT);
});

test('files that are neither a database nor a log say what was expected; packed ones say unpack', async () => {
  const page = await open();
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(4096, 7)]);
  await page.getByTestId('file-input').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png });
  const error = page.getByTestId('error');
  await error.waitFor(WAIT);
  assert.equal(await error.getAttribute('data-kind'), 'NotLog');
  assert.match(await error.textContent(), /log/);
  const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200, 1)]);
  await page.getByTestId('file-input').setInputFiles({ name: 'node.zip', mimeType: 'application/zip', buffer: zip });
  await page.locator('[data-testid=error][data-kind=Packed]').waitFor(WAIT);
  assert.match(await page.getByTestId('error').textContent(), /zip/i);
  // Still usable: the fixture log after the errors.
  await page.getByTestId('file-input').setInputFiles(LOG);
  await page.getByTestId('log-summary').waitFor(WAIT);
});

test('the demo node opens the node view', async () => {
  const page = await open();
  await page.getByTestId('demo-node-button').click();
  await page.getByTestId('earnings-table').waitFor(WAIT);
  assert.ok(await page.getByTestId('earnings-table').locator('[data-satellite]').count() >= 2);
});
