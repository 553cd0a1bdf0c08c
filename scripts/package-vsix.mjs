// `npm run package`: builds the bundles and packs mcp-server-architect-<version>.vsix with @vscode/vsce.
//
// All of the project's packages are devDependencies and the bundles carry what they need, so vsce (which runs
// `npm list --production`) is run in a clean staging folder: a generated package.json without scripts or
// dependencies, the bundles, the tsserver plugin as node_modules/mcp-architect-tsserver-plugin (package.json +
// main), media, snippets, docs/rules, README, LICENSE and CHANGELOG. The VSIX is then listed and checked.
//
// Options: --no-build (reuse dist/), --out <file>, --quiet (summary only), --allow-oversize (warn instead of failing
// above 2 MB; the editor tests use it so that they test the editor while test/extension/vsix.test.ts holds the limit).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { syncedManifestText } from './sync-manifest.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
const outArg = args.indexOf('--out');

export const PLUGIN_NAME = 'mcp-architect-tsserver-plugin';
export const MAX_VSIX_BYTES = 2 * 1024 * 1024;
/** Bundles the VSIX ships; those marked required must exist. */
const BUNDLES = [
  { file: 'dist/extension.js', required: true },
  { file: 'dist/typescript.js', required: true },
  { file: 'dist/tsserver-plugin/index.js', required: true },
  { file: 'dist/cli.js', required: false },
  { file: 'dist/mcp-server.js', required: false },
  { file: 'dist/webview.js', required: true },
  // tree-sitter and its Python grammar (WebAssembly), loaded by the Python analysis at run time.
  { file: 'dist/web-tree-sitter.wasm', required: true },
  { file: 'dist/tree-sitter-python.wasm', required: true },
];
const DATA = ['media', 'snippets', 'docs/rules', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore'];
/** Nothing of these may end up in the VSIX. */
const FORBIDDEN = [/\.map$/, /(^|\/)src\//, /(^|\/)test\//, /\.tsx?$/, /(^|\/)scripts\//, /(^|\/)\.e2e-cache\//, /package-lock\.json$/];

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

function run(cmd, cmdArgs, cwd) {
  const r = spawnSync(cmd, cmdArgs, { cwd, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', encoding: 'utf8' });
  if (r.status !== 0) {
    if (quiet) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    fail(`\`${cmd} ${cmdArgs.join(' ')}\` failed (exit ${r.status ?? r.signal})`);
  }
  return r;
}

// 1. Bundles.
if (!args.includes('--no-build')) run(process.execPath, [path.join(root, 'scripts/build.mjs')], root);
for (const b of BUNDLES) if (b.required && !existsSync(path.join(root, b.file))) fail(`${b.file} is missing (did the build fail?)`);
// tsserver hands the plugin its TypeScript; a plugin bundle that requires its own would fail inside the VSIX.
const pluginBundle = readFileSync(path.join(root, 'dist/tsserver-plugin/index.js'), 'utf8');
if (/require\(["']typescript["']\)/.test(pluginBundle)) fail('dist/tsserver-plugin/index.js requires "typescript": the plugin must use the module tsserver passes to it');

// 2. Manifest for the VSIX: the repository's, with the rule schema regenerated and nothing for development.
const manifest = JSON.parse(await syncedManifestText(readFileSync(path.join(root, 'package.json'), 'utf8')));
delete manifest.scripts;
delete manifest.devDependencies;
// The plugin is the one production dependency, so that vsce's `npm list --production` keeps its folder.
manifest.dependencies = { [PLUGIN_NAME]: manifest.version };
delete manifest.bin; // the CLI ships as dist/cli.js; `npm install -g` of the repository provides the command
delete manifest.private;

// 3. Stage.
const stage = mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-vsix-'));
try {
  writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const b of BUNDLES) {
    const from = path.join(root, b.file);
    if (!existsSync(from) || b.file.startsWith('dist/tsserver-plugin/')) continue;
    mkdirSync(path.dirname(path.join(stage, b.file)), { recursive: true });
    cpSync(from, path.join(stage, b.file));
  }
  // The Python analysis loads its two WebAssembly files from next to the bundle.
  for (const [file, pkg] of [['web-tree-sitter.wasm', 'web-tree-sitter'], ['tree-sitter-python.wasm', 'tree-sitter-python']]) {
    const built = path.join(root, 'dist', file);
    const from = existsSync(built) ? built : path.join(root, 'node_modules', pkg, file);
    if (!existsSync(from)) fail(`${file} is missing (neither in dist/ nor in node_modules/${pkg})`);
    cpSync(from, path.join(stage, 'dist', file));
  }
  const pluginDir = path.join(stage, 'node_modules', PLUGIN_NAME);
  mkdirSync(pluginDir, { recursive: true });
  cpSync(path.join(root, 'dist/tsserver-plugin/index.js'), path.join(pluginDir, 'index.js'));
  writeFileSync(
    path.join(pluginDir, 'package.json'),
    `${JSON.stringify({ name: PLUGIN_NAME, version: manifest.version, private: true, main: 'index.js', license: manifest.license }, null, 2)}\n`,
  );
  for (const item of DATA) {
    const from = path.join(root, item);
    if (!existsSync(from)) {
      if (['README.md', 'LICENSE', '.vscodeignore'].includes(item)) fail(`${item} is missing`);
      continue;
    }
    cpSync(from, path.join(stage, item), { recursive: true, filter: src => !/\.(map|ts)$/.test(src) });
  }

  // 4. vsce; `npm list --production` in the stage finds exactly the plugin.
  const out = outArg !== -1 ? path.resolve(args[outArg + 1]) : path.join(root, `${manifest.name}-${manifest.version}.vsix`);
  const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  run(process.execPath, [vsce, 'package', '--out', out], stage);

  // 5. Check and summarise the VSIX.
  const listing = spawnSync('unzip', ['-Z1', out], { encoding: 'utf8' });
  if (listing.status !== 0) fail(`cannot list ${out}: ${listing.stderr}`);
  const files = listing.stdout.split('\n').filter(Boolean);
  const inExt = files.filter(f => f.startsWith('extension/')).map(f => f.slice('extension/'.length));
  const bad = inExt.filter(f => FORBIDDEN.some(re => re.test(f)));
  if (bad.length) fail(`the VSIX carries files it must not: ${bad.join(', ')}`);
  for (const need of ['package.json', 'dist/extension.js', 'dist/typescript.js', `node_modules/${PLUGIN_NAME}/package.json`, `node_modules/${PLUGIN_NAME}/index.js`, 'media/icon.png', 'dist/webview.js', 'media/webview/playbooks.css', 'media/playbooks-activitybar.svg', 'LICENSE.txt']) {
    if (!inExt.includes(need) && !(need === 'LICENSE.txt' && inExt.includes('LICENSE'))) fail(`the VSIX lacks extension/${need}`);
  }
  const strayModules = inExt.filter(f => f.startsWith('node_modules/') && !f.startsWith(`node_modules/${PLUGIN_NAME}/`));
  if (strayModules.length) fail(`the VSIX carries dependencies: ${strayModules.slice(0, 5).join(', ')}`);
  const size = statSync(out).size;
  const groups = new Map();
  for (const f of inExt) {
    const top = f.startsWith('node_modules/') ? `node_modules/${PLUGIN_NAME}` : f.includes('/') ? f.split('/').slice(0, f.startsWith('docs/') ? 2 : 1).join('/') : f;
    groups.set(top, (groups.get(top) ?? 0) + 1);
  }
  console.log(`\n${path.relative(process.cwd(), out) || out}: ${(size / 1024).toFixed(1)} KiB, ${files.length} entries`);
  for (const [top, n] of [...groups].sort()) console.log(`  extension/${top}${n > 1 || top.endsWith('/') ? ` (${n} files)` : ''}`);
  if (size > MAX_VSIX_BYTES) {
    const message = `${out} is ${size} bytes, above the ${MAX_VSIX_BYTES}-byte limit`;
    if (args.includes('--allow-oversize')) console.warn(`package: warning: ${message}`);
    else fail(message);
  }
} finally {
  rmSync(stage, { recursive: true, force: true });
}
