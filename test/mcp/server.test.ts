// The built MCP server (dist/mcp-server.js) driven by the SDK's own Client over stdio.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListRootsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { RULES } from '../../src/core/rules';
import { PLAYBOOKS } from '../../src/core/playbook-data';
import { REPO_ROOT } from '../helpers/rules';

const SERVER = path.join(REPO_ROOT, 'dist', 'mcp-server.js');
const RISKY = [
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
  "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';",
  'export async function get(u: string) { return fetch(u); }',
  '',
].join('\n');

interface Session {
  client: Client;
  errors: unknown[];
  stderr: string[];
  close(): Promise<void>;
}

async function connect(opts: { roots?: string[]; cwd?: string } = {}): Promise<Session> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [SERVER], cwd: opts.cwd ?? REPO_ROOT, stderr: 'pipe' });
  const stderr: string[] = [];
  transport.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
  const client = new Client({ name: 'test-client', version: '1.0.0' }, { capabilities: opts.roots ? { roots: { listChanged: true } } : {} });
  const errors: unknown[] = [];
  // A line on stdout that is not JSON-RPC makes the transport report an error here.
  client.onerror = e => errors.push(e);
  if (opts.roots) {
    const roots = opts.roots;
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: roots.map(r => ({ uri: pathToFileURL(r).href, name: path.basename(r) })) }));
  }
  await client.connect(transport);
  return { client, errors, stderr, close: () => client.close() };
}

const text = (r: CallToolResult) => r.content.map(c => (c.type === 'text' ? c.text : '')).join('\n');

describe('MCP server (stdio, SDK client)', function () {
  this.timeout(60_000);
  let s: Session;
  let workspace: string;

  before(function () {
    this.timeout(120_000);
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-roots-'));
    fs.writeFileSync(path.join(workspace, 'server.ts'), RISKY);
    fs.writeFileSync(path.join(os.tmpdir(), 'mcp-architect-outside.ts'), RISKY);
    fs.symlinkSync(path.join(os.tmpdir(), 'mcp-architect-outside.ts'), path.join(workspace, 'escape.ts'));
  });
  beforeEach(async () => {
    s = await connect({ roots: [workspace] });
  });
  afterEach(async () => {
    assert.deepEqual(s.errors, [], 'every stdout line is JSON-RPC');
    await s.close();
  });
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));

  it('identifies itself and lists its tools with input and output schemas and read-only annotations', async () => {
    assert.equal(s.client.getServerVersion()?.name, 'mcp-server-architect');
    const { tools } = await s.client.listTools();
    assert.deepEqual(tools.map(t => t.name).sort(), ['analyze_code', 'analyze_file', 'get_playbook', 'get_snippet', 'list_rules']);
    for (const t of tools) {
      assert.equal(t.inputSchema.type, 'object', t.name);
      assert.equal(t.outputSchema?.type, 'object', `${t.name} has an output schema`);
      assert.equal(t.annotations?.readOnlyHint, true, `${t.name} is read-only`);
    }
  });

  it('analyze_code returns findings as structured content', async () => {
    const r = (await s.client.callTool({ name: 'analyze_code', arguments: { code: RISKY, fileName: 'server.ts' } })) as CallToolResult;
    assert.ok(!r.isError, text(r));
    const out = r.structuredContent as { findings: { ruleId: string; start: { line: number } }[]; summary: { warning: number } };
    const fetchFinding = out.findings.find(f => f.ruleId === 'fetch-without-timeout');
    assert.ok(fetchFinding, text(r));
    assert.equal(fetchFinding.start.line, 3);
    assert.match(text(r), /fetch-without-timeout/);
  });

  it('analyze_file reads inside the roots and refuses paths outside them, through symlinks too', async () => {
    const ok = (await s.client.callTool({ name: 'analyze_file', arguments: { path: 'server.ts' } })) as CallToolResult;
    assert.ok(!ok.isError, text(ok));
    assert.ok((ok.structuredContent as { findings: unknown[] }).findings.length > 0);
    for (const p of [path.join(os.tmpdir(), 'mcp-architect-outside.ts'), '../mcp-architect-outside.ts', 'escape.ts', '/etc/passwd']) {
      const r = (await s.client.callTool({ name: 'analyze_file', arguments: { path: p } })) as CallToolResult;
      assert.equal(r.isError, true, `${p} must be refused`);
      assert.match(text(r), /outside the allowed roots|No such file/);
    }
  });

  it('answers bad input with isError results and keeps serving', async () => {
    const bad: Array<[string, Record<string, unknown>, RegExp]> = [
      ['analyze_code', {}, /code/i],
      ['analyze_code', { code: 42 }, /code/i],
      ['analyze_code', { code: 'x'.repeat(1024 * 1024 + 1) }, /limit is 1048576 bytes/],
      ['analyze_code', { code: 'x', fileName: 'notes.txt' }, /Cannot analyse notes\.txt/],
      ['analyze_file', { path: 'missing.ts' }, /No such file/],
      ['get_playbook', { id: 'no-such-playbook' }, /No playbook 'no-such-playbook'/],
      ['get_playbook', {}, /Give a playbook `id` or a search `query`/],
      ['get_snippet', { pattern: 'no-such-pattern' }, /No typescript snippet 'mcp-no-such-pattern'/],
      ['list_rules', { language: 'cobol' }, /language/],
    ];
    for (const [name, args, message] of bad) {
      const r = (await s.client.callTool({ name, arguments: args })) as CallToolResult;
      assert.equal(r.isError, true, `${name} ${JSON.stringify(args).slice(0, 80)}`);
      assert.match(text(r), message);
    }
    const after = (await s.client.callTool({ name: 'list_rules', arguments: {} })) as CallToolResult;
    assert.ok(!after.isError);
  });

  it('list_rules lists every rule with its documentation resource', async () => {
    const r = (await s.client.callTool({ name: 'list_rules', arguments: {} })) as CallToolResult;
    const rules = (r.structuredContent as { rules: { id: string; resourceUri: string }[] }).rules;
    assert.deepEqual(rules.map(x => x.id).sort(), RULES.map(x => x.meta.id).sort());
  });

  it('get_playbook by id and by query; get_snippet by pattern and language', async () => {
    const byId = (await s.client.callTool({ name: 'get_playbook', arguments: { id: 'circuit-breaker-cascade' } })) as CallToolResult;
    assert.ok(!byId.isError, text(byId));
    assert.match((byId.structuredContent as { markdown: string }).markdown, /5/);
    const byQuery = (await s.client.callTool({ name: 'get_playbook', arguments: { query: 'strangler fig' } })) as CallToolResult;
    assert.equal((byQuery.structuredContent as { id: string }).id, 'strangler-fig-migration');
    for (const language of ['typescript', 'javascript', 'python']) {
      const snip = (await s.client.callTool({ name: 'get_snippet', arguments: { pattern: 'circuit-breaker', language } })) as CallToolResult;
      assert.ok(!snip.isError, text(snip));
      const code = (snip.structuredContent as { code: string }).code;
      assert.ok(code.length > 200 && !/\$\{\d/.test(code), 'placeholders are expanded');
    }
  });

  it('serves the persona, every playbook and every rule page as Markdown resources', async () => {
    const { resources } = await s.client.listResources();
    const uris = new Set(resources.map(r => r.uri));
    assert.ok(uris.has('mcp-architect://persona'));
    for (const p of PLAYBOOKS) assert.ok(uris.has(`mcp-architect://playbooks/${p.id}`), p.id);
    for (const r of RULES) assert.ok(uris.has(`mcp-architect://rules/${r.meta.id}`), r.meta.id);
    const persona = await s.client.readResource({ uri: 'mcp-architect://persona' });
    assert.match((persona.contents[0] as { text: string }).text, /Failure Assumption Architecture/);
    const rule = await s.client.readResource({ uri: 'mcp-architect://rules/fetch-without-timeout' });
    assert.match((rule.contents[0] as { text: string }).text, /^# fetch-without-timeout/);
    const pb = await s.client.readResource({ uri: 'mcp-architect://playbooks/war-room-incident-response' });
    assert.equal(pb.contents[0].mimeType, 'text/markdown');
  });

  it('offers the persona, review, war-room, migration and resilience prompts', async () => {
    const { prompts } = await s.client.listPrompts();
    assert.deepEqual(prompts.map(p => p.name).sort(), ['architect', 'incident_war_room', 'migration_plan', 'resilience_design', 'review_code']);
    const persona = await s.client.getPrompt({ name: 'architect' });
    assert.match(JSON.stringify(persona.messages), /Senior Rule 21/);
    const review = await s.client.getPrompt({ name: 'review_code', arguments: { code: RISKY } });
    assert.match(JSON.stringify(review.messages), /fetch-without-timeout/);
    const reviewFile = await s.client.getPrompt({ name: 'review_code', arguments: { file: 'server.ts' } });
    assert.match(JSON.stringify(reviewFile.messages), /fetch-without-timeout/);
    const war = await s.client.getPrompt({ name: 'incident_war_room', arguments: { symptoms: 'p99 at 4 s, error rate 12% since the deploy' } });
    assert.match(JSON.stringify(war.messages), /p99 at 4 s/);
    await s.client.getPrompt({ name: 'migration_plan', arguments: { system: 'a COBOL billing system behind SOAP' } });
    await s.client.getPrompt({ name: 'resilience_design', arguments: { service: 'a weather tool calling two HTTP APIs' } });
    await assert.rejects(s.client.getPrompt({ name: 'review_code', arguments: { file: '/etc/passwd' } }), /outside the allowed roots/);
  });

  it('without client roots, reads only inside its working directory', async () => {
    const plain = await connect({ cwd: workspace });
    try {
      const ok = (await plain.client.callTool({ name: 'analyze_file', arguments: { path: 'server.ts' } })) as CallToolResult;
      assert.ok(!ok.isError, text(ok));
      const outside = (await plain.client.callTool({ name: 'analyze_file', arguments: { path: '/etc/hostname' } })) as CallToolResult;
      assert.equal(outside.isError, true);
      assert.deepEqual(plain.errors, []);
    } finally {
      await plain.close();
    }
  });
});
