// The MCP server under a client: start-up time to the first response, 1,000 tool calls of which a tenth are
// malformed (all must be answered), and the server's resident memory after warm-up (it should stay flat).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SERVER = path.join(root, 'dist', 'mcp-server.js');

const RISKY = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { exec } from 'node:child_process';
const cache = new Map<string, string>();
const server = new McpServer({ name: 'demo', version: '1.0.0' });
server.tool('get', async (args: any) => {
  const res = await fetch('https://api.example.com/' + args.id);
  cache.set(args.id, await res.text());
  exec('ls ' + args.dir);
  console.log('fetched', args.id);
  return { content: [{ type: 'text', text: cache.get(args.id) ?? '' }] };
});
server.connect(new StdioServerTransport());
`;

function rssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

/** Call i of the run: nine good calls of varied tools for every malformed one. */
function callFor(i) {
  switch (i % 10) {
    case 0: return { name: 'analyze_code', arguments: { code: 42 }, malformed: true };
    case 1: return { name: 'analyze_code', arguments: { code: RISKY, fileName: `s${i}.ts` } };
    case 2: return { name: 'list_rules', arguments: {} };
    case 3: return { name: 'get_playbook', arguments: { query: 'circuit breaker' } };
    case 4: return { name: 'get_snippet', arguments: { pattern: 'ttl-cache', language: 'python' } };
    case 5: return { name: 'analyze_code', arguments: { code: RISKY.replace('fetch(', `fetch${i}(`) } };
    case 6: return { name: 'get_playbook', arguments: { id: 'war-room-incident-response' } };
    case 7: return { name: 'get_snippet', arguments: { pattern: 'mcp-circuit-breaker' } };
    case 8: return { name: 'analyze_file', arguments: { path: 'package.json' } };
    default: return { name: 'list_rules', arguments: { language: 'typescript' } };
  }
}

export async function run() {
  const started = performance.now();
  const probe = path.join(root, 'scripts', 'bench', 'support', 'gc-probe.cjs');
  const transport = new StdioClientTransport({ command: process.execPath, args: ['--expose-gc', '--require', probe, SERVER], cwd: root, stderr: 'pipe' });
  const probes = [];
  let waiting;
  transport.stderr.on('data', d => {
    for (const m of d.toString().matchAll(/GC-PROBE heapUsed=(\d+) rss=(\d+)/g)) {
      probes.push({ heap: Number(m[1]) / 2 ** 20, rss: Number(m[2]) / 2 ** 20 });
      waiting?.();
    }
  });
  /** Live heap and RSS of the server right after a full GC. */
  const measure = () =>
    new Promise(resolve => {
      const count = probes.length;
      waiting = () => probes.length > count && resolve(probes[probes.length - 1]);
      process.kill(transport.pid, 'SIGUSR2');
    });
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(transport);
  await client.listTools();
  const startup = performance.now() - started;
  const pid = transport.pid;

  let answered = 0;
  let errorsOnMalformed = 0;
  let malformed = 0;
  const call = async i => {
    const c = callFor(i);
    const r = await client.callTool({ name: c.name, arguments: c.arguments });
    answered++;
    if (c.malformed) {
      malformed++;
      if (r.isError) errorsOnMalformed++;
    }
  };
  for (let i = 0; i < 200; i++) await call(i); // warm-up: JIT, caches, lazy modules
  const samples = [];
  const before = await measure();
  const t0 = performance.now();
  for (let i = 0; i < Number(process.env.BENCH_MCP_CALLS ?? 1000); i++) {
    await call(i);
    if (i % 100 === 99) samples.push(rssMb(pid));
  }
  const callsMs = performance.now() - t0;
  const after = await measure();
  await client.close();

  // Growth per 1,000 calls: slope of a least-squares line through the samples (robust to GC sawtooth).
  const n = samples.length;
  const xs = samples.map((_, k) => (k + 1) * 100);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = samples.reduce((a, b) => a + b, 0) / n;
  const slope = xs.reduce((a, x, k) => a + (x - mx) * (samples[k] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  console.error(`mcp-server: RSS samples (MB) ${samples.map(s => s.toFixed(1)).join(' ')}`);
  return [
    { name: 'MCP server: start-up to first response', value: startup, unit: 'ms', target: 2000 },
    { name: 'MCP server: 1,000 tool calls (10% malformed), all answered', value: answered - 200, unit: 'calls', target: { min: 1000 } },
    { name: 'MCP server: malformed calls answered with isError', value: errorsOnMalformed, unit: `of ${malformed}`, target: { min: malformed } },
    { name: 'MCP server: mean time per tool call', value: callsMs / 1000, unit: 'ms' },
    { name: 'MCP server: live heap after warm-up (after GC)', value: before.heap, unit: 'MB' },
    { name: 'MCP server: live heap growth over 1,000 calls (after GC)', value: after.heap - before.heap, unit: 'MB', target: 2 },
    { name: 'MCP server: resident memory after warm-up / after the calls', value: before.rss, unit: `MB / ${after.rss.toFixed(0)} MB` },
    { name: 'MCP server: RSS trend between GCs (V8 grows old space until a major GC)', value: slope * 1000, unit: 'MB per 1,000 calls' },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await run()) console.log(`${row.name}: ${row.value.toFixed(1)} ${row.unit}`);
}
