// The node's databases in headless Chromium (NODE_DATA.md §6; not part of `node --test`): picks
// the fixture's eight files and prints the wall time to the full node view, then the time to
// switch to another month (select → the table of that month on screen), five times each.
//   node tests/bench/node-bench.mjs [folder]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { start, FIXTURES } from '../e2e/harness.mjs';

const dir = process.argv[2] ?? join(FIXTURES, 'node');
const files = readdirSync(dir).filter((f) => f.endsWith('.db') || f.endsWith('.db-wal')).map((f) => join(dir, f));
const app = await start();
const { page } = app;
const loads = [];
const switches = [];
try {
  for (let i = 0; i < 5; i++) {
    await page.goto(`${app.url}?now=2025-04-14T09:30:00Z`);
    await page.getByTestId('dropzone').waitFor({ timeout: 30_000 });
    const t0 = Date.now();
    await page.getByTestId('file-input').setInputFiles(files);
    await page.getByTestId('bandwidth-chart').waitFor({ timeout: 60_000 });
    loads.push(Date.now() - t0);
    const select = page.getByTestId('period-select');
    const months = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
    const other = months.find((m) => m !== months[0]) ?? months[0];
    const t1 = Date.now();
    await select.selectOption(other);
    await page.waitForFunction((m) => document.querySelector('[data-testid=earnings-table]')?.closest('section')?.textContent.includes(m), other, { timeout: 30_000 });
    switches.push(Date.now() - t1);
  }
} finally {
  await app.close();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${dir}: ${files.length} files`);
console.log(`pick -> node view (wall): median ${median(loads)} ms of ${loads.join(', ')} (goal < 300)`);
console.log(`another month -> its table (wall): median ${median(switches)} ms of ${switches.join(', ')} (goal < 20)`);
