// Program facts of TypeScript/JavaScript files for the extension's own engine (src/extension/project-facts.ts): a
// tool module is checked with what the rest of its package does, from open documents and from the files on disk.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeText } from '../../src/core/analyzer';
import { MAX_SCANNED_FILES, ProjectFactsStore } from '../../src/extension/project-facts';

// A package whose stdio entry (index.ts) is the only file that says what console.log in its tool module does.
const PACKAGE = path.join(__dirname, '../fixtures/stdio-tool-package');
const PACKAGE_JSON = fs.readFileSync(path.join(PACKAGE, 'package.json'), 'utf8');
const SERVER = fs.readFileSync(path.join(PACKAGE, 'index.ts'), 'utf8');
const TOOLS = fs.readFileSync(path.join(PACKAGE, 'tools.ts'), 'utf8');
const HTTP_SERVER = SERVER.replace("import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';", "import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';").replace(
  'await server.connect(new StdioServerTransport());',
  'await server.connect(new StreamableHTTPServerTransport({ sessionIdGenerator: undefined }));',
);

describe('extension: TypeScript/JavaScript program facts', () => {
  const roots: string[] = [];
  after(() => {
    for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  });

  function tree(files: Record<string, string>): string {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-tsprogram-')));
    roots.push(root);
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    return root;
  }
  const record = (store: ProjectFactsStore, file: string, text: string) => store.record(file, ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true), ts);
  const rulesOf = (store: ProjectFactsStore, file: string, text: string) =>
    [...new Set(analyzeText(ts, file, text, { project: store.factsFor(file, true) }).map(f => f.ruleId))].sort();

  it('reads the program’s files on disk, once per folder: a tool module learns that its server serves stdio', async () => {
    const root = tree({ 'package.json': PACKAGE_JSON, 'src/index.ts': SERVER, 'src/tools.ts': TOOLS });
    const store = new ProjectFactsStore();
    const tools = path.join(root, 'src', 'tools.ts');
    // The editor opens tools.ts alone: the package.json says MCP, nothing says stdio yet.
    record(store, tools, TOOLS);
    assert.deepEqual(store.factsFor(tools, true), { usesMcpServerSdk: true, servesStdio: false, servesHttp: false });
    assert.ok(!rulesOf(store, tools, TOOLS).includes('stdout-in-stdio-server'));
    assert.equal(store.isScannedFile(tools), false);

    assert.equal(await store.scan(tools, root, () => ts), true, 'the scan found that the program serves stdio');
    assert.equal(store.factsFor(tools, true)?.servesStdio, true);
    assert.ok(rulesOf(store, tools, TOOLS).includes('stdout-in-stdio-server'));
    assert.equal(await store.scan(tools, root, () => ts), false, 'one scan per folder: only its first caller hears of the change');
    assert.equal(store.isScannedFile(tools), true);
  });

  it('keeps the facts of open documents over what the disk says, and follows changes on disk', async () => {
    const root = tree({ 'package.json': PACKAGE_JSON, 'src/index.ts': SERVER, 'src/tools.ts': TOOLS });
    const store = new ProjectFactsStore();
    const server = path.join(root, 'src', 'index.ts');
    const tools = path.join(root, 'src', 'tools.ts');
    // index.ts is open, switched to HTTP but not saved: its live text wins over the disk.
    assert.equal(record(store, server, HTTP_SERVER), true);
    await store.scan(tools, root, () => ts);
    assert.deepEqual(store.factsFor(tools, true), { usesMcpServerSdk: true, servesStdio: false, servesHttp: true });
    // Closed without saving, then changed on disk by another tool: read again from the disk's text.
    assert.equal(store.recordText(server, fs.readFileSync(server, 'utf8'), ts), true);
    assert.deepEqual(store.factsFor(tools, true), { usesMcpServerSdk: true, servesStdio: true, servesHttp: false });
    assert.equal(store.recordText(server, SERVER, ts), false, 'the same text: nothing changed');
    assert.equal(store.forget(server), true, 'deleted');
    assert.equal(store.factsFor(tools, true)?.servesStdio, false);
  });

  it('reads only the program’s own sources: not another package, dependencies, build output or declarations', async () => {
    const root = tree({
      'package.json': PACKAGE_JSON,
      'src/tools.ts': TOOLS,
      'worker/package.json': PACKAGE_JSON,
      'worker/index.ts': SERVER,
      'node_modules/x/index.js': SERVER,
      'dist/index.js': SERVER,
      '.cache/index.js': SERVER,
      'src/server.d.ts': SERVER,
      'src/server.py': 'mcp.run()\n',
    });
    const store = new ProjectFactsStore();
    const tools = path.join(root, 'src', 'tools.ts');
    record(store, tools, TOOLS);
    assert.equal(await store.scan(tools, root, () => ts), false, 'nothing of its own serves anything');
    assert.equal(store.factsFor(tools, true)?.servesStdio, false);
    assert.equal(store.isScannedFile(path.join(root, 'dist', 'index.js')), false);
    assert.equal(store.isScannedFile(path.join(root, 'node_modules', 'x', 'index.js')), false);
    assert.equal(store.isScannedFile(path.join(root, 'src', 'server.d.ts')), false);
    assert.equal(store.isScannedFile(path.join(root, 'src', 'new.ts')), true, 'a file created later in the program counts');
    assert.equal(store.isScannedFile(path.join(root, 'worker', 'index.ts')), false, 'another package, not read yet');
    // The worker package is a program of its own.
    assert.equal(await store.scan(path.join(root, 'worker', 'index.ts'), root, () => ts), true);
    assert.equal(store.factsFor(tools, true)?.servesStdio, false);
  });

  it('does not read a program whose package.json is above the workspace folder, nor an untitled one', async () => {
    const root = tree({ 'package.json': PACKAGE_JSON, 'index.ts': SERVER, 'workspace/tools.ts': TOOLS });
    const store = new ProjectFactsStore();
    const tools = path.join(root, 'workspace', 'tools.ts');
    assert.equal(store.projectRoot(tools), root);
    assert.equal(await store.scan(tools, path.join(root, 'workspace'), () => ts), false);
    assert.equal(await store.scan(tools, undefined, () => ts), false);
    assert.equal(store.factsFor(tools, true)?.servesStdio, false);
    assert.equal(store.factsFor(tools, false), undefined, 'not a file on disk: no program');
    // Package folders are looked up once per folder, until a package.json comes or goes.
    fs.writeFileSync(path.join(root, 'workspace', 'package.json'), PACKAGE_JSON);
    assert.equal(store.projectRoot(tools), root);
    store.forgetProjectFolders();
    assert.equal(store.projectRoot(tools), path.join(root, 'workspace'));
  });

  it(`reads at most MAX_SCANNED_FILES (${MAX_SCANNED_FILES}) files, nearest first`, async () => {
    const files: Record<string, string> = { 'package.json': PACKAGE_JSON, 'src/tools.ts': TOOLS };
    for (let i = 0; i < MAX_SCANNED_FILES; i++) files[`a/m${String(i).padStart(3, '0')}.ts`] = `export const x${i} = ${i};\n`;
    files['z/deep/index.ts'] = SERVER;
    const root = tree(files);
    const store = new ProjectFactsStore();
    const tools = path.join(root, 'src', 'tools.ts');
    record(store, tools, TOOLS);
    assert.equal(await store.scan(tools, root, () => ts), false, 'z/deep/index.ts is not reached');
    // Two files fewer in a/: src/tools.ts and z/deep/index.ts are among the first MAX_SCANNED_FILES.
    fs.rmSync(path.join(root, 'a', 'm000.ts'));
    fs.rmSync(path.join(root, 'a', 'm001.ts'));
    const fresh = new ProjectFactsStore();
    record(fresh, tools, TOOLS);
    assert.equal(await fresh.scan(tools, root, () => ts), true, 'now it is');
  });
});
