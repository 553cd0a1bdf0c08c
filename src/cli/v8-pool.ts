// `lint` on a machine with few cores runs in a Node started with a smaller V8 thread pool. Node gives V8 four
// background threads (garbage collection, concurrent compilation) whatever the machine; on two cores they keep
// taking the core the linting thread needs, which then waits its turn (measured on 2 cores, 1,000 files: 1.46 s
// with the default pool, 1.26 s with one thread). The pool size is fixed when Node starts, so the command is
// started again, once, with `--v8-pool-size`; the cost is one more Node start-up (50 to 130 ms), which a short run,
// such as most MCP servers' code, a pre-commit hook's changed files or a run from the lint cache, does not win back.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { LINT_ARGUMENTS } from './lint/arguments';
import { cacheFileFor } from './lint/cache';
import { ALWAYS_SKIPPED_DIRECTORIES, isLintableFile } from './lint/lintable';

/** Set in the environment of the relaunched process, so that it does not relaunch again. */
export const RELAUNCHED_ENV = 'MCP_ARCHITECT_V8_POOL';
/** Node's default pool: machines with more cores than this keep it. */
const NODE_DEFAULT_POOL = 4;

/**
 * The V8 pool size to run `lint` with on a machine of `cores` cores, or undefined to keep this process's: one
 * thread fewer than the cores (one is the linting thread's), and never when the pool was chosen already, on the
 * command line or in NODE_OPTIONS, or under a debugger.
 */
export function lintPoolSize(cores: number, execArgv: readonly string[], nodeOptions: string | undefined): number | undefined {
  const size = Math.max(1, cores - 1);
  if (size >= NODE_DEFAULT_POOL - 1) return undefined; // 4 cores and more: Node's pool fits
  const options = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  if (options.some(a => a === '--v8-pool-size' || a.startsWith('--v8-pool-size='))) return undefined;
  // Under a debugger the command stays in the process being debugged (a second one would want the same port).
  if (options.some(a => /^--inspect(-brk|-port|-wait)?(=|$)/.test(a))) return undefined;
  return size;
}

/**
 * Up to this much source `lint` runs where it was started: measured on 2 cores, 100 files (190 KB) took 86 ms longer
 * relaunched and 300 files (570 KB) 75 ms less.
 */
export const SMALL_LINT_BYTES = 256 * 1024;
/** Directory entries read, at most, to size the code under the given directories; a tree with more counts as large. */
export const SIZE_WALK_MAX_ENTRIES = 5_000;

/**
 * True when `lint` will do little work: the files it would read come to SMALL_LINT_BYTES or less (most MCP servers,
 * and a pre-commit hook's changed files); or `--cache` has a cache file to reuse results from, so that only changed
 * files are parsed (1,000 unchanged files: 0.61 s relaunched, 0.47 s not); or the command will only print a
 * message (arguments it rejects, a path it cannot read).
 */
export function isShortLint(args: readonly string[], cwd: string): boolean {
  let positionals: string[];
  let values: { cache?: boolean; 'cache-location'?: string };
  try {
    ({ positionals, values } = parseArgs({ args: [...args], allowPositionals: true, strict: true, options: LINT_ARGUMENTS }));
  } catch {
    return true;
  }
  if (values.cache === true && fs.existsSync(cacheFileFor(values['cache-location'], cwd))) return true;
  return sourceBytesWithin(positionals.length > 0 ? positionals : ['.'], cwd, SMALL_LINT_BYTES);
}

/**
 * True when the files `lint` would read under `paths` come to `limit` bytes or less. They are found as `lint` finds
 * them, but without reading .gitignore files, which could only make the tree smaller: a large tree is never taken for
 * a small one. Stops once past `limit`, or after SIZE_WALK_MAX_ENTRIES directory entries. A path that cannot be read
 * counts as small: the command stops at it with a message.
 */
function sourceBytesWithin(paths: readonly string[], cwd: string, limit: number): boolean {
  let bytes = 0;
  let entries = 0;
  const directories: string[] = [];
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(path.resolve(cwd, given));
    } catch {
      return true;
    }
    if (stat.isDirectory()) directories.push(path.resolve(cwd, given));
    else if (stat.isFile()) bytes += stat.size;
    else return true;
    if (bytes > limit) return false;
  }
  for (let dir = directories.pop(); dir !== undefined; dir = directories.pop()) {
    let list: fs.Dirent[];
    try {
      list = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return true;
    }
    entries += list.length;
    if (entries > SIZE_WALK_MAX_ENTRIES) return false;
    for (const entry of list) {
      if (entry.isDirectory()) {
        if (!ALWAYS_SKIPPED_DIRECTORIES.has(entry.name)) directories.push(path.join(dir, entry.name));
      } else if ((entry.isFile() || entry.isSymbolicLink()) && isLintableFile(entry.name)) {
        try {
          bytes += fs.statSync(path.join(dir, entry.name)).size;
        } catch {
          // a dangling link, which lint skips too
        }
        if (bytes > limit) return false;
      }
    }
  }
  return true;
}

/**
 * Runs this command again in a Node with the pool size `lintPoolSize` gives, the same arguments, standard streams
 * and environment; returns its exit code, or undefined when it is not relaunched (or could not be started, and the
 * command then runs here). A relaunched process that dies of a signal takes this one with it by the same signal.
 */
export function relaunchLint(script: string, args: readonly string[]): number | undefined {
  if (process.env[RELAUNCHED_ENV] !== undefined) return undefined;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const size = lintPoolSize(cores, process.execArgv, process.env.NODE_OPTIONS);
  if (size === undefined || isShortLint(args.slice(1), process.cwd())) return undefined;
  const child = spawnSync(process.execPath, [...process.execArgv, `--v8-pool-size=${size}`, script, ...args], {
    stdio: 'inherit',
    env: { ...process.env, [RELAUNCHED_ENV]: String(size) },
    windowsHide: true,
  });
  if (child.error) return undefined;
  if (child.signal) {
    process.kill(process.pid, child.signal);
    return 1;
  }
  return child.status ?? 1;
}
