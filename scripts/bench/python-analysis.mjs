// Python analysis speed on one large generated FastMCP server (20,000 lines by default): the time to parse it with
// tree-sitter (WebAssembly) and run every Python rule, per 1,000 lines (median of several runs after a warm-up),
// the parse alone, the first (cold) run, and the peak resident memory of a process that analyses it once. Runs in a
// child process with the analyzer bundled as the CLI ships it and the wasm files from dist/. Times are CPU time of
// the analysing thread (on Linux; elsewhere the process's), as in analysis.mjs: a busy machine does not inflate it as
// it does wall time, and V8's helper threads on other cores do not add to it. The process's CPU time and the wall
// time are shown beside it.
//
// `node scripts/bench/python-analysis.mjs [--lines N] [--runs N]`, or `run()` from scripts/bench.mjs (after a build).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHILD_CPU_CLOCKS, median, round, runStandalone } from './support/common.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// An editor re-analyses the open file on every change (debounced): a 2,000-line server should take ~100 ms at most.
const TARGET_MS_PER_1000_LINES = 50;
const TARGET_PEAK_RSS_MB = 300;

const CHILD = `
const fs = require('node:fs');
const [analyzerPath, distDir, file, mode, runs] = process.argv.slice(2);
const { createPythonParser, findPythonWasm, analyzePython } = require(analyzerPath);
const text = fs.readFileSync(file, 'utf8');
${CHILD_CPU_CLOCKS}
(async () => {
  const baselineRss = process.memoryUsage().rss;
  const c0 = threadCpuMs();
  const parser = await createPythonParser(findPythonWasm([distDir]));
  const loadMs = threadCpuMs() - c0;
  if (mode === 'memory') {
    const findings = analyzePython(parser, file, text, { scope: 'all' }).length;
    process.stdout.write(JSON.stringify({ findings, baselineRss, loadMs, maxRssKb: process.resourceUsage().maxRSS }));
    return;
  }
  const total = [], totalProcess = [], totalWall = [], parseOnly = [];
  let findings = 0;
  for (let i = 0; i <= Number(runs); i++) {
    const w0 = performance.now();
    const p0 = processCpuMs();
    let t0 = threadCpuMs();
    findings = analyzePython(parser, file, text, { scope: 'all' }).length;
    total.push(threadCpuMs() - t0);
    totalProcess.push(processCpuMs() - p0);
    totalWall.push(performance.now() - w0);
    t0 = threadCpuMs();
    parser.parse(text).delete();
    parseOnly.push(threadCpuMs() - t0);
  }
  process.stdout.write(JSON.stringify({ total, totalProcess, totalWall, parseOnly, findings, threadClock }));
})().catch(e => { console.error(e); process.exit(1); });
`;

const TOOL_BODIES = [
  i => [
    `@mcp.tool()`,
    `async def fetch_${i}(url: str, limit: int = 10) -> str:`,
    `    """Fetch a page and summarise it (tool ${i})."""`,
    `    print(f"fetching {url}")`,
    `    r = requests.get(url)`,
    `    data = r.json()`,
    `    RESULTS_${i % 7}[url] = data`,
    `    return json.dumps(data)[:limit]`,
  ],
  i => [
    `@mcp.tool()`,
    `def disk_${i}(path: str) -> str:`,
    `    """Disk usage of a folder (tool ${i})."""`,
    `    try:`,
    `        out = subprocess.check_output(f"du -sh {path}", shell=True, text=True)`,
    `    except Exception:`,
    `        pass`,
    `    return out`,
  ],
  i => [
    `@mcp.resource("file://docs/{name}")`,
    `def doc_${i}(name: str) -> str:`,
    `    # Read a document under the root.`,
    `    with open(os.path.join(ROOT, name)) as f:`,
    `        return f.read()`,
  ],
  i => [
    `def retry_${i}(url: str) -> dict:`,
    `    for attempt in range(5):`,
    `        try:`,
    `            return httpx.get(url, timeout=10.0).json()`,
    `        except httpx.HTTPError:`,
    `            time.sleep(2)`,
    `    return {}`,
  ],
  i => [
    `@functools.lru_cache(maxsize=None)`,
    `def lookup_${i}(key: str) -> str:`,
    `    values = {"a": 1, "b": [1, 2, 3], "c": {"d": (4, 5)}}`,
    `    total = sum(v for v in range(100) if v % 3 == 0)`,
    `    return f"{key}:{values.get(key)}:{total}"`,
  ],
  i => [
    `@mcp.prompt()`,
    `async def review_${i}(code: str) -> str:`,
    `    """Ask for a review (prompt ${i})."""`,
    `    lines = [line.strip() for line in code.splitlines() if line.strip()]`,
    `    await asyncio.sleep(0)`,
    `    return "Review this code:\\n" + "\\n".join(lines)`,
  ],
];

/** A FastMCP server of about `lines` lines: imports, module state, then tools, resources, prompts and helpers. */
export function generatePythonServer(lines) {
  const out = [
    '"""A large generated FastMCP server for the Python analysis benchmark."""',
    'import asyncio',
    'import functools',
    'import json',
    'import os',
    'import subprocess',
    'import time',
    '',
    'import httpx',
    'import requests',
    'from mcp.server.fastmcp import FastMCP',
    '',
    'mcp = FastMCP("bench")',
    'ROOT = "/srv/docs"',
    'API_KEY = os.environ["API_KEY"]',
    ...Array.from({ length: 7 }, (_, k) => `RESULTS_${k}: dict[str, object] = {}`),
    '',
  ];
  for (let i = 0; out.length < lines - 4; i++) out.push('', ...TOOL_BODIES[i % TOOL_BODIES.length](i));
  out.push('', '', 'if __name__ == "__main__":', '    mcp.run()', '');
  return out.join('\n');
}


export async function run({ lines = 20_000, runs = 5 } = {}) {
  const dist = path.join(ROOT, 'dist');
  for (const f of ['web-tree-sitter.wasm', 'tree-sitter-python.wasm']) {
    if (!fs.existsSync(path.join(dist, f))) throw new Error(`dist/${f} is missing: run \`npm run build\` first`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-bench-python-'));
  try {
    const analyzer = path.join(tmp, 'analyzer.cjs');
    await esbuild.build({
      absWorkingDir: ROOT,
      stdin: {
        contents: [
          "export { analyzePython } from './src/core/python/analyzer';",
          "export { createPythonParser } from './src/core/python/parser';",
          "export { findPythonWasm } from './src/core/python/wasm-files';",
        ].join('\n'),
        resolveDir: ROOT,
        loader: 'ts',
      },
      outfile: analyzer,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      minify: true,
      legalComments: 'none',
      logLevel: 'warning',
    });
    const childScript = path.join(tmp, 'child.cjs');
    fs.writeFileSync(childScript, CHILD);
    const file = path.join(tmp, 'server.py');
    const text = generatePythonServer(lines);
    fs.writeFileSync(file, text);
    const lineCount = text.split('\n').length;

    const child = mode => {
      const r = spawnSync(process.execPath, [childScript, analyzer, dist, file, mode, String(runs)], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (r.status !== 0) throw new Error(`python analysis child (${mode}) failed (exit ${r.status}): ${r.stderr}`);
      return JSON.parse(r.stdout);
    };
    const memory = child('memory');
    const m = child('time');
    const per1000 = ms => round((ms * 1000) / lineCount);
    const label = `${lineCount}-line FastMCP server, ${m.findings} findings`;
    const clock = m.threadClock === 'thread' ? 'CPU time of the analysing thread' : 'CPU time (whole process)';
    return [
      { name: `python analysis: parse + all rules, ${clock} per 1,000 lines (median of ${runs}, ${label})`, value: per1000(median(m.total.slice(1))), unit: 'ms', target: TARGET_MS_PER_1000_LINES },
      { name: `python analysis: parse + all rules, CPU time of the whole process (V8's helper threads too) per 1,000 lines (median of ${runs})`, value: per1000(median(m.totalProcess.slice(1))), unit: 'ms' },
      { name: `python analysis: parse + all rules, wall time per 1,000 lines (median of ${runs})`, value: per1000(median(m.totalWall.slice(1))), unit: 'ms' },
      { name: `python analysis: tree-sitter parse alone, ${clock} per 1,000 lines (median of ${runs})`, value: per1000(median(m.parseOnly.slice(1))), unit: 'ms' },
      { name: `python analysis: first run (cold), ${clock} per 1,000 lines`, value: per1000(m.total[0]), unit: 'ms' },
      { name: `python analysis: loading tree-sitter and the Python grammar (WebAssembly), ${clock}`, value: round(memory.loadMs), unit: 'ms' },
      { name: 'python analysis: peak RSS of a process that loads the parser and analyses the file once', value: Math.round(memory.maxRssKb / 1024), unit: 'MB', target: TARGET_PEAK_RSS_MB },
    ];
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await runStandalone(import.meta.url, run, ['lines', 'runs']);
