// The lint runner and formatters in-process, for what a process run cannot provoke: a rule that throws, and
// packages larger than the parsed-tree budget.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { RULES } from '../../src/core/rules';
import type { Rule } from '../../src/core/types';
import { collectFiles } from '../../src/cli/lint/files';
import { formatJson } from '../../src/cli/lint/format-json';
import { formatSarif } from '../../src/cli/lint/format-sarif';
import { lintFiles, relativePosix } from '../../src/cli/lint/lint';
import { analyzeText } from '../../src/core/analyzer';
import { fileFacts, mergeFacts, NO_FACTS } from '../../src/core/facts';
import { PLAIN_PACKAGE_JSON, SDK_PACKAGE_JSON, SERVER_FIXTURES, fixture, makeTree, removeTrees, type Tree } from '../helpers/cli';
import { sarifValidator } from '../helpers/sarif';

const throwsOnExec: Rule = {
  meta: { ...RULES[0].meta, id: 'probe-throws', code: 61998, description: 'A rule that fails on some files' },
  check(ctx) {
    if (ctx.text.includes('execSync')) throw new RangeError('probe failure');
  },
};

describe('lint runner', () => {
  it('reports paths relative to the working directory as path.relative does', () => {
    const cwd = path.resolve('/work/x');
    const under = ['a.ts', 'src/b/c.ts', './a.ts', '../y/a.ts', 'a/../b.ts', '/a.ts', 'a/', '', '.hidden/a.ts', '..a/b.ts', 'a./b.ts', 'a/.', 'a\\b.ts'];
    const files = [...under.map(u => cwd + path.sep + u.split('/').join(path.sep)), `${cwd}y${path.sep}a.ts`, path.resolve('/other/a.ts'), cwd];
    for (const file of files) {
      const expected = (path.relative(cwd, file) || path.basename(file)).split(path.sep).join('/');
      assert.equal(relativePosix(cwd, file), expected, file);
    }
  });

  let root: string;
  let files: string[];
  before(() => {
    const names = fs.readdirSync(SERVER_FIXTURES).sort();
    root = makeTree(Object.fromEntries([['package.json', SDK_PACKAGE_JSON], ...names.map(n => [n, fixture(n)])]));
    files = collectFiles(['.'], root);
    assert.equal(files.length, names.length);
  });
  after(removeTrees);

  it('gives the same result when syntax trees are parsed twice instead of kept (large packages)', () => {
    const kept = lintFiles(ts, files, { cwd: root, scope: 'mcp', severities: {} });
    const reparsed = lintFiles(ts, files, { cwd: root, scope: 'mcp', severities: {}, keepParsedChars: 0 });
    assert.deepEqual(reparsed, kept);
    assert.ok(kept.summary.errors + kept.summary.warnings > 0);
  });

  it('analyses each file with the facts of its whole program, also the files parsed only when analysed', () => {
    const tools = [
      "import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      'export function register(server: McpServer) {',
      "  server.registerTool('t', { inputSchema: {} }, async () => { console.log('called'); return { content: [] }; });",
      '}',
      '',
    ].join('\n');
    const server = "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nimport { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\nawait new McpServer({ name: 'x', version: '1' }).connect(new StdioServerTransport());\n";
    const trees: Tree[] = [
      // tools.ts comes first and adds nothing to what package.json says: its stdout finding needs server.ts's stdio.
      { 'package.json': SDK_PACKAGE_JSON, 'a-tools.ts': tools, 'b-plain.ts': 'export const x = 1;\n', 'z-server.ts': server },
      { 'package.json': PLAIN_PACKAGE_JSON, 'a-tools.ts': tools, 'z-server.ts': server },
      // Words in comments only: no fact, and the program stays out of scope.
      { 'package.json': PLAIN_PACKAGE_JSON, 'a.ts': "// StdioServerTransport from '@modelcontextprotocol/sdk/server/stdio.js'\nconsole.log(1);\n", 'b.ts': 'console.log(2);\n' },
      { 'package.json': SDK_PACKAGE_JSON, ...Object.fromEntries(fs.readdirSync(SERVER_FIXTURES).map(n => [n, fixture(n)])) },
    ];
    for (const tree of trees) {
      const dir = makeTree(tree);
      const names = Object.keys(tree).filter(n => n !== 'package.json').sort();
      const own = new Map(names.map(n => [n, fileFacts(ts, ts.createSourceFile(n, tree[n], ts.ScriptTarget.Latest, false))]));
      const program = mergeFacts([{ ...NO_FACTS, usesMcpServerSdk: tree['package.json'] === SDK_PACKAGE_JSON }, ...own.values()]);
      for (const keepParsedChars of [undefined, 0]) {
        const result = lintFiles(ts, names.map(n => path.join(dir, n)), { cwd: dir, scope: 'mcp', severities: {}, keepParsedChars });
        for (const name of names) {
          const text = tree[name];
          const expected = program.usesMcpServerSdk ? analyzeText(ts, name, text, { scope: 'mcp', project: program }).map(f => `${f.ruleId}@${f.start}`) : [];
          const linted = result.files.find(f => f.relativePath === name)!;
          assert.deepEqual(linted.findings.map(f => `${f.ruleId}@${f.start}`), expected, `${name} (keepParsedChars ${keepParsedChars})`);
          assert.deepEqual(result.programs!.get(path.join(dir, name))!.facts, own.get(name), `${name}: its own facts`);
        }
      }
    }
    // The check above can fail: tools.ts is flagged only because of server.ts.
    const dir = makeTree(trees[0]);
    const first = lintFiles(ts, ['a-tools.ts', 'b-plain.ts', 'z-server.ts'].map(n => path.join(dir, n)), { cwd: dir, scope: 'mcp', severities: {} });
    assert.deepEqual(first.files[0].findings.map(f => f.ruleId), ['stdout-in-stdio-server']);
  });

  it('records a rule that throws per file, keeps the other rules\' findings, and reports it in JSON and SARIF', () => {
    const withProbe = lintFiles(ts, files, { cwd: root, scope: 'mcp', severities: {}, extraRules: [throwsOnExec] });
    const plain = lintFiles(ts, files, { cwd: root, scope: 'mcp', severities: {} });
    const failing = withProbe.files.filter(f => f.ruleErrors.length > 0).map(f => f.relativePath);
    assert.deepEqual(failing, ['stdio-commonjs-risky.cjs', 'stdio-risky.ts']);
    for (const f of withProbe.files) {
      for (const e of f.ruleErrors) assert.deepEqual(e, { ruleId: 'probe-throws', message: 'probe failure' });
    }
    assert.deepEqual(withProbe.summary, plain.summary, 'the other rules still ran');

    const json = JSON.parse(formatJson(withProbe));
    assert.deepEqual(json.files.find((f: { path: string }) => f.path === 'stdio-risky.ts').ruleErrors, [{ ruleId: 'probe-throws', message: 'probe failure' }]);

    const rules = [...RULES, throwsOnExec];
    const log = JSON.parse(formatSarif(withProbe, { cwd: root, rules, severities: {} }));
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const notes = log.runs[0].invocations[0].toolExecutionNotifications;
    assert.equal(notes.length, 2);
    for (const n of notes) {
      assert.equal(n.descriptor.id, 'rule-error');
      assert.deepEqual(n.associatedRule, { id: 'probe-throws', index: rules.length - 1 });
      assert.match(n.message.text, /^Rule probe-throws failed on this file and was skipped: probe failure$/);
    }
  });

  it('gives files outside the working directory absolute file URIs in SARIF', () => {
    const result = lintFiles(ts, [path.join(root, 'stdio-risky.ts')], { cwd: path.join(root, 'elsewhere'), scope: 'mcp', severities: {} });
    assert.equal(result.files[0].relativePath, '../stdio-risky.ts');
    const log = JSON.parse(formatSarif(result, { cwd: path.join(root, 'elsewhere'), rules: RULES, severities: {} }));
    assert.ok(sarifValidator()(log));
    const location = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    assert.deepEqual(location, { uri: `file://${root}/stdio-risky.ts` });
  });
});
