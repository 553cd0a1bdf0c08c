// The MCP server over stdio: `node dist/mcp-server.js` (VS Code's MCP support) or `mcp-architect serve`.
// stdout carries only JSON-RPC; every log line goes to stderr.
import { SERVER_NAME } from './server-name';

// The CLI lives in this bundle too; dist/cli.js is a small entry that loads it from here (one copy of the engine).
export { runCli } from '../cli/cli';
export { isLintWorker, loadTypeScript, serveLintWorker } from '../cli/lint/parallel';

/**
 * Serves MCP over stdio. The server's modules (the SDK, the tools' zod schemas) are loaded only now: the bundle
 * reaches them through a dynamic import, which esbuild turns into a lazy initialiser, so a CLI run (`lint`,
 * `--version`) does not build them.
 */
export async function serveStdio(): Promise<void> {
  return (await import('./serve-stdio')).serveStdio();
}

if (require.main === module) {
  serveStdio().catch(error => {
    process.stderr.write(`[${SERVER_NAME}] failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
