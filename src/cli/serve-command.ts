// `mcp-architect serve`: the bundled MCP server over stdio, for clients outside VS Code.
import * as path from 'node:path';
import { UsageError, type CliCommand } from './command';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Run the MCP server over stdio (persona, playbooks, analyzer tools)',
  usage: 'Usage: mcp-architect serve\n\nRuns the MCP server on stdin/stdout. stdout carries only JSON-RPC; logs go to stderr.\n',
  async run(args) {
    if (args.length > 0) throw new UsageError(`serve takes no arguments (got ${args.join(' ')})`);
    // The server is its own bundle next to this one; loading it here keeps one copy of the SDK in the package.
    const server = require(path.join(__dirname, 'mcp-server.js')) as { serveStdio(): Promise<void> };
    await server.serveStdio();
    // Keep running until the transport closes; the server exits the process itself on shutdown.
    return new Promise<number>(() => undefined);
  },
};
