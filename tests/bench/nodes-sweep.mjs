// The node sweep of scripts/bench-browser (--nodes-sweep): the same events spread over more and
// more nodes. Prints, per file, the browser's drop → dashboard and the native `analyze` (wall),
// then the cost per node: the slope between neighbouring counts and a least-squares line over
// all that finished. Reads target/bench/nodes-<N>.{analyze,browser}.json; writes
// target/bench/nodes-sweep.json.
//   node tests/bench/nodes-sweep.mjs 20 100 500 5000
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const DIR = 'target/bench';
const readJson = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null);
const fmt = (x, d = 0) => (x === null || x === undefined ? '–' : x.toFixed(d));
/** A failure in a few words (the full text is in the JSON files). */
const failed = (error) => (/time limit|too long/i.test(error ?? '') ? 'failed: > 60 s time limit' : `failed: ${String(error).slice(0, 40)}`);

function pointOf(nodes) {
  const analyze = readJson(`${DIR}/nodes-${nodes}.analyze.json`);
  const browser = readJson(`${DIR}/nodes-${nodes}.browser.json`);
  return {
    nodes,
    bytes: browser?.bytes ?? analyze?.bytes ?? null,
    analyze_ms: analyze?.ok ? analyze.median_ms : null,
    analyze_error: analyze && !analyze.ok ? analyze.error : null,
    dashboard_ms: browser?.dashboard?.ok ? browser.dashboard.wall_ms : null,
    dashboard_error: browser?.dashboard?.error ?? null,
  };
}

/** Least-squares slope of y over x (ms per node); null with fewer than two points. */
function fitSlope(points) {
  if (points.length < 2) return null;
  const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const my = points.reduce((s, p) => s + p.y, 0) / points.length;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxx ? sxy / sxx : null;
}

/** ms per node between each count and the previous one, and over all finished points. */
function slopes(points, key) {
  const done = points.filter((p) => p[key] !== null);
  const steps = done.slice(1).map((p, i) => ({ from: done[i].nodes, to: p.nodes, ms_per_node: (p[key] - done[i][key]) / (p.nodes - done[i].nodes) }));
  return { steps, fit: fitSlope(done.map((p) => ({ x: p.nodes, y: p[key] }))) };
}

const counts = process.argv.slice(2).map(Number);
const points = counts.map(pointOf);
const result = { points, dashboard: slopes(points, 'dashboard_ms'), analyze: slopes(points, 'analyze_ms') };

console.log('\nNODE SWEEP (same events over more nodes; monitor shape, daily polls)');
console.log(`nodes   file MB  ${'drop → dashboard ms'.padStart(26)}  ${'native analyze ms'.padStart(26)}`);
for (const p of points) {
  const dash = p.dashboard_ms !== null ? fmt(p.dashboard_ms) : failed(p.dashboard_error);
  const ana = p.analyze_ms !== null ? fmt(p.analyze_ms) : failed(p.analyze_error);
  console.log(`${String(p.nodes).padStart(5)} ${fmt(p.bytes / 1e6, 1).padStart(9)}  ${dash.padStart(26)}  ${ana.padStart(26)}`);
}
for (const [name, s] of [['drop → dashboard', result.dashboard], ['native analyze', result.analyze]]) {
  const steps = s.steps.map((x) => `${x.from}→${x.to}: ${fmt(x.ms_per_node, 2)}`).join(', ');
  console.log(`${name}: ms per node ${steps || '–'}; least squares ${fmt(s.fit, 2)} ms/node (finished files only)`);
}
writeFileSync(`${DIR}/nodes-sweep.json`, JSON.stringify(result, null, 2));
