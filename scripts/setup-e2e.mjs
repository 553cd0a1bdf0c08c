// Installs what the real-editor tests (test/e2e/) need into the git-ignored .e2e-cache/:
// Node 24 (code-server needs it), code-server, and, through apt-get when missing, Debian's chromium and the
// Kerberos headers code-server's native build needs. Idempotent: a second run only checks versions.
// `node scripts/setup-e2e.mjs` (npm run setup:e2e).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { E2E_PATHS, CODE_SERVER_VERSION, INSPECTOR_VERSION, NODE_MAJOR } from './e2e-paths.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(cmd, args, opts = {}) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    console.error(`setup-e2e: \`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

function output(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function dpkgInstalled(pkg) {
  return output('dpkg-query', ['-W', '-f=${Status}', pkg])?.includes('install ok installed') ?? false;
}

// 1. Debian packages: chromium for Playwright, libkrb5-dev for code-server's native modules.
const missing = ['chromium', 'libkrb5-dev'].filter(p => !dpkgInstalled(p));
if (missing.length) {
  if (process.getuid?.() !== 0) {
    console.error(`setup-e2e: Debian packages missing: ${missing.join(', ')}. Run as root, or: sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  run('apt-get', ['update', '-q']);
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
} else {
  console.log('chromium and libkrb5-dev: installed');
}

mkdirSync(E2E_PATHS.cache, { recursive: true });

// 2. Node 24 from the npm package `node` (which fetches its platform binary from the npm registry).
const nodeVersion = existsSync(E2E_PATHS.node) ? output(E2E_PATHS.node, ['--version']) : undefined;
if (!nodeVersion?.startsWith(`v${NODE_MAJOR}.`)) {
  mkdirSync(E2E_PATHS.nodeDir, { recursive: true });
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', E2E_PATHS.nodeDir, `node@${NODE_MAJOR}`]);
  if (!existsSync(E2E_PATHS.node)) {
    console.error(`setup-e2e: node@${NODE_MAJOR} installed, but ${E2E_PATHS.node} is missing`);
    process.exit(1);
  }
}
console.log(`node ${output(E2E_PATHS.node, ['--version'])}: ${E2E_PATHS.node}`);

// 3. code-server, installed with Node 24 first on PATH (its native modules are built for that Node).
// code-server writes a default config file on first start: keep it in the cache, not in the user's home.
// Without the npm_* variables of an enclosing `npm run`: they carry its Node version (npm_config_user_agent),
// which code-server's postinstall reads and would reject.
const envWithoutNpm = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
const envWithNode24 = {
  ...envWithoutNpm,
  PATH: `${path.dirname(E2E_PATHS.node)}${path.delimiter}${process.env.PATH}`,
  XDG_CONFIG_HOME: path.join(E2E_PATHS.cache, 'config'),
  XDG_DATA_HOME: path.join(E2E_PATHS.cache, 'data'),
};
/** `code-server --version` prints log lines, then `<version> <commit> with Code <version>`. */
function codeServerVersion() {
  if (!existsSync(E2E_PATHS.codeServer)) return undefined;
  const out = output(E2E_PATHS.codeServer, ['--version'], { env: envWithNode24 }) ?? '';
  return out.split('\n').find(l => /^\d+\.\d+\.\d+ /.test(l));
}
if (!codeServerVersion()?.startsWith(`${CODE_SERVER_VERSION} `)) {
  run('npm', ['install', '--global', '--no-audit', '--no-fund', '--prefix', E2E_PATHS.codeServerPrefix, `code-server@${CODE_SERVER_VERSION}`], {
    env: envWithNode24,
  });
}
const finalVersion = codeServerVersion();
if (!finalVersion?.startsWith(`${CODE_SERVER_VERSION} `)) {
  console.error(`setup-e2e: ${E2E_PATHS.codeServer} --version printed ${JSON.stringify(finalVersion)}, expected ${CODE_SERVER_VERSION}`);
  process.exit(1);
}
console.log(`code-server ${finalVersion}: ${E2E_PATHS.codeServer}`);
console.log(`chromium: ${output('/usr/bin/chromium', ['--version']) ?? 'not runnable'}`);

// 4. The MCP Inspector CLI, an independent MCP client for the server's tests; it needs Node >= 22.19.
const inspectorPackage = path.join(E2E_PATHS.inspectorPrefix, 'node_modules', '@modelcontextprotocol', 'inspector', 'package.json');
const inspectorVersion = existsSync(inspectorPackage) ? JSON.parse(readFileSync(inspectorPackage, 'utf8')).version : undefined;
if (inspectorVersion !== INSPECTOR_VERSION) {
  mkdirSync(E2E_PATHS.inspectorPrefix, { recursive: true });
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', E2E_PATHS.inspectorPrefix, `@modelcontextprotocol/inspector@${INSPECTOR_VERSION}`], { env: envWithNode24 });
}
console.log(`MCP Inspector ${INSPECTOR_VERSION}: ${E2E_PATHS.inspector}`);
