// Python in a real editor: code-server with the packaged VSIX (tree-sitter's WebAssembly inside it), a FastMCP
// server open, its findings in the Problems panel, a quick fix applied, and Analyze Workspace over .py files.
// Ports 47300-47399 and a VSIX path of its own, so that it can run beside the other editor suites.
// Needs `npm run setup:e2e` (code-server, Node 24, chromium); without it these tests fail and say so.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../src/core/rules';
import type { Finding } from '../../src/core/types';
import { analyzePy, loadPythonParser } from '../helpers/python';
import { REPO_ROOT, SCREENSHOTS, missingTools, packageVsix, startEditor, TEST_SETTINGS, type EditorSession } from './code-server';
import { openFile, openQuickFixMenu, problemRows, runCommand, scrollProblemsToTop, showProblems, waitFor, type ProblemRow } from './workbench';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/e2e-python-workspace');
const FILE = 'server.py';
// The server is the Python analysis fixture, copied into the workspace.
const SERVER = path.join(REPO_ROOT, 'test/fixtures/python/fastmcp_stdio_server.py');
const SOURCE = 'mcp-architect';
const PORTS = [47300, 47399] as const;


function ruleOf(row: ProblemRow): string | undefined {
  if (row.source !== SOURCE) return undefined;
  if (/^\d+$/.test(row.code)) return RULES.find(r => r.meta.code === Number(row.code))?.meta.id;
  return row.code || undefined;
}

const ours = (rows: ProblemRow[]) => rows.filter(r => r.source === SOURCE && r.file === FILE);

describe('editor: Python (code-server + VSIX)', function () {
  this.timeout(180_000);
  let session: EditorSession;
  let expected: Finding[];
  let failed = false;

  before(async function () {
    this.timeout(300_000);
    const missing = missingTools();
    if (missing.length) throw new Error(`The editor tests need ${missing.join(', ')}. Install them with \`npm run setup:e2e\`.`);
    await loadPythonParser();
    expected = analyzePy(fs.readFileSync(SERVER, 'utf8'), FILE, { scope: 'mcp' });
    session = await startEditor({ vsix: packageVsix(), fixture: FIXTURE, copies: { [FILE]: SERVER }, settings: TEST_SETTINGS, portRange: PORTS });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await openFile(session.page, FILE);
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !session) return;
    failed = true;
    await session.page.screenshot({ path: path.join(session.dir, `failed-python-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
  });

  after(async () => {
    await session?.close();
    if (session?.dir && !failed) fs.rmSync(session.dir, { recursive: true, force: true });
    else if (session?.dir) console.log(`python editor test run kept in ${session.dir}`);
  });

  it('shows the findings of the Python analysis in the Problems panel, each once, on the right lines', async () => {
    const expectedRules = [...new Set(expected.map(f => f.ruleId))].sort();
    assert.ok(expectedRules.length >= 5, `the fixture triggers ${expectedRules.join(', ')}`);
    const rows = await waitFor(() => problemRows(session.page), r => new Set(ours(r).map(ruleOf)).size >= expectedRules.length, 90_000, 2_000);
    const listing = rows.map(r => `${r.file}:${r.line} ${r.source}(${r.code}) ${r.message.slice(0, 60)}`).join('\n');
    const shown = ours(rows);
    assert.deepEqual([...new Set(shown.map(ruleOf))].sort(), expectedRules, listing);
    for (const row of shown) {
      assert.ok(expected.some(f => f.ruleId === ruleOf(row) && f.range.start.line + 1 === row.line && f.range.start.character + 1 === row.column), `row ${row.line}:${row.column} ${ruleOf(row)} matches no finding:\n${listing}`);
    }
    const keys = shown.map(r => `${ruleOf(r)}@${r.line}:${r.column}`);
    assert.equal(new Set(keys).size, keys.length, `a finding is shown twice: ${keys.join(', ')}`);
    assert.equal(shown.length, expected.length, listing);
    await scrollProblemsToTop(session.page);
    await session.page.screenshot({ path: path.join(SCREENSHOTS, 'python-problems-panel.png') });
  });

  it('applies the print() quick fix (Ctrl+.), which writes file=sys.stderr and clears the error', async () => {
    const page = session.page;
    const finding = expected.find(f => f.ruleId === 'stdout-in-stdio-server' && f.fixes.length > 0);
    assert.ok(finding, 'the fixture prints to stdout');
    const { item, titles } = await openQuickFixMenu(page, FILE, finding.range.start.line + 1, finding.range.start.character + 3, finding.fixes[0].title);
    assert.ok(titles.some(t => t.includes('Disable stdout-in-stdio-server for this line')), JSON.stringify(titles));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'python-quick-fix-menu.png') });
    await item.click();
    await page.keyboard.press('Control+S');
    const file = path.join(session.workspace, FILE);
    const text = await waitFor(async () => fs.readFileSync(file, 'utf8'), t => t.includes('file=sys.stderr'), 20_000);
    assert.match(text, /print\(f"forecast for \{city\}", file=sys\.stderr\)/);
    assert.match(text, /^import sys$/m);
    const rows = await waitFor(() => problemRows(page), r => !ours(r).some(row => ruleOf(row) === 'stdout-in-stdio-server'), 30_000, 1_000);
    assert.ok(!ours(rows).some(row => ruleOf(row) === 'stdout-in-stdio-server'), 'the stdout error is gone');
    assert.ok(ours(rows).length > 0, 'the other findings stay');
  });

  it('Analyze Workspace covers the .py files', async () => {
    const page = session.page;
    await runCommand(page, 'MCP Architect: Analyze Workspace');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'rule(s) in' }).first();
    await toast.waitFor({ timeout: 60_000 });
    const m = /(\d+) finding\(s\) of (\d+) rule\(s\) in (\d+) file\(s\)/.exec(await toast.innerText());
    assert.ok(m, await toast.innerText());
    assert.equal(Number(m[3]), 2, 'server.py and tools.py');
    assert.ok(Number(m[2]) >= 5 && Number(m[1]) >= 5, m[0]);
    await showProblems(page);
  });

  it('checks a tool module with what its program does: print() in tools.py, because server.py serves stdio', async () => {
    const page = session.page;
    await openFile(page, 'tools.py');
    const line = fs.readFileSync(path.join(FIXTURE, 'tools.py'), 'utf8').split('\n').findIndex(l => l.trimStart().startsWith('print(')) + 1;
    const inTools = (rows: ProblemRow[]) => rows.filter(r => r.source === SOURCE && r.file === 'tools.py');
    const rows = await waitFor(() => problemRows(page), r => inTools(r).length > 0, 60_000, 1_500);
    assert.deepEqual(
      inTools(rows).map(r => `${ruleOf(r)}@${r.line}`),
      [`stdout-in-stdio-server@${line}`],
      rows.map(r => `${r.file}:${r.line} ${r.code}`).join('\n'),
    );
  });
});
