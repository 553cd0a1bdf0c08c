// Exit codes and usage errors of the built `mcp-architect` command, run as a real process.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../src/core/rules';
import { REPO_ROOT } from '../helpers/rules';
import { BIN, SDK_PACKAGE_JSON, buildOnce, makeTree, removeTrees, runCli, unprivileged } from '../helpers/cli';

const FETCH = 'fetch-without-timeout';
function only(...ids: string[]): string[] {
  return RULES.filter(r => !ids.includes(r.meta.id)).flatMap(r => ['--rule', `${r.meta.id}=off`]);
}

const HEADER = "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n";
const TWO_WARNINGS = `${HEADER}export const a = (u: string) => fetch(u);\nexport const b = (u: string) => fetch(u, { method: 'PUT' });\n`;
const CLEAN = `${HEADER}export const a = (u: string) => fetch(u, { signal: AbortSignal.timeout(30_000) });\n`;

describe('mcp-architect lint: exit codes', function () {
  this.timeout(60_000);
  let root: string;

  before(() => {
    buildOnce();
    root = makeTree({ 'package.json': SDK_PACKAGE_JSON, 'warn.ts': TWO_WARNINGS, 'clean.ts': CLEAN });
  });
  after(removeTrees);

  it('exits 0 when there are no findings', () => {
    const r = runCli(['lint', ...only(FETCH), 'clean.ts'], root);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('exits 0 on warnings alone, and 1 on errors', () => {
    assert.equal(runCli(['lint', ...only(FETCH)], root).status, 0);
    const r = runCli(['lint', ...only(FETCH), '--rule', `${FETCH}=error`], root);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /✖ 2 problems \(2 errors, 0 warnings\)/);
  });

  it('exits 1 when there are more warnings than --max-warnings, 0 when there are as many', () => {
    const over = runCli(['lint', ...only(FETCH), '--max-warnings', '1'], root);
    assert.equal(over.status, 1);
    assert.match(over.stderr, /2 warnings, more than --max-warnings 1/);
    assert.equal(runCli(['lint', ...only(FETCH), '--max-warnings', '2'], root).status, 0);
    assert.equal(runCli(['lint', ...only(FETCH), '--max-warnings=0', 'clean.ts'], root).status, 0);
    assert.equal(runCli(['lint', ...only(FETCH), '--max-warnings=-1'], root).status, 0);
    // info findings are not warnings
    assert.equal(runCli(['lint', ...only(FETCH), '--rule', `${FETCH}=info`, '--max-warnings', '0'], root).status, 0);
  });

  it('turns a rule off with --rule id=off', () => {
    const r = runCli(['lint', '-f', 'json', ...only(FETCH), '--rule', `${FETCH}=off`, '--max-warnings', '0'], root);
    assert.equal(r.status, 0);
    assert.equal(JSON.parse(r.stdout).summary.warnings, 0);
  });

  describe('exits 2 with a clear message on stderr', () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['an unknown option', ['lint', '--colour'], /Unknown option '--colour'/],
      ['an unknown format', ['lint', '--format', 'xml'], /--format must be one of text, json, sarif \(got 'xml'\)/],
      ['a missing option value', ['lint', '--format'], /--format/],
      ['a bad --max-warnings', ['lint', '--max-warnings', 'lots'], /--max-warnings must be a whole number/],
      ['a bad --scope', ['lint', '--scope', 'some'], /--scope must be mcp or all/],
      ['an unknown rule', ['lint', '--rule', 'no-such-rule=off'], /unknown rule 'no-such-rule' in --rule\. Rules: .*fetch-without-timeout/],
      ['a bad severity', ['lint', '--rule', `${FETCH}=loud`], /severity must be error, warning, info, hint or off \(got 'loud'\)/],
      ['a --rule without =', ['lint', '--rule', FETCH], /--rule takes id=severity/],
      ['a path that does not exist', ['lint', 'missing/dir'], /cannot read missing\/dir: no such file or directory/],
      ['a file that is not TypeScript or JavaScript', ['lint', 'package.json'], /package\.json is not a TypeScript or JavaScript source file/],
    ];
    for (const [what, args, message] of cases) {
      it(`for ${what}`, () => {
        const r = runCli(args, root);
        assert.equal(r.status, 2, r.stdout + r.stderr);
        assert.match(r.stderr, message);
        assert.equal(r.stdout, '', 'no report on a usage error');
      });
    }

    it('for an unknown command or none, with the command list', () => {
      const r = runCli(['serve-all'], root);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /unknown command 'serve-all'/);
      assert.match(r.stderr, /Commands:\n {2}lint {2}/);
      const none = runCli([], root);
      assert.equal(none.status, 2);
      assert.match(none.stderr, /^Usage: mcp-architect <command>/);
    });

    it('for a file it may not read', function () {
      const as = unprivileged();
      assert.ok(as, "the CLI cannot be run as an unprivileged user (nobody) here");
      const tree = makeTree({ 'package.json': SDK_PACKAGE_JSON, 'secret.ts': CLEAN, 'ok.ts': CLEAN });
      fs.chmodSync(path.join(tree, 'secret.ts'), 0o000);
      for (const args of [['lint', 'secret.ts'], ['lint', '.']]) {
        const r = runCli(args, tree, as);
        assert.equal(r.status, 2, r.stdout + r.stderr);
        assert.match(r.stderr, /cannot read secret\.ts: permission denied/);
      }
    });

    it('for a directory it may not read', function () {
      const as = unprivileged();
      assert.ok(as, "the CLI cannot be run as an unprivileged user (nobody) here");
      const tree = makeTree({ 'package.json': SDK_PACKAGE_JSON, 'ok.ts': CLEAN, 'locked/inner.ts': CLEAN });
      fs.chmodSync(path.join(tree, 'locked'), 0o000);
      const r = runCli(['lint'], tree, as);
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /cannot read directory locked: permission denied/);
    });
  });

  it('prints help and version with exit 0', () => {
    const help = runCli(['lint', '--help'], root);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: mcp-architect lint \[paths\.\.\.\] \[options\]/);
    assert.match(help.stdout, /--max-warnings N/);
    const top = runCli(['--help'], root);
    assert.equal(top.status, 0);
    assert.match(top.stdout, /\n {2}lint +Lint TypeScript/);
    const version = runCli(['--version'], root);
    assert.equal(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version);
  });

  it('bin/mcp-architect.js says to run `npm run build` (exit 2) when dist/cli.js is missing', () => {
    const checkout = makeTree({});
    fs.mkdirSync(path.join(checkout, 'bin'));
    fs.copyFileSync(BIN, path.join(checkout, 'bin', 'mcp-architect.js'));
    const r = spawnSync(process.execPath, [path.join(checkout, 'bin', 'mcp-architect.js'), 'lint'], { cwd: checkout, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /dist\/cli\.js is not built\. Run `npm run build`/);
  });

  it('runs as `npx mcp-architect` from the checkout', () => {
    const r = spawnSync('npx', ['--no-install', 'mcp-architect', 'lint', ...only(FETCH), '-f', 'json', path.join(root, 'warn.ts')], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).summary.warnings, 2);
  });
});
