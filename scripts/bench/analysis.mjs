// Analysis speed and memory on one large generated MCP server file (20,000 lines by default): the time to parse and
// analyse it, per 1,000 lines (median of several runs after a warm-up), the rules' share without parsing, and the
// peak resident memory of the process. Runs in a child process so that the memory figure is the analyzer's alone,
// with the same minified analyzer and TypeScript bundle the CLI ships. The target is on the CPU time of the thread
// that analyses (on Linux; elsewhere the process's), which a busy machine does not inflate as it does wall time, and
// which V8's helper threads (garbage collection, the optimizing compiler) do not add to: they run on other cores and
// do not delay the result. The process's CPU time and the wall time are shown beside it.
//
// `node scripts/bench/analysis.mjs [--lines N] [--runs N]`, or `run()` from scripts/bench.mjs (after a build).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHILD_CPU_CLOCKS, median, round, runStandalone } from './support/common.mjs';
import { generateServerFile } from './support/generate-server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// An editor re-analyses the open file on every change: a 2,000-line server should take no more than ~50 ms.
const TARGET_MS_PER_1000_LINES = 25;
// Parsing a file costs several times its size; 20,000 lines of TypeScript are about 1.2 MB of text.
const TARGET_PEAK_RSS_MB = 300;

// mode 'memory': one analysis in a fresh process, for its peak RSS; mode 'time': a warm-up and \`runs\` timed runs.
const CHILD = `
const fs = require('node:fs');
${CHILD_CPU_CLOCKS}
const [tsPath, analyzerPath, file, mode, runs] = process.argv.slice(2);
const ts = require(tsPath);
const { analyzeText, analyzeSourceFile, scriptKindOf } = require(analyzerPath);
const text = fs.readFileSync(file, 'utf8');
const baselineRss = process.memoryUsage().rss;
if (mode === 'memory') {
  const findings = analyzeText(ts, file, text).length;
  process.stdout.write(JSON.stringify({ findings, baselineRss, maxRssKb: process.resourceUsage().maxRSS }));
  process.exit(0);
}
const total = [];
const totalProcess = [];
const totalWall = [];
const rulesOnly = [];
let findings = 0;
for (let i = 0; i <= Number(runs); i++) {
  const w0 = performance.now();
  const p0 = processCpuMs();
  let c0 = threadCpuMs();
  findings = analyzeText(ts, file, text).length;
  total.push(threadCpuMs() - c0);
  totalProcess.push(processCpuMs() - p0);
  totalWall.push(performance.now() - w0);
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(ts, file));
  c0 = threadCpuMs();
  analyzeSourceFile({ ts, sourceFile: sf });
  rulesOnly.push(threadCpuMs() - c0);
}
process.stdout.write(JSON.stringify({ total, totalProcess, totalWall, rulesOnly, findings, threadClock }));
`;


export async function run({ lines = 20_000, runs = 5 } = {}) {
  const tsBundle = path.join(ROOT, 'dist', 'typescript.js');
  if (!fs.existsSync(tsBundle)) throw new Error('dist/typescript.js is missing: run `npm run build` first');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-bench-analysis-'));
  try {
    const analyzer = path.join(tmp, 'analyzer.cjs');
    await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: ['src/core/analyzer.ts'],
      outfile: analyzer,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      minify: true,
      external: ['typescript'],
      legalComments: 'none',
      logLevel: 'warning',
    });
    const childScript = path.join(tmp, 'child.cjs');
    fs.writeFileSync(childScript, CHILD);
    const file = path.join(tmp, 'server.ts');
    const text = generateServerFile(lines);
    fs.writeFileSync(file, text);
    const lineCount = text.split('\n').length;

    const child = mode => {
      const r = spawnSync(process.execPath, [childScript, tsBundle, analyzer, file, mode, String(runs)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`analysis child (${mode}) failed (exit ${r.status}): ${r.stderr}`);
      return JSON.parse(r.stdout);
    };
    const memory = child('memory');
    const m = child('time');
    const per1000 = ms => round((ms * 1000) / lineCount);
    const label = `${lineCount}-line MCP server, ${m.findings} findings`;
    // 'thread': the analysing thread's own CPU time; 'process': all of the process's, where the thread's is unknown.
    const clock = m.threadClock === 'thread' ? 'CPU time of the analysing thread' : 'CPU time (whole process)';
    return [
      { name: `analysis: parse + all rules, ${clock} per 1,000 lines (median of ${runs}, ${label})`, value: per1000(median(m.total.slice(1))), unit: 'ms', target: TARGET_MS_PER_1000_LINES },
      { name: `analysis: parse + all rules, CPU time of the whole process (V8's helper threads too) per 1,000 lines (median of ${runs})`, value: per1000(median(m.totalProcess.slice(1))), unit: 'ms' },
      { name: `analysis: parse + all rules, wall time per 1,000 lines (median of ${runs})`, value: per1000(median(m.totalWall.slice(1))), unit: 'ms' },
      { name: `analysis: rules only (file already parsed), ${clock} per 1,000 lines (median of ${runs})`, value: per1000(median(m.rulesOnly.slice(1))), unit: 'ms' },
      { name: `analysis: first run (cold), ${clock} per 1,000 lines`, value: per1000(m.total[0]), unit: 'ms' },
      { name: `analysis: whole file, parse + all rules, ${clock} (median of ${runs})`, value: round(median(m.total.slice(1))), unit: 'ms' },
      { name: 'analysis: peak RSS of a process that analyses the file once (TypeScript loaded)', value: Math.round(memory.maxRssKb / 1024), unit: 'MB', target: TARGET_PEAK_RSS_MB },
      { name: 'analysis: RSS of that process with TypeScript loaded, before analysing', value: Math.round(memory.baselineRss / (1024 * 1024)), unit: 'MB' },
    ];
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await runStandalone(import.meta.url, run, ['lines', 'runs']);
