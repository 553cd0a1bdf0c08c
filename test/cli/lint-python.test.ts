// `mcp-architect lint` on Python files: the built CLI (dist/cli.js, with tree-sitter's WebAssembly in dist/) as a
// real process. Findings must be the analysis core's; text, JSON and SARIF reports; program facts across files.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzePy, loadPythonParser } from '../helpers/python';
import { REPO_ROOT } from '../helpers/rules';
import { buildOnce, makeTree, positionOf, removeTrees, runCli } from '../helpers/cli';
import { sarifValidator } from '../helpers/sarif';

const SERVER = fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/python/fastmcp_stdio_server.py'), 'utf8');
// A tool module of the same program: it imports no SDK itself; the program (server.py) serves stdio.
const TOOLS = 'from server import mcp\n\n\n@mcp.tool()\ndef shout(text: str) -> str:\n    print(text.upper())\n    return text.upper()\n';
const PLAIN = 'import requests\n\n\ndef get(url):\n    return requests.get(url)\n';

interface JsonReport {
  files: Array<{ path: string; analysed: boolean; findings: Array<{ ruleId: string; line: number; column: number; severity: string; fixes: unknown[] }> }>;
  summary: { errors: number; warnings: number };
}

describe('CLI lint: Python', function () {
  this.timeout(120_000);
  let root: string;

  before(async function () {
    this.timeout(180_000);
    buildOnce();
    await loadPythonParser();
    root = makeTree({ 'server.py': SERVER, 'tools.py': TOOLS, 'scripts/util.py': PLAIN });
  });
  after(removeTrees);

  it('JSON: the findings of the analysis core, with the program facts of the other Python files', () => {
    const r = runCli(['lint', '--format', 'json', '.'], root);
    assert.equal(r.status, 1, `errors exit with 1\n${r.stderr}`);
    const report = JSON.parse(r.stdout) as JsonReport;
    const server = report.files.find(f => f.path === 'server.py')!;
    const expected = analyzePy(SERVER, 'server.py', { scope: 'mcp' }).map(f => `${f.ruleId}@${f.range.start.line + 1}:${f.range.start.character + 1}`).sort();
    assert.deepEqual(server.findings.map(f => `${f.ruleId}@${f.line}:${f.column}`).sort(), expected);
    assert.ok(expected.length >= 8);
    // tools.py imports no SDK, but belongs to a program that serves stdio: its print() is reported.
    const tools = report.files.find(f => f.path === 'tools.py')!;
    assert.deepEqual(tools.findings.map(f => f.ruleId), ['stdout-in-stdio-server']);
    assert.deepEqual({ line: tools.findings[0].line, column: tools.findings[0].column }, positionOf(TOOLS, 'print('));
    assert.ok(tools.findings[0].fixes.length > 0, 'the fix travels in the JSON report');
    assert.ok(report.summary.errors > 0);
  });

  it('text: one row per finding, with the rule id, and --scope / --rule apply to Python too', () => {
    const r = runCli(['lint', 'server.py', '--rule', 'stdout-in-stdio-server=off', '--rule', 'hardcoded-secret=warning', '--rule', 'shell-injection=warning', '--rule', 'path-traversal=warning'], root);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /server\.py/);
    assert.match(r.stdout, /blocking-io-in-handler/);
    assert.doesNotMatch(r.stdout, /stdout-in-stdio-server/);
    // A Python file outside any MCP program is not analysed under --scope mcp, and is under --scope all.
    assert.doesNotMatch(runCli(['lint', 'scripts/util.py', '-f', 'json'], makeTree({ 'scripts/util.py': PLAIN })).stdout, /http-client-without-timeout/);
    assert.match(runCli(['lint', 'scripts/util.py', '--scope', 'all'], root).stdout, /http-client-without-timeout/);
  });

  it('SARIF: a valid log with the Python findings and their rules', () => {
    const r = runCli(['lint', '--format', 'sarif', 'server.py'], root);
    const log = JSON.parse(r.stdout);
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    const results = log.runs[0].results as Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }>;
    assert.ok(results.some(x => x.ruleId === 'stdout-in-stdio-server' && x.locations[0].physicalLocation.artifactLocation.uri === 'server.py'));
    const print = results.find(x => x.ruleId === 'stdout-in-stdio-server')!;
    assert.equal(print.locations[0].physicalLocation.region.startLine, positionOf(SERVER, 'print(f"forecast').line);
  });

  it('lints Python files with worker threads the same as in one thread', () => {
    const one = JSON.parse(runCli(['lint', '-f', 'json', '--concurrency', '1', '.'], root).stdout) as JsonReport;
    const two = JSON.parse(runCli(['lint', '-f', 'json', '--concurrency', '2', '.'], root).stdout) as JsonReport;
    assert.deepEqual(two.files, one.files);
  });

  it('merges facts per Python project (pyproject.toml, setup.py, setup.cfg or package.json), not across projects', () => {
    const HTTP = 'from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("b")\n\nif __name__ == "__main__":\n    mcp.run(transport="streamable-http")\n';
    const projects = makeTree({
      'a/pyproject.toml': '[project]\nname = "a"\n',
      'a/server.py': SERVER,
      'a/pkg/tools.py': TOOLS,
      'b/setup.cfg': '[metadata]\nname = b\n',
      'b/server.py': HTTP,
      'b/tools.py': TOOLS,
    });
    for (const concurrency of ['1', '2']) {
      const report = JSON.parse(runCli(['lint', '-f', 'json', '--concurrency', concurrency, '.'], projects).stdout) as JsonReport;
      const stdout = (p: string) => report.files.find(f => f.path === p)?.findings.filter(f => f.ruleId === 'stdout-in-stdio-server').length;
      assert.equal(stdout('a/pkg/tools.py'), 1, 'project a serves stdio');
      assert.equal(stdout('b/tools.py'), 0, 'project b serves HTTP: print() is harmless there');
      assert.deepEqual(report.files.map(f => [f.path, f.analysed]), [['a/pkg/tools.py', true], ['a/server.py', true], ['b/server.py', true], ['b/tools.py', true]]);
    }
  });

  it('reports each Python file, in or out of scope, when the Python parser cannot be loaded (exit 1)', () => {
    // The built CLI without its WebAssembly files, away from node_modules: tree-sitter cannot be loaded.
    const copy = makeTree({});
    for (const rel of ['bin/mcp-architect.js', 'dist/cli.js', 'dist/mcp-server.js', 'dist/typescript.js']) {
      fs.mkdirSync(path.dirname(path.join(copy, rel)), { recursive: true });
      fs.copyFileSync(path.join(REPO_ROOT, rel), path.join(copy, rel));
    }
    for (const concurrency of ['1', '2']) {
      const r = spawnSync(process.execPath, [path.join(copy, 'bin/mcp-architect.js'), 'lint', '-f', 'json', '--concurrency', concurrency, '.'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      assert.equal(r.status, 1, r.stderr);
      const report = JSON.parse(r.stdout) as JsonReport & { summary: { unparsableFiles: number } };
      assert.deepEqual(report.files.map(f => [f.path, f.analysed]), [['scripts/util.py', true], ['server.py', true], ['tools.py', true]], `--concurrency ${concurrency}`);
      for (const f of report.files) {
        assert.equal(f.findings.length, 1);
        assert.match((f.findings[0] as unknown as { message: string }).message, /^Python analysis is unavailable: .*web-tree-sitter\.wasm.* The file was not analysed\.$/);
      }
      assert.equal(report.summary.unparsableFiles, 3);
    }
  });
});
