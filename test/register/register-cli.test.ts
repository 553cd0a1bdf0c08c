// `mcp-architect register|unregister|serve` as a real process.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { REPO_ROOT } from '../helpers/rules';

const BIN = path.join(REPO_ROOT, 'bin', 'mcp-architect.js');

describe('mcp-architect register / unregister / serve', function () {
  this.timeout(60_000);
  let dir: string;
  const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, HOME: path.join(dir, 'home') } });

  before(function () {
    this.timeout(120_000);
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'ignore' });
  });
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-cli-register-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('registers with Claude Code (config and subagent), shows the command, and changes nothing the second time', () => {
    const first = cli('register', '--client', 'claude-code');
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /Server command: .*node.* .*dist\/mcp-server\.js/);
    const config = JSON.parse(fs.readFileSync(path.join(dir, '.mcp.json'), 'utf8'));
    assert.deepEqual(config.mcpServers['mcp-server-architect'].args, [path.join(REPO_ROOT, 'dist', 'mcp-server.js')]);
    assert.ok(fs.existsSync(path.join(dir, '.claude/agents/mcp-server-architect.md')));
    const second = cli('register', '--client', 'claude-code');
    assert.equal(second.status, 0);
    assert.match(second.stdout, /^unchanged: .*\nunchanged: /);
  });

  it('exits 2 with the file position on a malformed config, leaving it untouched', () => {
    fs.mkdirSync(path.join(dir, '.cursor'));
    fs.writeFileSync(path.join(dir, '.cursor/mcp.json'), '{ "mcpServers": { ');
    const r = cli('register', '--client', 'cursor');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /\.cursor\/mcp\.json:1:\d+: .*untouched/);
    assert.equal(fs.readFileSync(path.join(dir, '.cursor/mcp.json'), 'utf8'), '{ "mcpServers": { ');
  });

  it('exits 2 on bad usage, and --dry-run writes nothing', () => {
    assert.equal(cli('register').status, 2);
    assert.equal(cli('register', '--client', 'emacs').status, 2);
    const dry = cli('register', '--client', 'vscode', '--dry-run');
    assert.equal(dry.status, 0);
    assert.match(dry.stdout, /Dry run: nothing was written/);
    assert.ok(!fs.existsSync(path.join(dir, '.vscode')));
  });

  it('unregister removes what register wrote', () => {
    cli('register', '--client', 'copilot');
    assert.ok(fs.existsSync(path.join(dir, '.github/agents/mcp-server-architect.agent.md')));
    assert.equal(cli('unregister', '--client', 'copilot').status, 0);
    assert.ok(!fs.existsSync(path.join(dir, '.github/agents/mcp-server-architect.agent.md')));
  });

  it('serve speaks MCP over stdio', async () => {
    const client = new Client({ name: 'cli-test', version: '1.0.0' });
    const errors: unknown[] = [];
    client.onerror = e => errors.push(e);
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'serve'], cwd: dir, stderr: 'ignore' }));
    try {
      const { tools } = await client.listTools();
      assert.ok(tools.some(t => t.name === 'analyze_code'));
      assert.deepEqual(errors, []);
    } finally {
      await client.close();
    }
  });
});
