// The MCP server over stdio: `node dist/mcp-server.js` (VS Code's MCP support) or `mcp-architect serve`.
// stdout carries only JSON-RPC; every log line goes to stderr.
import * as ts from 'typescript';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createServer, SERVER_NAME } from './server';
import { findAssetRoot, loadServerData } from './server-data';
import { VERSION } from '../cli/version';

export async function serveStdio(): Promise<void> {
  const log = (m: string) => process.stderr.write(`[${SERVER_NAME}] ${m}\n`);
  const data = loadServerData(findAssetRoot(__dirname));
  const server = createServer({ ts, data, version: VERSION, log });
  const transport = new StdioServerTransport();
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log(`${signal}: closing`);
    await server.close().catch(error => log(`close failed: ${String(error)}`));
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.stdin.once('end', () => void shutdown('stdin closed'));
  await server.connect(transport);
  log(`ready (version ${VERSION}, ${data.playbooks.length} playbooks, ${data.ruleDocs.size} rule pages)`);
}

if (require.main === module) {
  serveStdio().catch(error => {
    process.stderr.write(`[${SERVER_NAME}] failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
