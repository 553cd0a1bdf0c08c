import * as assert from 'node:assert/strict';
import { analyzeWithChecker } from '../helpers/checked-analysis';
import { MCP_HEADER, expectFires, expectQuiet, findingsOf } from '../helpers/rules';

const ID = 'unbounded-concurrency';
const SERVER = `${MCP_HEADER}import { z } from 'zod';\nconst server = new McpServer({ name: 'demo', version: '1.0.0' });\n`;

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it('on Promise.all over the tool arguments with an awaited fetch, and offers no fix', () => {
      const [f] = expectFires(
        ID,
        `${SERVER}server.registerTool('fetch_all', { inputSchema: { urls: z.array(z.string()) } }, async ({ urls }) => {\n  const pages = await Promise.all(urls.map(async url => {\n    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });\n    return res.text();\n  }));\n  return { content: [{ type: 'text', text: pages.join('\\n') }] };\n});\n`,
      );
      assert.match(f.message, /Promise\.all runs `fetch` for every element of `urls` \(the tool arguments\) at once/);
      assert.match(f.message, /mcp-bulkhead/);
      assert.equal(f.fixes.length, 0);
    });
    it('on a parameter of an exported helper, through filter(), and with Promise.allSettled', () => {
      const [f] = expectFires(
        ID,
        `${MCP_HEADER}import axios from 'axios';\nexport async function refreshAll(ids: string[]) {\n  return Promise.allSettled(ids.filter(Boolean).map(id => axios.get(\`https://api.example.com/items/\${id}\`, { timeout: 30_000 })));\n}\n`,
      );
      assert.match(f.message, /`axios\.get` for every element of `ids\.filter\(Boolean\)` \(a parameter of `refreshAll`\)/);
    });
    it('on a query result, and on promises built first and awaited later', () => {
      expectFires(
        ID,
        `${MCP_HEADER}import { Pool } from 'pg';\nconst pool = new Pool({ connectionTimeoutMillis: 5_000, statement_timeout: 30_000 });\ndeclare function notify(email: string): Promise<void>;\n` +
          `export async function notifyAll() {\n  const { rows } = await pool.query<{ email: string }>('select email from users');\n  await Promise.all(rows.map(async r => { await notify(r.email); }));\n}\n` +
          `export async function loadAll(args: { ids: number[] }) {\n  const jobs = args.ids.map(async id => (await pool.query('select * from t where id = $1', [id])).rows);\n  return Promise.all(jobs);\n}\n`,
        2,
      );
    });
    it('in CommonJS, also for an async callback that returns the call without awaiting it (server.js)', () => {
      expectFires(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst fs = require('node:fs/promises');\nasync function readAll(paths) { return Promise.all(paths.map(p => fs.readFile(p, 'utf8'))); }\nasync function statAll(paths) { return Promise.all(paths.map(async p => fs.stat(p))); }\nmodule.exports = { readAll, statAll, McpServer };\n`,
        2,
        'server.js',
      );
    });
    it('with a type checker, on a callback that returns any promise', () => {
      const code = `declare const db: { get(id: string): Promise<number> };\nexport async function sum(ids: string[]) { return Promise.all(ids.map(id => db.get(id))); }\n`;
      assert.equal(findingsOf(ID, code).length, 0, 'without types, a plain callback calling an unknown method is not known to do I/O');
      assert.equal(analyzeWithChecker(code).filter(f => f.ruleId === ID).length, 1);
    });
  });

  describe('stays quiet', () => {
    it('for literal arrays and fixed tuples', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}declare function load(name: string): Promise<string>;\nconst SOURCES = ['users', 'orders'];\nexport async function boot(extra: string) {\n  await Promise.all(['a', 'b', extra].map(async n => await load(n)));\n  return Promise.all(SOURCES.map(async s => await load(s)));\n}\n`,
      );
    });
    it('when a limiter or bulkhead runs the work (the playbook pattern)', () => {
      expectQuiet(
        ID,
        `${SERVER}declare function pLimit(n: number): <T>(fn: () => Promise<T>) => Promise<T>;\ndeclare const bulkhead: { run<T>(fn: () => Promise<T>): Promise<T> };\nconst limit = pLimit(5);\n` +
          `server.registerTool('fetch_all', { inputSchema: { urls: z.array(z.string()) } }, async ({ urls }) => {\n  const a = await Promise.all(urls.map(url => limit(() => fetch(url, { signal: AbortSignal.timeout(30_000) }))));\n  const b = await Promise.all(urls.map(url => bulkhead.run(async () => (await fetch(url, { signal: AbortSignal.timeout(30_000) })).text())));\n  return { content: [{ type: 'text', text: String(a.length + b.length) }] };\n});\n`,
      );
    });
    it('for fixed-size batches and literal slices', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}declare function chunks<T>(items: T[], size: number): T[][];\nexport async function crawl(urls: string[]) {\n  for (const batch of chunks(urls, 10)) {\n    await Promise.all(batch.map(async u => (await fetch(u, { signal: AbortSignal.timeout(30_000) })).text()));\n  }\n  await Promise.all(urls.slice(0, 5).map(async u => await fetch(u, { signal: AbortSignal.timeout(30_000) })));\n}\n`,
      );
    });
    it('for callbacks that do no I/O, and for state the server owns', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}declare function load(name: string): Promise<string>;\nexport async function f(items: number[]) {\n  await Promise.all(items.map(async i => i * 2));\n  return Promise.all(items.map(i => String(i)));\n}\nexport class Warmer {\n  private names: string[] = [];\n  warm() { return Promise.all(this.names.map(async n => await load(n))); }\n}\n`,
      );
    });
  });
});
