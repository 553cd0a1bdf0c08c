import * as assert from 'node:assert/strict';
import { analyzeWithChecker } from '../helpers/checked-analysis';
import { MCP_HEADER, expectFires, expectFixWorks, expectQuiet, findingsOf } from '../helpers/rules';

const ID = 'unbounded-cache';
const SERVER = `${MCP_HEADER}import { z } from 'zod';\nconst server = new McpServer({ name: 'demo', version: '1.0.0' });\n`;
const USER = `interface User { id: string; name: string }\ndeclare function loadUser(id: string): Promise<User>;\n`;

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it('on a module-level Map that an MCP tool handler fills', () => {
      const [f] = expectFires(
        ID,
        `${SERVER}const lastResults = new Map<string, string>();\nserver.registerTool('search', { inputSchema: { q: z.string() } }, async ({ q }) => {\n  const text = q.toUpperCase();\n  lastResults.set(q, text);\n  return { content: [{ type: 'text', text }] };\n});\n`,
      );
      assert.match(f.message, /`lastResults` is a module-level Map that grows in an MCP handler \(`lastResults\.set` at line 7\)/);
      assert.equal(f.fixes.length, 0, 'a Map not named as a cache gets no LRU replacement');
    });
    it('on a memo cache in an exported helper (read-through: get, then set on a miss)', () => {
      const [f] = expectFires(
        ID,
        `${MCP_HEADER}${USER}const users = new Map<string, User>();\nexport async function getUser(id: string): Promise<User> {\n  const hit = users.get(id);\n  if (hit) return hit;\n  const user = await loadUser(id);\n  users.set(id, user);\n  return user;\n}\n`,
      );
      assert.match(f.message, /grows on every miss in `getUser`/);
    });
    it('on the HTTP session map of a Streamable HTTP server that never deletes closed sessions', () => {
      expectFires(
        ID,
        `${MCP_HEADER}import express from 'express';\nimport { randomUUID } from 'node:crypto';\nimport { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';\n` +
          `const transports: Record<string, StreamableHTTPServerTransport> = {};\nconst app = express();\n` +
          `app.post('/mcp', async (req, res) => {\n  const transport = new StreamableHTTPServerTransport({\n    sessionIdGenerator: () => randomUUID(),\n    onsessioninitialized: id => { transports[id] = transport; },\n  });\n  await transport.handleRequest(req, res, req.body);\n});\n`,
      );
    });
    it('on instance-level state: a constructor-created Set grown by a method that a handler calls', () => {
      expectFires(
        ID,
        `${MCP_HEADER}import { z } from 'zod';\nexport class AuditServer {\n  private readonly server = new McpServer({ name: 'a', version: '1' });\n  private readonly seenClients: Set<string>;\n  constructor() {\n    this.seenClients = new Set();\n    this.server.registerTool('hello', { inputSchema: { client: z.string() } }, async ({ client }) => {\n      this.remember(client);\n      return { content: [{ type: 'text', text: 'hi' }] };\n    });\n  }\n  private remember(client: string) { this.seenClients.add(client); }\n}\n`,
      );
    });
    it('on a closure-level history array that a handler registered in a factory pushes to', () => {
      expectFires(
        ID,
        `${MCP_HEADER}import { z } from 'zod';\nexport function createServer() {\n  const server = new McpServer({ name: 'a', version: '1' });\n  const history: string[] = [];\n  server.registerTool('echo', { inputSchema: { text: z.string() } }, async ({ text }) => {\n    history.push(text);\n    return { content: [{ type: 'text', text }] };\n  });\n  return server;\n}\n`,
      );
    });
    it('on a CommonJS object cache keyed by input (server.js)', () => {
      expectFires(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst pageCache = {};\nasync function getPage(url) {\n  if (pageCache[url]) return pageCache[url];\n  const res = await fetch(url, { signal: AbortSignal.timeout(30000) });\n  pageCache[url] = await res.text();\n  return pageCache[url];\n}\nmodule.exports = { getPage, McpServer };\n`,
        1,
        'server.js',
      );
    });
    it('on LRU caches built without a bound, and on node-cache without stdTTL', () => {
      const found = expectFires(
        ID,
        `${MCP_HEADER}import { LRUCache } from 'lru-cache';\nimport NodeCache from 'node-cache';\nexport const a = new LRUCache<string, string>({ ttl: 60_000 });\nexport const b = new LRUCache<string, string>({ max: 0 });\nexport const c = new NodeCache();\nexport const d = new NodeCache({ stdTTL: 0, useClones: false });\n`,
        4,
      );
      assert.match(found[0].message, /`ttl` alone only marks entries stale/);
    });
    it('on a legacy lru-cache constructed with no options (CommonJS)', () => {
      expectFires(ID, `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst LRU = require('lru-cache');\nconst cache = new LRU();\nmodule.exports = { cache, McpServer };\n`, 1, 'server.js');
    });
  });

  describe('stays quiet', () => {
    it('when the session map deletes on close (the SDK pattern)', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}import express from 'express';\nimport { randomUUID } from 'node:crypto';\nimport { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';\n` +
          `const transports: Record<string, StreamableHTTPServerTransport> = {};\nconst app = express();\n` +
          `app.post('/mcp', async (req, res) => {\n  const transport = new StreamableHTTPServerTransport({\n    sessionIdGenerator: () => randomUUID(),\n    onsessioninitialized: id => { transports[id] = transport; },\n  });\n  transport.onclose = () => { if (transport.sessionId) delete transports[transport.sessionId]; };\n  await transport.handleRequest(req, res, req.body);\n});\n`,
      );
    });
    it('when the cache is bounded: a size check with eviction, or an LRUCache with max / ttl + ttlAutopurge (the playbook pattern)', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}import { LRUCache } from 'lru-cache';\nimport QuickLRU from 'quick-lru';\n${USER}const users = new Map<string, User>();\nexport async function getUser(id: string) {\n  const hit = users.get(id);\n  if (hit) return hit;\n  const user = await loadUser(id);\n  if (users.size >= 1000) users.delete(users.keys().next().value!);\n  users.set(id, user);\n  return user;\n}\n` +
          `export const resources = new LRUCache<string, string>({ max: 1000, ttl: 300_000 });\nexport const tokens = new LRUCache<string, string>({ ttl: 60_000, ttlAutopurge: true });\nexport const quick = new QuickLRU<string, number>({ maxSize: 100 });\n`,
      );
    });
    it('for a registry filled only at start-up', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}type Handler = (input: unknown) => Promise<string>;\nconst toolCache = new Map<string, Handler>();\nfunction define(name: string, run: Handler) { toolCache.set(name, run); }\ndefine('a', async () => 'a');\ndefine('b', async () => 'b');\nexport function lookup(name: string) { return toolCache.get(name); }\n`,
      );
    });
    it('for collections that live only for one request or one call', () => {
      expectQuiet(
        ID,
        `${SERVER}class RequestTrace { private readonly stepCache: string[] = []; add(s: string) { this.stepCache.push(s); } get key() { return this.stepCache.join('/'); } }\n` +
          `server.registerTool('dedupe', { inputSchema: { items: z.array(z.string()) } }, async ({ items }) => {\n  const seen = new Set<string>();\n  const trace = new RequestTrace();\n  for (const i of items) { seen.add(i); trace.add(i); }\n  return { content: [{ type: 'text', text: [...seen].join(',') + trace.key }] };\n});\n`,
      );
    });
    it('when the collection is exported or handed to code that may evict it', () => {
      expectQuiet(
        ID,
        `${SERVER}declare function startSweeper(m: Map<string, number>): void;\nexport const hits = new Map<string, number>();\nconst lastSeen = new Map<string, number>();\nstartSweeper(lastSeen);\n` +
          `server.registerTool('ping', { inputSchema: { who: z.string() } }, async ({ who }) => {\n  hits.set(who, (hits.get(who) ?? 0) + 1);\n  lastSeen.set(who, Date.now());\n  return { content: [{ type: 'text', text: 'pong' }] };\n});\n`,
      );
    });
    it('for fixed keys, and for a dedupe set in a helper with no sign of request traffic', () => {
      expectQuiet(
        ID,
        `${SERVER}const stats = { calls: 0, errors: 0 };\nconst latest = new Map<string, number>();\nconst warned = new Set<string>();\nexport function warnOnce(code: string) { if (warned.has(code)) return; warned.add(code); process.emitWarning(code); }\n` +
          `server.registerTool('count', { inputSchema: {} }, async () => {\n  stats.calls += 1;\n  stats['errors'] = 0;\n  latest.set('calls', stats.calls);\n  return { content: [{ type: 'text', text: String(stats.calls) }] };\n});\n`,
      );
    });
    it('for get-or-create registries inside library-style classes, and records with known keys', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}interface Provider { name: string }\nexport class Providers {\n  private readonly byName = new Map<string, Provider>();\n  get(name: string): Provider {\n    let p = this.byName.get(name);\n    if (!p) { p = { name }; this.byName.set(name, p); }\n    return p;\n  }\n}\n` +
          `const sizes = { data: 0, event: 0 };\nexport function grow(field: 'data' | 'event', n: number) { sizes[field] = sizes[field] + n; }\n`,
      );
    });
    it('when the keys can take only a few values (literal unions, enums; through aliases with a type checker)', () => {
      expectQuiet(ID, `${SERVER}const byTransport = new Map<'stdio' | 'http', number>();\nserver.registerTool('t', { inputSchema: { http: z.boolean() } }, async ({ http }) => {\n  byTransport.set(http ? 'http' : 'stdio', Date.now());\n  return { content: [] };\n});\n`);
      const aliased = `type Lang = 'typescript' | 'python';\ndeclare function load(l: Lang): string[];\nconst snippetCache = new Map<Lang, string[]>();\nexport function list(l: Lang) {\n  let s = snippetCache.get(l);\n  if (!s) snippetCache.set(l, (s = load(l)));\n  return s;\n}\n`;
      assert.equal(findingsOf(ID, aliased).length, 1, 'without a checker the alias cannot be seen through');
      assert.equal(analyzeWithChecker(aliased).filter(f => f.ruleId === ID).length, 0);
    });
  });

  describe('fix', () => {
    it('bounds an LRUCache built with only a ttl, or with no usable options', () => {
      const fixed = expectFixWorks(
        ID,
        `${MCP_HEADER}import { LRUCache } from 'lru-cache';\nexport const a = new LRUCache<string, string>({ ttl: 60_000 });\nexport const b = new LRUCache<string, number>({\n  max: 0,\n  updateAgeOnGet: true,\n});\n`,
      );
      assert.match(fixed, /new LRUCache<string, string>\(\{ ttl: 60_000, max: 1000 \}\)/);
      assert.match(fixed, /max: 1000,\n  updateAgeOnGet: true/);
    });
    it('adds stdTTL to node-cache', () => {
      const fixed = expectFixWorks(ID, `${MCP_HEADER}import NodeCache from 'node-cache';\nexport const c = new NodeCache();\nexport const d = new NodeCache({ useClones: false });\n`);
      assert.match(fixed, /new NodeCache\(\{ stdTTL: 300 \}\)/);
      assert.match(fixed, /new NodeCache\(\{ useClones: false, stdTTL: 300 \}\)/);
    });
    it('replaces a memo Map with an LRUCache and imports it, keeping its types', () => {
      const fixed = expectFixWorks(
        ID,
        `${MCP_HEADER}${USER}const userCache = new Map<string, User>();\nexport async function getUser(id: string): Promise<User> {\n  if (userCache.has(id)) return userCache.get(id)!;\n  const user = await loadUser(id);\n  userCache.set(id, user);\n  return user;\n}\n`,
      );
      assert.match(fixed, /^import \{ LRUCache \} from 'lru-cache';$/m);
      assert.match(fixed, /const userCache = new LRUCache<string, User>\(\{ max: 1000, ttl: 300_000 \}\);/);
    });
    it('replaces a private Map field typed on its declaration', () => {
      const fixed = expectFixWorks(
        ID,
        `${MCP_HEADER}import { z } from 'zod';\n${USER}export class Users {\n  private readonly server = new McpServer({ name: 'u', version: '1' });\n  private cache: Map<string, User> = new Map();\n  constructor() {\n    this.server.registerTool('user', { inputSchema: { id: z.string() } }, async ({ id }) => {\n      let user = this.cache.get(id);\n      if (!user) { user = await loadUser(id); this.cache.set(id, user); }\n      return { content: [{ type: 'text', text: user.name }] };\n    });\n  }\n}\n`,
      );
      assert.match(fixed, /private cache: LRUCache<string, User> = new LRUCache<string, User>\(\{ max: 1000, ttl: 300_000 \}\);/);
    });
    it('in CommonJS, requires LRUCache', () => {
      const fixed = expectFixWorks(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst cache = new Map();\nasync function page(url) {\n  const hit = cache.get(url);\n  if (hit) return hit;\n  const text = await (await fetch(url, { signal: AbortSignal.timeout(30000) })).text();\n  cache.set(url, text);\n  return text;\n}\nmodule.exports = { page, McpServer };\n`,
        'server.js',
      );
      assert.match(fixed, /const \{ LRUCache \} = require\('lru-cache'\);/);
      assert.match(fixed, /const cache = new LRUCache\(\{ max: 1000, ttl: 300_000 \}\);/);
    });
    it('offers no Map replacement where it would change behaviour or types', () => {
      const iterated = findingsOf(
        ID,
        `${MCP_HEADER}${USER}const userCache = new Map<string, User>();\nexport async function getUser(id: string) {\n  const hit = userCache.get(id);\n  if (hit) return hit;\n  const u = await loadUser(id);\n  userCache.set(id, u);\n  return u;\n}\nexport function dump() { return [...userCache.values()].map(u => u.name); }\n`,
      );
      const nullable = findingsOf(
        ID,
        `${MCP_HEADER}${USER}const userCache = new Map<string, User | undefined>();\nexport async function getUser(id: string) {\n  if (userCache.has(id)) return userCache.get(id);\n  const u = await loadUser(id).catch(() => undefined);\n  userCache.set(id, u);\n  return u;\n}\n`,
      );
      assert.equal(iterated.length, 1);
      assert.equal(iterated[0].fixes.length, 0, 'iteration order differs in an LRUCache');
      assert.equal(nullable.length, 1);
      assert.equal(nullable[0].fixes.length, 0, 'LRUCache values must be non-nullable');
    });
  });
});
