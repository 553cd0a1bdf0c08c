// `npm run test:vscode`: the extension-host suite (test/vscode/*.vscode-test.ts) in a real VS Code downloaded by
// @vscode/test-electron. It needs to download VS Code; where that is impossible it says so and fails, never passes.
// (The real-editor tests that run everywhere are test/e2e/, against code-server.)
// Set VSCODE_EXECUTABLE to use an installed VS Code instead of downloading one.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = path.join(root, '.vscode-test');
const VERSION = process.env.VSCODE_TEST_VERSION ?? '1.101.0';

function fail(message) {
  console.error(`\ntest:vscode: ${message}`);
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}

// 1. The extension as installed from the VSIX (the tsserver plugin under node_modules), unpacked.
const vsix = path.join(work, 'extension.vsix');
mkdirSync(work, { recursive: true });
const pack = spawnSync(process.execPath, [path.join(root, 'scripts/package-vsix.mjs'), '--quiet', '--out', vsix], { cwd: root, stdio: 'inherit' });
if (pack.status !== 0) fail('packaging the VSIX failed');
const extensionDir = path.join(work, 'extension-under-test');
rmSync(extensionDir, { recursive: true, force: true });
const unzip = spawnSync('unzip', ['-q', '-o', vsix, 'extension/*', '-d', extensionDir], { stdio: 'inherit' });
if (unzip.status !== 0) fail('unpacking the VSIX failed');

// 2. The suite, bundled for the extension host (`vscode` and mocha come from the host and the repository).
const outDir = path.join(work, 'suite');
rmSync(outDir, { recursive: true, force: true });
const specs = readdirSync(path.join(root, 'test/vscode')).filter(f => f.endsWith('.vscode-test.ts'));
await esbuild.build({
  entryPoints: [path.join(root, 'test/vscode/index.ts'), ...specs.map(f => path.join(root, 'test/vscode', f))],
  outdir: outDir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
  nodePaths: [path.join(root, 'node_modules')],
});

// 3. A copy of the fixture workspace.
const workspace = path.join(work, 'workspace');
rmSync(workspace, { recursive: true, force: true });
cpSync(path.join(root, 'test/fixtures/e2e-workspace'), workspace, { recursive: true });

// 4. VS Code.
let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE;
if (!vscodeExecutablePath) {
  try {
    vscodeExecutablePath = await Promise.race([
      downloadAndUnzipVSCode({ version: VERSION, cachePath: path.join(work, 'cache') }),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 120 s')), 120_000)),
    ]);
  } catch (error) {
    fail(
      `cannot run: VS Code ${VERSION} could not be downloaded (${error instanceof Error ? error.message : String(error)}).\n` +
        'This suite needs a machine that can download VS Code, or VSCODE_EXECUTABLE pointing at an installed one.\n' +
        'The editor tests that need no download are test/e2e/ (code-server), part of `npm test`.',
    );
  }
}

try {
  const code = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: path.join(extensionDir, 'extension'),
    extensionTestsPath: path.join(outDir, 'index.js'),
    launchArgs: [workspace, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    extensionTestsEnv: { MCP_ARCHITECT_TEST_WORKSPACE: workspace, MCP_ARCHITECT_SUITE_DIR: outDir },
  });
  process.exit(code);
} catch (error) {
  fail(`the extension-host suite failed: ${error instanceof Error ? error.message : String(error)}`);
}
