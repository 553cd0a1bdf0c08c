// One esbuild script, one entry per bundle. `node scripts/build.mjs [--watch] [--dev]`.
// Bundles whose entry file does not exist yet are skipped.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { playbooksPlugin } from './esbuild-playbooks.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const dev = process.argv.includes('--dev');

/** @type {Array<esbuild.BuildOptions & { entry: string }>} */
const bundles = [
  // VS Code extension host; `vscode` is provided by the host.
  { entry: 'src/extension/extension.ts', outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'] },
  // tsserver plugin: loaded by tsserver from node_modules/<name>; TypeScript is injected, never bundled.
  { entry: 'src/tsserver-plugin/index.ts', outfile: 'dist/tsserver-plugin/index.js', platform: 'node', format: 'cjs', external: ['typescript'] },
  // CLI entry (`mcp-architect lint|serve|register`): a few lines that load the CLI from dist/mcp-server.js, so the
  // engine, the SDK and zod ship once (src/cli/main.ts).
  { entry: 'src/cli/main.ts', outfile: 'dist/cli.js', platform: 'node', format: 'cjs' },
  // MCP server (stdio), started by VS Code's MCP support or `mcp-architect serve`; it carries the CLI's commands too.
  { entry: 'src/mcp-server/main.ts', outfile: 'dist/mcp-server.js', platform: 'node', format: 'cjs' },
  // TypeScript itself, once, shared by the extension, CLI and MCP server bundles (see `shareTypeScript`).
  { entry: 'node_modules/typescript/lib/typescript.js', outfile: 'dist/typescript.js', platform: 'node', format: 'cjs' },
  // Playbook sidebar webview script, runs in the webview (browser).
  { entry: 'src/webview/main.ts', outfile: 'dist/webview.js', platform: 'browser', format: 'iife' },
];

// Bundles that need TypeScript load the one copy at dist/typescript.js instead of carrying their own:
// three embedded copies would triple the VSIX. The tsserver plugin gets its TypeScript from tsserver.
const shareTypeScript = {
  name: 'share-typescript',
  setup(build) {
    build.onResolve({ filter: /^typescript$/ }, () => ({ path: './typescript.js', external: true }));
  },
};

const common = {
  bundle: true,
  target: 'node20',
  sourcemap: dev ? 'inline' : false,
  minify: !dev,
  logLevel: 'warning',
  absWorkingDir: root,
  legalComments: 'none',
  // Prefer ESM builds: jsonc-parser's UMD main loads its parts with require() calls esbuild cannot follow.
  mainFields: ['module', 'main'],
};

const builds = bundles
  .filter(b => existsSync(path.join(root, b.entry)))
  .map(({ entry, ...opts }) => ({
    ...common,
    ...opts,
    entryPoints: [entry],
    target: opts.platform === 'browser' ? 'es2022' : 'node20',
    plugins: [
      ...(opts.platform === 'node' && !opts.external?.includes('typescript') && !entry.includes('typescript.js') ? [shareTypeScript] : []),
    ],
  }));

// Any bundle may import the playbooks (media/playbooks/*.yaml, parsed and validated here, inlined as JSON).
for (const b of builds) b.plugins = [playbooksPlugin(), ...(b.plugins ?? [])];

// The Python analysis runs tree-sitter as WebAssembly: both modules ship next to the bundles, which load them from there.
const WASM_FILES = ['node_modules/web-tree-sitter/web-tree-sitter.wasm', 'node_modules/tree-sitter-python/tree-sitter-python.wasm'];
mkdirSync(path.join(root, 'dist'), { recursive: true });
for (const f of WASM_FILES) copyFileSync(path.join(root, f), path.join(root, 'dist', path.basename(f)));

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log(`watching ${builds.length} bundles`);
} else {
  const started = Date.now();
  await Promise.all(builds.map(b => esbuild.build(b)));
  console.log(`built ${builds.map(b => b.outfile).join(', ')} in ${Date.now() - started} ms`);
}
