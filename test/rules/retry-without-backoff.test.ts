import * as assert from 'node:assert/strict';
import { MCP_HEADER, expectFires, expectFixWorks, expectQuiet } from '../helpers/rules';

const ID = 'retry-without-backoff';
const SLEEP = 'const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));\n';

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it('on a counted retry loop that retries at once', () => {
      const [f] = expectFires(
        ID,
        `${MCP_HEADER}export async function get(u: string) {\n  let lastError: unknown;\n  for (let attempt = 0; attempt < 3; attempt++) {\n    try {\n      return await fetch(u);\n    } catch (error) {\n      lastError = error;\n    }\n  }\n  throw lastError;\n}\n`,
      );
      assert.match(f.message, /immediately/);
      assert.equal(f.fixes.length, 0);
    });
    it('on while (true) with a constant sleep, and on a promisified setTimeout with a constant', () => {
      const found = expectFires(
        ID,
        `${MCP_HEADER}${SLEEP}export async function a(u: string) {\n  let retries = 0;\n  while (true) {\n    try {\n      return await fetch(u);\n    } catch (error) {\n      if (++retries > 5) throw error;\n      await sleep(1000);\n    }\n  }\n}\nexport async function b(u: string) {\n  for (let attempt = 1; attempt <= 3; attempt++) {\n    try {\n      const res = await fetch(u);\n      return await res.json();\n    } catch (error) {\n      if (attempt === 3) throw error;\n      await new Promise(r => setTimeout(r, 500));\n    }\n  }\n}\n`,
        2,
      );
      for (const f of found) assert.match(f.message, /constant delay/);
    });
    it('on a do-while flag loop and a timers/promises delay (CommonJS)', () => {
      expectFires(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst { setTimeout: wait } = require('node:timers/promises');\nconst RETRY_DELAY_MS = 2000;\nasync function connectDb(pool) {\n  let tries = 0;\n  let ok = false;\n  do {\n    try {\n      await pool.connect();\n      ok = true;\n    } catch (err) {\n      tries++;\n      await wait(RETRY_DELAY_MS);\n    }\n  } while (!ok && tries < 5);\n}\nmodule.exports = { connectDb };\n`,
        1,
        'server.js',
      );
    });
    it('on a recursive retry, in a catch block and in a .catch callback', () => {
      expectFires(
        ID,
        `${MCP_HEADER}${SLEEP}export async function load(u: string, attempt = 0): Promise<Response> {\n  try {\n    return await fetch(u);\n  } catch (error) {\n    if (attempt >= 3) throw error;\n    await sleep(250);\n    return load(u, attempt + 1);\n  }\n}\nexport function call(u: string, retries: number): Promise<Response> {\n  return fetch(u).catch(error => (retries > 0 ? call(u, retries - 1) : Promise.reject(error)));\n}\n`,
        2,
      );
    });
  });

  describe('stays quiet', () => {
    it('with exponential backoff and jitter (the playbook pattern)', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}${SLEEP}export async function get(u: string) {\n  for (let attempt = 0; ; attempt++) {\n    try {\n      return await fetch(u);\n    } catch (error) {\n      if (attempt >= 4) throw error;\n      await sleep(Math.min(30_000, 100 * 2 ** attempt) * Math.random());\n    }\n  }\n}\n`,
      );
    });
    it('with a doubled delay variable, a Math.pow delay, or a backoff helper', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}${SLEEP}declare function backoff(n: number): Promise<void>;\nexport async function a(u: string) {\n  let delay = 100;\n  for (let i = 0; i < 5; i++) {\n    try { return await fetch(u); } catch { await sleep(delay); delay *= 2; }\n  }\n}\nexport async function b(u: string) {\n  for (let attempt = 0; attempt < 5; attempt++) {\n    try { return await fetch(u); } catch { await sleep(Math.pow(2, attempt) * 100); }\n  }\n}\nexport async function c(u: string) {\n  for (let attempt = 0; attempt < 5; attempt++) {\n    try { return await fetch(u); } catch { await backoff(attempt); }\n  }\n}\n`,
      );
    });
    it('for a loop over items that logs and goes on, a failover over mirrors, and a catch that rethrows', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}export async function all(urls: string[]) {\n  for (const u of urls) {\n    try { await fetch(u); } catch (e) { console.error(e); }\n  }\n  for (let i = 0; i < urls.length; i++) {\n    try { return await fetch(urls[i]); } catch { /* next mirror */ }\n  }\n  while (true) {\n    try { return await fetch(urls[0]); } catch (e) { throw e; }\n  }\n}\n`,
      );
    });
    it('for a readiness poll with a constant interval', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}${SLEEP}export async function waitReady(u: string) {\n  for (let attempt = 0; attempt < 30; attempt++) {\n    try {\n      const res = await fetch(u);\n      if (res.ok) return;\n    } catch {}\n    await sleep(1000);\n  }\n}\n`,
      );
    });
    it('for recursion in the success path (pagination) and retries scheduled with a growing parameter', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}${SLEEP}export async function pages(u: string, out: unknown[] = []): Promise<unknown[]> {\n  try {\n    const res = await fetch(u);\n    const body = (await res.json()) as { next?: string; items: unknown[] };\n    out.push(...body.items);\n    return body.next ? pages(body.next, out) : out;\n  } catch (e) {\n    console.error(e);\n    return out;\n  }\n}\nexport async function load(u: string, delay = 100): Promise<Response> {\n  try {\n    return await fetch(u);\n  } catch {\n    await sleep(delay);\n    return load(u, delay * 2);\n  }\n}\n`,
      );
    });

    it('for a retry after a recovery step, and for a self-call from a catch without an attempt budget', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}declare function refreshToken(): Promise<void>;\nexport async function a(u: string) {\n  for (let attempt = 0; attempt < 2; attempt++) {\n    try { return await fetch(u); } catch { await refreshToken(); }\n  }\n}\nexport async function b(u: string, headers?: Record<string, string>): Promise<Response | undefined> {\n  try {\n    return await fetch(u, { headers });\n  } catch (error) {\n    if (headers) return b(u, undefined);\n    throw error;\n  }\n}\n`,
      );
    });
  });

  describe('fix', () => {
    it('turns a constant sleep into capped exponential backoff with full jitter', () => {
      const fixed = expectFixWorks(
        ID,
        `${MCP_HEADER}${SLEEP}export async function get(u: string) {\n  for (let attempt = 0; attempt < 5; attempt++) {\n    try {\n      return await fetch(u);\n    } catch (error) {\n      if (attempt === 4) throw error;\n      await sleep(1000);\n    }\n  }\n}\n`,
      );
      assert.match(fixed, /await sleep\(Math\.min\(30_000, 1000 \* 2 \*\* attempt\) \* Math\.random\(\)\);/);
    });
    it('uses a counter incremented in the catch, keeps a named constant as the base, and fixes setTimeout in a Promise', () => {
      const fixed = expectFixWorks(
        ID,
        `${MCP_HEADER}const RETRY_DELAY_MS = 500;\nexport async function get(u: string) {\n  let retries = 0;\n  while (true) {\n    try {\n      return await fetch(u);\n    } catch (error) {\n      retries += 1;\n      if (retries > 5) throw error;\n      await new Promise(resolve => setTimeout(resolve, RETRY_DELAY_MS));\n    }\n  }\n}\n`,
      );
      assert.match(fixed, /setTimeout\(resolve, Math\.min\(30_000, RETRY_DELAY_MS \* 2 \*\* retries\) \* Math\.random\(\)\)/);
    });
    it('fixes a recursive retry that passes attempt + 1', () => {
      const fixed = expectFixWorks(
        ID,
        `${MCP_HEADER}${SLEEP}export async function load(u: string, attempt = 0): Promise<Response> {\n  try {\n    return await fetch(u);\n  } catch (error) {\n    if (attempt >= 3) throw error;\n    await sleep(250);\n    return load(u, attempt + 1);\n  }\n}\n`,
      );
      assert.match(fixed, /sleep\(Math\.min\(30_000, 250 \* 2 \*\* attempt\) \* Math\.random\(\)\)/);
    });
    it('offers no fix when the loop has no counter it increments', () => {
      const [f] = expectFires(
        ID,
        `${MCP_HEADER}${SLEEP}export async function get(u: string, retries: number) {\n  while (retries-- > 0) {\n    try { return await fetch(u); } catch { await sleep(1000); }\n  }\n}\n`,
      );
      assert.equal(f.fixes.length, 0);
    });
  });
});
