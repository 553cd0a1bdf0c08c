// The built MCP server (dist/mcp-server.js, loading tree-sitter's WebAssembly from dist/) analysing Python code,
// driven by the SDK's own Client over stdio; its findings must be the analysis core's.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { analyzePy, loadPythonParser } from '../helpers/python';
import { REPO_ROOT } from '../helpers/rules';

const SERVER = path.join(REPO_ROOT, 'dist', 'mcp-server.js');
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/python/fastmcp_stdio_server.py');

interface Output {
  language: string;
  findings: Array<{ ruleId: string; start: { line: number; column: number } }>;
}

const text = (r: CallToolResult) => r.content.map(c => (c.type === 'text' ? c.text : '')).join('\n');

describe('MCP server: Python analysis (stdio, SDK client)', function () {
  this.timeout(120_000);
  let client: Client;
  let workspace: string;
  const stdoutErrors: unknown[] = [];

  before(async function () {
    this.timeout(180_000);
    await loadPythonParser();
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-py-roots-'));
    fs.copyFileSync(FIXTURE, path.join(workspace, 'server.py'));
    // Run from an unrelated folder: the wasm files must be found next to the bundle, not in the working directory.
    const transport = new StdioClientTransport({ command: process.execPath, args: [SERVER], cwd: workspace, stderr: 'pipe' });
    client = new Client({ name: 'python-test', version: '1.0.0' });
    client.onerror = e => stdoutErrors.push(e);
    await client.connect(transport);
  });

  after(async () => {
    await client?.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('analyze_code with a .py file name returns the findings of the Python analysis', async () => {
    const code = fs.readFileSync(FIXTURE, 'utf8');
    const r = (await client.callTool({ name: 'analyze_code', arguments: { code, fileName: 'server.py' } })) as CallToolResult;
    assert.ok(!r.isError, text(r));
    const out = r.structuredContent as unknown as Output;
    assert.equal(out.language, 'python');
    const expected = analyzePy(code).map(f => `${f.ruleId}@${f.range.start.line + 1}`).sort();
    const got = out.findings.map(f => `${f.ruleId}@${f.start.line}`).sort();
    assert.deepEqual(got, expected);
    for (const id of ['stdout-in-stdio-server', 'blocking-io-in-handler', 'shell-injection', 'path-traversal', 'hardcoded-secret', 'unbounded-cache', 'swallowed-error']) {
      assert.ok(got.some(g => g.startsWith(`${id}@`)), `${id} in ${got.join(', ')}`);
    }
    assert.match(text(r), /stdout-in-stdio-server/);
  });

  it('analyze_file reads a .py file inside the working directory', async () => {
    const r = (await client.callTool({ name: 'analyze_file', arguments: { path: 'server.py' } })) as CallToolResult;
    assert.ok(!r.isError, text(r));
    assert.ok((r.structuredContent as unknown as Output).findings.length >= 7);
  });

  it('answers broken Python with what it can still find, and keeps serving', async () => {
    const r = (await client.callTool({ name: 'analyze_code', arguments: { code: 'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP(\n@mcp.tool(\ndef f(:\n  print(x\nmcp.run()', fileName: 'broken.py' } })) as CallToolResult;
    assert.ok(!r.isError, text(r));
    const again = (await client.callTool({ name: 'list_rules', arguments: { language: 'python' } })) as CallToolResult;
    assert.ok(!again.isError, text(again));
    assert.deepEqual(stdoutErrors, [], 'every stdout line is JSON-RPC');
  });
});
