// Runs code-server with a freshly packaged VSIX installed, and Debian's Chromium driven by Playwright.
// Tools come from `npm run setup:e2e` (scripts/setup-e2e.mjs); without them the tests fail and say so.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const REPO_ROOT = path.resolve(__dirname, '../..');
const CACHE = path.join(REPO_ROOT, '.e2e-cache');
export const CODE_SERVER = path.join(CACHE, 'code-server', 'bin', 'code-server');
const NODE24_BIN = path.join(CACHE, 'node24', 'node_modules', '.bin');
export const CHROMIUM = '/usr/bin/chromium';
export const PORT_RANGE = [47100, 47199] as const;
export const SCREENSHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');

/** User settings every editor test starts from: a trusted workspace, and no start page, tips, AI features, git, updates or auto-save in the way. */
export const TEST_SETTINGS: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': 'off',
  'files.autoSave': 'off',
};

export function missingTools(): string[] {
  const missing: string[] = [];
  if (!fs.existsSync(CODE_SERVER)) missing.push(`code-server (${path.relative(REPO_ROOT, CODE_SERVER)})`);
  if (!fs.existsSync(path.join(NODE24_BIN, 'node'))) missing.push('Node 24 (.e2e-cache/node24)');
  if (!fs.existsSync(CHROMIUM)) missing.push(`chromium (${CHROMIUM})`);
  return missing;
}

function env(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH}`,
    XDG_CONFIG_HOME: path.join(CACHE, 'config'),
    XDG_DATA_HOME: path.join(CACHE, 'data'),
  };
}

let packaged: string | undefined;

/**
 * Builds the bundles and packs the VSIX (scripts/package-vsix.mjs) into the cache, once per test process: every
 * suite installs the same one. The file name carries the process id, so that suites run in parallel processes do
 * not write over each other's. (Its size limit is checked by test/extension/vsix.test.ts.)
 */
export function packageVsix(): string {
  if (packaged && fs.existsSync(packaged)) return packaged;
  const out = path.join(CACHE, 'e2e', `mcp-server-architect-e2e-${process.pid}.vsix`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/package-vsix.mjs'), '--quiet', '--allow-oversize', '--out', out], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}\n${r.stderr}`);
  process.once('exit', () => fs.rmSync(out, { force: true }));
  return (packaged = out);
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export async function freePort(range: readonly [number, number] = PORT_RANGE): Promise<number> {
  const [lo, hi] = range;
  const start = lo + (process.pid % (hi - lo + 1));
  for (let i = 0; i <= hi - lo; i++) {
    const port = lo + ((start - lo + i) % (hi - lo + 1));
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port in ${lo}-${hi}`);
}

export interface EditorSession {
  dir: string;
  workspace: string;
  userSettings: string;
  port: number;
  server: ChildProcess;
  browser: Browser;
  page: Page;
  serverLog: () => string;
  close(): Promise<void>;
}

export interface StartOptions {
  vsix: string;
  fixture: string;
  settings: Record<string, unknown>;
  /** Ports to pick from (default PORT_RANGE), so that suites with ranges of their own can run at once. */
  portRange?: readonly [number, number];
  /** Browser window size (default 1600 x 1000). */
  viewport?: { width: number; height: number };
  /** Name prefix of the session's folder under .e2e-cache/e2e (default `run-`). */
  dirPrefix?: string;
  /** Files copied into the workspace besides the fixture folder: workspace-relative path -> source file. */
  copies?: Record<string, string>;
}

/** A fresh user-data and extensions dir, the VSIX installed, the fixture copied, code-server started, Chromium on it. */
export async function startEditor(opts: StartOptions): Promise<EditorSession> {
  const dir = fs.mkdtempSync(path.join(CACHE, 'e2e', opts.dirPrefix ?? 'run-'));
  const userData = path.join(dir, 'user-data');
  const extensions = path.join(dir, 'extensions');
  // Inside the repository, so that the fixture resolves the SDK, zod, pg and axios from the repository's node_modules.
  const workspace = path.join(dir, 'workspace');
  fs.cpSync(opts.fixture, workspace, { recursive: true });
  for (const [rel, source] of Object.entries(opts.copies ?? {})) fs.copyFileSync(source, path.join(workspace, rel));
  const userSettings = path.join(userData, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(userSettings), { recursive: true });
  fs.writeFileSync(userSettings, JSON.stringify(opts.settings, null, 2));

  const install = spawnSync(CODE_SERVER, ['--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', opts.vsix], {
    env: env(),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (install.status !== 0) throw new Error(`code-server --install-extension failed (${install.status}):\n${install.stdout}\n${install.stderr}`);

  const port = await freePort(opts.portRange);
  let log = '';
  const server = spawn(
    CODE_SERVER,
    [
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--user-data-dir', userData,
      '--extensions-dir', extensions,
      workspace,
    ],
    { env: env(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout!.on('data', d => (log += d));
  server.stderr!.on('data', d => (log += d));
  const killServer = () => {
    if (server.exitCode === null && server.pid) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, () => log);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1600, height: 1000 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${port}` });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    return {
      dir,
      workspace,
      userSettings,
      port,
      server,
      browser,
      page,
      serverLog: () => log,
      async close() {
        await browser.close().catch(() => undefined);
        killServer();
      },
    };
  } catch (error) {
    killServer();
    throw error;
  }
}

async function waitForHttp(url: string, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs} ms (${String(lastError)}):\n${log()}`);
}
