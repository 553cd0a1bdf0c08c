import * as assert from 'node:assert/strict';
import { MCP_HEADER, expectFires, expectQuiet, findingsOf } from '../helpers/rules';

const ID = 'path-traversal';
const SERVER = `${MCP_HEADER}import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
const ROOT = path.resolve(process.env.DOCS_ROOT ?? './docs');
const server = new McpServer({ name: 'docs', version: '1.0.0' });
`;

const LOW_LEVEL = `import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import fs from 'fs/promises';
import { z } from 'zod';
const ReadArgs = z.object({ path: z.string() });
const server = new Server({ name: 'fs', version: '1.0.0' }, { capabilities: { tools: {} } });
declare function validatePath(requested: string): Promise<string>;
`;

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it('on a tool argument joined into a path and read, through variables, once per path', () => {
      const found = expectFires(
        ID,
        `${SERVER}import { existsSync, readFileSync } from 'node:fs';
server.registerTool('read_doc', { inputSchema: { file: z.string() } }, async ({ file }) => {
  const full = path.join(ROOT, file);
  if (!existsSync(full)) return { content: [], isError: true };
  return { content: [{ type: 'text', text: readFileSync(full, 'utf8') }] };
});
`,
      );
      assert.match(found[0].message, /`existsSync` \(and 1 more file operation on the same path\) uses a path built from `file`, which the client chooses in the tool handler `read_doc`, with no containment check/);
      assert.match(found[0].message, /path\.resolve\(root, p\); if \(!full\.startsWith\(root \+ path\.sep\)\)/);
    });

    it('on writes, deletes and streams, resource template variables, a startsWith before resolving, a pattern admitting dots', () => {
      const found = expectFires(
        ID,
        `${SERVER}import { ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { createReadStream } from 'node:fs';
server.registerTool('save', { inputSchema: { name: z.string(), body: z.string() } }, async args => {
  await fs.writeFile(\`\${ROOT}/\${args.name}\`, args.body);
  return { content: [] };
});
server.registerTool('remove', { inputSchema: { files: z.array(z.string()) } }, async ({ files }) => {
  for (const f of files) await fs.unlink(path.resolve(ROOT, f));
  return { content: [] };
});
server.registerResource('doc', new ResourceTemplate('docs://{name}', { list: undefined }), {}, async (uri, { name }) => {
  createReadStream(path.join(ROOT, String(name)));
  return { contents: [{ uri: uri.href, text: '' }] };
});
server.registerTool('read_public', { inputSchema: { file: z.string() } }, async ({ file }) => {
  if (!file.startsWith('public/')) throw new Error('only public files');
  return { content: [{ type: 'text', text: await fs.readFile(path.join(ROOT, file), 'utf8') }] };
});
server.registerTool('read_named', { inputSchema: { name: z.string().regex(/^[\\w.-]+$/) } }, async ({ name }) => ({
  content: [{ type: 'text', text: await fs.readFile(path.join(ROOT, name), 'utf8') }],
}));
`,
        5,
      );
      assert.match(found[2].message, /the resource handler `doc`/);
      assert.match(found[3].message, /checked with `startsWith` before it is resolved/);
    });

    it('in CommonJS, for a low-level call handler and a FastMCP tool', () => {
      expectFires(
        ID,
        `const { Server } = require('@modelcontextprotocol/sdk/server/index.js');
const { CallToolRequestSchema } = require('@modelcontextprotocol/sdk/types.js');
const fs = require('fs');
const server = new Server({ name: 'docs', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(CallToolRequestSchema, async request => {
  const target = request.params.arguments.path;
  return { content: [{ type: 'text', text: fs.readFileSync(target, 'utf8') }] };
});
`,
        1,
        'server.js',
      );
      expectFires(
        ID,
        `import { FastMCP } from 'fastmcp';
import { readdir } from 'node:fs/promises';
import { z } from 'zod';
const server = new FastMCP({ name: 'docs', version: '1.0.0' });
server.addTool({ name: 'list', parameters: z.object({ dir: z.string() }), execute: async ({ dir }) => (await readdir('/srv/' + dir)).join('\\n') });
`,
      );
    });

    it('on arguments parsed with safeParse and used as they are (a shape check is not a containment check)', () => {
      const [f] = expectFires(
        ID,
        `${LOW_LEVEL}server.setRequestHandler(CallToolRequestSchema, async request => {
  const { arguments: args } = request.params;
  const parsed = ReadArgs.safeParse(args);
  if (!parsed.success) throw new Error(\`Invalid arguments: \${parsed.error}\`);
  return { content: [{ type: 'text', text: await fs.readFile(parsed.data.path, 'utf-8') }] };
});
`,
      );
      assert.match(f.message, /uses a path built from `parsed\.data\.path`, which the client chooses in the `CallToolRequestSchema` request handler/);
    });
  });

    it('through a helper of the file that resolves the path but checks nothing, or checks the raw argument or another value', () => {
      const found = expectFires(
        ID,
        `${SERVER}function runbookPath(name: string) { return path.join(ROOT, name); }
function rawChecked(name: string) { if (!name.startsWith(ROOT)) throw new Error('outside'); return name; }
function otherChecked(name: string) { const full = path.resolve(ROOT, name); if (!ROOT.startsWith('/srv')) throw new Error('bad root'); return full; }
server.registerTool('runbook', { inputSchema: { a: z.string(), b: z.string(), c: z.string() } }, async ({ a, b, c }) => {
  const x = await fs.readFile(runbookPath(a), 'utf8');
  const y = await fs.readFile(rawChecked(b), 'utf8');
  const z2 = await fs.readFile(otherChecked(c), 'utf8');
  return { content: [{ type: 'text', text: x + y + z2 }] };
});
`,
        3,
      );
      assert.deepEqual(found.map(f => /built from `(\w+)`/.exec(f.message)?.[1]), ['a', 'b', 'c']);
    });

  describe('stays quiet', () => {
    it('for a resolved path checked against the root (the playbook pattern), with path.relative, or after realpath', () => {
      expectQuiet(
        ID,
        `${SERVER}server.registerTool('read_doc', { inputSchema: { file: z.string() } }, async ({ file }) => {
  const full = path.resolve(ROOT, file);
  if (!full.startsWith(ROOT + path.sep)) throw new Error('outside the docs root');
  return { content: [{ type: 'text', text: await fs.readFile(full, 'utf8') }] };
});
server.registerTool('write_doc', { inputSchema: { file: z.string(), body: z.string() } }, async ({ file, body }) => {
  const full = path.resolve(ROOT, file);
  const rel = path.relative(ROOT, full);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error('outside the docs root');
  await fs.writeFile(full, body);
  return { content: [] };
});
server.registerTool('read_link', { inputSchema: { file: z.string() } }, async ({ file }) => {
  const real = await fs.realpath(path.join(ROOT, file));
  if (!real.startsWith(ROOT + path.sep)) throw new Error('outside the docs root');
  return { content: [{ type: 'text', text: await fs.readFile(real, 'utf8') }] };
});
`,
      );
    });

    it('for constant paths, server configuration, basename, schema enums and word-only patterns', () => {
      expectQuiet(
        ID,
        `${SERVER}const config = { indexFile: process.env.INDEX ?? '/srv/index.json' };
server.registerTool('search', { inputSchema: { q: z.string() } }, async ({ q }) => {
  const index = await fs.readFile(config.indexFile, 'utf8');
  const stop = await fs.readFile(path.join(ROOT, 'stopwords.txt'), 'utf8');
  return { content: [{ type: 'text', text: index + stop + q }] };
});
server.registerTool('avatar', { inputSchema: { name: z.string(), size: z.enum(['small', 'large']), id: z.string().regex(/^[\\w-]+\\.png$/) } }, async ({ name, size, id }) => {
  const file = path.join(ROOT, size, path.basename(name));
  return { content: [{ type: 'text', text: (await fs.readFile(file)).toString('base64') + (await fs.readFile(path.join(ROOT, id))).length }] };
});
`,
      );
    });

    it('for allowlists, `..` rejection, checking helpers, and table lookups by the argument', () => {
      expectQuiet(
        ID,
        `${SERVER}const ALLOWED = new Set(['intro.md', 'faq.md']);
const FILES: Record<string, string> = { intro: '/srv/docs/intro.md' };
function assertInsideRoot(p: string) { if (!path.resolve(p).startsWith(ROOT + path.sep)) throw new Error('outside'); }
server.registerTool('read_doc', { inputSchema: { file: z.string(), topic: z.string(), rel: z.string(), other: z.string() } }, async ({ file, topic, rel, other }) => {
  if (!ALLOWED.has(file)) throw new Error('unknown document');
  const a = await fs.readFile(path.join(ROOT, file), 'utf8');
  const b = await fs.readFile(FILES[topic], 'utf8');
  if (rel.includes('..')) throw new Error('no parent directories');
  const c = await fs.readFile(path.join(ROOT, rel), 'utf8');
  const target = path.join(ROOT, other);
  assertInsideRoot(target);
  const d = await fs.readFile(target, 'utf8');
  return { content: [{ type: 'text', text: a + b + c + d }] };
});
`,
      );
    });

    it('for paths confined by a helper of the file whose body checks them, whatever its name', () => {
      expectQuiet(
        ID,
        `${SERVER}function runbookPath(name: string): string {
  const full = path.resolve(ROOT, name);
  if (!full.startsWith(ROOT + path.sep)) throw new Error('outside the runbooks');
  return full;
}
const locate = async (p: string) => {
  const real = await fs.realpath(p);
  if (path.relative(ROOT, real).startsWith('..')) throw new Error('outside');
  return real;
};
function noParents(p: string) { if (p.split(path.sep).includes('..')) throw new Error('no parent directories'); }
server.registerTool('runbook', { inputSchema: { a: z.string(), b: z.string(), c: z.string() } }, async ({ a, b, c }) => {
  const x = await fs.readFile(runbookPath(a), 'utf8');
  const target = path.join(ROOT, b);
  await locate(target);
  const y = await fs.readFile(target, 'utf8');
  noParents(c);
  const z2 = await fs.readFile(path.join(ROOT, c), 'utf8');
  return { content: [{ type: 'text', text: x + y + z2 }] };
});
`,
      );
    });

    it('for paths confined by a validating helper, also inside nested functions of the handler', () => {
      expectQuiet(
        ID,
        `${LOW_LEVEL}import * as path from 'node:path';
server.setRequestHandler(CallToolRequestSchema, async request => {
  const parsed = ReadArgs.parse(request.params.arguments);
  const validPath = await validatePath(parsed.path);
  async function tree(current: string): Promise<string[]> {
    const entries = await fs.readdir(await validatePath(current), { withFileTypes: true });
    return entries.map(e => path.join(current, e.name));
  }
  return { content: [{ type: 'text', text: (await fs.readFile(validPath, 'utf-8')) + (await tree(parsed.path)).join('\\n') }] };
});
`,
      );
    });
  });

  describe('fix', () => {
    it('offers none: the root to confine to is a decision, not a mechanical edit', () => {
      const found = findingsOf(ID, `${SERVER}server.registerTool('read', { inputSchema: { p: z.string() } }, async ({ p }) => ({ content: [{ type: 'text', text: await fs.readFile(p, 'utf8') }] }));\n`);
      assert.equal(found.length, 1);
      assert.deepEqual(found[0].fixes, []);
    });
  });
});
