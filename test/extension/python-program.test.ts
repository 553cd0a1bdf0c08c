// Program facts of Python files in the editor (src/extension/python-program.ts, through PythonEngine): a tool module
// is checked with what the rest of its program does, from open documents and from the files on disk.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pythonFileFacts } from '../../src/core/python/analyzer';
import { PythonEngine } from '../../src/extension/python-engine';
import { MAX_SCANNED_DIRS, MAX_SCANNED_FILES, PythonProgramFacts, listPythonFiles } from '../../src/extension/python-program';
import type { ArchitectSettings } from '../../src/extension/settings';
import { loadPythonParser, pythonParser } from '../helpers/python';

const SERVER = 'from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("weather")\n\nimport tools  # noqa\n\nif __name__ == "__main__":\n    mcp.run()\n';
const HTTP_SERVER = 'from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("weather")\n\nif __name__ == "__main__":\n    mcp.run(transport="streamable-http")\n';
// Imports no SDK itself: only its program says that it serves stdio, where print() corrupts the stream.
const TOOLS = 'from server import mcp\n\n\n@mcp.tool()\ndef shout(text: str) -> str:\n    print(text.upper())\n    return text.upper()\n';
const SETTINGS: ArchitectSettings = { enable: true, scope: 'mcp', rules: {}, engine: 'auto' };
const LOG = { info() {}, warn() {}, error() {}, trace() {}, debug() {} } as unknown as ConstructorParameters<typeof PythonEngine>[1];

describe('extension: Python program facts', () => {
  const roots: string[] = [];
  before(async function () {
    this.timeout(60_000);
    await loadPythonParser();
  });
  after(() => {
    for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  });

  function tree(files: Record<string, string>): string {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-pyprogram-')));
    roots.push(root);
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    return root;
  }
  const store = () => new PythonProgramFacts((file, text) => pythonFileFacts(pythonParser(), file, text));
  async function engine(): Promise<PythonEngine> {
    const e = new PythonEngine(path.join(__dirname, 'no-bundle-here'), LOG);
    assert.ok(await e.ready(), 'the parser loads from node_modules');
    return e;
  }
  const rulesOf = (r: { findings: Array<{ ruleId: string }> } | undefined) => r?.findings.map(f => f.ruleId) ?? [];

  it('finds the program folder: the nearest pyproject.toml, setup.py, setup.cfg or package.json, else the workspace folder', () => {
    const root = tree({ 'app/pyproject.toml': '', 'app/src/pkg/tools.py': '', 'lib/setup.cfg': '', 'lib/x.py': '', 'loose/y.py': '' });
    const p = store();
    assert.equal(p.programRoot(path.join(root, 'app/src/pkg/tools.py'), root), path.join(root, 'app'));
    assert.equal(p.programRoot(path.join(root, 'lib/x.py'), root), path.join(root, 'lib'));
    assert.equal(p.programRoot(path.join(root, 'loose/y.py'), root), root, 'no marker below the workspace folder');
    assert.equal(p.programRoot(path.join(root, 'loose/y.py')), path.join(root, 'loose'), 'no workspace folder: the file’s own folder');
  });

  it('checks a tool module with the facts of the server file, once the server is known, and says when that changed', async () => {
    const root = tree({ 'pyproject.toml': '' });
    const e = await engine();
    const tools = path.join(root, 'tools.py');
    assert.deepEqual(rulesOf(e.analyze(tools, TOOLS, SETTINGS, root)), [], 'alone, nothing says that this program serves stdio');
    const server = e.analyze(path.join(root, 'server.py'), SERVER, SETTINGS, root);
    assert.equal(server?.programChanged, true, 'the server file tells what the program does');
    assert.equal(e.analyze(path.join(root, 'server.py'), SERVER, SETTINGS, root)?.programChanged, false, 'the same text again changes nothing');
    const again = e.analyze(tools, TOOLS, SETTINGS, root);
    assert.deepEqual(rulesOf(again), ['stdout-in-stdio-server']);
    assert.equal(again?.findings[0].range.start.line, 5);

    // The server switches to HTTP: print() is harmless there.
    assert.equal(e.analyze(path.join(root, 'server.py'), HTTP_SERVER, SETTINGS, root)?.programChanged, true);
    assert.deepEqual(rulesOf(e.analyze(tools, TOOLS, SETTINGS, root)), []);
  });

  it('keeps an untitled document (no folder: null) out of every program', async () => {
    const root = tree({ 'pyproject.toml': '' });
    const e = await engine();
    e.analyze(path.join(root, 'server.py'), SERVER, SETTINGS, root);
    const untitled = e.analyze(path.join(root, 'Untitled-1.py'), TOOLS, SETTINGS, null);
    assert.deepEqual(rulesOf(untitled), []);
    assert.equal(untitled?.programChanged, false);
  });

  it('reads the other files of the program from disk, once, skipping virtualenvs, dependencies and nested projects', async () => {
    const root = tree({
      'pyproject.toml': '',
      'server.py': SERVER,
      'tools.py': TOOLS,
      '.venv/lib/site.py': SERVER,
      'venv/lib/site.py': SERVER,
      'node_modules/x/y.py': SERVER,
      'plugins/other/setup.py': '',
      'plugins/other/main.py': SERVER,
    });
    const files = listPythonFiles(root, MAX_SCANNED_FILES).map(f => path.relative(root, f));
    assert.deepEqual(files, ['server.py', 'tools.py']);

    const e = await engine();
    const tools = path.join(root, 'tools.py');
    assert.deepEqual(rulesOf(e.analyze(tools, TOOLS, SETTINGS, root)), []);
    assert.equal(await e.program.scan(tools, root), true, 'the scan found that the program serves stdio');
    assert.equal(await e.program.scan(tools, root), false, 'one scan per folder: only its first caller hears of the change (it re-checks the program once)');
    assert.deepEqual(rulesOf(e.analyze(tools, TOOLS, SETTINGS, root)), ['stdout-in-stdio-server']);
  });

  it('keeps the facts of open documents over what the disk says, and forgets deleted files', async () => {
    const root = tree({ 'pyproject.toml': '', 'server.py': SERVER, 'tools.py': TOOLS });
    const p = store();
    const server = path.join(root, 'server.py');
    const tools = path.join(root, 'tools.py');
    // The editor has server.py open, already switched to HTTP but not saved.
    assert.equal(p.record(server, HTTP_SERVER, root), true);
    await p.scan(tools, root);
    assert.deepEqual(p.factsOfOthers(tools, root), { usesMcpServerSdk: true, servesStdio: false, servesHttp: true });
    assert.equal(p.forget(server, root), true);
    assert.deepEqual(p.factsOfOthers(tools, root), { usesMcpServerSdk: false, servesStdio: false, servesHttp: false });
    p.invalidate(tools, root);
    assert.equal(await p.scan(tools, root), true, 'a new scan reads server.py again');
    assert.equal(p.factsOfOthers(tools, root).servesStdio, true);
  });

  it('reads at most MAX_SCANNED_FILES files, nearest first, and skips files over 1 MB', async () => {
    const files: Record<string, string> = { 'pyproject.toml': '', 'deep/a/b/server.py': SERVER, 'big.py': `x = 1\n${'#'.repeat(1_100_000)}\n${SERVER}` };
    for (let i = 0; i < MAX_SCANNED_FILES; i++) files[`m${String(i).padStart(3, '0')}.py`] = 'x = 1\n';
    const root = tree(files);
    const listed = listPythonFiles(root, MAX_SCANNED_FILES);
    assert.equal(listed.length, MAX_SCANNED_FILES);
    assert.ok(!listed.some(f => f.endsWith('server.py')), 'the deep file is past the limit');
    const p = store();
    assert.equal(await p.scan(path.join(root, 'm000.py'), root), false, 'big.py is not read, server.py not reached');
  });

  it('lists at most MAX_SCANNED_DIRS folders of a large tree with few Python files', () => {
    const files: Record<string, string> = { 'pyproject.toml': '', 'a.py': 'x = 1\n' };
    for (let i = 0; i < MAX_SCANNED_DIRS + 50; i++) files[`web/c${i}/index.ts`] = '';
    files['web/zzz/late.py'] = 'x = 1\n';
    const root = tree(files);
    assert.deepEqual(listPythonFiles(root, MAX_SCANNED_FILES).map(f => path.relative(root, f)), ['a.py'], 'the walk stops before web/zzz/');
  });
});
