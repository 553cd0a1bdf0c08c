// The built CLI loads its bundles through V8's code cache (src/cli/code-cache.ts): Node's own compile cache on
// Node 22.1+, a cache of its own on older Node. Each run gets a private temporary directory (TMPDIR).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { CODE_CACHE_DIR_NAME } from '../../src/cli/code-cache';
import { SDK_PACKAGE_JSON, buildOnce, makeTree, removeTrees, runCli } from '../helpers/cli';

const NODE_HAS_COMPILE_CACHE = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
// On Node 22.1+ the CLI uses Node's own compile cache, so the cache the CLI keeps for older Node is not in use there.
const OWN_CACHE_UNUSED = `Node ${process.version} has module.enableCompileCache, which the CLI uses instead of the cache it keeps for Node 20`;

/** Skips the running test, with the reason in its title: the report lists a skipped test by its title. */
function skipBecause(test: Mocha.Context, reason: string): void {
  if (test.test) test.test.title += ` (skipped: ${reason})`;
  test.skip();
}
const RISKY = "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nexport const get = (u: string) => fetch(u);\n";
// Python too: its parser is WebAssembly loaded from the cached bundle.
const PYTHON = 'from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("demo")\nprint("starting")\nmcp.run()\n';

describe('CLI code cache', function () {
  this.timeout(120_000);
  let project: string;
  const temps: string[] = [];

  before(() => {
    buildOnce();
    project = makeTree({ 'package.json': SDK_PACKAGE_JSON, 'a.ts': RISKY, 'b.ts': RISKY, 'server.py': PYTHON });
  });
  after(() => {
    removeTrees();
    for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
  });

  function tmp(): string {
    const t = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-code-cache-test-'));
    temps.push(t);
    return t;
  }
  const cacheDir = (t: string) => (NODE_HAS_COMPILE_CACHE ? path.join(t, 'node-compile-cache') : path.join(t, `${CODE_CACHE_DIR_NAME}-${process.getuid?.() ?? ''}`.replace(/-$/, '')));
  const lint = (t: string, env: NodeJS.ProcessEnv = {}) => runCli(['lint', '-f', 'json', '--concurrency', '1', '.'], project, { env: { ...process.env, NO_COLOR: '1', TMPDIR: t, ...env } });
  /** Bundle name -> cache file, for the cache of older Node. */
  const entries = (t: string) => Object.fromEntries(fs.readdirSync(cacheDir(t)).map(f => [f.replace(/-[0-9a-f]{8}-[0-9a-f]{32}\.bin$/, ''), path.join(cacheDir(t), f)]));

  it('fills the cache on the first run and gives the same report from it on the next', () => {
    const t = tmp();
    const first = lint(t);
    assert.equal(first.status, 1, first.stderr);
    assert.ok(fs.existsSync(cacheDir(t)), 'the cache directory was made');
    if (!NODE_HAS_COMPILE_CACHE) {
      assert.deepEqual(Object.keys(entries(t)).sort(), ['mcp-server', 'typescript']);
      assert.equal(fs.statSync(cacheDir(t)).mode & 0o777, 0o700, 'only its owner can use the cache');
      for (const f of Object.values(entries(t))) assert.ok(fs.statSync(f).size > 100_000, `${f} holds compiled code`);
    }
    const second = lint(t);
    assert.equal(second.status, first.status, second.stderr);
    assert.equal(second.stdout, first.stdout);
    const report = JSON.parse(second.stdout) as { summary: { warnings: number; errors: number }; files: Array<{ path: string; findings: Array<{ ruleId: string }> }> };
    assert.equal(report.summary.warnings, 2);
    assert.deepEqual(report.files.find(f => f.path === 'server.py')?.findings.map(f => f.ruleId), ['stdout-in-stdio-server']);
    assert.equal(second.stderr, '', 'nothing on stderr');
  });

  it('keeps one entry per bundle and installation: a new build’s entry replaces the old one, not another copy’s', function () {
    if (NODE_HAS_COMPILE_CACHE) skipBecause(this, OWN_CACHE_UNUSED);
    const t = tmp();
    lint(t);
    // As if TypeScript had been rebuilt since: its current entry is missing, an older build's is there.
    const current = path.basename(entries(t).typescript);
    const installation = /^typescript-([0-9a-f]{8})-/.exec(current)![1];
    fs.rmSync(entries(t).typescript);
    const stale = path.join(cacheDir(t), `typescript-${installation}-${'0'.repeat(32)}.bin`);
    const earlierRelease = path.join(cacheDir(t), `typescript-${'1'.repeat(32)}.bin`);
    const otherCopy = path.join(cacheDir(t), `typescript-${installation === 'ffffffff' ? 'eeeeeeee' : 'ffffffff'}-${'2'.repeat(32)}.bin`);
    const unrelated = path.join(cacheDir(t), 'notes.txt');
    fs.writeFileSync(stale, 'from an older build');
    fs.writeFileSync(earlierRelease, 'from a release that named no installation');
    fs.writeFileSync(otherCopy, 'another copy of the package');
    fs.writeFileSync(unrelated, 'not an entry');
    lint(t);
    assert.equal(fs.existsSync(stale), false, 'the older build’s entry is gone');
    assert.equal(fs.existsSync(earlierRelease), false, 'so is the earlier release’s');
    assert.equal(fs.existsSync(otherCopy), true, 'another installation keeps its entry');
    assert.equal(fs.existsSync(unrelated), true, 'other files are left alone');
    assert.ok(fs.existsSync(path.join(cacheDir(t), current)), 'the current entry was written again');
    fs.rmSync(otherCopy);
    assert.deepEqual(Object.keys(entries(t)).sort(), ['mcp-server', 'notes.txt', 'typescript']);
  });

  it('compiles as usual and rewrites an entry whose data V8 rejects', function () {
    if (NODE_HAS_COMPILE_CACHE) skipBecause(this, OWN_CACHE_UNUSED);
    const t = tmp();
    const clean = lint(t);
    const { typescript } = entries(t);
    fs.writeFileSync(typescript, Buffer.alloc(4096, 7));
    const r = lint(t);
    assert.equal(r.status, clean.status, r.stderr);
    assert.equal(r.stdout, clean.stdout);
    assert.ok(fs.statSync(typescript).size > 100_000, 'the rejected entry was written again');
    assert.deepEqual(fs.readdirSync(cacheDir(t)).filter(f => f.endsWith('.tmp')), [], 'no temporary files are left');
  });

  it('does not use a cache directory other users can write to, or one that is a file', function () {
    if (NODE_HAS_COMPILE_CACHE) skipBecause(this, OWN_CACHE_UNUSED);
    const open = tmp();
    fs.mkdirSync(cacheDir(open));
    fs.chmodSync(cacheDir(open), 0o777);
    const r = lint(open);
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(fs.readdirSync(cacheDir(open)), [], 'nothing is written to or read from it');

    const file = tmp();
    fs.writeFileSync(cacheDir(file), 'not a directory');
    const r2 = lint(file);
    assert.equal(r2.status, 1, r2.stderr);
    assert.equal(r2.stdout, r.stdout);
    assert.equal(fs.readFileSync(cacheDir(file), 'utf8'), 'not a directory');
  });

  it('is off with NODE_DISABLE_COMPILE_CACHE=1', () => {
    const t = tmp();
    const r = lint(t, { NODE_DISABLE_COMPILE_CACHE: '1' });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(fs.existsSync(cacheDir(t)), false);
  });

  it('is filled by worker threads too, and serves them', () => {
    const t = tmp();
    const threads = () => runCli(['lint', '-f', 'json', '--concurrency', '2', '.'], project, { env: { ...process.env, NO_COLOR: '1', TMPDIR: t } });
    const first = threads();
    assert.equal(first.status, 1, first.stderr);
    if (!NODE_HAS_COMPILE_CACHE) assert.deepEqual(Object.keys(entries(t)).sort(), ['mcp-server', 'typescript'], 'written by the workers (TypeScript) and at exit (the CLI)');
    const again = threads();
    assert.equal(again.stdout, first.stdout);
    assert.equal(lint(t).stdout, first.stdout, 'the same report on one thread');
  });
});
