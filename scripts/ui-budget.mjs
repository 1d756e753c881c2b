#!/usr/bin/env node
// Fails when the web UI's JavaScript and CSS, gzipped, weigh more than 150 KB. It counts every
// .js/.css file the base station would serve from ui/ (our modules and ui/vendor/), not only
// those a given page imports: a safe upper bound of what any page loads.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const LIMIT = 150 * 1024;
const ui = new URL('../ui/', import.meta.url).pathname;
const SKIP = new Set(['node_modules', 'tests']);

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return SKIP.has(name) ? [] : files(p);
    return /\.(js|mjs|css)$/.test(name) ? [p] : [];
  });
}

const list = files(ui);
if (!list.some((f) => f.includes('/vendor/'))) {
  console.error('ui-budget: ui/vendor/ is empty: run scripts/ui-setup.sh first');
  process.exit(1);
}
let total = 0;
for (const f of list.sort()) {
  const gz = gzipSync(readFileSync(f), { level: 9 }).length;
  total += gz;
  if (process.argv.includes('-v')) console.log(`${String(gz).padStart(7)}  ${relative(ui, f)}`);
}
const kb = (n) => (n / 1024).toFixed(1);
console.log(`ui-budget: ${list.length} files, ${kb(total)} KB gzipped (limit ${kb(LIMIT)} KB)`);
if (total > LIMIT) {
  console.error('ui-budget: over the limit');
  process.exit(1);
}
