// The config writers against real files: comments, trailing commas, other servers, CRLF, malformed, read-only, symlinks.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import { runRegistration, describeChange, serverLaunch } from '../../src/register/register';
import { BACKUP_SUFFIX } from '../../src/register/config-writer';
import { AGENT_MARKER, type ClientId, type Environment } from '../../src/register/clients';

const LAUNCH = { command: '/usr/bin/node', args: ['/opt/ext/dist/mcp-server.js'] };
const PROMPT = '---\nname: x\n---\n# Persona\nAct as the architect.';

let dir: string;
let env: Environment;
const reg = (client: ClientId, extra: Partial<Parameters<typeof runRegistration>[0]> = {}) =>
  runRegistration({ client, mode: 'register', workspace: dir, launch: LAUNCH, agentPrompt: PROMPT, env, ...extra });
const read = (p: string) => fs.readFileSync(path.join(dir, p), 'utf8');
const write = (p: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
  fs.writeFileSync(path.join(dir, p), text);
};

describe('MCP client registration', () => {
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-register-'));
    env = { workspace: dir, home: path.join(dir, 'home'), platform: 'linux' };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates .vscode/mcp.json with a stdio server entry under "servers"', () => {
    const [c] = reg('vscode');
    assert.equal(c.action, 'create');
    assert.deepEqual(JSON.parse(read('.vscode/mcp.json')), {
      servers: { 'mcp-server-architect': { type: 'stdio', command: '/usr/bin/node', args: ['/opt/ext/dist/mcp-server.js'] } },
    });
  });

  it('keeps comments, trailing commas, other servers and inputs, and changes nothing the second time', () => {
    const original = [
      '// workspace MCP servers',
      '{',
      '  "inputs": [{ "id": "token", "type": "promptString" }],',
      '  "servers": {',
      '    /* the database */',
      '    "db": { "command": "db-mcp", "args": [], },',
      '  },',
      '}',
      '',
    ].join('\n');
    write('.vscode/mcp.json', original);
    reg('vscode');
    const after = read('.vscode/mcp.json');
    assert.ok(after.includes('// workspace MCP servers') && after.includes('/* the database */'), after);
    const parsed = parse(after, [], { allowTrailingComma: true });
    assert.deepEqual(parsed.servers.db, { command: 'db-mcp', args: [] });
    assert.deepEqual(parsed.inputs, [{ id: 'token', type: 'promptString' }]);
    assert.equal(parsed.servers['mcp-server-architect'].command, '/usr/bin/node');
    const [again] = reg('vscode');
    assert.equal(again.action, 'unchanged');
    assert.equal(read('.vscode/mcp.json'), after);
  });

  it('keeps Windows line endings and tab indentation', () => {
    write('.cursor/mcp.json', '{\r\n\t"mcpServers": {\r\n\t\t"other": {\r\n\t\t\t"command": "x"\r\n\t\t}\r\n\t}\r\n}\r\n');
    reg('cursor');
    const after = read('.cursor/mcp.json');
    assert.ok(!/[^\r]\n/.test(after), 'every newline is CRLF');
    assert.match(after, /\r\n\t\t"mcp-server-architect": \{/);
    assert.deepEqual(JSON.parse(after).mcpServers.other, { command: 'x' });
  });

  it('refuses a malformed file with its path and the position of the error, and leaves it untouched', () => {
    const broken = '{\n  "servers": {\n    "db": { "command": "x" \n  }\n';
    write('.vscode/mcp.json', broken);
    assert.throws(() => reg('vscode'), (e: Error) => e.message.includes(path.join(dir, '.vscode/mcp.json')) && /:\d+:\d+: /.test(e.message) && /untouched/.test(e.message));
    assert.equal(read('.vscode/mcp.json'), broken);
    assert.ok(!fs.existsSync(path.join(dir, '.vscode/mcp.json' + BACKUP_SUFFIX)));
  });

  it('refuses comments in a strict-JSON client config (Claude Desktop) and leaves it untouched', () => {
    const file = path.join(env.home, '.config/Claude/claude_desktop_config.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{\n  // mine\n  "mcpServers": {}\n}\n');
    assert.throws(() => reg('claude-desktop'), /strict JSON/);
    assert.equal(fs.readFileSync(file, 'utf8'), '{\n  // mine\n  "mcpServers": {}\n}\n');
  });

  it('writes Claude Desktop config at the per-OS location as strict JSON', () => {
    reg('claude-desktop');
    const file = path.join(env.home, '.config/Claude/claude_desktop_config.json');
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')).mcpServers['mcp-server-architect'], { command: '/usr/bin/node', args: ['/opt/ext/dist/mcp-server.js'] });
    env = { ...env, platform: 'darwin' };
    reg('claude-desktop');
    assert.ok(fs.existsSync(path.join(env.home, 'Library/Application Support/Claude/claude_desktop_config.json')));
  });

  it('backs up the first version once, and writes atomically (no temporary files left)', () => {
    write('.mcp.json', '{ "mcpServers": { "a": { "command": "a" } } }\n');
    reg('claude-code');
    assert.equal(fs.readFileSync(path.join(dir, '.mcp.json' + BACKUP_SUFFIX), 'utf8'), '{ "mcpServers": { "a": { "command": "a" } } }\n');
    reg('claude-code', { launch: { command: '/usr/local/bin/node', args: ['/x.js'] }, force: true });
    assert.equal(fs.readFileSync(path.join(dir, '.mcp.json' + BACKUP_SUFFIX), 'utf8'), '{ "mcpServers": { "a": { "command": "a" } } }\n', 'the backup keeps the first version');
    assert.deepEqual(fs.readdirSync(dir).filter(f => f.endsWith('.tmp')), []);
  });

  it('does not replace a different existing entry or agent file without --force', () => {
    write('.mcp.json', '{ "mcpServers": { "mcp-server-architect": { "command": "something-else" } } }');
    assert.throws(() => reg('claude-code'), /different mcp-server-architect entry.*--force/s);
    assert.match(read('.mcp.json'), /something-else/);
    reg('claude-code', { force: true });
    assert.equal(JSON.parse(read('.mcp.json')).mcpServers['mcp-server-architect'].command, '/usr/bin/node');
    write('.claude/agents/mcp-server-architect.md', 'my own agent');
    fs.rmSync(path.join(dir, '.mcp.json'));
    assert.throws(() => reg('claude-code'), /different content/);
  });

  it('writes the Claude Code subagent and the Copilot custom agent with the persona', () => {
    reg('claude-code');
    const agent = read('.claude/agents/mcp-server-architect.md');
    assert.match(agent, /^---\nname: mcp-server-architect\ndescription: /);
    assert.ok(agent.includes(AGENT_MARKER) && agent.includes('Act as the architect.') && !agent.includes('name: x'));
    reg('copilot');
    const copilot = read('.github/agents/mcp-server-architect.agent.md');
    assert.match(copilot, /mcp-servers:\n {2}mcp-server-architect:\n {4}type: local\n {4}command: "\/usr\/bin\/node"/);
  });

  it('follows a symlinked config and keeps the link', () => {
    write('real/mcp.json', '{ "servers": {} }');
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.symlinkSync(path.join(dir, 'real/mcp.json'), path.join(dir, '.vscode/mcp.json'));
    reg('vscode');
    assert.ok(fs.lstatSync(path.join(dir, '.vscode/mcp.json')).isSymbolicLink());
    assert.ok(JSON.parse(read('real/mcp.json')).servers['mcp-server-architect']);
  });

  it('refuses a read-only file and leaves it untouched', () => {
    write('.cursor/mcp.json', '{ "mcpServers": {} }');
    fs.chmodSync(path.join(dir, '.cursor/mcp.json'), 0o444);
    assert.throws(() => reg('cursor'), /read-only/);
    assert.equal(read('.cursor/mcp.json'), '{ "mcpServers": {} }');
  });

  it('--dry-run writes nothing and describes the change', () => {
    write('.vscode/mcp.json', '{ "servers": {} }\n');
    const changes = reg('vscode', { dryRun: true });
    assert.equal(read('.vscode/mcp.json'), '{ "servers": {} }\n');
    assert.match(describeChange(changes[0]), /UPDATE .*\n@@ line 1 @@\n- \{ "servers": \{\} \}\n\+/);
    assert.ok(!fs.existsSync(path.join(dir, '.vscode/mcp.json' + BACKUP_SUFFIX)));
  });

  it('--config points at any file; user scope goes to the home folder', () => {
    reg('cursor', { configFile: 'custom/place.json' });
    assert.ok(JSON.parse(read('custom/place.json')).mcpServers['mcp-server-architect']);
    reg('cursor', { scope: 'user' });
    assert.ok(fs.existsSync(path.join(env.home, '.cursor/mcp.json')));
    reg('windsurf');
    assert.ok(fs.existsSync(path.join(env.home, '.codeium/windsurf/mcp_config.json')));
  });

  it('unregister removes only our entry and our agent files', () => {
    write('.vscode/mcp.json', '{\n  // keep me\n  "servers": { "a": { "command": "a" } }\n}\n');
    reg('vscode');
    runRegistration({ client: 'vscode', mode: 'unregister', workspace: dir, launch: LAUNCH, agentPrompt: PROMPT, env });
    const after = read('.vscode/mcp.json');
    assert.ok(after.includes('// keep me'));
    assert.deepEqual(parse(after).servers, { a: { command: 'a' } });
    reg('claude-code');
    runRegistration({ client: 'claude-code', mode: 'unregister', workspace: dir, launch: LAUNCH, agentPrompt: PROMPT, env });
    assert.deepEqual(JSON.parse(read('.mcp.json')).mcpServers, {});
    assert.ok(!fs.existsSync(path.join(dir, '.claude/agents/mcp-server-architect.md')));
    write('.claude/agents/mcp-server-architect.md', 'not ours');
    assert.throws(() => runRegistration({ client: 'claude-code', mode: 'unregister', workspace: dir, launch: LAUNCH, agentPrompt: PROMPT, env }), /not written by/);
    assert.equal(read('.claude/agents/mcp-server-architect.md'), 'not ours');
  });

  it('runs the server with Electron as Node only when no node is on PATH', () => {
    assert.deepEqual(serverLaunch('/e/dist/mcp-server.js', { execPath: '/usr/bin/node', isElectron: false }), { command: '/usr/bin/node', args: ['/e/dist/mcp-server.js'] });
    assert.deepEqual(serverLaunch('/e/s.js', { execPath: '/opt/code/code', isElectron: true, nodeOnPath: '/usr/bin/node' }).command, '/usr/bin/node');
    assert.deepEqual(serverLaunch('/e/s.js', { execPath: '/opt/code/code', isElectron: true }).env, { ELECTRON_RUN_AS_NODE: '1' });
  });
});
