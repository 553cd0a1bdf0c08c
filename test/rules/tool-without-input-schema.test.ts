import * as assert from 'node:assert/strict';
import { MCP_HEADER, expectFires, expectFixWorks, expectQuiet, findingsOf } from '../helpers/rules';

const ID = 'tool-without-input-schema';
const SERVER = `${MCP_HEADER}import { z } from 'zod';\nconst server = new McpServer({ name: 'files', version: '1.0.0' });\n`;
const LOW_LEVEL = `import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ListToolsRequestSchema, CallToolRequestSchema } from '@modelcontextprotocol/sdk/types.js';
const server = new Server({ name: 'files', version: '1.0.0' }, { capabilities: { tools: {} } });
`;

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it('on schema-less tools whose handler reads arguments it never declared (the SDK passes only `extra`)', () => {
      const found = expectFires(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const server = new McpServer({ name: 'files', version: '1.0.0' });
server.tool('read_file', 'Read a file', async ({ path, encoding }) => ({ content: [{ type: 'text', text: require('fs').readFileSync(path, encoding) }] }));
server.registerTool('stat', { description: 'Stat a file' }, async args => ({ content: [{ type: 'text', text: String(args.path) }] }));
server.registerTool('whoami', { description: 'Session' }, async (_args, extra) => ({ content: [{ type: 'text', text: String(extra.sessionId) }] }));
`,
        3,
        'server.js',
      );
      assert.match(found[0].message, /`tool\('read_file'\)` is registered without a schema, so the SDK validates nothing and calls the handler with `extra` only: `path` and `encoding` are undefined/);
      assert.match(found[2].message, /`_args` receives the request context and `extra` is undefined/);
    });

    it('on schemas and fields that accept anything', () => {
      const found = expectFires(
        ID,
        `${SERVER}const Anything = z.object({}).passthrough();
server.registerTool('run', { inputSchema: z.any() }, async args => ({ content: [{ type: 'text', text: JSON.stringify(args) }] }));
server.registerTool('loose', { inputSchema: Anything }, async args => ({ content: [{ type: 'text', text: JSON.stringify(args) }] }));
server.registerTool('query', { inputSchema: { sql: z.string(), params: z.record(z.string(), z.unknown()).optional() } }, async ({ sql }) => ({ content: [{ type: 'text', text: sql }] }));
server.tool('patch', { doc: z.any().describe('the new document') }, async ({ doc }) => ({ content: [{ type: 'text', text: String(doc) }] }));
`,
        4,
      );
      assert.match(found[0].message, /The inputSchema of tool 'run' is `z\.any\(\)`: it accepts any arguments/);
      assert.match(found[1].message, /is `z\.object\(\{\}\)\.passthrough\(\)`/);
      assert.match(found[2].message, /Argument `params` of tool 'query' is `z\.record\(z\.string\(\), z\.unknown\(\)\)`/);
    });

    it('on low-level tools/list JSON Schemas that declare nothing, and FastMCP tools without parameters', () => {
      expectFires(
        ID,
        `${LOW_LEVEL}server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    { name: 'exec', description: 'Run a query', inputSchema: { type: 'object' } },
    { name: 'search', description: 'Search', inputSchema: { type: 'object', properties: { q: { type: 'string' }, filters: {} } } },
  ],
}));
server.setRequestHandler(CallToolRequestSchema, async req => ({ content: [{ type: 'text', text: JSON.stringify(req.params.arguments) }] }));
`,
        2,
      );
      expectFires(
        ID,
        `import { FastMCP } from 'fastmcp';
const server = new FastMCP({ name: 'files', version: '1.0.0' });
server.addTool({ name: 'read', description: 'Read a file', execute: async (args: any) => String(args.path) });
`,
      );
    });
  });

  describe('stays quiet', () => {
    it('for typed schemas (the playbook pattern), including Zod objects and FastMCP parameters', () => {
      expectQuiet(
        ID,
        `${SERVER}import { FastMCP } from 'fastmcp';
server.registerTool('read_file', { inputSchema: { path: z.string(), encoding: z.enum(['utf8', 'base64']).default('utf8') } }, async ({ path }) => ({ content: [{ type: 'text', text: path }] }));
server.registerTool('query', { inputSchema: z.object({ sql: z.string(), params: z.array(z.union([z.string(), z.number()])) }) }, async ({ sql }) => ({ content: [{ type: 'text', text: sql }] }));
server.tool('patch', 'Patch', { doc: z.object({ title: z.string() }).passthrough() }, async ({ doc }) => ({ content: [{ type: 'text', text: doc.title }] }));
const fast = new FastMCP({ name: 'f', version: '1.0.0' });
fast.addTool({ name: 'echo', parameters: z.object({ text: z.string() }), execute: async ({ text }) => text });
`,
      );
    });

    it('for tools without arguments: no schema and a handler that reads none, an empty shape, a refined catch-all', () => {
      expectQuiet(
        ID,
        `${SERVER}import { FastMCP } from 'fastmcp';
server.tool('ping', async () => ({ content: [{ type: 'text', text: 'pong' }] }));
server.tool('time', 'Current time', async ({ signal }) => ({ content: [{ type: 'text', text: String(signal.aborted) }] }));
server.registerTool('session', { description: 'Session id' }, async extra => ({ content: [{ type: 'text', text: String(extra.sessionId) }] }));
server.registerTool('health', { inputSchema: {} }, async () => ({ content: [{ type: 'text', text: 'ok' }] }));
server.registerTool('json', { inputSchema: { doc: z.unknown().refine(v => typeof v === 'object') } }, async () => ({ content: [] }));
server.tool('ro', { readOnlyHint: true }, async () => ({ content: [] }));
const fast = new FastMCP({ name: 'f', version: '1.0.0' });
fast.addTool({ name: 'now', execute: async (_args, { log }) => { log.info('now'); return new Date().toISOString(); } });
`,
      );
    });

    it('for low-level schemas that declare properties or no arguments, and other setRequestHandler calls', () => {
      expectQuiet(
        ID,
        `${LOW_LEVEL}server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    { name: 'ping', description: 'Ping', inputSchema: { type: 'object', properties: {} } },
    { name: 'count', description: 'Count', inputSchema: { type: 'object', properties: {}, additionalProperties: false } },
    { name: 'search', description: 'Search', inputSchema: { type: 'object', properties: { q: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } }, required: ['q'] } },
  ],
}));
`,
      );
    });
  });

  describe('fix', () => {
    it('declares an empty schema for a registerTool handler written as (_args, extra)', () => {
      const fixed = expectFixWorks(
        ID,
        `${SERVER}server.registerTool('whoami', { description: 'Current session' }, async (_args, extra) => ({
  content: [{ type: 'text', text: String(extra.sessionId) }],
}));
`,
      );
      assert.match(fixed, /\{ description: 'Current session', inputSchema: \{\} \}/);
    });

    it('inserts an empty shape into a tool() call', () => {
      const fixed = expectFixWorks(
        ID,
        `${SERVER}server.tool('whoami', 'Current session', async (_args, extra) => ({ content: [{ type: 'text', text: String(extra.sessionId) }] }));
`,
      );
      assert.match(fixed, /server\.tool\('whoami', 'Current session', \{\}, async \(_args, extra\)/);
    });

    it('offers none when the handler reads its arguments or the schema accepts anything', () => {
      const found = findingsOf(
        ID,
        `${SERVER}server.registerTool('stat', { description: 'Stat' }, async (args: any, extra) => ({ content: [{ type: 'text', text: String(args.path) + extra.sessionId }] }));
server.registerTool('run', { inputSchema: z.any() }, async () => ({ content: [] }));
`,
      );
      assert.equal(found.length, 2);
      assert.deepEqual(found.map(f => f.fixes.length), [0, 0]);
    });
  });
});
