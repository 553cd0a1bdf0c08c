// `npm run package`: the VSIX holds the bundles, the tsserver plugin as a node module, data and docs, and nothing
// of the sources, tests, source maps or dev dependencies; it stays under 2 MB.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/rules';

describe('VSIX package', function () {
  this.timeout(120_000);
  let dir: string;
  let vsix: string;
  let entries: string[];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-vsix-test-'));
    vsix = path.join(dir, 'test.vsix');
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/package-vsix.mjs'), '--quiet', '--out', vsix], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `package-vsix failed:\n${r.stdout}\n${r.stderr}`);
    const list = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    entries = list.stdout.split('\n').filter(Boolean);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('carries the extension, the shared TypeScript, the tsserver plugin module and the data', () => {
    for (const f of [
      'extension/package.json',
      'extension/dist/extension.js',
      'extension/dist/typescript.js',
      'extension/dist/web-tree-sitter.wasm',
      'extension/dist/tree-sitter-python.wasm',
      'extension/node_modules/mcp-architect-tsserver-plugin/package.json',
      'extension/node_modules/mcp-architect-tsserver-plugin/index.js',
      'extension/media/icon.png',
      'extension/snippets/typescript.json',
      'extension/snippets/python.json',
      'extension/docs/rules/fetch-without-timeout.md',
      'extension/readme.md',
      'extension/LICENSE.txt',
    ]) {
      assert.ok(entries.includes(f), `missing ${f}`);
    }
  });

  it('has a plugin package.json whose main exists, and a manifest without development fields', () => {
    const read = (entry: string) => spawnSync('unzip', ['-p', vsix, entry], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout;
    const plugin = JSON.parse(read('extension/node_modules/mcp-architect-tsserver-plugin/package.json'));
    assert.equal(plugin.name, 'mcp-architect-tsserver-plugin');
    assert.ok(entries.includes(`extension/node_modules/mcp-architect-tsserver-plugin/${plugin.main}`));
    const manifest = JSON.parse(read('extension/package.json'));
    assert.equal(manifest.devDependencies, undefined);
    assert.equal(manifest.scripts, undefined);
    assert.deepEqual(manifest.contributes.typescriptServerPlugins, [{ name: 'mcp-architect-tsserver-plugin', enableForWorkspaceTypeScriptVersions: true }]);
    assert.ok(!/require\(["']typescript["']\)/.test(read('extension/node_modules/mcp-architect-tsserver-plugin/index.js')), 'the plugin uses the TypeScript tsserver gives it');
  });

  it('leaves out sources, tests, source maps, scripts and every other node module, and stays under 2 MB', () => {
    const ext = entries.filter(e => e.startsWith('extension/')).map(e => e.slice('extension/'.length));
    assert.deepEqual(ext.filter(e => /\.map$|\.tsx?$|^src\/|^test\/|^scripts\/|^\.e2e-cache\/|package-lock\.json/.test(e)), []);
    assert.deepEqual(ext.filter(e => e.startsWith('node_modules/') && !e.startsWith('node_modules/mcp-architect-tsserver-plugin/')), []);
    assert.ok(fs.statSync(vsix).size < 2 * 1024 * 1024, `${fs.statSync(vsix).size} bytes`);
  });
});
