// `npm run bench [-- name-filter...]`: builds the bundles, then runs every scripts/bench/*.mjs module's exported
// `async run()` and prints its figures as one table, with whether each meets its target. Their shared helpers
// live in scripts/bench/support/.
//
// A benchmark module returns rows `{ name, value, unit, target? }`: `target` is a number the value must not exceed
// (lower is better), or `{ max }` / `{ min }`. Exit code 1 when a target is missed or a benchmark fails.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, 'scripts', 'bench');
const filters = process.argv.slice(2).filter(a => !a.startsWith('-'));

const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('bench: the build failed');
  process.exit(1);
}

const modules = fs
  .readdirSync(benchDir)
  .filter(f => f.endsWith('.mjs'))
  .filter(f => filters.length === 0 || filters.some(q => f.includes(q)))
  .sort();
if (modules.length === 0) {
  console.error(`bench: no benchmark in scripts/bench matches ${filters.join(', ')}`);
  process.exit(2);
}

/** @param {{ value: number, target?: number | { max?: number, min?: number } }} row */
function verdict(row) {
  const t = row.target;
  if (t === undefined || t === null) return { text: '', met: true };
  const max = typeof t === 'number' ? t : t.max;
  const min = typeof t === 'number' ? undefined : t.min;
  const met = (max === undefined || row.value <= max) && (min === undefined || row.value >= min);
  const bound = [min !== undefined ? `>= ${min}` : '', max !== undefined ? `<= ${max}` : ''].filter(Boolean).join(' and ');
  return { text: bound, met };
}

const rows = [];
let failed = false;
for (const file of modules) {
  const started = Date.now();
  process.stderr.write(`bench: ${file} ...\n`);
  try {
    const mod = await import(pathToFileURL(path.join(benchDir, file)).href);
    if (typeof mod.run !== 'function') throw new Error('exports no run()');
    for (const row of await mod.run()) rows.push({ file, ...row });
    process.stderr.write(`bench: ${file} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (error) {
    failed = true;
    rows.push({ file, name: `${file} failed: ${error instanceof Error ? error.message : String(error)}`, value: NaN, unit: '' });
    console.error(error);
  }
}

const formatValue = v => (Number.isNaN(v) ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2));
const table = rows.map(r => {
  const v = verdict(r);
  if (!v.met) failed = true;
  return [r.name, formatValue(r.value), r.unit, v.text ? `${v.text} ${r.unit}`.trim() : '', v.text ? (v.met ? 'met' : 'MISSED') : Number.isNaN(r.value) ? 'FAILED' : ''];
});
const header = ['Benchmark', 'Value', 'Unit', 'Target', 'Result'];
const widths = header.map((h, i) => Math.max(h.length, ...table.map(row => row[i].length)));
const line = cells => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
console.log(`\n${line(header)}\n${widths.map(w => '-'.repeat(w)).join('  ')}`);
for (const row of table) console.log(line(row));
process.exit(failed ? 1 : 0);
