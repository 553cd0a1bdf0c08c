// `mcp-architect lint --cache`: a run from the cache reports exactly what a run without it reports, after edits,
// program changes, option changes and a broken cache file alike.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SDK_PACKAGE_JSON, buildOnce, makeTree, removeTrees, runCli, writeTree } from '../helpers/cli';

const STDIO_SERVER = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { register } from './tools.js';
const server = new McpServer({ name: 'cache-demo', version: '1.0.0' });
register(server);
await server.connect(new StdioServerTransport());
`;
const HTTP_SERVER = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { register } from './tools.js';
const server = new McpServer({ name: 'cache-demo', version: '1.0.0' });
register(server);
await server.connect(new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableDnsRebindingProtection: true, allowedHosts: ['127.0.0.1'] }));
`;
// Imports no transport: whether console.log corrupts a stream is the program's business (server.ts).
const TOOLS = `export function register(server: { registerTool: Function }) {
  console.log('registering tools');
}
export const get = (u: string) => fetch(u);
`;

interface Report {
  files: Array<{ path: string; findings: Array<{ ruleId: string | null }> }>;
}

describe('CLI lint --cache', function () {
  this.timeout(120_000);
  before(() => buildOnce());
  after(() => removeTrees());

  const lint = (root: string, ...extra: string[]) => runCli(['lint', '-f', 'json', ...extra, '.'], root);
  /** The cached run's report and exit code, checked against a run without the cache. */
  function same(root: string, ...extra: string[]) {
    const cached = lint(root, '--cache', ...extra);
    const fresh = lint(root, ...extra);
    assert.equal(cached.stderr, '', cached.stderr);
    assert.equal(cached.status, fresh.status);
    assert.equal(cached.stdout, fresh.stdout);
    return JSON.parse(cached.stdout) as Report;
  }
  const rules = (r: Report, file: string) => r.files.find(f => f.path === file)?.findings.map(f => f.ruleId).sort();

  it('writes .mcp-architect-cache and answers the next run from it, with the same report', () => {
    const root = makeTree({ 'package.json': SDK_PACKAGE_JSON, 'src/server.ts': STDIO_SERVER, 'src/tools.ts': TOOLS });
    const first = same(root);
    const cacheFile = path.join(root, '.mcp-architect-cache');
    const cache = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { files: Record<string, { result?: unknown }> };
    assert.deepEqual(Object.keys(cache.files).map(f => path.relative(root, f)).sort(), ['src/server.ts', 'src/tools.ts']);
    assert.ok(Object.values(cache.files).every(e => e.result), 'every result is kept');
    assert.deepEqual(rules(first, 'src/tools.ts'), ['fetch-without-timeout', 'stdout-in-stdio-server']);
    // Proof that the second run used the cache: a result planted in it comes back.
    const tools = path.join(root, 'src/tools.ts');
    const planted = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    planted.files[tools].result.findings = [];
    fs.writeFileSync(cacheFile, JSON.stringify(planted));
    assert.deepEqual(rules(JSON.parse(lint(root, '--cache').stdout) as Report, 'src/tools.ts'), []);
  });

  it('lints a changed file again, and the other files of its program when what the program does changed', () => {
    const root = makeTree({ 'package.json': SDK_PACKAGE_JSON, 'src/server.ts': STDIO_SERVER, 'src/tools.ts': TOOLS });
    same(root);
    // tools.ts is unchanged, but its program no longer serves stdio: its console.log is harmless now.
    writeTree(root, { 'src/server.ts': HTTP_SERVER });
    assert.deepEqual(rules(same(root), 'src/tools.ts'), ['fetch-without-timeout']);
    writeTree(root, { 'src/tools.ts': TOOLS.replace('fetch(u)', 'fetch(u, { signal: AbortSignal.timeout(30_000) })') });
    assert.deepEqual(rules(same(root), 'src/tools.ts'), []);
    writeTree(root, { 'src/server.ts': STDIO_SERVER });
    assert.deepEqual(rules(same(root), 'src/tools.ts'), ['stdout-in-stdio-server']);
  });

  it('starts afresh when the options change (rule severities, scope)', () => {
    const root = makeTree({ 'package.json': SDK_PACKAGE_JSON, 'src/server.ts': STDIO_SERVER, 'src/tools.ts': TOOLS });
    same(root);
    assert.deepEqual(rules(same(root, '--rule', 'stdout-in-stdio-server=off'), 'src/tools.ts'), ['fetch-without-timeout']);
    same(root, '--scope', 'all');
    assert.deepEqual(rules(same(root), 'src/tools.ts'), ['fetch-without-timeout', 'stdout-in-stdio-server']);
  });

  it('ignores a broken or foreign cache file and writes a good one; with worker threads too', () => {
    const root = makeTree({ 'package.json': SDK_PACKAGE_JSON, 'src/server.ts': STDIO_SERVER, 'src/tools.ts': TOOLS, 'py/server.py': 'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("x")\nprint("hi")\nmcp.run()\n' });
    const cacheFile = path.join(root, '.mcp-architect-cache');
    for (const junk of ['{ not json', '[]', '{"format":1,"key":"x","files":{}}', JSON.stringify({ format: 1, key: 'y', files: { [path.join(root, 'src/tools.ts')]: { hash: 'h', facts: 7 } } })]) {
      fs.writeFileSync(cacheFile, junk);
      same(root);
      assert.equal(JSON.parse(fs.readFileSync(cacheFile, 'utf8')).format, 1);
    }
    const two = same(root, '--concurrency', '2');
    assert.deepEqual(rules(two, 'py/server.py'), ['stdout-in-stdio-server']);
    assert.equal(lint(root, '--cache', '--concurrency', '2').stdout, lint(root).stdout, 'workers answered from the cache');
  });

  it('takes --cache-location as a file or a directory, and only warns when it cannot write there', () => {
    const root = makeTree({ 'package.json': SDK_PACKAGE_JSON, 'src/server.ts': STDIO_SERVER, 'src/tools.ts': TOOLS, 'cache-dir/.keep': '' });
    same(root, '--cache-location', 'cache-dir');
    assert.ok(fs.existsSync(path.join(root, 'cache-dir', '.mcp-architect-cache')));
    same(root, '--cache-location', 'build/lint.cache');
    assert.ok(fs.existsSync(path.join(root, 'build', 'lint.cache')));
    const blocked = lint(root, '--cache', '--cache-location', 'src/server.ts/cache');
    assert.equal(blocked.status, lint(root).status);
    assert.equal(blocked.stdout, lint(root).stdout);
    assert.match(blocked.stderr, /^mcp-architect: warning: cannot write the lint cache .*src\/server\.ts\/cache: /);
    const empty = runCli(['lint', '--cache-location', ' ', '.'], root);
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /--cache-location needs a path/);
  });
});
