// What the benchmark modules share: medians, rounding, and running one module on its own from the command line.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function round(n) {
  return Math.round(n * 100) / 100;
}

/**
 * When the module at `moduleUrl` is the script Node was started with (`node scripts/bench/x.mjs --runs 3`): runs
 * `run` with the numeric `--name N` options among `optionNames`, and prints its rows. Resolves to the rows, or to
 * undefined when the module was imported (by scripts/bench.mjs).
 */
export async function runStandalone(moduleUrl, run, optionNames = []) {
  if (!process.argv[1] || fileURLToPath(moduleUrl) !== path.resolve(process.argv[1])) return undefined;
  const options = {};
  for (const name of optionNames) {
    const i = process.argv.indexOf(`--${name}`);
    if (i !== -1) options[name] = Number(process.argv[i + 1]);
  }
  const rows = await run(options);
  for (const r of rows) console.log(`${r.name}: ${r.value} ${r.unit}${r.target !== undefined ? ` (target <= ${r.target} ${r.unit})` : ''}`);
  return rows;
}
