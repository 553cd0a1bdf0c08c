// The built CLI against ESLint, the tool CI would otherwise run, on the same generated tree of 1,000 MCP server
// modules: wall time, CPU time and peak memory of each, side by side in the same run, and the ratio of wall times
// (target: ours at most a fifth of ESLint's time). Ours runs as users run it (threads chosen automatically, the
// code cache filled by an earlier run), on one thread, and as a first run with an empty code cache. CPU times are
// there because wall times mean little on a busy machine. ESLint runs with @typescript-eslint/parser and
// eslint-plugin-security's recommended rules from a flat config written into the tree; neither tool gets type
// information.
//
// `node scripts/bench/cli-vs-eslint.mjs [--files N] [--runs N]`, or `run()` from scripts/bench.mjs (after a build).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, round, runStandalone } from './support/common.mjs';
import { generateModule } from './support/generate-server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'mcp-architect.js');
const ESLINT = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
const TARGET_RATIO = 0.2;
const GNU_TIME = '/usr/bin/time';


function makeTree(dir, files) {
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'generated-mcp-server', private: true, type: 'module', dependencies: { '@modelcontextprotocol/sdk': '^1.32.0', zod: '^3.25.0' } }),
  );
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\ndist/\n');
  for (let i = 0; i < files; i++) {
    const sub = path.join(dir, 'src', `feature-${String(i % 25).padStart(2, '0')}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `module-${String(i).padStart(4, '0')}.ts`), generateModule(i, 3));
  }
  const require = createRequire(path.join(ROOT, 'package.json'));
  const url = name => pathToFileURL(require.resolve(name)).href;
  fs.writeFileSync(
    path.join(dir, 'eslint.config.mjs'),
    [
      `import security from ${JSON.stringify(url('eslint-plugin-security'))};`,
      `import tsParser from ${JSON.stringify(url('@typescript-eslint/parser'))};`,
      'export default [',
      "  { files: ['**/*.ts'], languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' } },",
      '  security.configs.recommended,',
      '];',
      '',
    ].join('\n'),
  );
}

/** Runs a Node program; wall time from here, peak RSS from GNU time when present, else from the child itself. */
function measure(args, cwd, tmp, extraEnv = {}) {
  const useGnuTime = fs.existsSync(GNU_TIME);
  const rssFile = path.join(tmp, `rss-${process.hrtime.bigint()}.txt`);
  const preload = path.join(tmp, 'report-rss.cjs');
  if (!useGnuTime && !fs.existsSync(preload)) {
    fs.writeFileSync(
      preload,
      "process.on('exit', () => { const u = process.resourceUsage(); require('fs').writeFileSync(process.env.BENCH_RSS_FILE, JSON.stringify({ maxRSS: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 })); });\n",
    );
  }
  const [cmd, argv, env] = useGnuTime
    ? [GNU_TIME, ['-v', process.execPath, ...args], { ...process.env, ...extraEnv }]
    : [process.execPath, args, { ...process.env, ...extraEnv, BENCH_RSS_FILE: rssFile, NODE_OPTIONS: `--require ${preload}` }];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  let maxRssKb;
  let cpuMs;
  if (useGnuTime) {
    const figure = name => {
      const m = new RegExp(`${name}: ([\\d.]+)`).exec(r.stderr);
      if (!m) throw new Error(`no "${name}" from ${GNU_TIME} -v:\n${r.stderr}`);
      return Number(m[1]);
    };
    maxRssKb = figure('Maximum resident set size \\(kbytes\\)');
    cpuMs = (figure('User time \\(seconds\\)') + figure('System time \\(seconds\\)')) * 1000;
  } else {
    ({ maxRSS: maxRssKb, cpuMs } = JSON.parse(fs.readFileSync(rssFile, 'utf8')));
  }
  return { ms, cpuMs, maxRssKb, status: r.status, stderr: r.stderr };
}

export async function run({ files = 1_000, runs = 3 } = {}) {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-bench-cli-'));
  try {
    const tree = path.join(tmp, 'tree');
    fs.mkdirSync(tree);
    makeTree(tree, files);
    const ourReport = path.join(tmp, 'ours.json');
    const eslintReport = path.join(tmp, 'eslint.json');
    const ours = () => measure([BIN, 'lint', '--format', 'json', '--output', ourReport, '.'], tree, tmp);
    const oursOneThread = () => measure([BIN, 'lint', '--format', 'json', '--concurrency', '1', '--output', ourReport, '.'], tree, tmp);
    // A first run: the code cache of the bundles (src/cli/code-cache.ts) lives under TMPDIR, here a new one each time.
    const oursFirstRun = () => {
      const emptyTmp = fs.mkdtempSync(path.join(tmp, 'cold-'));
      return measure([BIN, 'lint', '--format', 'json', '--output', ourReport, '.'], tree, tmp, { TMPDIR: emptyTmp, NODE_COMPILE_CACHE: path.join(emptyTmp, 'node') });
    };
    // Both tools' caches, after a run that filled them and with nothing changed since: the re-run of CI with a restored
    // cache, or of a pre-commit hook (reported beside the target, which is about a cold run).
    const oursCached = () => measure([BIN, 'lint', '--format', 'json', '--cache', '--cache-location', path.join(tmp, 'ours.cache'), '--output', ourReport, '.'], tree, tmp);
    const eslintCached = () =>
      measure([ESLINT, '--config', 'eslint.config.mjs', '--cache', '--cache-location', path.join(tmp, 'eslint.cache'), '--format', 'json', '--output-file', eslintReport, '.'], tree, tmp);
    const eslint = () => measure([ESLINT, '--config', 'eslint.config.mjs', '--format', 'json', '--output-file', eslintReport, '.'], tree, tmp);

    // One untimed run each, so that both read the tree from a warm file cache.
    for (const tool of [ours, eslint]) {
      const r = tool();
      if (r.status !== 0 && r.status !== 1) throw new Error(`${tool === ours ? 'mcp-architect' : 'eslint'} failed (exit ${r.status}):\n${r.stderr}`);
    }
    oursCached();
    eslintCached();
    const samples = { ours: [], oursOneThread: [], oursFirstRun: [], oursCached: [], eslintCached: [], eslint: [] };
    for (let i = 0; i < runs; i++) {
      samples.ours.push(ours());
      samples.oursFirstRun.push(oursFirstRun());
      samples.oursCached.push(oursCached());
      samples.eslintCached.push(eslintCached());
      samples.oursOneThread.push(oursOneThread());
      samples.eslint.push(eslint());
    }

    const our = JSON.parse(fs.readFileSync(ourReport, 'utf8'));
    const theirs = JSON.parse(fs.readFileSync(eslintReport, 'utf8'));
    // Both lint the generated modules and eslint.config.mjs.
    const expected = files + 1;
    if (our.summary.files !== expected || our.summary.analysedFiles !== expected) throw new Error(`mcp-architect linted ${our.summary.analysedFiles} of ${expected} files`);
    if (theirs.length !== expected) throw new Error(`eslint linted ${theirs.length} of ${expected} files`);
    const ourFindings = our.summary.errors + our.summary.warnings + our.summary.infos + our.summary.hints;
    const theirFindings = theirs.reduce((n, f) => n + f.messages.length, 0);
    const fatal = theirs.reduce((n, f) => n + f.messages.filter(m => m.fatal).length, 0);
    if (fatal) throw new Error(`eslint could not parse ${fatal} files`);

    const oursMs = median(samples.ours.map(s => s.ms));
    const eslintMs = median(samples.eslint.map(s => s.ms));
    const cpu = key => Math.round(median(samples[key].map(s => s.cpuMs)));
    const modules = our.files.filter(f => f.path.endsWith('.ts'));
    const lines = modules.reduce((n, f) => n + fs.readFileSync(path.join(tree, f.path), 'utf8').split('\n').length, 0);
    const label = `${files} files, ${lines} lines, median of ${runs}`;
    return [
      { name: `CLI vs ESLint: mcp-architect lint, wall time (${label}; ${ourFindings} findings)`, value: Math.round(oursMs), unit: 'ms' },
      { name: `CLI vs ESLint: eslint + security plugin, wall time (${label}; ${theirFindings} findings)`, value: Math.round(eslintMs), unit: 'ms' },
      { name: 'CLI vs ESLint: mcp-architect lint --concurrency 1, wall time', value: Math.round(median(samples.oursOneThread.map(s => s.ms))), unit: 'ms' },
      { name: 'CLI vs ESLint: mcp-architect lint, first run (empty code cache), wall time', value: Math.round(median(samples.oursFirstRun.map(s => s.ms))), unit: 'ms' },
      { name: 'CLI vs ESLint: mcp-architect lint --cache, nothing changed since the last run, wall time', value: Math.round(median(samples.oursCached.map(s => s.ms))), unit: 'ms' },
      { name: 'CLI vs ESLint: eslint --cache, nothing changed since the last run, wall time', value: Math.round(median(samples.eslintCached.map(s => s.ms))), unit: 'ms' },
      { name: 'CLI vs ESLint: time ratio, mcp-architect / ESLint (wall time)', value: round(oursMs / eslintMs), unit: 'x', target: TARGET_RATIO },
      { name: 'CLI vs ESLint: mcp-architect lint, CPU time (all threads)', value: cpu('ours'), unit: 'ms' },
      { name: 'CLI vs ESLint: mcp-architect lint --concurrency 1, CPU time', value: cpu('oursOneThread'), unit: 'ms' },
      { name: 'CLI vs ESLint: eslint + security plugin, CPU time', value: cpu('eslint'), unit: 'ms' },
      { name: 'CLI vs ESLint: mcp-architect lint, peak RSS', value: Math.round(median(samples.ours.map(s => s.maxRssKb)) / 1024), unit: 'MB' },
      { name: 'CLI vs ESLint: mcp-architect lint --concurrency 1, peak RSS', value: Math.round(median(samples.oursOneThread.map(s => s.maxRssKb)) / 1024), unit: 'MB' },
      { name: 'CLI vs ESLint: eslint + security plugin, peak RSS', value: Math.round(median(samples.eslint.map(s => s.maxRssKb)) / 1024), unit: 'MB' },
    ];
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await runStandalone(import.meta.url, run, ['files', 'runs']);
