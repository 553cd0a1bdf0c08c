// Which files `mcp-architect lint` reads and analyses: directories, .gitignore files, node_modules, extensions,
// unparsable files, and program facts merged per package under --scope mcp.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeText, scriptKindOf } from '../../src/core/analyzer';
import { fileFacts, mergeFacts } from '../../src/core/facts';
import { RULES } from '../../src/core/rules';
import { autoThreads } from '../../src/cli/lint/parallel';
import { PLAIN_PACKAGE_JSON, SDK_PACKAGE_JSON, buildOnce, fixture, makeTree, removeTrees, runCli, unprivileged } from '../helpers/cli';

const FETCH = 'fetch-without-timeout';
function only(...ids: string[]): string[] {
  return RULES.filter(r => !ids.includes(r.meta.id)).flatMap(r => ['--rule', `${r.meta.id}=off`]);
}

const HEADER = "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n";
const RISKY = 'export const get = (u: string) => fetch(u);\n';
const RISKY_JS = 'exports.get = u => fetch(u);\n';

interface JsonFile {
  path: string;
  analysed: boolean;
  findings: Array<{ ruleId: string | null; fatal: boolean; message: string; line: number; column: number }>;
}

function lintJson(cwd: string, ...args: string[]): { status: number | null; files: JsonFile[]; summary: Record<string, number>; stderr: string } {
  const r = runCli(['lint', '-f', 'json', ...only(FETCH), ...args], cwd);
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  const report = JSON.parse(r.stdout);
  return { status: r.status, files: report.files, summary: report.summary, stderr: r.stderr };
}

const paths = (files: JsonFile[]) => files.map(f => f.path);

describe('mcp-architect lint: files and programs', function () {
  this.timeout(60_000);
  before(buildOnce);
  after(removeTrees);

  it('reads every TypeScript and JavaScript extension recursively, but not declaration files or other files', () => {
    const root = makeTree({
      'package.json': SDK_PACKAGE_JSON,
      'a.ts': HEADER + RISKY,
      'b.tsx': RISKY,
      'c.mts': RISKY,
      'd.cts': RISKY,
      'deep/er/e.js': RISKY_JS,
      'f.jsx': RISKY_JS,
      'g.mjs': 'export const get = u => fetch(u);\n',
      'h.cjs': RISKY_JS,
      'types.d.ts': 'declare const x: number;\n',
      'more.d.mts': 'declare const y: number;\n',
      'README.md': '# fetch(u)\n',
      'data.json': '{}',
    });
    const { files, summary } = lintJson(root);
    assert.deepEqual(paths(files), ['a.ts', 'b.tsx', 'c.mts', 'd.cts', 'deep/er/e.js', 'f.jsx', 'g.mjs', 'h.cjs']);
    assert.equal(summary.warnings, 8, 'every file is analysed as part of the MCP package');
  });

  it('skips node_modules and .git even without a .gitignore', () => {
    const root = makeTree({
      'package.json': SDK_PACKAGE_JSON,
      'server.ts': HEADER + RISKY,
      'node_modules/dep/index.js': RISKY_JS,
      'packages/x/node_modules/dep/index.ts': RISKY,
      '.git/hooks/pre-commit.js': RISKY_JS,
    });
    assert.deepEqual(paths(lintJson(root).files), ['server.ts']);
  });

  it('honours .gitignore files: nested ones apply to their subtree, deeper ones override, negations re-include', () => {
    const root = makeTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'dist/\n*.gen.ts\n/local.ts\n',
      'package.json': SDK_PACKAGE_JSON,
      'server.ts': HEADER + RISKY,
      'local.ts': RISKY,
      'dist/server.js': RISKY_JS,
      'src/api.gen.ts': RISKY,
      'src/tool.ts': RISKY,
      'src/local.ts': RISKY, // `/local.ts` is anchored to the root
      'src/sub/.gitignore': 'scratch/\n!keep.gen.ts\nlocal.ts\n',
      'src/sub/keep.gen.ts': RISKY,
      'src/sub/drop.gen.ts': RISKY,
      'src/sub/local.ts': RISKY,
      'src/sub/scratch/a.ts': RISKY,
      'src/other/local.ts': RISKY, // sub's rules do not reach a sibling
    });
    assert.deepEqual(paths(lintJson(root).files), ['server.ts', 'src/local.ts', 'src/other/local.ts', 'src/sub/keep.gen.ts', 'src/tool.ts']);
  });

  it('applies .gitignore files above a directory given on the command line, up to the repository root', () => {
    const root = makeTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'app/src/generated/\n',
      'app/package.json': SDK_PACKAGE_JSON,
      'app/src/server.ts': HEADER + RISKY,
      'app/src/generated/client.ts': RISKY,
    });
    assert.deepEqual(paths(lintJson(path.join(root, 'app'), 'src').files), ['src/server.ts']);
  });

  it('lints a file named on the command line even when a .gitignore excludes it', () => {
    const root = makeTree({ '.gitignore': '*.gen.ts\n', 'package.json': SDK_PACKAGE_JSON, 'api.gen.ts': HEADER + RISKY, 'b.ts': RISKY });
    assert.deepEqual(paths(lintJson(root).files), ['b.ts']);
    assert.deepEqual(paths(lintJson(root, 'api.gen.ts', 'api.gen.ts').files), ['api.gen.ts']);
  });

  it('reports an unparsable file as an error entry and still analyses the others', () => {
    const root = makeTree({ 'package.json': SDK_PACKAGE_JSON, 'bad.ts': `${HEADER}function broken( {\n  return fetch(u);\n`, 'good.ts': RISKY });
    const { status, files, summary } = lintJson(root);
    assert.equal(status, 1);
    const bad = files.find(f => f.path === 'bad.ts')!;
    assert.equal(bad.findings.length, 1);
    assert.equal(bad.findings[0].fatal, true);
    assert.equal(bad.findings[0].ruleId, null);
    assert.match(bad.findings[0].message, /^Parsing error: .+ The file was not analysed\.$/);
    assert.equal(files.find(f => f.path === 'good.ts')!.findings.length, 1);
    assert.equal(summary.unparsableFiles, 1);
    assert.equal(summary.errors, 1);
  });

  describe('program facts per package (--scope mcp)', () => {
    it('analyses a helper module that imports no MCP package when its package.json declares the SDK', () => {
      const root = makeTree({ 'package.json': SDK_PACKAGE_JSON, 'src/helpers/http.ts': RISKY });
      const { files } = lintJson(root);
      assert.equal(files[0].analysed, true);
      assert.equal(files[0].findings.length, 1);
    });

    it('analyses a helper module when another file of its package imports the SDK', () => {
      const root = makeTree({ 'package.json': PLAIN_PACKAGE_JSON, 'src/server.ts': fixture('stdio-clean.ts'), 'src/http.ts': RISKY });
      const helper = lintJson(root).files.find(f => f.path === 'src/http.ts')!;
      assert.equal(helper.analysed, true);
      assert.equal(helper.findings.length, 1);
    });

    it('leaves out packages with no MCP server, unless --scope all', () => {
      const root = makeTree({
        'package.json': PLAIN_PACKAGE_JSON,
        'web/app.ts': RISKY,
        'servers/mcp/package.json': SDK_PACKAGE_JSON,
        'servers/mcp/index.ts': RISKY,
        'tools/package.json': PLAIN_PACKAGE_JSON,
        'tools/build.ts': RISKY,
      });
      const mcp = lintJson(root);
      assert.deepEqual(mcp.files.map(f => [f.path, f.analysed, f.findings.length]), [
        ['servers/mcp/index.ts', true, 1],
        ['tools/build.ts', false, 0],
        ['web/app.ts', false, 0],
      ]);
      assert.equal(mcp.summary.analysedFiles, 1);
      const all = lintJson(root, '--scope', 'all');
      assert.deepEqual(all.files.map(f => [f.path, f.analysed, f.findings.length]), [
        ['servers/mcp/index.ts', true, 1],
        ['tools/build.ts', true, 1],
        ['web/app.ts', true, 1],
      ]);
    });

    it('does not fail on an unparsable file of a package that is not analysed', () => {
      const root = makeTree({ 'package.json': PLAIN_PACKAGE_JSON, 'fixture/broken.js': 'function (\n' });
      const { status, files } = lintJson(root);
      assert.equal(status, 0);
      assert.deepEqual(files[0].findings, []);
      assert.equal(lintJson(root, '--scope', 'all').status, 1);
    });

    it('treats files outside any package as one program', () => {
      const root = makeTree({ 'a/server.mjs': `import { Server } from '@modelcontextprotocol/sdk/server/index.js';\n`, 'b/util.js': RISKY_JS });
      const { files } = lintJson(root);
      assert.deepEqual(files.map(f => [f.path, f.analysed]), [['a/server.mjs', true], ['b/util.js', true]]);
    });
  });

  it('finds in each fixture server what the analyzer finds with the merged facts of their package', () => {
    const dir = path.join(__dirname, '../fixtures/servers');
    const names = fs.readdirSync(dir).sort();
    const root = makeTree(Object.fromEntries([['package.json', SDK_PACKAGE_JSON], ...names.map(n => [n, fixture(n)])]));
    const report = JSON.parse(runCli(['lint', '-f', 'json'], root).stdout);
    const project = mergeFacts(
      names.map(n => fileFacts(ts, ts.createSourceFile(n, fixture(n), ts.ScriptTarget.Latest, true, scriptKindOf(ts, n)))),
    );
    assert.ok(project.usesMcpServerSdk && project.servesStdio && project.servesHttp);
    assert.deepEqual(paths(report.files), names);
    for (const file of report.files as JsonFile[]) {
      assert.ok(file.analysed && !file.findings.some(x => x.fatal), `${file.path} parses`);
      const expected = analyzeText(ts, path.join(root, file.path), fixture(file.path), { project });
      assert.deepEqual(
        file.findings.map(f => `${f.ruleId}@${f.line}:${f.column}`),
        expected.map(f => `${f.ruleId}@${f.range.start.line + 1}:${f.range.start.character + 1}`),
        file.path,
      );
    }
    assert.ok(report.summary.warnings + report.summary.errors >= 5, 'the risky fixtures have findings');
  });

  describe('worker threads (--concurrency)', () => {
    it('gives the same report with several threads as with one', () => {
      const names = fs.readdirSync(path.join(__dirname, '../fixtures/servers')).sort();
      const root = makeTree(
        Object.fromEntries([
          ['package.json', SDK_PACKAGE_JSON],
          ...names.map(n => [`server/${n}`, fixture(n)]),
          ['other/package.json', PLAIN_PACKAGE_JSON],
          ['other/app.ts', RISKY],
          ['other/helper.ts', `import { Server } from '@modelcontextprotocol/sdk/server/index.js';\n${RISKY}`],
          ['plain/package.json', PLAIN_PACKAGE_JSON],
          ['plain/app.ts', RISKY],
          ['server/broken.ts', 'export const x = {\n'],
        ]),
      );
      const one = runCli(['lint', '-f', 'json', '--concurrency', '1'], root);
      const three = runCli(['lint', '-f', 'json', '--concurrency', '3'], root);
      assert.equal(one.status, 1);
      assert.equal(three.status, one.status, three.stderr);
      assert.equal(three.stdout, one.stdout);
      const report = JSON.parse(one.stdout);
      assert.deepEqual(
        report.files.filter((f: JsonFile) => f.path.startsWith('other/') || f.path.startsWith('plain/')).map((f: JsonFile) => [f.path, f.analysed]),
        [['other/app.ts', true], ['other/helper.ts', true], ['plain/app.ts', false]],
        'facts are merged per package across threads',
      );
    });

    it('chooses threads by the amount of code and the idle cores (--concurrency auto)', () => {
      assert.equal(autoThreads(100_000, 8, 0), 1, 'a small tree: one thread');
      assert.equal(autoThreads(2_400_000, 2, 0), 1, 'two cores: one thread, whose garbage collection and compilation use the other');
      assert.equal(autoThreads(2_400_000, 4, 0), 2, 'four idle cores: two threads');
      assert.equal(autoThreads(2_400_000, 4, 2), 1, 'two of four cores busy: one thread');
      assert.equal(autoThreads(2_400_000, 16, 0), 3, 'a thread per 750,000 characters');
      assert.equal(autoThreads(100_000_000, 64, 0), 8, 'at most 8');
      assert.equal(autoThreads(100_000_000, 4, 9), 1, 'an overloaded machine: one');
      assert.equal(autoThreads(0, 4, 0), 1, 'nothing to lint: still one');
    });

    it('exits 2 for a bad --concurrency', () => {
      const root = makeTree({ 'a.ts': RISKY });
      for (const bad of ['0', 'many', '-1']) {
        const r = runCli(['lint', `--concurrency=${bad}`], root);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /--concurrency must be auto or a whole number of 1 or more/);
      }
    });

    it('exits 2 when a worker cannot read a file', function () {
      const as = unprivileged();
      assert.ok(as, "the CLI cannot be run as an unprivileged user (nobody) here");
      const root = makeTree({ 'package.json': SDK_PACKAGE_JSON, 'a.ts': RISKY, 'b.ts': RISKY, 'c.ts': RISKY });
      fs.chmodSync(path.join(root, 'b.ts'), 0o000);
      const r = runCli(['lint', '--concurrency', '2'], root, as);
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /cannot read b\.ts: permission denied/);
      assert.equal(r.stdout, '');
    });
  });
});
