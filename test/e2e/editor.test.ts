// The extension in a real editor: code-server with the packaged VSIX installed, driven through Chromium.
// Needs `npm run setup:e2e` (code-server, Node 24, chromium); without it these tests fail and say so.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeText } from '../../src/core/analyzer';
import { RULES } from '../../src/core/rules';
import type { Finding } from '../../src/core/types';
import { REPO_ROOT, SCREENSHOTS, missingTools, packageVsix, startEditor, TEST_SETTINGS, type EditorSession } from './code-server';
import { editorFor, openFile, openQuickFixMenu, problemRows, runCommand, scrollProblemsToTop, showProblems, waitFor, type ProblemRow } from './workbench';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/e2e-workspace');
const SERVER_FILE = 'src/server.ts';
const SOURCE = 'mcp-architect';

const BASE_SETTINGS = {
  ...TEST_SETTINGS,
  'editor.snippetSuggestions': 'top',
  'editor.quickSuggestions': { other: true, comments: false, strings: false },
};

/** Rule id of a Problems row: own diagnostics show the id, tsserver's the numeric code. */
function ruleOf(row: ProblemRow): string | undefined {
  if (row.source !== SOURCE) return undefined;
  if (/^\d+$/.test(row.code)) return RULES.find(r => r.meta.code === Number(row.code))?.meta.id;
  return row.code || undefined;
}

function ourRows(rows: ProblemRow[], file = 'server.ts'): ProblemRow[] {
  return rows.filter(r => r.source === SOURCE && r.file === file);
}

/** What the analysis core finds in the fixture, with the facts of its package.json (as the editor sees it). */
function expectedFindings(): Finding[] {
  const file = path.join(FIXTURE, SERVER_FILE);
  return analyzeText(ts, file, fs.readFileSync(file, 'utf8'), {
    project: { usesMcpServerSdk: true, servesStdio: true, servesHttp: false },
  });
}

/** Replaces the user settings through the editor (Preferences: Open User Settings (JSON)), as a user would. */
async function writeUserSettings(session: EditorSession, extra: Record<string, unknown>): Promise<void> {
  const page = session.page;
  const text = JSON.stringify({ ...BASE_SETTINGS, ...extra }, null, 2);
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  const editor = editorFor(page, 'User/settings.json');
  await editor.waitFor({ timeout: 15_000 });
  await editor.locator('.view-lines').click();
  await page.locator('.monaco-editor.focused[data-uri$="User/settings.json"]').waitFor({ timeout: 10_000 });
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // One line, so that auto-indent has nothing to do; then drop what auto-closing added after the cursor.
  await page.keyboard.insertText(JSON.stringify(JSON.parse(text)));
  await page.keyboard.press('Shift+Control+End');
  await page.keyboard.press('Delete');
  await page.keyboard.press('Control+S');
  // The file may be caught half-written: compare parsed content, treating unparsable text as not yet saved.
  const parsed = (t: string): unknown => {
    try {
      return JSON.parse(t);
    } catch {
      return undefined;
    }
  };
  await waitFor(async () => fs.readFileSync(session.userSettings, 'utf8'), t => JSON.stringify(parsed(t)) === JSON.stringify(JSON.parse(text)), 15_000, 250);
  assert.deepEqual(parsed(fs.readFileSync(session.userSettings, 'utf8')), JSON.parse(text), 'settings.json was saved');
  // Settings open in a modal editor over the workbench (workbench.editor.useModal), which would cover the Problems
  // panel: close it, and make sure it is gone, whichever of Ctrl+W or Escape the workbench took.
  for (let attempt = 0; attempt < 5 && (await editor.isVisible()); attempt++) {
    await page.keyboard.press(attempt % 2 === 0 ? 'Control+W' : 'Escape');
    await editor.waitFor({ state: 'hidden', timeout: 2_000 }).catch(() => undefined);
  }
  assert.equal(await editor.isVisible(), false, 'the settings.json editor was closed');
}

describe('editor (code-server + VSIX)', function () {
  this.timeout(180_000);
  let session: EditorSession;
  const expected = expectedFindings();
  const expectedRules = [...new Set(expected.map(f => f.ruleId))].sort();

  before(async function () {
    this.timeout(300_000);
    const missing = missingTools();
    if (missing.length) {
      throw new Error(`The editor tests need ${missing.join(', ')}. Install them with \`npm run setup:e2e\`.`);
    }
    const vsix = packageVsix();
    session = await startEditor({ vsix, fixture: FIXTURE, settings: BASE_SETTINGS });
    fs.writeFileSync(path.join(session.workspace, 'src', 'scratch.ts'), '');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await openFile(session.page, SERVER_FILE);
  });

  let failed = false;
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !session) return;
    failed = true;
    const shot = path.join(session.dir, `failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}.png`);
    await session.page.screenshot({ path: shot }).catch(() => undefined);
  });

  after(async () => {
    await session?.close();
    // Logs of a failed run stay for a look (user-data/logs/*/exthost1/mcp-architect.mcp-server-architect/).
    if (session?.dir && !failed) fs.rmSync(session.dir, { recursive: true, force: true });
    else if (session?.dir) console.log(`editor test run kept in ${session.dir}`);
  });

  it('lists findings of at least five rules in the Problems panel, from source mcp-architect, each once', async () => {
    assert.ok(expectedRules.length >= 5, `the fixture must trigger at least five rules; the analysis core finds ${expectedRules.join(', ')}`);
    const rows = await waitFor(
      () => problemRows(session.page),
      r => new Set(ourRows(r).map(ruleOf)).size >= Math.min(expectedRules.length, 5),
      90_000,
      2_000,
    );
    const ours = ourRows(rows);
    const shown = [...new Set(ours.map(ruleOf).filter(Boolean))].sort();
    const listing = rows.map(r => `${r.file}:${r.line} ${r.source}(${r.code}) ${r.message.slice(0, 60)}`).join('\n');
    assert.ok(shown.length >= 5, `at least five rules in the Problems panel, got ${shown.join(', ')}:\n${listing}`);
    for (const row of ours) {
      const id = ruleOf(row);
      assert.ok(
        expected.some(f => f.ruleId === id && f.range.start.line + 1 === row.line),
        `row ${row.line}: ${id} matches no finding of the analysis core:\n${listing}`,
      );
    }
    const keys = ours.map(r => `${ruleOf(r)}@${r.line}:${r.column}`);
    assert.equal(new Set(keys).size, keys.length, `a finding is shown twice: ${keys.join(', ')}`);
    await scrollProblemsToTop(session.page);
    await session.page.screenshot({ path: path.join(SCREENSHOTS, 'problems-panel.png') });
  });

  it('applies a quick fix from the editor (Ctrl+.), which changes the code and clears the warning', async () => {
    const page = session.page;
    const finding = expected.find(f => f.ruleId === 'fetch-without-timeout' && f.fixes.length > 0);
    assert.ok(finding, 'the fixture has a fetch() without timeout');
    const { item, titles } = await openQuickFixMenu(page, SERVER_FILE, finding.range.start.line + 1, finding.range.start.character + 3, finding.fixes[0].title);
    for (const title of [`Disable fetch-without-timeout for this line`, `Turn off fetch-without-timeout in settings`, `Open the fetch-without-timeout playbook`]) {
      assert.ok(titles.some(t => t.includes(title)), `quick fix menu lacks "${title}": ${JSON.stringify(titles)}`);
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'quick-fix-menu.png') });
    await item.click();
    await page.keyboard.press('Control+S');
    const file = path.join(session.workspace, SERVER_FILE);
    const text = await waitFor(async () => fs.readFileSync(file, 'utf8'), t => t.includes('AbortSignal.timeout(30_000)'), 20_000);
    assert.ok(text.includes('AbortSignal.timeout(30_000)'), 'the fix was written to the file');
    const rows = await waitFor(
      () => problemRows(page),
      r => !ourRows(r).some(row => ruleOf(row) === 'fetch-without-timeout') && ourRows(r).length > 0,
      30_000,
      1_000,
    );
    assert.ok(!ourRows(rows).some(row => ruleOf(row) === 'fetch-without-timeout'), 'the fetch-without-timeout warning is gone');
    assert.ok(ourRows(rows).length > 0, 'the other warnings stay');
  });

  it('inserts a snippet typed by its mcp- prefix', async () => {
    const page = session.page;
    const snippets = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'snippets/typescript.json'), 'utf8')) as Record<string, { prefix: string | string[]; body: string | string[] }>;
    const all = Object.values(snippets).map(s => ({ prefix: Array.isArray(s.prefix) ? s.prefix[0] : s.prefix, body: Array.isArray(s.body) ? s.body : [s.body] }));
    const snippet = ['mcp-fetch-timeout', 'mcp-ttl-cache'].map(p => all.find(s => s.prefix === p)).find(Boolean) ?? all.find(s => s.prefix.startsWith('mcp-'));
    assert.ok(snippet, 'snippets/typescript.json has an mcp- snippet');
    await openFile(page, 'src/scratch.ts');
    await page.keyboard.type(snippet.prefix, { delay: 30 });
    const suggest = page.locator('.suggest-widget.visible');
    if (!(await suggest.isVisible())) await page.keyboard.press('Control+Space');
    await suggest.locator('.monaco-list-row.focused', { hasText: snippet.prefix }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.waitForTimeout(2_000); // let the diagnostics of the typed prefix clear
    await scrollProblemsToTop(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'snippet-inserted.png') });
    await page.keyboard.press('Control+S');
    // The longest body line without placeholders must be in the file as written.
    const plain = snippet.body.map(l => l.trim()).filter(l => l && !l.includes('$')).sort((a, b) => b.length - a.length)[0];
    assert.ok(plain, 'the snippet has a line without placeholders');
    const file = path.join(session.workspace, 'src/scratch.ts');
    const text = await waitFor(async () => fs.readFileSync(file, 'utf8'), t => t.includes(plain), 15_000);
    assert.ok(text.includes(plain), `scratch.ts lacks "${plain}":\n${text}`);
    assert.ok(!text.includes(snippet.prefix) || snippet.body.join('\n').includes(snippet.prefix), 'the prefix was replaced by the body');
  });

  it('turns a rule off from settings.json without a reload', async () => {
    const page = session.page;
    await openFile(page, SERVER_FILE);
    const before = ourRows(await problemRows(page));
    const candidates = ['stdout-in-stdio-server', 'hardcoded-secret', 'retry-without-backoff', 'unbounded-cache'];
    const target = candidates.find(id => before.some(r => ruleOf(r) === id)) ?? ruleOf(before.find(r => ruleOf(r) !== 'fetch-without-timeout')!);
    assert.ok(target, 'a rule to turn off');
    await writeUserSettings(session, { 'mcpArchitect.rules': { [target]: 'off' } });
    const rows = await waitFor(
      () => problemRows(page),
      // While tsserver recomputes, the list can be empty for a moment: wait for the others to be back.
      r => !ourRows(r).some(row => ruleOf(row) === target) && ourRows(r).some(row => ruleOf(row) !== target),
      // A loaded CI machine can take tsserver well over 30 s to recompute the project's diagnostics.
      120_000,
      1_000,
    );
    assert.ok(!ourRows(rows).some(row => ruleOf(row) === target), `${target} is still shown`);
    assert.ok(ourRows(rows).some(row => ruleOf(row) !== target), 'other rules are still shown');
  });

  it('switches to the extension engine (engine: "extension") without a reload, still showing each finding once', async () => {
    const page = session.page;
    await writeUserSettings(session, { 'mcpArchitect.engine': 'extension' });
    // Own diagnostics show the rule id as their code; the plugin's show the number.
    const rows = await waitFor(
      () => problemRows(page),
      r => ourRows(r).length > 0 && ourRows(r).every(row => !/^\d+$/.test(row.code)),
      45_000,
      1_500,
    );
    const ours = ourRows(rows);
    assert.ok(ours.length > 0 && ours.every(r => !/^\d+$/.test(r.code)), `rows: ${ours.map(r => r.code).join(', ')}`);
    const keys = ours.map(r => `${ruleOf(r)}@${r.line}:${r.column}`);
    assert.equal(new Set(keys).size, keys.length, `a finding is shown twice: ${keys.join(', ')}`);
    const current = fs.readFileSync(path.join(session.workspace, SERVER_FILE), 'utf8');
    const now = analyzeText(ts, path.join(session.workspace, SERVER_FILE), current, { project: { usesMcpServerSdk: true, servesStdio: true, servesHttp: false } });
    assert.deepEqual([...new Set(ours.map(ruleOf))].sort(), [...new Set(now.map(f => f.ruleId))].sort());
  });

  it('checks a tool module with what its package does on disk (the extension engine reads the files not open)', async () => {
    const page = session.page;
    // A second package whose stdio entry stays closed: only the files on disk say that console.log in tools.ts
    // writes into the JSON-RPC stream.
    fs.cpSync(path.join(REPO_ROOT, 'test/fixtures/stdio-tool-package'), path.join(session.workspace, 'worker'), { recursive: true });
    await openFile(page, 'worker/tools.ts');
    const rows = await waitFor(
      () => problemRows(page),
      r => ourRows(r, 'tools.ts').some(row => row.code === 'stdout-in-stdio-server'),
      45_000,
      1_500,
    );
    const row = ourRows(rows, 'tools.ts').find(r => r.code === 'stdout-in-stdio-server');
    assert.equal(row?.line, 7, `rows:\n${rows.map(r => `${r.file}:${r.line} ${r.source}(${r.code})`).join('\n')}`);
  });

  it('reports findings in a Python MCP server from the extension\'s own engine', async () => {
    const page = session.page;
    await openFile(page, 'py/weather_server.py');
    const want = ['http-client-without-timeout', 'shell-injection', 'unbounded-cache'];
    const rows = await waitFor(
      () => problemRows(page),
      r => want.every(id => ourRows(r, 'weather_server.py').some(row => row.code === id)),
      60_000,
      1_500,
    );
    const py = ourRows(rows, 'weather_server.py');
    assert.deepEqual([...new Set(py.map(r => r.code))].sort(), want, `rows:\n${rows.map(r => `${r.file}:${r.line} ${r.source}(${r.code})`).join('\n')}`);
    assert.equal(py.find(r => r.code === 'http-client-without-timeout')?.line, 14);
  });

  it('Analyze Workspace flags the @modelcontextprotocol/sdk range with known advisories in package.json', async () => {
    const page = session.page;
    await runCommand(page, 'MCP Architect: Analyze Workspace');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'rule(s) in' }).first();
    await toast.waitFor({ timeout: 60_000 });
    assert.match(await toast.innerText(), /finding\(s\) of \d+ rule\(s\) in \d+ file\(s\), 1 vulnerable MCP SDK dependency/);
    await showProblems(page);
    const rows = await waitFor(
      () => problemRows(page),
      r => r.some(row => row.file === 'package.json' && row.source === SOURCE),
      30_000,
      1_000,
    );
    const advisory = rows.find(row => row.file === 'package.json' && row.source === SOURCE);
    assert.ok(advisory, 'package.json row');
    assert.equal(advisory.code, 'vulnerable-mcp-sdk');
    assert.match(advisory.message, /CVE-2025-66414/);
    assert.equal(advisory.line, 8, 'on the dependency line');
  });
});
