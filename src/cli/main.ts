// Entry of the `mcp-architect` command (bundled to dist/cli.js, started by bin/mcp-architect.js). The CLI itself
// lives in dist/mcp-server.js (one copy of the engine, SDK and zod in the package), loaded through the code cache.
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { isMainThread } from 'node:worker_threads';
import { enableCompileCache, requireBundle } from './code-cache';
import { relaunchLint } from './v8-pool';
import { CLI_NAME } from './version';

type ServerBundle = typeof import('../mcp-server/main');

function useColor(): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined) return process.env.FORCE_COLOR !== '0' && process.env.FORCE_COLOR !== 'false';
  return process.stdout.isTTY === true;
}

const args = process.argv.slice(2);
// A worker thread of `lint` runs this script too: only the command itself is relaunched.
const relaunched = isMainThread && args[0] === 'lint' ? relaunchLint(__filename, args) : undefined;
if (relaunched !== undefined) {
  process.exitCode = relaunched;
} else {
  // Linting makes a syntax tree per file and drops it a moment later. V8's allocation-site pretenuring takes trees
  // that outlive a few collections for long-lived and allocates the next ones in the old generation, where dead
  // trees then keep young ones alive until a full collection: measured, twice the scavenge time (227 ms against
  // 123 ms for 1,000 files). Set before any bundle is loaded, so the code cache is made and read under the same flags.
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
  enableCompileCache();
  const bundle = requireBundle<ServerBundle>(path.join(__dirname, 'mcp-server.js'));

  if (bundle.isLintWorker()) {
    // This script, started again by `lint` as a worker thread.
    bundle.serveLintWorker(bundle.loadTypeScript());
  } else {
    bundle
      .runCli(args, {
        stdout: text => void process.stdout.write(text),
        stderr: text => void process.stderr.write(text),
        cwd: process.cwd(),
        color: useColor(),
        workerScript: __filename,
      })
      .then(
        code => {
          // exitCode (not process.exit) lets a large report finish flushing into a pipe.
          process.exitCode = code;
        },
        (error: unknown) => {
          process.stderr.write(`${CLI_NAME}: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
          process.exitCode = 2;
        },
      );
  }
}
