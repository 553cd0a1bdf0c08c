import * as assert from 'node:assert/strict';
import { MCP_HEADER, expectFires, expectFixWorks, expectQuiet, findingsOf } from '../helpers/rules';

const ID = 'blocking-io-in-handler';
const SERVER = `${MCP_HEADER}import { z } from 'zod';\nconst server = new McpServer({ name: 'files', version: '1.0.0' });\n`;

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it('on fs *Sync calls inside a tool handler, naming the tool', () => {
      const found = expectFires(
        ID,
        `${SERVER}import * as fs from 'node:fs';
server.registerTool('read_file', { inputSchema: { path: z.string() } }, async ({ path }) => {
  const text = fs.readFileSync(path, 'utf8');
  const info = fs.statSync(path);
  return { content: [{ type: 'text', text: text + info.size }] };
});
`,
        2,
      );
      assert.match(found[0].message, /`readFileSync` blocks the event loop inside the tool handler `read_file`/);
      assert.match(found[0].message, /await fs\.promises\.readFile/);
    });

    it('on execSync, spawnSync, gzipSync and pbkdf2Sync in resource and prompt handlers', () => {
      const found = expectFires(
        ID,
        `${SERVER}import { execSync, spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { pbkdf2Sync } from 'node:crypto';
server.registerResource('status', 'status://git', {}, async uri => {
  const out = execSync('git status --short').toString();
  spawnSync('git', ['fetch']);
  return { contents: [{ uri: uri.href, text: gzipSync(out).toString('base64') }] };
});
server.registerPrompt('hash', { argsSchema: { secret: z.string() } }, ({ secret }) => ({
  messages: [{ role: 'user', content: { type: 'text', text: pbkdf2Sync(secret, 'salt', 100_000, 64, 'sha512').toString('hex') } }],
}));
`,
        4,
      );
      assert.match(found[0].message, /blocks the whole server inside the resource handler `status` until the child process exits/);
      assert.match(found[3].message, /slow by design/);
    });

    it('in a same-file function the handler calls, directly or through another one', () => {
      const found = expectFires(
        ID,
        `${SERVER}import * as fs from 'node:fs';
function readConfig() { return JSON.parse(fs.readFileSync('/etc/app/config.json', 'utf8')); }
const settings = () => readConfig();
server.registerTool('settings', { inputSchema: {} }, async () => ({ content: [{ type: 'text', text: JSON.stringify(settings()) }] }));
`,
      );
      assert.match(found[0].message, /in `readConfig\(\)` \(called by the tool handler `settings`\)/);
      assert.equal(found[0].fixes.length, 0, 'readConfig is not async: no mechanical fix');
    });

    it('in CommonJS: require and a FastMCP execute', () => {
      expectFires(
        ID,
        `const { FastMCP } = require('fastmcp');
const fs = require('fs');
const server = new FastMCP({ name: 'x', version: '1.0.0' });
server.addTool({ name: 'list', description: 'List files', execute: async () => fs.readdirSync('/srv/data').join('\\n') });
`,
        1,
        'server.js',
      );
    });
  });

  describe('stays quiet', () => {
    it('for the async form (the playbook pattern)', () => {
      expectQuiet(
        ID,
        `${SERVER}import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
const execFileAsync = promisify(execFile);
server.registerTool('read_file', { inputSchema: { path: z.string() } }, async ({ path }) => {
  const text = await readFile(path, 'utf8');
  const { stdout } = await execFileAsync('git', ['log', '-1']);
  return { content: [{ type: 'text', text: text + stdout }] };
});
`,
      );
    });

    it('for sync I/O at startup, outside any handler, and in functions no handler calls', () => {
      expectQuiet(
        ID,
        `${SERVER}import * as fs from 'node:fs';
const config = JSON.parse(fs.readFileSync('/etc/app/config.json', 'utf8'));
function migrate() { fs.mkdirSync('/var/lib/app', { recursive: true }); }
migrate();
server.registerTool('config', { inputSchema: {} }, async () => ({ content: [{ type: 'text', text: JSON.stringify(config) }] }));
`,
      );
    });

    it('for fast crypto, stderr writes, and methods that only share a name', () => {
      expectQuiet(
        ID,
        `${SERVER}import { randomBytes, createHash } from 'node:crypto';
import * as fs from 'node:fs';
const cache = { readFileSync: (p: string) => p };
server.registerTool('token', { inputSchema: { seed: z.string() } }, async ({ seed }) => {
  fs.writeSync(process.stderr.fd, 'issuing token\\n');
  const id = randomBytes(16).toString('hex');
  const digest = createHash('sha256').update(seed).digest('hex');
  return { content: [{ type: 'text', text: id + digest + cache.readFileSync(seed) }] };
});
`,
      );
    });
  });

  describe('fix', () => {
    it('uses fs.promises through the namespace import, with parentheses where needed', () => {
      const fixed = expectFixWorks(
        ID,
        `${SERVER}import * as fs from 'node:fs';
server.registerTool('read_file', { inputSchema: { path: z.string() } }, async ({ path }) => {
  const text = fs.readFileSync(path, 'utf8').trim();
  const names = fs.readdirSync('/srv/data');
  fs.writeFileSync('/tmp/last-read', path);
  return { content: [{ type: 'text', text: text + names.join(',') }] };
});
`,
      );
      assert.match(fixed, /\(await fs\.promises\.readFile\(path, 'utf8'\)\)\.trim\(\)/);
      assert.match(fixed, /const names = await fs\.promises\.readdir\('\/srv\/data'\);/);
      assert.match(fixed, /await fs\.promises\.writeFile\('\/tmp\/last-read', path\);/);
    });

    it('adds an fs/promises import for named imports, once, in the file style', () => {
      const fixed = expectFixWorks(
        ID,
        `${SERVER}import { readFileSync, statSync } from 'node:fs';
server.registerTool('size', { inputSchema: { path: z.string() } }, async ({ path }) => {
  const body = readFileSync(path);
  const info = statSync(path);
  return { content: [{ type: 'text', text: String(body.length + info.size) }] };
});
`,
      );
      assert.match(fixed, /import \{ readFile, stat \} from 'node:fs\/promises';/);
      assert.equal(fixed.match(/from 'node:fs\/promises'/g)?.length, 1);
      assert.match(fixed, /const body = await readFile\(path\);/);
    });

    it('adds a require in CommonJS', () => {
      const fixed = expectFixWorks(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { readFileSync } = require('fs');
const server = new McpServer({ name: 'x', version: '1.0.0' });
server.registerTool('motd', {}, async () => ({ content: [{ type: 'text', text: readFileSync('/etc/motd', 'utf8') }] }));
`,
        'server.js',
      );
      assert.match(fixed, /const \{ readFile \} = require\('fs\/promises'\);/);
      assert.match(fixed, /text: await readFile\('\/etc\/motd', 'utf8'\)/);
    });

    it('offers none where await is not allowed, or the call has no promise twin', () => {
      const found = findingsOf(
        ID,
        `${SERVER}import * as fs from 'node:fs';
server.registerTool('sizes', { inputSchema: { dir: z.string() } }, async ({ dir }) => {
  const sizes = fs.readdirSync(dir).map(f => fs.statSync(dir + '/' + f).size);
  const missing = fs.statSync(dir, { throwIfNoEntry: false }) === undefined;
  return { content: [{ type: 'text', text: sizes.join(',') + missing + fs.existsSync(dir) }] };
});
server.registerTool('sync', { inputSchema: {} }, () => ({ content: [{ type: 'text', text: fs.readFileSync('/etc/motd', 'utf8') }] }));
`,
      );
      assert.deepEqual(
        found.map(f => f.fixes.length),
        [1, 0, 0, 0, 0],
        'only readdirSync, directly in the async handler, is fixable',
      );
    });
  });
});
