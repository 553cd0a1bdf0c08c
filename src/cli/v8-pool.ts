// `lint` on a machine with few cores runs in a Node started with a smaller V8 thread pool. Node gives V8 four
// background threads (garbage collection, concurrent compilation) whatever the machine; on two cores they keep
// taking the core the linting thread needs, which then waits its turn (measured on 2 cores, 1,000 files: 1.46 s
// with the default pool, 1.26 s with one thread). The pool size is fixed when Node starts, so the command is
// started again, once, with `--v8-pool-size`; the cost is one more Node start-up (about 50 ms).
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';

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
 * Runs this command again in a Node with the pool size `lintPoolSize` gives, the same arguments, standard streams
 * and environment; returns its exit code, or undefined when it is not relaunched (or could not be started, and the
 * command then runs here). A relaunched process that dies of a signal takes this one with it by the same signal.
 */
export function relaunchLint(script: string, args: readonly string[]): number | undefined {
  if (process.env[RELAUNCHED_ENV] !== undefined) return undefined;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const size = lintPoolSize(cores, process.execArgv, process.env.NODE_OPTIONS);
  if (size === undefined) return undefined;
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
