// Trunk post-build hook (Trunk.toml): runs in the staging directory before it becomes dist/.
// 1. Content-Security-Policy: only the page's own origin, with the hash of Trunk's inline script.
// 2. Service worker: the precache list of every built file with its content hash.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('postbuild.mjs runs as a Trunk hook (TRUNK_STAGING_DIR is unset)');

const indexPath = join(staging, 'index.html');
let html = readFileSync(indexPath, 'utf8');
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
  .map(([, body]) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`);
const policy = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'", // Leptos sets a few style attributes (bar widths)
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');
html = html.replace('<!-- csp -->', `<meta http-equiv="Content-Security-Policy" content="${policy}" />`);
writeFileSync(indexPath, html);

const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(relative(staging, path).split('\\').join('/'));
  }
})(staging);
const precache = files
  .filter((f) => f !== 'sw.js')
  .sort()
  .map((f) => ({
    path: f === 'index.html' ? './' : `./${f}`,
    hash: createHash('sha256').update(readFileSync(join(staging, f))).digest('hex').slice(0, 16),
  }));
const swPath = join(staging, 'sw.js');
const sw = readFileSync(swPath, 'utf8').replace('const PRECACHE = [];', `const PRECACHE = ${JSON.stringify(precache)};`);
writeFileSync(swPath, sw);
console.log(`postbuild: CSP with ${hashes.length} inline script hash(es); ${precache.length} files precached`);
