// The log reader in headless Chromium (LOGS.md §6; not part of `node --test`): drops a large
// generated log on the built app and prints MB/s (the worker's own time and the wall time from
// the pick to the log view), the worker's wasm memory, the longest gap between progress
// messages, and how long Cancel takes, beside the native `storj-lens bench LOG` of the same run.
//   node tests/bench/log-bench.mjs target/bench/storj-lens-bench.log [native-bench-output.txt]
import { readFileSync, statSync } from 'node:fs';
import { start } from '../e2e/harness.mjs';

const log = process.argv[2] ?? 'target/bench/storj-lens-bench.log';
const nativeText = process.argv[3] ? readFileSync(process.argv[3], 'utf8') : '';
const size = statSync(log).size;
const mb = size / 1e6;

const app = await start();
const { page, context } = app;
// The times at which the page hears LogProgress (a listener beside the page's own).
await context.addInitScript(() => {
  window.__logProgress = [];
  window.Worker = new Proxy(window.Worker, {
    construct(target, args, newTarget) {
      const worker = Reflect.construct(target, args, newTarget);
      worker.addEventListener('message', (e) => {
        if (e.data?.type === 'log_progress') window.__logProgress.push(performance.now());
      });
      return worker;
    },
  });
});
const out = {};
try {
  await page.goto(app.url);
  await page.getByTestId('dropzone').waitFor({ timeout: 30_000 });
  const t0 = Date.now();
  await page.getByTestId('file-input').setInputFiles(log);
  await page.getByTestId('log-summary').waitFor({ timeout: 600_000 });
  out.wall_ms = Date.now() - t0;
  const bench = await page.workers()[0].evaluate(() => self.__storjLensLogBench ?? null);
  out.worker_ms = bench?.ms;
  out.wasm_memory = bench?.wasm_memory_bytes;
  const times = await page.evaluate(() => window.__logProgress);
  out.progress_messages = times.length;
  out.longest_gap_ms = Math.max(...times.slice(1).map((t, i) => t - times[i]));

  // Cancel one second into a second read: the time until the drop zone is back alone.
  await page.goto(app.url);
  await page.getByTestId('dropzone').waitFor({ timeout: 30_000 });
  await page.getByTestId('file-input').setInputFiles(log);
  await page.getByTestId('progress-lines').waitFor({ timeout: 60_000 });
  await new Promise((r) => setTimeout(r, 1000));
  const c0 = Date.now();
  await page.getByTestId('cancel').click();
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 10_000 });
  out.cancel_ms = Date.now() - c0;
} finally {
  await app.close();
}
const nativeMbs = nativeText.match(/TOTAL.*?([\d.]+) MB\/s/)?.[1];
console.log(`${log}: ${mb.toFixed(1)} MB`);
console.log(`native (storj-lens bench): ${nativeMbs ?? '–'} MB/s`);
console.log(`browser, worker: ${out.worker_ms?.toFixed(0)} ms = ${(mb / (out.worker_ms / 1000)).toFixed(0)} MB/s (goal >= 150)`);
console.log(`browser, pick to log view (wall): ${out.wall_ms} ms = ${(mb / (out.wall_ms / 1000)).toFixed(0)} MB/s`);
console.log(`worker wasm memory after the log: ${(out.wasm_memory / 2 ** 20).toFixed(1)} MiB (goal < 64)`);
console.log(`progress: ${out.progress_messages} messages, longest gap ${out.longest_gap_ms.toFixed(0)} ms (goal <= 250)`);
console.log(`cancel to the drop zone: ${out.cancel_ms} ms (goal < 100, wall time seen by Playwright)`);
