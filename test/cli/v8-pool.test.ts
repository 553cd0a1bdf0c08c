// `lint` on a machine with few cores is started again in a Node with a smaller V8 thread pool (src/cli/v8-pool.ts):
// the choice, and the relaunched process as a real one (its Node options, output and exit code).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isShortLint, lintPoolSize, RELAUNCHED_ENV, SIZE_WALK_MAX_ENTRIES, SMALL_LINT_BYTES } from '../../src/cli/v8-pool';
import { SDK_PACKAGE_JSON, buildOnce, fixture, makeTree, removeTrees, runCli } from '../helpers/cli';

const CORES = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;

describe('lint: the V8 thread pool on machines with few cores', function () {
  this.timeout(120_000);
  let root: string;
  let probe: string;
  before(() => {
    buildOnce();
    // More source than SMALL_LINT_BYTES, which `lint` runs without starting again.
    const padding = '// a comment line of the padding that makes this tree large enough to be linted in a second Node\n';
    root = makeTree({ 'package.json': SDK_PACKAGE_JSON, 'server.ts': fixture('stdio-risky.ts'), 'padding.ts': padding.repeat(Math.ceil(SMALL_LINT_BYTES / padding.length)) });
    // Preloaded into every Node the command starts (NODE_OPTIONS): each writes its own Node options to a file.
    probe = path.join(root, 'probe.cjs');
    fs.writeFileSync(
      probe,
      `require('fs').appendFileSync(${JSON.stringify(path.join(root, 'processes.txt'))}, JSON.stringify({ execArgv: process.execArgv, relaunched: process.env.${RELAUNCHED_ENV} ?? null }) + '\\n');\n`,
    );
  });
  after(removeTrees);

  const processes = () => {
    const file = path.join(root, 'processes.txt');
    const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : [];
    fs.rmSync(file, { force: true });
    return lines.map(l => JSON.parse(l) as { execArgv: string[]; relaunched: string | null });
  };

  it('chooses one thread fewer than the cores, on up to 3 cores, unless a pool size was given or a debugger is on', () => {
    assert.equal(lintPoolSize(1, [], undefined), 1);
    assert.equal(lintPoolSize(2, [], undefined), 1);
    assert.equal(lintPoolSize(3, [], undefined), 2);
    assert.equal(lintPoolSize(4, [], undefined), undefined, "four cores: Node's pool of 4 is kept");
    assert.equal(lintPoolSize(64, [], undefined), undefined);
    assert.equal(lintPoolSize(2, ['--v8-pool-size=2'], undefined), undefined, 'given on the command line');
    assert.equal(lintPoolSize(2, ['--v8-pool-size', '2'], undefined), undefined);
    assert.equal(lintPoolSize(2, [], '--max-old-space-size=4096 --v8-pool-size=3'), undefined, 'given in NODE_OPTIONS');
    assert.equal(lintPoolSize(2, ['--v8-pool-sizes'], '--no-warnings'), 1, 'other options do not count');
    assert.equal(lintPoolSize(2, ['--inspect-brk'], undefined), undefined, 'under a debugger');
    assert.equal(lintPoolSize(2, [], '--inspect=9230'), undefined);
    assert.equal(lintPoolSize(2, ['--inspector-unrelated'], undefined), 1);
  });

  it(`starts lint again with --v8-pool-size on this ${CORES}-core machine when it has up to 3 cores, with the same report and exit code`, () => {
    const nodeOptions = `--require ${probe}`;
    const relaunched = runCli(['lint', '--format', 'json', '.'], root, { env: { ...process.env, NODE_OPTIONS: nodeOptions } });
    const started = processes();
    const expected = lintPoolSize(CORES, [], nodeOptions);
    if (expected === undefined) {
      assert.equal(started.length, 1, JSON.stringify(started));
    } else {
      assert.deepEqual(started, [
        { execArgv: [], relaunched: null },
        { execArgv: [`--v8-pool-size=${expected}`], relaunched: String(expected) },
      ]);
    }
    // The same run in this process (as if relaunched already): the same report and exit code.
    const here = runCli(['lint', '--format', 'json', '.'], root, { env: { ...process.env, NODE_OPTIONS: nodeOptions, [RELAUNCHED_ENV]: 'test' } });
    assert.equal(processes().length, 1);
    assert.equal(relaunched.status, 1);
    assert.equal(here.status, 1);
    assert.equal(relaunched.stdout, here.stdout);
    assert.ok(JSON.parse(relaunched.stdout).summary.errors > 0);
    // Bad usage: exit 2 and the message on stderr, through the relaunched process too.
    const bad = runCli(['lint', '--format', 'yaml'], root);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /yaml/);
  });

  it('does not start again when the pool size is given, nor for other commands, nor for a few named files', () => {
    runCli(['lint', '.'], root, { env: { ...process.env, NODE_OPTIONS: `--require ${probe} --v8-pool-size=2` } });
    assert.equal(processes().length, 1);
    runCli(['--version'], root, { env: { ...process.env, NODE_OPTIONS: `--require ${probe}` } });
    assert.equal(processes().length, 1);
    const named = runCli(['lint', '--format', 'json', 'server.ts'], root, { env: { ...process.env, NODE_OPTIONS: `--require ${probe}` } });
    assert.equal(processes().length, 1);
    assert.equal(named.status, 1);
    assert.ok(JSON.parse(named.stdout).summary.errors > 0);
    runCli(['lint', '--help'], root, { env: { ...process.env, NODE_OPTIONS: `--require ${probe}` } });
    assert.equal(processes().length, 1);
    // --cache: started again while there is no cache file, not once there is one.
    const cached = ['lint', '--format', 'json', '--cache', '--cache-location', path.join(root, 'lint.cache'), '.'];
    const filling = runCli(cached, root, { env: { ...process.env, NODE_OPTIONS: `--require ${probe}` } });
    assert.equal(processes().length, lintPoolSize(CORES, [], `--require ${probe}`) === undefined ? 1 : 2);
    const reusing = runCli(cached, root, { env: { ...process.env, NODE_OPTIONS: `--require ${probe}` } });
    assert.equal(processes().length, 1);
    assert.equal(reusing.status, filling.status);
    assert.equal(reusing.stdout, filling.stdout);
    fs.rmSync(path.join(root, 'lint.cache'));
  });

  it('counts as short a run over up to SMALL_LINT_BYTES of source, one from a lint cache, or one that only prints a message', () => {
    const big = 'x'.repeat(SMALL_LINT_BYTES + 1);
    // Only the files lint reads count: not node_modules, .git, declaration files or other kinds of file.
    const small = makeTree({ 'a.ts': 'x'.repeat(1000), 'src/b.py': 'y'.repeat(2000), 'node_modules/m/index.js': big, '.git/x.js': big, 'types.d.ts': big, 'notes.md': big });
    assert.equal(isShortLint([], small), true, 'the working directory');
    assert.equal(isShortLint(['--format', 'json', 'src'], small), true);

    const tree = makeTree({ 'a.ts': 'x'.repeat(SMALL_LINT_BYTES - 10), 'src/b.ts': 'y'.repeat(10), 'src/c.js': 'z' });
    assert.equal(isShortLint([], tree), false, 'one byte more than SMALL_LINT_BYTES');
    assert.equal(isShortLint(['a.ts', 'src/b.ts'], tree), true, 'exactly SMALL_LINT_BYTES');
    assert.equal(isShortLint(['a.ts', 'src'], tree), false);
    assert.equal(isShortLint(['src'], tree), true);
    assert.equal(isShortLint(['--output', 'a.ts', 'src'], tree), true, "an option's value is not a path to lint");
    assert.equal(isShortLint(['--format'], tree), true, 'rejected arguments: a usage message');
    assert.equal(isShortLint(['--no-such-option', 'src'], tree), true);
    assert.equal(isShortLint(['missing.ts', '.'], tree), true, 'an unreadable path: an error message');

    // A tree of more entries than the walk reads counts as large, whatever their size.
    const many = makeTree({});
    for (let i = 0; i <= SIZE_WALK_MAX_ENTRIES; i++) fs.writeFileSync(path.join(many, `f${i}.txt`), '');
    assert.equal(isShortLint([], many), false);
    fs.rmSync(path.join(many, 'f0.txt'));
    assert.equal(isShortLint([], many), true);

    // --cache with a cache file to reuse results from (the default name, or --cache-location's file or directory).
    assert.equal(isShortLint(['--cache'], tree), false, 'no cache file yet');
    fs.writeFileSync(path.join(tree, '.mcp-architect-cache'), '{}');
    assert.equal(isShortLint(['--cache'], tree), true);
    assert.equal(isShortLint([], tree), false, 'a cache file without --cache is not read');
    assert.equal(isShortLint(['--cache', '--cache-location', 'src'], tree), false, 'none in that directory');
    fs.writeFileSync(path.join(tree, 'src', '.mcp-architect-cache'), '{}');
    assert.equal(isShortLint(['--cache', '--cache-location', 'src'], tree), true);
    assert.equal(isShortLint(['--cache', '--cache-location', 'elsewhere.json'], tree), false);
  });
});
