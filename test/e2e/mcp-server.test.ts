// The bundled MCP server in a real editor: code-server with the packaged VSIX, where the extension's
// McpServerDefinitionProvider puts "MCP Server Architect" into VS Code's own MCP server list ("MCP: List Servers"),
// and the list's Start Server runs dist/mcp-server.js from the installed extension.
// Ports 47400-47499 and a VSIX path of its own, so that it can run beside the other editor suites.
// Needs `npm run setup:e2e` (code-server, Node 24, chromium); without it these tests fail and say so.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { PLAYBOOKS } from '../../src/core/playbook-data';
import { RULES } from '../../src/core/rules';
import { REPO_ROOT, SCREENSHOTS, missingTools, packageVsix, startEditor, TEST_SETTINGS, type EditorSession } from './code-server';
import { runCommand, waitFor } from './workbench';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/e2e-workspace');
const PORTS = [47400, 47499] as const;
const MANIFEST = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
const EXTENSION_ID = `${MANIFEST.publisher}.${MANIFEST.name}`;
const LABEL = 'MCP Server Architect';
const OUTPUT_CHANNEL = `MCP: ${LABEL}`;
/** The line dist/mcp-server.js writes to stderr once it is connected (src/mcp-server/main.ts). */
const READY_LINE = `[mcp-server-architect] ready (version ${MANIFEST.version}, ${PLAYBOOKS.length} playbooks, ${
  RULES.filter(r => fs.existsSync(path.join(REPO_ROOT, 'docs/rules', `${r.meta.id}.md`))).length
} rule pages)`;

const SETTINGS = {
  ...TEST_SETTINGS,
  // The other editor suites turn the AI features off; that hides VS Code's MCP commands ("MCP: List Servers"
  // requires the chat setup not to be hidden), so this suite leaves them on.
  'chat.disableAIFeatures': false,
  // Lets VS Code run MCP servers from any source (the default; "none" would switch MCP off).
  'chat.mcp.access': 'all',
  // No server starts by itself, so the list shows ours stopped until the test starts it.
  'chat.mcp.autostart': 'never',
};

/** The MCP server bundle inside the extensions dir of this session's code-server. */
function installedServerScript(session: EditorSession): string {
  const extensions = path.join(session.dir, 'extensions');
  const dir = fs.readdirSync(extensions).find(d => d.startsWith(`${EXTENSION_ID}-`));
  assert.ok(dir, `${EXTENSION_ID} is not installed in ${extensions}`);
  const script = path.join(extensions, dir, 'dist', 'mcp-server.js');
  assert.ok(fs.existsSync(script), `the installed extension has no ${path.relative(extensions, script)}`);
  return script;
}

/** Pids of the processes whose command line runs `script` (read from /proc, so only this session's server counts). */
function processesRunning(script: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(script)) pids.push(Number(entry));
    } catch {
      // the process ended while the list was read
    }
  }
  return pids;
}

/** The tools the installed server lists to the SDK's own client: what VS Code should discover. */
async function toolsListedBy(script: string): Promise<string[]> {
  const client = new Client({ name: 'mcp-server-e2e', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [script], stderr: 'ignore' }));
  try {
    return (await client.listTools()).tools.map(t => t.name);
  } finally {
    await client.close();
  }
}

interface ListedServer {
  /** VS Code's id of the definition: `<extension id>/<label>` for servers that extensions provide. */
  id: string;
  label: string;
  state: string;
}

/** Runs "MCP: List Servers" and reads its quick pick (the list fills in as providers answer, hence the wait). */
async function openServerList(session: EditorSession, timeoutMs = 60_000): Promise<ListedServer[]> {
  const page = session.page;
  try {
    await runCommand(page, 'MCP: List Servers');
  } catch (error) {
    throw new Error(`the command palette has no "MCP: List Servers" (MCP support off in this editor?): ${String(error)}`);
  }
  await page.locator('.quick-input-widget input[placeholder="Select an MCP Server"]').waitFor({ state: 'visible', timeout: 20_000 });
  const read = () =>
    page.$$eval('.quick-input-widget .monaco-list-row [data-quick-input-id]', els =>
      els.map(e => ({
        id: e.getAttribute('data-quick-input-id') ?? '',
        label: (e.querySelector('.label-name') as HTMLElement | null)?.innerText.trim() ?? '',
        state: (e.querySelector('.label-description') as HTMLElement | null)?.innerText.trim() ?? '',
      })),
    );
  return waitFor(read, rows => rows.some(r => r.label === LABEL), timeoutMs, 500);
}

function ours(rows: ListedServer[]): ListedServer {
  const row = rows.find(r => r.label === LABEL);
  assert.ok(row, `"${LABEL}" is not among VS Code's MCP servers; "MCP: List Servers" shows: ${JSON.stringify(rows)}`);
  return row;
}

/** The state the list shows for our server, once `ok` holds or the time is up (the quick pick updates live). */
async function waitForState(session: EditorSession, ok: (state: string) => boolean, timeoutMs: number): Promise<string> {
  await openServerList(session);
  const row = session.page.locator('.quick-input-widget .monaco-list-row', { has: session.page.locator('.label-name', { hasText: LABEL }) }).first();
  const state = await waitFor(() => row.locator('.label-description').innerText().then(t => t.trim()), ok, timeoutMs, 500);
  return state;
}

/** Picks our server in "MCP: List Servers", then `action` in its options (Start Server, Stop Server, Show Output...). */
async function serverAction(session: EditorSession, action: string): Promise<void> {
  const page = session.page;
  ours(await openServerList(session));
  await page.locator('.quick-input-widget .monaco-list-row', { has: page.locator('.label-name', { hasText: LABEL }) }).first().click();
  const item = page.locator('.quick-input-widget .monaco-list-row', { has: page.locator('.label-name', { hasText: action }) }).first();
  try {
    await item.waitFor({ timeout: 20_000 });
  } catch {
    const offered = await page.locator('.quick-input-widget .monaco-list-row .label-name').allInnerTexts();
    throw new Error(`the options of "${LABEL}" have no "${action}": ${JSON.stringify(offered)}`);
  }
  await item.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The text of the Output panel, once it shows OUTPUT_CHANNEL; wrapped lines are joined again. */
async function outputText(session: EditorSession): Promise<{ channel: string; text: string }> {
  const panel = session.page.locator('.part.panel');
  const channel = await panel.locator('select.monaco-select-box[aria-label="Switch Output"]').first().inputValue().catch(() => '');
  if (channel !== OUTPUT_CHANNEL) return { channel, text: '' };
  const lines = await panel.locator('.monaco-editor .view-lines').first().innerText().catch(() => '');
  return { channel, text: lines.replace(/\u00a0/g, ' ') };
}

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('editor: the MCP server in VS Code\'s MCP server list (code-server + VSIX)', function () {
  this.timeout(180_000);
  let session: EditorSession;
  let script: string;
  let expectedTools: string[];
  let failed = false;

  before(async function () {
    this.timeout(300_000);
    const missing = missingTools();
    if (missing.length) throw new Error(`The editor tests need ${missing.join(', ')}. Install them with \`npm run setup:e2e\`.`);
    session = await startEditor({ vsix: packageVsix(), fixture: FIXTURE, settings: SETTINGS, portRange: PORTS });
    script = installedServerScript(session);
    expectedTools = await toolsListedBy(script);
    // That client's server process is gone before the editor's is counted.
    await waitFor(async () => processesRunning(script), p => p.length === 0, 20_000, 100);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    // The explorer shows the fixture: the folder is open and the workbench is ready for commands.
    await session.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'package.json' }).first().waitFor({ timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !session) return;
    failed = true;
    await session.page.screenshot({ path: path.join(session.dir, `failed-mcp-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
  });

  after(async () => {
    await session?.close();
    if (session?.dir && !failed) fs.rmSync(session.dir, { recursive: true, force: true });
    else if (session?.dir) console.log(`MCP server editor test run kept in ${session.dir}`);
  });

  it('lists "MCP Server Architect", provided by the extension, among the MCP servers, stopped until started', async () => {
    const rows = await openServerList(session);
    const row = ours(rows);
    assert.equal(row.id, `${EXTENSION_ID}/${LABEL}`, `the listed server comes from ${EXTENSION_ID}'s provider: ${JSON.stringify(rows)}`);
    assert.equal(rows.filter(r => r.label === LABEL).length, 1, `listed once: ${JSON.stringify(rows)}`);
    assert.equal(row.state, 'Stopped', `with chat.mcp.autostart "never" nothing starts it: ${JSON.stringify(row)}`);
    assert.deepEqual(processesRunning(script), [], 'no server process before Start Server');
    await session.page.keyboard.press('Escape');
  });

  it('starts it from the list: the state turns Running, the process runs, and its output shows the ready line and the tools', async () => {
    const page = session.page;
    assert.ok(expectedTools.length > 0, 'the server lists tools');

    await serverAction(session, 'Start Server');
    const state = await waitForState(session, s => s === 'Running' || /^Error/i.test(s), 90_000);
    await page.keyboard.press('Escape');
    if (state !== 'Running') {
      await serverAction(session, 'Show Output');
      const out = await waitFor(() => outputText(session), o => o.text.length > 0, 10_000);
      assert.fail(`"${LABEL}" did not reach Running after Start Server (state: ${state}); its output channel:\n${out.text}`);
    }
    const pids = processesRunning(script);
    assert.equal(pids.length, 1, `one process runs ${script}: ${JSON.stringify(pids)}`);

    await serverAction(session, 'Show Output');
    const discovered = new RegExp(`Discovered ${expectedTools.length} tools`);
    const out = await waitFor(() => outputText(session), o => flat(o.text).includes(READY_LINE) && discovered.test(o.text), 60_000, 500);
    assert.equal(out.channel, OUTPUT_CHANNEL, 'the Output panel shows the server\'s channel');
    assert.ok(flat(out.text).includes(READY_LINE), `the output channel has the server's stderr line "${READY_LINE}":\n${out.text}`);
    assert.match(out.text, /Connection state: Running/, out.text);
    assert.match(out.text, discovered, `VS Code discovered the ${expectedTools.length} tools the server lists (${expectedTools.join(', ')}):\n${out.text}`);

    // The list, opened again over the running server's output, for the screenshot.
    assert.equal(await waitForState(session, s => s === 'Running', 20_000), 'Running');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'mcp-server-list.png') });
    await page.keyboard.press('Escape');
  });

  it('stops it from the list: the state turns Stopped and the server process exits', async () => {
    assert.equal(processesRunning(script).length, 1, 'the server started by the previous test runs before Stop Server');
    await serverAction(session, 'Stop Server');
    const state = await waitForState(session, s => s === 'Stopped', 60_000);
    await session.page.keyboard.press('Escape');
    assert.equal(state, 'Stopped', `"${LABEL}" did not show Stopped after Stop Server`);
    const pids = await waitFor(async () => processesRunning(script), p => p.length === 0, 30_000, 250);
    assert.deepEqual(pids, [], 'the server process exited after Stop Server');
  });
});
