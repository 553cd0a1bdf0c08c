// The MCP server over stdio, started by `serveStdio` in main.ts: the transport, TypeScript, the Python parser, the
// playbooks and rule pages, and shutdown on a signal or when stdin closes.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { enableCompileCache } from '../cli/code-cache';
import { loadTypeScript } from '../cli/lint/parallel';
import { VERSION } from '../cli/version';
import { PythonAnalysis } from '../core/python/service';
import { createServer } from './server';
import { SERVER_NAME } from './server-name';
import { findAssetRoot, loadServerData } from './server-data';

export async function serveStdio(): Promise<void> {
  const log = (m: string) => process.stderr.write(`[${SERVER_NAME}] ${m}\n`);
  enableCompileCache();
  const ts = loadTypeScript();
  // Python files are analysed with tree-sitter's WebAssembly, found next to this bundle (dist/).
  const python = new PythonAnalysis([__dirname]);
  const data = loadServerData(findAssetRoot(__dirname), {
    analyzePython: (fileName, text, project) => python.analyze(fileName, text, { scope: 'all', project, onRuleError: (id, e) => log(`rule ${id} failed: ${String(e)}`) }),
    pythonFacts: (fileName, text) => python.facts(fileName, text),
  });
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

