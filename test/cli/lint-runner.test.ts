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
import { lintFiles } from '../../src/cli/lint/lint';
import { SDK_PACKAGE_JSON, SERVER_FIXTURES, fixture, makeTree, removeTrees } from '../helpers/cli';
import { sarifValidator } from '../helpers/sarif';

const throwsOnExec: Rule = {
  meta: { ...RULES[0].meta, id: 'probe-throws', code: 61998, description: 'A rule that fails on some files' },
  check(ctx) {
    if (ctx.text.includes('execSync')) throw new RangeError('probe failure');
  },
};

describe('lint runner', () => {
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
