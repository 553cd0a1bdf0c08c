import * as assert from 'node:assert/strict';
import { MCP_STDIO_HEADER, expectFires, expectFixWorks, expectQuiet, findingsOf } from '../helpers/rules';

const ID = 'missing-graceful-shutdown';
const HTTP_HEADER =
  "import express from 'express';\nimport { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nimport { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';\n";
const HTTP_ROUTE = `const app = express();\napp.use(express.json());\napp.post('/mcp', async (req, res) => {\n  const server = new McpServer({ name: 'demo', version: '1.0.0' });\n  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });\n  res.on('close', () => { void transport.close(); void server.close(); });\n  await server.connect(transport);\n  await transport.handleRequest(req, res, req.body);\n});\n`;

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it('once, at the connect call of a stdio server started in main()', () => {
      const code = `${MCP_STDIO_HEADER}const server = new McpServer({ name: 'demo', version: '1.0.0' });\nasync function main() {\n  const transport = new StdioServerTransport();\n  await server.connect(transport);\n  await server.connect(transport);\n}\nmain().catch((error) => { console.error(error); process.exit(1); });\n`;
      const [f] = expectFires(ID, code);
      assert.equal(code.slice(f.start, f.end), 'server.connect(transport)');
      assert.match(f.message, /`server\.connect\(\)` starts a long-running MCP server/);
    });
    it('at app.listen of an HTTP server whose connect calls are per request', () => {
      const code = `${HTTP_HEADER}${HTTP_ROUTE}app.listen(3000, () => console.error('listening'));\n`;
      const [f] = expectFires(ID, code);
      assert.match(code.slice(f.start, f.end), /^app\.listen\(3000/);
    });
    it('on a FastMCP start() and on a CommonJS server with a low-level Server', () => {
      expectFires(ID, `import { FastMCP } from 'fastmcp';\nconst server = new FastMCP({ name: 'f', version: '1.0.0' });\nawait server.start({ transportType: 'stdio' });\n`, 1, 'server.mts');
      expectFires(
        ID,
        `const { Server } = require('@modelcontextprotocol/sdk/server/index.js');\nconst { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js');\nconst server = new Server({ name: 'demo', version: '1.0.0' }, { capabilities: {} });\nserver.connect(new StdioServerTransport()).catch(console.error);\n`,
        1,
        'server.js',
      );
    });
  });

  describe('stays quiet', () => {
    it('when the file handles SIGTERM or SIGINT (the playbook pattern)', () => {
      expectQuiet(
        ID,
        `${MCP_STDIO_HEADER}const server = new McpServer({ name: 'demo', version: '1.0.0' });\nawait server.connect(new StdioServerTransport());\nprocess.on('SIGTERM', async () => { await server.close(); process.exit(0); });\n`,
        'server.mts',
      );
      expectQuiet(ID, `${HTTP_HEADER}${HTTP_ROUTE}const httpServer = app.listen(3000);\nfor (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => httpServer.close());\n`);
    });
    it('when a shutdown library or helper takes care of it', () => {
      expectQuiet(ID, `${MCP_STDIO_HEADER}declare function registerShutdownHooks(s: McpServer): void;\nconst server = new McpServer({ name: 'demo', version: '1.0.0' });\nregisterShutdownHooks(server);\nserver.connect(new StdioServerTransport()).catch(console.error);\n`);
    });
    it('for a file that only builds the server, and for a serverless handler that connects per request', () => {
      expectQuiet(ID, `${MCP_STDIO_HEADER}export function createServer() {\n  const server = new McpServer({ name: 'demo', version: '1.0.0' });\n  server.registerTool('ping', {}, async () => ({ content: [{ type: 'text', text: 'pong' }] }));\n  return server;\n}\n`);
      expectQuiet(
        ID,
        `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nimport { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';\nexport default {\n  async fetch(request: Request): Promise<Response> {\n    const server = new McpServer({ name: 'edge', version: '1.0.0' });\n    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });\n    await server.connect(transport);\n    return transport.handleRequest(request);\n  },\n};\nexport const handler = (request: Request) => Promise.resolve(request).then(async (r) => { const s = new McpServer({ name: 'x', version: '1' }); await s.connect(new WebStandardStreamableHTTPServerTransport()); return r; });\n`,
      );
    });
  });

  describe('fix', () => {
    it('closes the MCP server on SIGINT and SIGTERM, right after connect', () => {
      const fixed = expectFixWorks(
        ID,
        `${MCP_STDIO_HEADER}async function main() {\n  const server = new McpServer({ name: 'demo', version: '1.0.0' });\n  await server.connect(new StdioServerTransport());\n}\nmain().catch((error) => { console.error(error); process.exit(1); });\n`,
      );
      assert.match(fixed, /await server\.connect\(new StdioServerTransport\(\)\);\n  \/\/ Shut down cleanly[^\n]*\n  for \(const signal of \['SIGINT', 'SIGTERM'\]\) \{\n    process\.once\(signal, async \(\) => \{\n      try \{\n        await server\.close\(\);\n        process\.exit\(0\);/);
    });
    it('names the HTTP server returned by listen() and drains it with a time limit', () => {
      const fixed = expectFixWorks(ID, `${HTTP_HEADER}${HTTP_ROUTE}app.listen(3000, () => console.error('listening'));\n`);
      assert.match(fixed, /const httpServer = app\.listen\(3000/);
      assert.match(fixed, /httpServer\.close\(\(\) => process\.exit\(0\)\);\n    setTimeout\(\(\) => process\.exit\(0\), 5_000\)\.unref\(\);/);
    });
    it('reuses an existing listen() variable, stops a FastMCP server, and works in CommonJS', () => {
      const http = expectFixWorks(ID, `${HTTP_HEADER}${HTTP_ROUTE}const web = app.listen(3000);\nexport { web };\n`);
      assert.match(http, /web\.close\(/);
      const fast = expectFixWorks(ID, `import { FastMCP } from 'fastmcp';\nconst server = new FastMCP({ name: 'f', version: '1.0.0' });\nserver.start({ transportType: 'stdio' }).catch(console.error);\n`);
      assert.match(fast, /await server\.stop\(\);/);
      expectFixWorks(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js');\nconst server = new McpServer({ name: 'demo', version: '1.0.0' });\nserver.connect(new StdioServerTransport()).catch(console.error);\n`,
        'server.js',
      );
    });
    it('offers no fix when listen() runs inside a callback', () => {
      const [f] = findingsOf(ID, `${HTTP_HEADER}${HTTP_ROUTE}Promise.resolve().then(() => app.listen(3000));\n`);
      assert.ok(f);
      assert.equal(f.fixes.length, 0);
    });
  });
});
