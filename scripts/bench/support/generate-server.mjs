// Generates large, realistic MCP server source for the benchmarks: tools that call HTTP APIs, databases, the shell
// and the file system, some written the risky way and some the careful way, so that every rule has work to do.

const TOOL_KINDS = [
  // risky: fetch without a timeout, swallowed error
  i => [
    `server.registerTool('fetch_${i}', { description: 'Fetch record ${i}', inputSchema: { id: z.string() } }, async ({ id }) => {`,
    `  try {`,
    `    const res = await fetch(\`\${BASE}/records/${i}/\${encodeURIComponent(id)}\`);`,
    `    const body = (await res.json()) as Item[];`,
    `    return { content: [{ type: 'text', text: summarise(body, 10) }] };`,
    `  } catch (error) {}`,
    `  return { content: [{ type: 'text', text: 'unavailable' }] };`,
    `});`,
  ],
  // careful: fetch with a timeout and bounded retries with backoff
  i => [
    `server.registerTool('lookup_${i}', { description: 'Look up ${i}', inputSchema: { q: z.string().max(200) } }, async ({ q }) => {`,
    `  for (let attempt = 0; attempt < 3; attempt++) {`,
    `    const res = await fetch(\`\${BASE}/search/${i}?q=\${encodeURIComponent(q)}\`, { signal: AbortSignal.timeout(30_000) });`,
    `    if (res.ok) return { content: [{ type: 'text', text: await res.text() }] };`,
    `    await new Promise(resolve => setTimeout(resolve, 2 ** attempt * 200 + Math.random() * 100));`,
    `  }`,
    `  throw new Error('search ${i} unavailable');`,
    `});`,
  ],
  // risky: shell string, synchronous file access in a handler, user input joined into a path
  i => [
    `server.registerTool('report_${i}', { description: 'Build report ${i}', inputSchema: { name: z.string() } }, async ({ name }) => {`,
    `  const template = fs.readFileSync(path.join(TEMPLATES, name), 'utf8');`,
    `  const out = execSync(\`render-report --template \${name} --id ${i}\`).toString();`,
    `  console.log('rendered', name);`,
    `  return { content: [{ type: 'text', text: template.replace('{{body}}', out) }] };`,
    `});`,
  ],
  // careful: argument arrays, asynchronous I/O, containment check
  i => [
    `server.registerTool('export_${i}', { description: 'Export ${i}', inputSchema: { name: z.string().regex(/^[\\w-]+$/) } }, async ({ name }) => {`,
    `  const file = path.resolve(TEMPLATES, name);`,
    `  if (!file.startsWith(TEMPLATES + path.sep)) throw new Error('name escapes the template directory');`,
    `  const { stdout } = await execFileAsync('render-report', ['--template', file, '--id', '${i}'], { timeout: 30_000 });`,
    `  return { content: [{ type: 'text', text: stdout }] };`,
    `});`,
  ],
  // risky: unbounded cache, axios without a timeout, unbounded fan-out
  i => [
    `const cache${i} = new Map<string, unknown>();`,
    `server.registerTool('sync_${i}', { description: 'Sync ${i}', inputSchema: { ids: z.array(z.string()) } }, async ({ ids }) => {`,
    `  const results = await Promise.all(ids.map(id => axios.get(\`\${BASE}/sync/${i}/\${id}\`)));`,
    `  for (const r of results) cache${i}.set(String(r.config.url), r.data);`,
    `  return { content: [{ type: 'text', text: \`\${results.length} synced\` }] };`,
    `});`,
  ],
  // careful: a pooled query with parameters and a bounded client
  i => [
    `server.registerTool('query_${i}', { description: 'Query ${i}', inputSchema: { email: z.string().email() } }, async ({ email }) => {`,
    `  const { rows } = await pool.query('SELECT id, name FROM customers_${i % 7} WHERE email = $1 LIMIT 50', [email]);`,
    `  const extra = await api.get(\`/customers/\${encodeURIComponent(email)}\`);`,
    `  return { content: [{ type: 'text', text: JSON.stringify({ rows, extra: extra.data }) }] };`,
    `});`,
  ],
];

/** The item type and summary function every generated server's tools use. */
const SUMMARY_HELPER = [
  'interface Item { id: string; name: string; price: number; tags: string[] }',
  '',
  'function summarise(items: Item[], limit: number): string {',
  '  return items.slice(0, limit).map(i => `${i.name} (${i.price.toFixed(2)})`).join(", ");',
  '}',
  '',
];

const HEADER = [
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
  "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';",
  "import { execFile, execSync } from 'node:child_process';",
  "import * as fs from 'node:fs';",
  "import * as path from 'node:path';",
  "import { promisify } from 'node:util';",
  "import axios from 'axios';",
  "import { Pool } from 'pg';",
  "import { z } from 'zod';",
  '',
  'const execFileAsync = promisify(execFile);',
  "const BASE = process.env.API_BASE ?? 'https://api.example.com';",
  "const TEMPLATES = path.resolve(process.env.TEMPLATES ?? '/srv/templates');",
  'const pool = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 30_000, query_timeout: 30_000 });',
  'const api = axios.create({ baseURL: BASE, timeout: 30_000 });',
  "const server = new McpServer({ name: 'generated', version: '1.0.0' });",
  '',
  ...SUMMARY_HELPER,
];

const FOOTER = ['', 'const transport = new StdioServerTransport();', 'await server.connect(transport);', ''];

/** A single MCP server module of about `lines` lines. */
export function generateServerFile(lines) {
  const out = [...HEADER];
  for (let i = 0; out.length < lines - FOOTER.length; i++) out.push(...TOOL_KINDS[i % TOOL_KINDS.length](i), '');
  out.push(...FOOTER);
  return out.join('\n');
}

/**
 * One module of a many-file server: `index` picks the mix of tools. Module 0 is the entry that connects the
 * transport; the others export a function that registers their tools.
 */
export function generateModule(index, toolsPerModule) {
  const body = [];
  for (let t = 0; t < toolsPerModule; t++) body.push(...TOOL_KINDS[(index + t) % TOOL_KINDS.length](`${index}_${t}`), '');
  const header = HEADER.filter(l => !l.startsWith('const server ='));
  return [
    ...header,
    `export function register${index}(server: McpServer): void {`,
    ...body.map(l => (l ? `  ${l}` : l)),
    '}',
    ...(index === 0 ? ["const server = new McpServer({ name: 'generated', version: '1.0.0' });", `register0(server);`, ...FOOTER] : []),
  ].join('\n');
}

/** An MCP server with `tools` tools: zod input schemas, outbound calls (a tenth without a timeout), branching. */
export function generateToolServer(tools) {
  const out = [
    "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
    "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';",
    "import { z } from 'zod';",
    '',
    "const server = new McpServer({ name: 'generated', version: '1.0.0' });",
    'const BASE = process.env.API_BASE ?? "https://api.example.com";',
    '',
    ...SUMMARY_HELPER,
  ];
  for (let i = 0; i < tools; i++) {
    const timeout = i % 10 === 0 ? '' : ', { signal: AbortSignal.timeout(30_000) }';
    out.push(
      `server.registerTool(`,
      `  'tool_${i}',`,
      `  {`,
      `    description: 'Looks up items of category ${i} and summarises them',`,
      `    inputSchema: { query: z.string().min(1), limit: z.number().int().positive().max(50).default(10), tags: z.array(z.string()).optional() },`,
      `  },`,
      `  async ({ query, limit, tags }) => {`,
      `    const url = \`\${BASE}/categories/${i}/items?q=\${encodeURIComponent(query)}\`;`,
      `    const res = await fetch(url${timeout});`,
      `    if (!res.ok) {`,
      `      return { content: [{ type: 'text', text: \`upstream answered \${res.status}\` }], isError: true };`,
      `    }`,
      `    const items = (await res.json()) as Item[];`,
      `    const wanted = tags?.length ? items.filter(item => item.tags.some(t => tags.includes(t))) : items;`,
      `    const total = wanted.reduce((sum, item) => sum + item.price, 0);`,
      `    return { content: [{ type: 'text', text: \`\${wanted.length} items, total \${total.toFixed(2)}: \${summarise(wanted, limit)}\` }] };`,
      `  },`,
      `);`,
      '',
    );
  }
  out.push('await server.connect(new StdioServerTransport());', '');
  return out.join('\n');
}
