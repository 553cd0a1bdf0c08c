// Entry of the `mcp-architect` command (bundled to dist/cli.js, started by bin/mcp-architect.js).
import { runCli } from './cli';
import { isLintWorker, loadTypeScript, serveLintWorker } from './lint/parallel';
import { CLI_NAME } from './version';

function useColor(): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined) return process.env.FORCE_COLOR !== '0' && process.env.FORCE_COLOR !== 'false';
  return process.stdout.isTTY === true;
}

function main(): Promise<number> {
  return runCli(process.argv.slice(2), {
    stdout: text => void process.stdout.write(text),
    stderr: text => void process.stderr.write(text),
    cwd: process.cwd(),
    color: useColor(),
    workerScript: __filename,
  });
}

if (isLintWorker()) {
  // This bundle, started again by `lint` as a worker thread.
  serveLintWorker(loadTypeScript());
} else {
  main().then(
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
