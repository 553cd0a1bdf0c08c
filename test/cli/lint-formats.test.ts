// `mcp-architect lint` report formats, run as a real process: text, JSON, SARIF (validated against the SARIF 2.1.0
// schema) and --output.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { RULES } from '../../src/core/rules';
import { ruleDocUrl } from '../../src/core/docs';
import { taxonomyOf } from '../../src/cli/lint/rule-taxonomy';
import { REPO_ROOT } from '../helpers/rules';
import { sarifValidator } from '../helpers/sarif';
import { SDK_PACKAGE_JSON, buildOnce, fixture, makeTree, positionOf, removeTrees, runCli } from '../helpers/cli';

const FETCH = 'fetch-without-timeout';
/** `--rule` arguments that leave only the given rules on, so the expected findings do not depend on other rules. */
function only(...ids: string[]): string[] {
  return RULES.filter(r => !ids.includes(r.meta.id)).flatMap(r => ['--rule', `${r.meta.id}=off`]);
}

const SERVER = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
export async function get(u: string) {
  return fetch(u);
}
export async function post(u: string) {
  return fetch(u, { method: 'POST' });
}
`;
const HELPER = `export const load = (u: string) => fetch(u, {});\n`;

describe('mcp-architect lint: report formats', function () {
  this.timeout(60_000);
  let root: string;
  let validateSarif: ValidateFunction<any>;

  before(() => {
    buildOnce();
    validateSarif = sarifValidator();
    root = makeTree({
      'package.json': SDK_PACKAGE_JSON,
      'src/server.ts': SERVER,
      'src/lib/helper.ts': HELPER,
      'src/broken.ts': 'export const x = {\n',
      'src/clean.ts': `export const ok = (u: string) => fetch(u, { signal: AbortSignal.timeout(30_000) });\n`,
    });
  });
  after(removeTrees);

  describe('text', () => {
    it('groups findings by file as line:col  severity  message  rule-id, then a summary', () => {
      const r = runCli(['lint', ...only(FETCH)], root);
      assert.equal(r.status, 1, r.stderr); // the unparsable file is an error
      const lines = r.stdout.split('\n');
      const serverAt = lines.indexOf('src/server.ts');
      assert.ok(serverAt >= 0, r.stdout);
      const first = positionOf(SERVER, 'fetch(u)');
      assert.match(lines[serverAt + 1], new RegExp(`^\\s+${first.line}:${first.column}\\s+warning\\s+fetch\\(\\) has no \`signal\`.*\\S\\s{2,}${FETCH}$`));
      assert.match(lines[serverAt + 2], new RegExp(`^\\s+${first.line + 3}:${first.column}\\s+warning\\s+.*${FETCH}$`));
      // Columns line up: the rule ids start at the same offset.
      assert.equal(lines[serverAt + 1].indexOf(FETCH), lines[serverAt + 2].indexOf(FETCH));
      assert.ok(lines.includes('src/lib/helper.ts'), 'a helper module of the MCP package is analysed');
      const broken = lines.indexOf('src/broken.ts');
      assert.match(lines[broken + 1], /^\s+2:1\s+error\s+Parsing error: '}' expected\. The file was not analysed\.$/);
      assert.ok(!lines.includes('src/clean.ts'), 'files without findings are not listed');
      assert.match(r.stdout, /✖ 4 problems \(1 error, 3 warnings\) in 4 analysed files\n {2}1 file could not be parsed\.\n$/);
      assert.equal(r.stderr, '');
    });

    it('says so when there is nothing wrong, and when no file belongs to an MCP program', () => {
      const clean = makeTree({ 'package.json': SDK_PACKAGE_JSON, 'a.ts': `export const ok = (u: string) => fetch(u, { signal: AbortSignal.timeout(1) });\n` });
      const r = runCli(['lint', ...only(FETCH)], clean);
      assert.equal(r.status, 0);
      assert.equal(r.stdout, '✔ No problems (1 file analysed).\n');
      const plain = makeTree({ 'a.ts': 'export const a = fetch("x");\n' });
      const p = runCli(['lint'], plain);
      assert.equal(p.status, 0);
      assert.match(p.stdout, /1 file checked: none belongs to an MCP server program, so no rule ran \(--scope all lints every file\)\./);
    });

    it('colours the report only when asked (FORCE_COLOR) and never with NO_COLOR', () => {
      const coloured = runCli(['lint', ...only(FETCH), 'src/server.ts'], root, { env: { ...process.env, FORCE_COLOR: '1', NO_COLOR: undefined } });
      assert.match(coloured.stdout, /\x1b\[33mwarning/);
      const plain = runCli(['lint', ...only(FETCH), 'src/server.ts'], root);
      assert.doesNotMatch(plain.stdout, /\x1b\[/);
    });
  });

  describe('json', () => {
    it('has the documented shape: formatVersion, tool, summary and every file with its findings', () => {
      const r = runCli(['lint', '--format', 'json', ...only(FETCH)], root);
      assert.equal(r.status, 1);
      const report = JSON.parse(r.stdout);
      assert.equal(report.formatVersion, 1);
      assert.deepEqual(report.tool, { name: 'mcp-architect', version: JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version });
      assert.deepEqual(report.summary, { files: 4, analysedFiles: 4, errors: 1, warnings: 3, infos: 0, hints: 0, unparsableFiles: 1 });
      assert.deepEqual(
        report.files.map((f: { path: string }) => f.path),
        ['src/broken.ts', 'src/clean.ts', 'src/lib/helper.ts', 'src/server.ts'],
      );
      const server = report.files.find((f: { path: string }) => f.path === 'src/server.ts');
      assert.equal(server.analysed, true);
      assert.equal(server.warningCount, 2);
      assert.equal(server.errorCount, 0);
      assert.deepEqual(server.ruleErrors, []);
      const [first] = server.findings;
      const at = SERVER.indexOf('fetch(u)');
      const pos = positionOf(SERVER, 'fetch(u)');
      assert.deepEqual(
        { ...first, message: undefined, fixes: undefined, fingerprint: undefined },
        {
          ruleId: FETCH,
          code: 61002,
          severity: 'warning',
          fatal: false,
          message: undefined,
          line: pos.line,
          column: pos.column,
          endLine: pos.line,
          endColumn: pos.column + 'fetch(u)'.length,
          start: at,
          end: at + 'fetch(u)'.length,
          docUrl: ruleDocUrl(FETCH),
          playbook: 'circuit-breaker-cascade#dependency-isolation',
          fixes: undefined,
          fingerprint: undefined,
        },
      );
      assert.match(first.fingerprint, /^[0-9a-f]{32}:1$/);
      assert.equal(first.fixes.length, 1);
      const edit = first.fixes[0].edits[0];
      assert.equal(edit.newText, ', { signal: AbortSignal.timeout(30_000) }');
      assert.equal(edit.start, at + 'fetch('.length + 1);
      assert.deepEqual([edit.line, edit.column, edit.endLine, edit.endColumn], [pos.line, pos.column + 7, pos.line, pos.column + 7]);
      const broken = report.files.find((f: { path: string }) => f.path === 'src/broken.ts');
      assert.equal(broken.findings.length, 1);
      assert.equal(broken.findings[0].ruleId, null);
      assert.equal(broken.findings[0].fatal, true);
      assert.equal(broken.findings[0].severity, 'error');
    });

    it('keeps fingerprints when lines above a finding change, and tells repeated identical findings apart', () => {
      const a = makeTree({ 'package.json': SDK_PACKAGE_JSON, 's.ts': `${SERVER}export const again = (u: string) => fetch(u);\n` });
      const before = JSON.parse(runCli(['lint', '-f', 'json', ...only(FETCH)], a).stdout).files[0].findings;
      fs.writeFileSync(path.join(a, 's.ts'), `// a comment\n\n${SERVER}export const again = (u: string) => fetch(u);\n`);
      const after = JSON.parse(runCli(['lint', '-f', 'json', ...only(FETCH)], a).stdout).files[0].findings;
      assert.equal(after.length, 3);
      assert.deepEqual(after.map((f: { line: number }) => f.line), before.map((f: { line: number }) => f.line + 2));
      assert.deepEqual(after.map((f: { fingerprint: string }) => f.fingerprint), before.map((f: { fingerprint: string }) => f.fingerprint));
      assert.equal(new Set(after.map((f: { fingerprint: string }) => f.fingerprint)).size, 3);
      assert.match(after[2].fingerprint, /:2$/, 'the second `fetch(u)` is occurrence 2');
    });
  });

  describe('sarif', () => {
    it('is valid SARIF 2.1.0 with a described driver, rules, results, fingerprints, fixes and a parse-error notification', () => {
      const r = runCli(['lint', '--format', 'sarif', ...only(FETCH)], root);
      assert.equal(r.status, 1);
      const log = JSON.parse(r.stdout);
      assert.ok(validateSarif(log), JSON.stringify(validateSarif.errors, null, 2));
      assert.equal(log.version, '2.1.0');
      assert.equal(log.runs.length, 1);
      const run = log.runs[0];
      const driver = run.tool.driver;
      assert.equal(driver.name, 'mcp-architect');
      assert.match(driver.version, /^\d+\.\d+\.\d+/);
      assert.match(driver.informationUri, /^https:\/\//);
      assert.deepEqual(driver.rules.map((d: { id: string }) => d.id), RULES.map(x => x.meta.id));
      for (const [i, d] of driver.rules.entries()) {
        const meta = RULES[i].meta;
        assert.match(d.name, /^[A-Z][A-Za-z0-9]*$/);
        assert.equal(d.shortDescription.text, meta.description);
        assert.equal(d.fullDescription.text, meta.message);
        assert.equal(d.helpUri, ruleDocUrl(meta.id));
        assert.ok(d.help.markdown.includes(ruleDocUrl(meta.id)));
        assert.equal(d.defaultConfiguration.level, meta.defaultSeverity === 'error' ? 'error' : meta.defaultSeverity === 'warning' ? 'warning' : 'note');
        assert.ok(Array.isArray(d.properties.tags) && d.properties.tags.includes('mcp'));
        assert.ok(['very-high', 'high', 'medium', 'low'].includes(d.properties.precision));
        const tax = taxonomyOf(meta.id);
        if (tax.category === 'security') {
          assert.ok(d.properties.tags.includes('security'));
          assert.match(d.properties['security-severity'], /^\d{1,2}\.\d$/);
        } else {
          assert.equal(d.properties['security-severity'], undefined);
        }
      }
      assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, `file://${root}/`);
      assert.equal(run.columnKind, 'utf16CodeUnits');

      assert.equal(run.results.length, 3);
      const result = run.results.find((x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) =>
        x.locations[0].physicalLocation.artifactLocation.uri === 'src/server.ts');
      assert.equal(result.ruleId, FETCH);
      assert.equal(driver.rules[result.ruleIndex].id, FETCH);
      assert.equal(result.level, 'warning');
      assert.match(result.message.text, /fetch\(\) has no `signal`/);
      const loc = result.locations[0].physicalLocation;
      assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
      const pos = positionOf(SERVER, 'fetch(u)');
      assert.deepEqual(loc.region, { startLine: pos.line, startColumn: pos.column, endLine: pos.line, endColumn: pos.column + 8 });
      assert.match(Object.values(result.partialFingerprints)[0] as string, /^[0-9a-f]{32}:1$/);
      assert.equal(result.fixes.length, 1);
      assert.equal(result.fixes[0].description.text, 'Add a 30 s timeout (AbortSignal.timeout)');
      const change = result.fixes[0].artifactChanges[0];
      assert.deepEqual(change.artifactLocation, loc.artifactLocation);
      assert.deepEqual(change.replacements[0], {
        deletedRegion: { startLine: pos.line, startColumn: pos.column + 7, endLine: pos.line, endColumn: pos.column + 7 },
        insertedContent: { text: ', { signal: AbortSignal.timeout(30_000) }' },
      });

      const notes = run.invocations[0].toolExecutionNotifications;
      assert.equal(notes.length, 1);
      assert.equal(notes[0].descriptor.id, 'parse-error');
      assert.equal(notes[0].level, 'error');
      assert.equal(notes[0].locations[0].physicalLocation.artifactLocation.uri, 'src/broken.ts');
      assert.equal(run.invocations[0].executionSuccessful, true);
      // --rule overrides are recorded as configuration overrides of the run.
      const overrides = run.invocations[0].ruleConfigurationOverrides ?? [];
      assert.equal(overrides.length, RULES.length - 1);
      for (const o of overrides) assert.deepEqual(o.configuration, { enabled: false });
    });

    it('maps severities to SARIF levels and encodes paths as URIs', () => {
      const tree = makeTree({ 'package.json': SDK_PACKAGE_JSON, 'dir with space/ü.ts': SERVER });
      const r = runCli(['lint', '-f', 'sarif', ...only(FETCH), '--rule', `${FETCH}=info`], tree);
      assert.equal(r.status, 0);
      const log = JSON.parse(r.stdout);
      assert.ok(validateSarif(log), JSON.stringify(validateSarif.errors, null, 2));
      const run = log.runs[0];
      assert.deepEqual(run.results.map((x: { level: string }) => x.level), ['note', 'note']);
      assert.equal(run.results[0].locations[0].physicalLocation.artifactLocation.uri, 'dir%20with%20space/%C3%BC.ts');
      const override = run.invocations[0].ruleConfigurationOverrides.find((o: { descriptor: { id: string } }) => o.descriptor.id === FETCH);
      assert.deepEqual(override.configuration, { level: 'note' });
    });

    it('is valid for every fixture server with all rules on', () => {
      const tree = makeTree(
        Object.fromEntries([
          ['package.json', SDK_PACKAGE_JSON],
          ...fs.readdirSync(path.join(REPO_ROOT, 'test/fixtures/servers')).map(name => [`servers/${name}`, fixture(name)]),
        ]),
      );
      const r = runCli(['lint', '-f', 'sarif'], tree);
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      const log = JSON.parse(r.stdout);
      assert.ok(validateSarif(log), JSON.stringify(validateSarif.errors, null, 2));
      assert.ok(log.runs[0].results.length >= 5, 'the risky fixtures have findings');
      for (const res of log.runs[0].results) assert.equal(log.runs[0].tool.driver.rules[res.ruleIndex].id, res.ruleId);
    });

    it('fails validation when the log is broken (the validator is real)', () => {
      const log = JSON.parse(runCli(['lint', '-f', 'sarif', ...only(FETCH), 'src/server.ts'], root).stdout);
      assert.ok(validateSarif(log));
      log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
      assert.equal(validateSarif(log), false);
      log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 1;
      log.runs[0].results[0].level = 'fatal';
      assert.equal(validateSarif(log), false);
    });
  });

  describe('--output', () => {
    it('writes the report to the file (creating its directory) and nothing to stdout', () => {
      const r = runCli(['lint', '-f', 'sarif', '--output', 'reports/mcp.sarif', ...only(FETCH), 'src/server.ts'], root);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, '');
      const log = JSON.parse(fs.readFileSync(path.join(root, 'reports/mcp.sarif'), 'utf8'));
      assert.equal(log.runs[0].results.length, 2);
      const t = runCli(['lint', '-o', 'report.txt', ...only(FETCH), 'src/server.ts'], root, { env: { ...process.env, FORCE_COLOR: '1', NO_COLOR: undefined } });
      assert.equal(t.status, 0);
      const text = fs.readFileSync(path.join(root, 'report.txt'), 'utf8');
      assert.match(text, /^src\/server\.ts\n/);
      assert.doesNotMatch(text, /\x1b\[/, 'no colour codes in a file');
    });

    it('exits 2 when the output file cannot be written', () => {
      const r = runCli(['lint', '-o', 'src/server.ts/out.json', 'src/server.ts'], root);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /cannot write src\/server\.ts\/out\.json/);
    });
  });
});
