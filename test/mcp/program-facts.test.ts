// analyze_file checks a file with what its program does, read from the other files of its package (or Python
// project) inside the root: the built server (dist/mcp-server.js) over stdio, driven by the SDK's own Client.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { REPO_ROOT } from '../helpers/rules';

const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist', 'mcp-server.js');
const SDK_PACKAGE = JSON.stringify({ name: 'demo', private: true, dependencies: { '@modelcontextprotocol/sdk': '^1.32.0' } });
const STDIO_SERVER = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
const server = new McpServer({ name: 'demo', version: '1.0.0' });
await server.connect(new StdioServerTransport());
`;
const TOOLS = "export function register() {\n  console.log('registering tools');\n}\n";
const PY_SERVER = 'from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("demo")\n\nif __name__ == "__main__":\n    mcp.run()\n';
const PY_TOOLS = 'from server import mcp\n\n\n@mcp.tool()\ndef shout(text: str) -> str:\n    print(text)\n    return text.upper()\n';

const FILES: Record<string, string> = {
  'package.json': SDK_PACKAGE,
  'src/server.ts': STDIO_SERVER,
  'src/tools.ts': TOOLS,
  'src/sub/more.ts': TOOLS,
  // Another package: its own program, which serves nothing.
  'other/package.json': JSON.stringify({ name: 'other', private: true }),
  'other/app.ts': TOOLS,
  'py/pyproject.toml': '[project]\nname = "demo"\n',
  'py/server.py': PY_SERVER,
  'py/tools.py': PY_TOOLS,
};

describe('MCP server: analyze_file with the facts of the file’s program', function () {
  this.timeout(120_000);
  let workspace: string;
  const clients: Client[] = [];

  before(function () {
    this.timeout(180_000);
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-program-')));
    for (const [rel, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
      fs.writeFileSync(path.join(workspace, rel), text);
    }
  });
  after(async () => {
    for (const c of clients) await c.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  /** A client of a server whose root (no roots from the client: its working directory) is `cwd`. */
  async function connect(cwd: string): Promise<Client> {
    const client = new Client({ name: 'program-facts-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [SERVER_BUNDLE], cwd, stderr: 'pipe' }));
    clients.push(client);
    return client;
  }
  async function rulesOf(client: Client, name: string, args: Record<string, string>): Promise<string[]> {
    const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
    assert.ok(!r.isError, JSON.stringify(r.content));
    return (r.structuredContent as { findings: Array<{ ruleId: string }> }).findings.map(f => f.ruleId).sort();
  }

  it('reports console.log in a module of a stdio server, which analyze_code of the module alone cannot know', async () => {
    const client = await connect(workspace);
    assert.deepEqual(await rulesOf(client, 'analyze_code', { code: TOOLS, fileName: 'tools.ts' }), []);
    assert.deepEqual(await rulesOf(client, 'analyze_file', { path: 'src/tools.ts' }), ['stdout-in-stdio-server']);
    assert.deepEqual(await rulesOf(client, 'analyze_file', { path: 'src/sub/more.ts' }), ['stdout-in-stdio-server']);
    assert.deepEqual(await rulesOf(client, 'analyze_file', { path: 'other/app.ts' }), [], 'another package serves nothing');
    assert.deepEqual(await rulesOf(client, 'analyze_file', { path: 'py/tools.py' }), ['stdout-in-stdio-server']);
  });

  it('follows changes on disk, and reads nothing outside the root', async () => {
    const client = await connect(workspace);
    fs.writeFileSync(path.join(workspace, 'src/server.ts'), STDIO_SERVER.replace(/StdioServerTransport/g, 'StreamableHTTPServerTransport').replace('server/stdio.js', 'server/streamableHttp.js'));
    try {
      assert.ok(!(await rulesOf(client, 'analyze_file', { path: 'src/tools.ts' })).includes('stdout-in-stdio-server'), 'the server serves HTTP now');
    } finally {
      fs.writeFileSync(path.join(workspace, 'src/server.ts'), STDIO_SERVER);
    }
    assert.deepEqual(await rulesOf(client, 'analyze_file', { path: 'src/tools.ts' }), ['stdout-in-stdio-server']);
    // Rooted in src/sub: server.ts, one folder up, is out of reach.
    const narrow = await connect(path.join(workspace, 'src/sub'));
    assert.deepEqual(await rulesOf(narrow, 'analyze_file', { path: 'more.ts' }), []);
  });
});
