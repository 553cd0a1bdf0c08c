import * as assert from 'node:assert/strict';
import { MCP_STDIO_HEADER, expectFires, expectFixWorks, expectQuiet } from '../helpers/rules';

const ID = 'unhandled-entry-rejection';
const MAIN = `${MCP_STDIO_HEADER}async function main() {\n  const server = new McpServer({ name: 'demo', version: '1.0.0' });\n  await server.connect(new StdioServerTransport());\n}\n`;

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it('on a bare call of the async main()', () => {
      const [f] = expectFires(ID, `${MAIN}main();\n`);
      assert.match(f.message, /`main\(\)` returns a promise/);
    });
    it('on an async IIFE and on a void-ed call', () => {
      const found = expectFires(
        ID,
        `${MAIN}void main();\n(async () => {\n  const server = new McpServer({ name: 'b', version: '1.0.0' });\n  await server.connect(new StdioServerTransport());\n})();\n`,
        2,
      );
      assert.match(found[0].message, /`void` discards it/);
    });
    it('on main().then(...) behind require.main (CommonJS)', () => {
      expectFires(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js');\nconst main = async () => {\n  const server = new McpServer({ name: 'demo', version: '1.0.0' });\n  await server.connect(new StdioServerTransport());\n};\nif (require.main === module) {\n  main().then(() => console.error('ready'));\n}\n`,
        1,
        'server.js',
      );
    });
    it('on server.connect(transport) at top level, and on a FastMCP start()', () => {
      expectFires(
        ID,
        `${MCP_STDIO_HEADER}import { FastMCP } from 'fastmcp';\nconst server = new McpServer({ name: 'demo', version: '1.0.0' });\nconst transport = new StdioServerTransport();\nserver.connect(transport);\nconst fast = new FastMCP({ name: 'f', version: '1.0.0' });\nfast.start({ transportType: 'stdio' });\n`,
        2,
      );
    });
  });

  describe('stays quiet', () => {
    it('when the promise is caught (the playbook pattern) or then() has a rejection handler', () => {
      expectQuiet(ID, `${MAIN}main().catch((error) => { console.error(error); process.exit(1); });\nvoid main().catch(console.error);\nmain().then(() => undefined, (e) => { console.error(e); process.exitCode = 1; });\n`);
    });
    it('when awaited at the top level of an ES module', () => {
      expectQuiet(ID, `${MAIN}await main();\nconst server = new McpServer({ name: 'x', version: '1.0.0' });\nawait server.connect(new StdioServerTransport());\n`, 'server.mts');
    });
    it('for a sync main, an async main that catches everything itself, and a call inside a function', () => {
      expectQuiet(
        ID,
        `${MCP_STDIO_HEADER}function setup() { return 1; }\nsetup();\nasync function main() {\n  try {\n    const server = new McpServer({ name: 'demo', version: '1.0.0' });\n    await server.connect(new StdioServerTransport());\n  } catch (error) {\n    console.error(error);\n    process.exit(1);\n  }\n}\nmain();\nasync function other() { await Promise.resolve(); }\nexport function start() { other(); }\n`,
      );
    });
    it('when the file installs an unhandledRejection handler', () => {
      expectQuiet(ID, `${MAIN}process.on('unhandledRejection', (reason) => { console.error(reason); process.exit(1); });\nmain();\n`);
    });
  });

  describe('fix', () => {
    it('appends a catch that logs to stderr and exits 1', () => {
      const fixed = expectFixWorks(ID, `${MAIN}main();\n`);
      assert.ok(fixed.endsWith('main().catch((error) => { console.error(error); process.exit(1); });\n'));
    });
    it('drops void, and handles an IIFE, a then() chain and a top-level connect', () => {
      const fixed = expectFixWorks(
        ID,
        `${MAIN}void main();\nmain().then(() => console.error('ready'));\n(async () => {\n  await Promise.resolve();\n})();\nconst server = new McpServer({ name: 'x', version: '1.0.0' });\nserver.connect(new StdioServerTransport());\n`,
      );
      assert.match(fixed, /^main\(\)\.catch\(/m);
      assert.match(fixed, /console\.error\('ready'\)\)\.catch\(/);
      assert.match(fixed, /\}\)\(\)\.catch\(/);
      assert.match(fixed, /server\.connect\(new StdioServerTransport\(\)\)\.catch\(/);
    });
    it('works in CommonJS JavaScript', () => {
      expectFixWorks(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js');\nasync function main() {\n  await new McpServer({ name: 'demo', version: '1.0.0' }).connect(new StdioServerTransport());\n}\nmain()\n`,
        'server.js',
      );
    });
  });
});
