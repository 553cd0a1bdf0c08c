import * as assert from 'node:assert/strict';
import { MCP_HEADER, MCP_STDIO_HEADER, expectFires, expectFixWorks, expectQuiet, findingsOf } from '../helpers/rules';

const ID = 'stdout-in-stdio-server';
const STDIO_SERVER = `${MCP_STDIO_HEADER}const server = new McpServer({ name: 'demo', version: '1.0.0' });\nvoid server.connect(new StdioServerTransport());\n`;
const STDIO_PROGRAM = { project: { usesMcpServerSdk: true, servesStdio: true, servesHttp: false } };

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it('on console.log, console.info and console.debug in a stdio server', () => {
      const found = expectFires(ID, `${STDIO_SERVER}console.log('started');\nconsole.info('ready');\nexport function trace(x: unknown) { console.debug(x); }\n`, 3);
      assert.match(found[0].message, /console\.log writes to stdout, which this stdio MCP server uses for JSON-RPC/);
    });
    it('on process.stdout.write and on piping into process.stdout', () => {
      expectFires(ID, `${STDIO_SERVER}import { createReadStream } from 'node:fs';\nprocess.stdout.write('hello\\n');\ncreateReadStream('/tmp/log').pipe(process.stdout);\n`, 2);
    });
    it('in any file of a program that serves stdio, not only the file with the transport (stdout is per process)', () => {
      const found = findingsOf(ID, `export function report(rows: string[]) {\n  for (const r of rows) console.log(r);\n}\n`, 'src/report.ts', STDIO_PROGRAM);
      assert.equal(found.length, 1);
    });
    it('on console methods that have no stderr twin, without a fix', () => {
      const found = expectFires(ID, `${STDIO_SERVER}console.table([{ a: 1 }]);\nconsole.count('calls');\nconsole.time('boot');\nconsole.timeEnd('boot');\nconsole.dir({ a: 1 }, { depth: 4 });\n`, 4);
      assert.ok(found.every(f => f.fixes.length === 0));
      assert.match(found[0].message, /new console\.Console\(process\.stderr\)\.table/);
    });
    it('in a CommonJS stdio server (server.js)', () => {
      expectFires(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js');\nconst server = new McpServer({ name: 'a', version: '1' });\nserver.connect(new StdioServerTransport()).then(() => console.log('connected'));\n`,
        1,
        'server.js',
      );
    });
  });

  describe('stays quiet', () => {
    it('when the program serves only HTTP', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';\nexport const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });\nconsole.log('listening on 3000');\nprocess.stdout.write('ok\\n');\n`,
      );
    });
    it('for stderr output (the playbook pattern) and for console methods Node sends to stderr', () => {
      expectQuiet(
        ID,
        `${STDIO_SERVER}console.error('started');\nconsole.warn('slow');\nconsole.trace('here');\nconsole.assert(1 > 0, 'math');\nprocess.stderr.write('ok\\n');\nconsole.group();\nexport const t = new StdioServerTransport(process.stdin, process.stdout);\n`,
      );
    });
    it('for --help/--version output printed before a clean exit, a console redirected to stderr, or a local console', () => {
      expectQuiet(
        ID,
        `${MCP_STDIO_HEADER}import { Console } from 'node:console';\nif (process.argv.includes('--version')) {\n  console.log('1.0.0');\n  process.exit(0);\n}\nconsole.info = console.error;\nconsole.info('ready');\nexport function debug(x: unknown) { const console = new Console(process.stderr); console.log(x); }\n`,
      );
    });
    it('in test files of the program', () => {
      assert.equal(findingsOf(ID, `console.log('debugging a test');\n`, 'test/server.test.ts', STDIO_PROGRAM).length, 0);
    });
  });

  describe('fix', () => {
    it('switches console.log/info/debug and one-argument console.dir to console.error', () => {
      const fixed = expectFixWorks(ID, `${STDIO_SERVER}console.log('started', 1);\nconsole.info('ready');\nconsole.debug({ a: 1 });\nconsole.dir({ a: 1 });\n`);
      assert.equal((fixed.match(/console\.error\(/g) ?? []).length, 4);
    });
    it('writes and pipes to process.stderr', () => {
      const fixed = expectFixWorks(ID, `${STDIO_SERVER}import { createReadStream } from 'node:fs';\nprocess.stdout.write('hello\\n');\ncreateReadStream('/tmp/log').pipe(process.stdout);\n`);
      assert.match(fixed, /process\.stderr\.write\('hello\\n'\)/);
      assert.match(fixed, /\.pipe\(process\.stderr\)/);
    });
    it('fixes CommonJS code (server.js)', () => {
      expectFixWorks(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js');\nconst server = new McpServer({ name: 'a', version: '1' });\nserver.connect(new StdioServerTransport()).then(() => console.log('connected'));\n`,
        'server.js',
      );
    });
  });
});
