// What the tsserver plugin adds to a semantic-diagnostics request, as a share of TypeScript's own time for the
// same file (target: at most 5 %). A large generated MCP server is edited and re-checked repeatedly, as when
// typing; the plugin times TypeScript's call and its own work inside the same request (it logs both when the
// tsserver log records request times), and the median of the per-request ratios is reported. Round trips
// with and without the plugin are measured as well, for reference (they include process noise).
//
// `node scripts/bench/tsserver-overhead.mjs [--tools N] [--iterations N]` (defaults 200 and 20), or `run()` from scripts/bench.mjs.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, round, runStandalone } from './support/common.mjs';
import { generateToolServer } from './support/generate-server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSSERVER = path.join(ROOT, 'node_modules/typescript/lib/tsserver.js');
const PLUGIN_NAME = 'mcp-architect-tsserver-plugin';
const TARGET_PERCENT = 5;

/** @returns {Promise<Array<{ name: string, value: number, unit: string, target?: number }>>} */
export async function run({ tools = 200, iterations = 20, warmup = 3 } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-bench-tsserver-'));
  const servers = [];
  try {
    const probe = path.join(tmp, 'probe');
    const pkgDir = path.join(probe, 'node_modules', PLUGIN_NAME);
    fs.mkdirSync(pkgDir, { recursive: true });
    // The plugin as the package ships it (scripts/build.mjs, which `npm run bench` runs first).
    const built = path.join(ROOT, 'dist', 'tsserver-plugin', 'index.js');
    if (!fs.existsSync(built)) throw new Error('dist/tsserver-plugin/index.js is missing: run `npm run build` first');
    fs.copyFileSync(built, path.join(pkgDir, 'index.js'));
    fs.copyFileSync(path.join(ROOT, 'src/tsserver-plugin/package.json'), path.join(pkgDir, 'package.json'));

    const project = path.join(tmp, 'server');
    fs.mkdirSync(project);
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'), 'dir');
    fs.writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, types: ['node'], lib: ['ES2022'] },
      }),
    );
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'generated-server', type: 'module', dependencies: { '@modelcontextprotocol/sdk': '^1.0.0', zod: '^3.25.0' } }));
    const file = path.join(project, 'server.ts');
    const text = generateToolServer(tools);
    fs.writeFileSync(file, text);
    const lines = text.split('\n').length;

    const logFile = path.join(tmp, 'tsserver.log');
    const withPlugin = new TsServer(['--globalPlugins', PLUGIN_NAME, '--pluginProbeLocations', probe, '--logVerbosity', 'requestTime', '--logFile', logFile]);
    const without = new TsServer([]);
    servers.push(withPlugin, without);

    const roundTrips = { with: [], without: [] };
    let current = text;
    for (const server of servers) await server.request('updateOpen', { openFiles: [{ file, fileContent: current, scriptKindName: 'TS' }] });
    for (let i = 0; i < warmup + iterations; i++) {
      // One keystroke: a changed comment on the last line makes a new program and a fresh check of the file.
      const next = `${text}// edit ${i}\n`;
      for (const [key, server] of [['with', withPlugin], ['without', without]]) {
        await server.request('updateOpen', { changedFiles: [{ fileName: file, textChanges: [{ start: { line: 1, offset: 1 }, end: endLocation(current), newText: next }] }] });
        const t0 = performance.now();
        const diags = await server.request('semanticDiagnosticsSync', { file, includeLinePosition: true });
        if (i >= warmup) roundTrips[key].push(performance.now() - t0);
        if (key === 'with' && !diags.some(d => d.source === 'mcp-architect')) throw new Error('the plugin reported nothing: it did not load');
      }
      current = next;
    }

    const samples = fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .map(l => /\[mcp-architect-tsserver-plugin\] getSemanticDiagnostics .*: typescript ([\d.]+) ms, mcp-architect ([\d.]+) ms/.exec(l))
      .filter(Boolean)
      .map(m => ({ typescript: Number(m[1]), plugin: Number(m[2]) }))
      .slice(-iterations);
    if (samples.length < iterations) throw new Error(`expected ${iterations} timed requests in the tsserver log, found ${samples.length}`);

    const label = `${lines}-line MCP server, ${tools} tools`;
    return [
      { name: `tsserver plugin: added time per semantic-diagnostics request, % of TypeScript's (median, ${label})`, value: round(median(samples.map(s => (100 * s.plugin) / s.typescript))), unit: '%', target: TARGET_PERCENT },
      { name: `tsserver plugin: plugin work per semantic-diagnostics request (median, ${label})`, value: round(median(samples.map(s => s.plugin))), unit: 'ms' },
      { name: `tsserver plugin: TypeScript semantic diagnostics of the file (median, ${label})`, value: round(median(samples.map(s => s.typescript))), unit: 'ms' },
      { name: `tsserver plugin: semanticDiagnosticsSync round trip with the plugin (median, ${label})`, value: round(median(roundTrips.with)), unit: 'ms' },
      { name: `tsserver plugin: semanticDiagnosticsSync round trip without the plugin (median, ${label})`, value: round(median(roundTrips.without)), unit: 'ms' },
    ];
  } finally {
    for (const s of servers) s.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}


class TsServer {
  constructor(args) {
    this.seq = 0;
    this.pending = new Map();
    this.buffer = Buffer.alloc(0);
    this.stderr = '';
    this.proc = spawn(process.execPath, [TSSERVER, '--disableAutomaticTypingAcquisition', '--noGetErrOnBackgroundUpdate', '--locale', 'en', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.proc.stdout.on('data', chunk => this.onData(chunk));
    this.proc.stderr.on('data', chunk => (this.stderr += chunk));
    this.proc.on('exit', code => {
      for (const p of this.pending.values()) p.reject(new Error(`tsserver exited (${code}): ${this.stderr}`));
      this.pending.clear();
    });
  }

  onData(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const message = JSON.parse(this.buffer.subarray(start, start + length).toString('utf8'));
      this.buffer = this.buffer.subarray(start + length);
      if (message.type === 'response') {
        const p = this.pending.get(message.request_seq);
        this.pending.delete(message.request_seq);
        if (!p) continue;
        if (message.success === false) p.reject(new Error(`${message.command}: ${message.message}`));
        else p.resolve(message.body);
      }
    }
  }

  request(command, args) {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.proc.stdin.write(JSON.stringify({ seq, type: 'request', command, arguments: args }) + '\n');
    });
  }

  kill() {
    this.proc.kill();
  }
}

function endLocation(text) {
  const lines = text.split('\n');
  return { line: lines.length, offset: lines[lines.length - 1].length + 1 };
}


const standalone = await runStandalone(import.meta.url, run, ['tools', 'iterations']);
if (standalone) {
  const overhead = standalone[0];
  console.log(overhead.value <= TARGET_PERCENT ? `OK: ${overhead.value} % <= ${TARGET_PERCENT} %` : `OVER TARGET: ${overhead.value} % > ${TARGET_PERCENT} %`);
}
