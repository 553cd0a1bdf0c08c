// The MCP Inspector CLI (an independent client, on Node 24) lists and calls the built server's tools.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/rules';

// e2e-paths.mjs is ESM; its paths are simple enough to restate from the same cache root.
const CACHE = path.join(REPO_ROOT, '.e2e-cache');
const NODE24 = path.join(CACHE, 'node24', 'node_modules', '.bin', 'node');
const INSPECTOR = path.join(CACHE, 'inspector', 'node_modules', '.bin', 'mcp-inspector');

describe('MCP server under the MCP Inspector CLI', function () {
  this.timeout(120_000);
  let dir: string;
  let config: string;

  const inspect = (...args: string[]) => {
    const r = spawnSync(NODE24, [INSPECTOR, '--cli', '--config', config, '--server', 'architect', ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, MCP_INSPECTOR_SECRET_STORE: 'memory' },
      timeout: 90_000,
    });
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(r.stdout);
    } catch {
      json = undefined;
    }
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, json };
  };

  before(function () {
    for (const [what, file] of [['Node 24', NODE24], ['the MCP Inspector', INSPECTOR]]) {
      if (!fs.existsSync(file)) throw new Error(`${what} is not installed at ${file}: run \`npm run setup:e2e\` first.`);
    }
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'ignore' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-inspector-'));
    fs.writeFileSync(path.join(dir, 'server.ts'), "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nexport const get = (u: string) => fetch(u);\n");
    config = path.join(dir, 'mcp.json');
    fs.writeFileSync(config, JSON.stringify({ mcpServers: { architect: { command: process.execPath, args: [path.join(REPO_ROOT, 'dist', 'mcp-server.js')] } } }));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists the tools with their schemas', () => {
    const r = inspect('--method', 'tools/list');
    assert.equal(r.status, 0, r.stderr);
    const tools = (r.json?.tools ?? []) as { name: string; outputSchema?: unknown; annotations?: { readOnlyHint?: boolean } }[];
    assert.deepEqual(tools.map(t => t.name).sort(), ['analyze_code', 'analyze_file', 'get_playbook', 'get_snippet', 'list_rules']);
    assert.ok(tools.every(t => t.outputSchema && t.annotations?.readOnlyHint === true));
  });

  it('calls analyze_code and analyze_file and gets findings', () => {
    const code = inspect('--method', 'tools/call', '--tool-name', 'analyze_code', '--tool-arg', "code=import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'; fetch(u);");
    assert.equal(code.status, 0, code.stderr);
    assert.match(JSON.stringify(code.json?.structuredContent), /fetch-without-timeout/);
    const file = inspect('--method', 'tools/call', '--tool-name', 'analyze_file', '--tool-arg', 'path=server.ts');
    assert.equal(file.status, 0, file.stderr);
    assert.match(JSON.stringify(file.json?.structuredContent), /fetch-without-timeout/);
  });

  it('gets an isError result for a file outside the working directory', () => {
    const r = inspect('--method', 'tools/call', '--tool-name', 'analyze_file', '--tool-arg', 'path=/etc/passwd');
    assert.equal(r.json?.isError, true, r.stdout);
    assert.match(r.stdout, /outside the allowed roots/);
  });

  it('calls get_playbook and reads a resource and a prompt', () => {
    const pb = inspect('--method', 'tools/call', '--tool-name', 'get_playbook', '--tool-arg', 'query=p99 latency');
    assert.equal(pb.status, 0, pb.stderr);
    assert.ok((pb.json?.structuredContent as { markdown?: string }).markdown?.includes('200'));
    const res = inspect('--method', 'resources/read', '--uri', 'mcp-architect://rules/fetch-without-timeout');
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /fetch-without-timeout/);
    const prompt = inspect('--method', 'prompts/get', '--prompt-name', 'incident_war_room', '--prompt-args', 'symptoms=error rate 5%');
    assert.equal(prompt.status, 0, prompt.stderr);
    assert.match(prompt.stdout, /error rate 5%/);
  });
});
