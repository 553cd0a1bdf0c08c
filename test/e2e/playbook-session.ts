// code-server for the playbook sidebar tests, on ports 47200-47299 (the editor tests use 47100-47199), with its
// own VSIX path, so that both suites can run at once. Tools, env and steps as in ./code-server.ts.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { chromium, type Frame, type Page } from 'playwright-core';
import { CHROMIUM, CODE_SERVER, REPO_ROOT, type EditorSession } from './code-server';

const CACHE = path.join(REPO_ROOT, '.e2e-cache');
const NODE24_BIN = path.join(CACHE, 'node24', 'node_modules', '.bin');
export const SIDEBAR_PORTS = [47200, 47299] as const;

function env(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH}`,
    XDG_CONFIG_HOME: path.join(CACHE, 'config'),
    XDG_DATA_HOME: path.join(CACHE, 'data'),
  };
}

/** Builds and packs the VSIX (scripts/package-vsix.mjs) to a path of its own. */
export function packageSidebarVsix(): string {
  const out = path.join(CACHE, 'e2e', 'mcp-server-architect-playbooks-e2e.vsix');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/package-vsix.mjs'), '--quiet', '--out', out], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  const [lo, hi] = SIDEBAR_PORTS;
  const start = lo + (process.pid % (hi - lo + 1));
  for (let i = 0; i <= hi - lo; i++) {
    const port = lo + ((start - lo + i) % (hi - lo + 1));
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port in ${lo}-${hi}`);
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

/** Fresh user data and extensions, the VSIX installed, the fixture copied, code-server and Chromium started. */
export async function startSidebarEditor(opts: { vsix: string; fixture: string; settings: Record<string, unknown> }): Promise<EditorSession> {
  const dir = fs.mkdtempSync(path.join(CACHE, 'e2e', 'playbooks-'));
  const userData = path.join(dir, 'user-data');
  const extensions = path.join(dir, 'extensions');
  const workspace = path.join(dir, 'workspace');
  fs.cpSync(opts.fixture, workspace, { recursive: true });
  const userSettings = path.join(userData, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(userSettings), { recursive: true });
  fs.writeFileSync(userSettings, JSON.stringify(opts.settings, null, 2));

  const install = spawnSync(CODE_SERVER, ['--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', opts.vsix], {
    env: env(),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (install.status !== 0) throw new Error(`code-server --install-extension failed (${install.status}):\n${install.stdout}\n${install.stderr}`);

  const port = await freePort();
  let log = '';
  const server = spawn(
    CODE_SERVER,
    ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--user-data-dir', userData, '--extensions-dir', extensions, workspace],
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
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
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

/**
 * The frame of the playbook view's page once it has its data. VS Code hosts each webview in an iframe
 * (`iframe.webview`, laid over the sidebar) whose inner frame holds the page; the page is found by its content.
 */
export async function playbookPageFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const isOurs = await frame.evaluate(() => !!document.getElementById('results') && document.getElementById('loading')?.hidden === true).catch(() => false);
      if (isOurs) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error('the playbook view page did not appear');
}

/** Errors of a frame that went away under an action (the webview or the whole window was re-created). */
const GONE = /frame (was|has been|got) detached|execution context was destroyed|target (page, context or browser )?(has been )?closed|navigating frame was detached/i;

/**
 * Runs `action` on the playbook view's page; if the frame goes away under it, finds the page again and runs the
 * action again, until `timeoutMs` is up. `action` must be safe to repeat.
 */
export async function withPlaybookPage<T>(page: Page, action: (frame: Frame) => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await playbookPageFrame(page, Math.max(5_000, deadline - Date.now()));
    try {
      return await action(frame);
    } catch (error) {
      if (!GONE.test(String(error)) || Date.now() >= deadline) throw error;
    }
  }
}

/**
 * Runs `reload` (which reloads the window) and returns once the new window has loaded and its workbench is up:
 * the old document carries a mark, so that nothing of it is mistaken for the new one.
 */
export async function reloadWorkbench(page: Page, reload: () => Promise<void>, timeoutMs = 120_000): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __beforeReload?: boolean }).__beforeReload = true));
  const loaded = page.waitForEvent('load', { timeout: timeoutMs });
  await reload();
  await loaded;
  await page.waitForFunction(() => !(window as unknown as { __beforeReload?: boolean }).__beforeReload && !!document.querySelector('.monaco-workbench .part.activitybar'), undefined, {
    timeout: timeoutMs,
    polling: 250,
  });
}
