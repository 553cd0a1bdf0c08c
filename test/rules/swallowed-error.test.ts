import * as assert from 'node:assert/strict';
import { MCP_HEADER, expectFires, expectFixWorks, expectQuiet } from '../helpers/rules';

const ID = 'swallowed-error';
const HEAD = `${MCP_HEADER}import { z } from 'zod';\nimport { unlink } from 'node:fs/promises';\ndeclare const db: { query(sql: string, params?: unknown[]): Promise<string[]> };\ndeclare const logger: { error(...args: unknown[]): void };\nconst server = new McpServer({ name: 'orders', version: '1.0.0' });\n`;
const tool = (body: string, name = 'search') =>
  `server.registerTool('${name}', { inputSchema: { q: z.string() } }, async ({ q }, extra) => {\n${body}\n});\n`;

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it('on an empty catch in a tool handler', () => {
      const code = `${HEAD}${tool(`  let rows: string[] = [];\n  try {\n    rows = await db.query('select name from orders where name like $1', [q]);\n  } catch {}\n  return { content: [{ type: 'text', text: rows.join('\\n') }] };`)}`;
      const [f] = expectFires(ID, code);
      assert.equal(code.slice(f.start, f.end), 'catch {');
      assert.match(f.message, /empty catch/);
    });
    it('on a quiet fallback result and on continue in a loop, with the error unused', () => {
      expectFires(
        ID,
        `${HEAD}${tool(`  try {\n    const rows = await db.query('select 1', [q]);\n    return { content: [{ type: 'text', text: rows.join(',') }] };\n  } catch (error) {\n    return { content: [{ type: 'text', text: 'No results' }] };\n  }`)}${tool(`  const out: string[] = [];\n  for (const id of q.split(',')) {\n    try { out.push(...(await db.query('select $1', [id]))); } catch { continue; }\n  }\n  return { content: [{ type: 'text', text: out.join(',') }] };`, 'bulk')}`,
        2,
      );
    });
    it('on .catch(() => {}) and .catch(() => undefined) in handlers, also FastMCP in CommonJS', () => {
      expectFires(
        ID,
        `${HEAD}${tool(`  const rows = await db.query('select 1', [q]).catch(() => undefined);\n  db.query('update stats set hits = hits + 1').catch(() => {});\n  return { content: [{ type: 'text', text: String(rows) }] };`)}`,
        2,
      );
      expectFires(
        ID,
        `const { FastMCP } = require('fastmcp');\nconst server = new FastMCP({ name: 'f', version: '1.0.0' });\nserver.addTool({\n  name: 'lookup',\n  description: 'Look up an order',\n  execute: async (args) => {\n    try {\n      return await fetch('https://orders.internal/' + args.id).then((r) => r.text());\n    } catch (e) {\n      return 'not found';\n    }\n  },\n});\n`,
        1,
        'server.js',
      );
    });
  });

  describe('stays quiet', () => {
    it('when the catch returns isError: true (the playbook pattern), rethrows, or logs', () => {
      expectQuiet(
        ID,
        `${HEAD}${tool(`  try {\n    const rows = await db.query('select 1', [q]);\n    return { content: [{ type: 'text', text: rows.join(',') }] };\n  } catch (error) {\n    return { content: [{ type: 'text', text: 'Search is unavailable, try again later' }], isError: true };\n  }`)}${tool(`  try { await db.query('select 1'); } catch (e) { throw new Error('search failed', { cause: e }); }\n  try { await db.query('select 2'); } catch { logger.error('select 2 failed'); }\n  try { await db.query('select 3'); } catch { console.error('select 3 failed'); }\n  return { content: [{ type: 'text', text: 'ok' }] };`, 'two')}`,
      );
    });
    it('when the error is used, the failure is recorded, or a comment explains the swallow', () => {
      expectQuiet(
        ID,
        `${HEAD}${tool(`  const failed: string[] = [];\n  let text = '';\n  try { text = (await db.query('select 1')).join(','); } catch (e) { text = \`lookup failed: \${e instanceof Error ? e.message : String(e)}\`; }\n  for (const id of q.split(',')) {\n    try { await db.query('delete from t where id = $1', [id]); } catch { failed.push(id); }\n  }\n  try { await db.query('refresh materialized view stats'); } catch {\n    // Stats are refreshed nightly as well; a failed refresh here only delays them.\n  }\n  return { content: [{ type: 'text', text: text + failed.join(',') }] };`)}`,
      );
    });
    it('outside handlers, for best-effort cleanup and notifications, and for parsing fallbacks', () => {
      expectQuiet(
        ID,
        `${HEAD}export async function warmUp() { try { await db.query('select 1'); } catch {} }\n${tool(`  const tmp = '/tmp/' + q;\n  try { await unlink(tmp); } catch {}\n  await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data: 'searching' } }).catch(() => {});\n  let filters: unknown = {};\n  try { filters = JSON.parse(q); } catch { filters = { text: q }; }\n  return { content: [{ type: 'text', text: JSON.stringify(filters) }] };`)}`,
      );
    });
  });

  describe('fix', () => {
    const emptyCatch = `${HEAD}${tool(`  let rows: string[] = [];\n  try {\n    rows = await db.query('select name from orders where name like $1', [q]);\n  } catch {}\n  return { content: [{ type: 'text', text: rows.join('\\n') }] };`)}`;
    it('logs an empty catch to stderr, adding the binding', () => {
      const fixed = expectFixWorks(ID, emptyCatch);
      assert.match(fixed, /\} catch \(error\) \{\n    console\.error\(error\);\n  \}\n/);
    });
    it('alternatively logs and rethrows, so the client gets an error result', () => {
      const fixed = expectFixWorks(ID, emptyCatch, 'server.ts', 1);
      assert.match(fixed, /\} catch \(error\) \{\n    console\.error\(error\);\n    throw error;\n  \}\n/);
    });
    it('logs in a fallback catch, in .catch callbacks, and in JavaScript', () => {
      const fixed = expectFixWorks(
        ID,
        `${HEAD}${tool(`  const rows = await db.query('select 1', [q]).catch(() => undefined);\n  db.query('update stats set hits = hits + 1').catch(() => {});\n  try {\n    const more = await db.query('select 2');\n    return { content: [{ type: 'text', text: String(rows) + more.join(',') }] };\n  } catch (e) {\n    return { content: [{ type: 'text', text: 'No results' }] };\n  }`)}`,
      );
      assert.match(fixed, /\.catch\(\(error\) => \{ console\.error\(error\); return undefined; \}\)/);
      assert.match(fixed, /\.catch\(\(error\) => \{ console\.error\(error\); \}\)/);
      assert.match(fixed, /\} catch \(e\) \{\n    console\.error\(e\);\n    return \{ content/);
      expectFixWorks(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst server = new McpServer({ name: 'demo', version: '1.0.0' });\nserver.registerTool('ping', {}, async () => {\n  try { await fetch('https://status.internal'); } catch { return { content: [{ type: 'text', text: 'down' }] }; }\n  return { content: [{ type: 'text', text: 'up' }] };\n});\n`,
        'server.js',
      );
    });
  });
});
