import * as assert from 'node:assert/strict';
import { DOM_PROGRAM, NODE_PROGRAM, analyzeWithChecker } from '../helpers/checked-analysis';
import { MCP_HEADER, expectFires, expectFixWorks, expectQuiet } from '../helpers/rules';

const ID = 'unmanaged-timer';
const SERVER = `${MCP_HEADER}import { z } from 'zod';\nconst server = new McpServer({ name: 'demo', version: '1.0.0' });\n`;
const CACHE = `const cache = new Map<string, number>();\nfunction sweep() { cache.clear(); }\n`;

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it('on a module-level setInterval whose handle is dropped', () => {
      const [f] = expectFires(ID, `${MCP_HEADER}${CACHE}setInterval(sweep, 60_000);\n`);
      assert.match(f.message, /keeps the process alive after the transport closes/);
    });
    it('on handles stored in a variable or a field that nothing clears', () => {
      expectFires(
        ID,
        `${MCP_HEADER}${CACHE}const sweeper = setInterval(sweep, 60_000);\nexport class Metrics {\n  private flusher = setInterval(() => this.flush(), 10_000);\n  private reporter: NodeJS.Timeout;\n  constructor() { this.reporter = setInterval(() => this.flush(), 5_000); }\n  flush() { if (this.flusher && this.reporter) sweep(); }\n}\nif (sweeper) sweep();\n`,
        3,
      );
    });
    it('on a setTimeout loop that reschedules itself unconditionally', () => {
      expectFires(
        ID,
        `${MCP_HEADER}declare function refresh(): Promise<void>;\nasync function poll() {\n  try { await refresh(); } finally { setTimeout(poll, 30_000); }\n}\nvoid poll();\nexport class Watcher {\n  tick() { setTimeout(() => this.tick(), 1_000); }\n}\n`,
        2,
      );
    });
    it('on an interval started in a handler, saying it starts on every request', () => {
      const [f] = expectFires(
        ID,
        `${SERVER}server.registerTool('watch', { inputSchema: { id: z.string() } }, async ({ id }) => {\n  setInterval(() => console.error('still watching', id), 1_000);\n  return { content: [{ type: 'text', text: 'ok' }] };\n});\n`,
      );
      assert.match(f.message, /starts on every request/);
    });
    it('in CommonJS, also through node:timers (server.js)', () => {
      expectFires(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst timers = require('node:timers');\nconst seen = new Set();\nsetInterval(() => seen.clear(), 60000);\ntimers.setInterval(() => seen.clear(), 1000);\nmodule.exports = { McpServer };\n`,
        2,
        'server.js',
      );
    });
  });

  describe('stays quiet', () => {
    it('when the timer is unref()-ed (the playbook pattern) or cleared on shutdown', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}${CACHE}setInterval(sweep, 60_000).unref();\nconst t = setInterval(sweep, 1_000);\nt.unref();\nconst u = setInterval(sweep, 1_000);\nprocess.on('SIGTERM', () => clearInterval(u));\n` +
          `export class Metrics {\n  private flusher = setInterval(() => this.flush(), 10_000);\n  private reporter?: NodeJS.Timeout;\n  start() { this.reporter = setInterval(() => this.flush(), 5_000); }\n  flush() { sweep(); }\n  close() { clearInterval(this.flusher); if (this.reporter) clearInterval(this.reporter); }\n}\n`,
      );
    });
    it('for one-shot timeouts, loops with an exit condition, and timeouts rescheduled only on failure', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}declare function refresh(): Promise<void>;\nlet stopped = false;\nsetTimeout(() => console.error('warm-up done'), 5_000);\nasync function poll() {\n  if (stopped) return;\n  await refresh();\n  setTimeout(poll, 30_000);\n}\nasync function connect() {\n  try { await refresh(); } catch { setTimeout(connect, 1_000); }\n}\nfunction loop() { if (!stopped) setTimeout(loop, 100); }\nvoid poll(); void connect(); loop();\nprocess.on('SIGTERM', () => { stopped = true; });\n`,
      );
    });
    it('when the handle is returned, stored or handed to code that manages it, and for a local setInterval', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}${CACHE}const timers: NodeJS.Timeout[] = [];\ntimers.push(setInterval(sweep, 1_000));\nexport function startSweeper() { return setInterval(sweep, 1_000); }\nexport const heartbeat = setInterval(sweep, 15_000);\n` +
          `function later(fn: () => void) { return fn; }\nexport function local() { const setInterval = later; setInterval(sweep); }\nfor (const t of timers) clearInterval(t);\n`,
      );
    });
  });

  describe('fix', () => {
    it('appends .unref() to dropped and stored handles, keeping their type', () => {
      const fixed = expectFixWorks(
        ID,
        `${MCP_HEADER}${CACHE}setInterval(sweep, 60_000);\nconst sweeper: NodeJS.Timeout = setInterval(sweep, 60_000);\nexport class Metrics {\n  private flusher = setInterval(() => this.flush(), 10_000);\n  flush() { if (sweeper && this.flusher) sweep(); }\n}\n`,
      );
      assert.match(fixed, /^setInterval\(sweep, 60_000\)\.unref\(\);$/m);
      assert.match(fixed, /const sweeper: NodeJS\.Timeout = setInterval\(sweep, 60_000\)\.unref\(\);/);
      assert.match(fixed, /private flusher = setInterval\(\(\) => this\.flush\(\), 10_000\)\.unref\(\);/);
    });
    it('unrefs a self-rescheduling setTimeout', () => {
      const fixed = expectFixWorks(ID, `${MCP_HEADER}declare function refresh(): Promise<void>;\nasync function poll() {\n  try { await refresh(); } finally { setTimeout(poll, 30_000); }\n}\nvoid poll();\n`);
      assert.match(fixed, /setTimeout\(poll, 30_000\)\.unref\(\);/);
    });
    it('fixes CommonJS code (server.js)', () => {
      expectFixWorks(ID, `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst seen = new Set();\nsetInterval(() => seen.clear(), 60000);\nmodule.exports = { McpServer };\n`, 'server.js');
    });
    it('offers the fix only where the handle has unref(): not for the DOM\'s numeric handle', () => {
      const code = `${MCP_HEADER}setInterval(() => undefined, 1_000);\n`;
      const dom = analyzeWithChecker(code, 'server.ts', DOM_PROGRAM).filter(f => f.ruleId === ID);
      const node = analyzeWithChecker(code, 'server.ts', NODE_PROGRAM).filter(f => f.ruleId === ID);
      assert.equal(dom.length, 1);
      assert.equal(dom[0].fixes.length, 0);
      assert.equal(node.length, 1);
      assert.equal(node[0].fixes.length, 1);
    });
  });
});
