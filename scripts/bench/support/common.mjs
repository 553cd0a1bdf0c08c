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

/**
 * Source text for a benchmark's child script: `threadCpuMs()`, the CPU time in ms of the thread that runs the
 * analysis (the main thread), read from /proc on Linux (nanoseconds), and `threadClock`, 'thread' when it is that
 * or 'process' where /proc cannot tell and the process's CPU time stands in. The process's time also counts V8's
 * helper threads (garbage collection, the optimizing compiler), which run beside the analysis on other cores
 * and do not delay its result; `processCpuMs()` gives that for the figures shown beside.
 */
export const CHILD_CPU_CLOCKS = `
const processCpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const threadStatFile = '/proc/self/task/' + process.pid + '/schedstat';
const readThreadNs = () => Number(require('node:fs').readFileSync(threadStatFile, 'utf8').split(' ')[0]);
const threadClock = (() => { try { return Number.isFinite(readThreadNs()) ? 'thread' : 'process'; } catch { return 'process'; } })();
const threadCpuMs = threadClock === 'thread' ? () => readThreadNs() / 1e6 : processCpuMs;
`;
