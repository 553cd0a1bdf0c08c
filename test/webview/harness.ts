// Runs the playbook sidebar's real page (playbookPageHtml with its CSP, and the built dist/webview.js) in headless
// Chromium. A local HTTP server plays the webview's resource origin; `ViewHost` plays the extension with the
// extension's own pure parts: the message allow-list, the checklist state over a Memento and the init message.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Playbook } from '../../src/core/playbooks';
import { ChecklistState, type StateStore } from '../../src/extension/checklist-state';
import { createNonce, playbookPageHtml } from '../../src/extension/playbook-html';
import { knownIdsOf, parseViewMessage } from '../../src/extension/playbook-messages';
import { initMessage } from '../../src/extension/playbook-model';
import { snippetsFromExtension } from '../../src/core/snippet-files';
import type { ExtensionMessage, PlaybookLocation, ViewMessage } from '../../src/webview/protocol';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');
const PORTS = [47200, 47299] as const;
const BUNDLE = path.join(REPO_ROOT, 'dist/webview.js');
/** What dist/webview.js is built from. */
const BUNDLE_SOURCES = [path.join(REPO_ROOT, 'src/webview'), path.join(REPO_ROOT, 'src/core/playbooks.ts'), path.join(REPO_ROOT, 'src/core/docs.ts')];

function newestMtime(p: string): number {
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(p).map(f => newestMtime(path.join(p, f))));
}

/** Builds the bundles (scripts/build.mjs) when dist/webview.js is missing or older than its sources. */
export function ensureWebviewBundle(): void {
  if (fs.existsSync(BUNDLE) && fs.statSync(BUNDLE).mtimeMs >= Math.max(...BUNDLE_SOURCES.map(newestMtime))) return;
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0 || !fs.existsSync(BUNDLE)) throw new Error(`scripts/build.mjs failed:\n${r.stdout}\n${r.stderr}`);
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

const STATIC: Readonly<Record<string, { file: string; type: string }>> = {
  '/dist/webview.js': { file: BUNDLE, type: 'text/javascript' },
  '/media/webview/playbooks.css': { file: path.join(REPO_ROOT, 'media/webview/playbooks.css'), type: 'text/css' },
};

export interface PageServer {
  origin: string;
  /** Nonces of the pages served, in order. */
  nonces: string[];
  close(): Promise<void>;
}

/** Serves the page (a fresh nonce per request, as the extension renders it) and its two resources; 404 otherwise. */
export async function startPageServer(): Promise<PageServer> {
  const nonces: string[] = [];
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/view') {
      const nonce = createNonce();
      nonces.push(nonce);
      const html = playbookPageHtml({
        cspSource: origin,
        nonce,
        scriptUri: `${origin}/dist/webview.js`,
        styleUri: `${origin}/media/webview/playbooks.css`,
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    const asset = STATIC[url.pathname];
    if (asset) {
      res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-store' });
      res.end(fs.readFileSync(asset.file));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  const [lo, hi] = PORTS;
  const start = lo + (process.pid % (hi - lo + 1));
  for (let i = 0; i <= hi - lo; i++) {
    const port = lo + ((start - lo + i) % (hi - lo + 1));
    if (!(await portIsFree(port))) continue;
    const ok = await new Promise<boolean>(resolve => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!ok) continue;
    origin = `http://127.0.0.1:${port}`;
    return { origin, nonces, close: () => new Promise(resolve => server.close(() => resolve())) };
  }
  throw new Error(`no free port in ${lo}-${hi}`);
}

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`The webview tests need Debian's chromium at ${CHROMIUM}: apt-get install -y chromium (or npm run setup:e2e).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** `vscode.Memento` in memory. */
export class MemoryMemento implements StateStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Thenable<void> {
    this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}

export interface HostOptions {
  playbooks: readonly Playbook[];
  memento: MemoryMemento;
  reveal?: PlaybookLocation;
  /** Rules whose page "ships" (default: all). */
  hasDoc?: (ruleId: string) => boolean;
}

/**
 * The extension's side of one page: what the page posts is checked by the real allow-list; accepted messages are
 * recorded, `ready` is answered with the real init message and `setChecked` goes to the real ChecklistState.
 */
export class ViewHost {
  readonly received: ViewMessage[] = [];
  readonly refused: string[] = [];
  readonly checklists: ChecklistState;
  private readonly known;
  /** The snippet files as the installed extension reads them. */
  private readonly snippets = snippetsFromExtension(REPO_ROOT, message => {
    throw new Error(message);
  });
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    readonly page: Page,
    private readonly options: HostOptions,
  ) {
    this.known = knownIdsOf(options.playbooks);
    this.checklists = new ChecklistState(options.memento, this.known.checklistKeys);
  }

  async receive(raw: unknown): Promise<void> {
    const parsed = parseViewMessage(raw, this.known);
    if (!parsed.ok) {
      this.refused.push(parsed.error);
      return;
    }
    const message = parsed.message;
    this.received.push(message);
    if (message.type === 'ready') {
      const init = initMessage(this.options.playbooks, this.checklists.keys(), {
        hasDoc: this.options.hasDoc ?? (() => true),
        snippet: this.snippets,
        reveal: this.options.reveal,
      });
      this.options.reveal = undefined;
      this.pending = this.send(init);
    } else if (message.type === 'setChecked') {
      this.pending = this.checklists.set(message.key, message.checked);
    }
    await this.pending;
  }

  send(message: ExtensionMessage): Promise<void> {
    return this.page.evaluate(m => window.postMessage(m, '*'), message as unknown as Record<string, unknown>);
  }

  messagesOf<T extends ViewMessage['type']>(type: T): Array<Extract<ViewMessage, { type: T }>> {
    return this.received.filter((m): m is Extract<ViewMessage, { type: T }> => m.type === type);
  }
}

export interface ThemeVariables {
  kind: 'vscode-dark' | 'vscode-light';
  vars: Record<string, string>;
}

const FONT = {
  '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", "DejaVu Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
};

/** VS Code's Dark Modern colours, as the workbench hands them to webviews. */
export const DARK_MODERN: ThemeVariables = {
  kind: 'vscode-dark',
  vars: {
    ...FONT,
    '--vscode-foreground': '#cccccc',
    '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-sideBar-background': '#181818',
    '--vscode-editor-background': '#1f1f1f',
    '--vscode-sideBarSectionHeader-foreground': '#cccccc',
    '--vscode-widget-border': '#313131',
    '--vscode-panel-border': '#2b2b2b',
    '--vscode-focusBorder': '#0078d4',
    '--vscode-input-background': '#313131',
    '--vscode-input-foreground': '#cccccc',
    '--vscode-input-border': '#3c3c3c',
    '--vscode-input-placeholderForeground': '#989898',
    '--vscode-list-hoverBackground': '#2a2d2e',
    '--vscode-list-activeSelectionBackground': '#04395e',
    '--vscode-list-activeSelectionForeground': '#ffffff',
    '--vscode-list-inactiveSelectionBackground': '#37373d',
    '--vscode-list-focusOutline': '#0078d4',
    '--vscode-list-highlightForeground': '#2aaaff',
    '--vscode-badge-background': '#616161',
    '--vscode-badge-foreground': '#f8f8f8',
    '--vscode-button-background': '#0078d4',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-hoverBackground': '#026ec1',
    '--vscode-button-border': '#ffffff12',
    '--vscode-button-secondaryBackground': '#313131',
    '--vscode-button-secondaryForeground': '#cccccc',
    '--vscode-button-secondaryHoverBackground': '#3c3c3c',
    '--vscode-textLink-foreground': '#4daafc',
    '--vscode-textLink-activeForeground': '#4daafc',
    '--vscode-textPreformat-foreground': '#d0d0d0',
    '--vscode-textPreformat-background': '#3c3c3c',
    '--vscode-checkbox-background': '#313131',
    '--vscode-checkbox-border': '#3c3c3c',
    '--vscode-checkbox-selectBackground': '#0078d4',
    '--vscode-progressBar-background': '#0078d4',
    '--vscode-editor-findMatchHighlightBackground': '#9e6a03',
  },
};

/** VS Code's Light Modern colours. */
export const LIGHT_MODERN: ThemeVariables = {
  kind: 'vscode-light',
  vars: {
    ...FONT,
    '--vscode-foreground': '#3b3b3b',
    '--vscode-descriptionForeground': '#717171',
    '--vscode-sideBar-background': '#f8f8f8',
    '--vscode-editor-background': '#ffffff',
    '--vscode-sideBarSectionHeader-foreground': '#3b3b3b',
    '--vscode-widget-border': '#e5e5e5',
    '--vscode-panel-border': '#e5e5e5',
    '--vscode-focusBorder': '#005fb8',
    '--vscode-input-background': '#ffffff',
    '--vscode-input-foreground': '#3b3b3b',
    '--vscode-input-border': '#cecece',
    '--vscode-input-placeholderForeground': '#767676',
    '--vscode-list-hoverBackground': '#f2f2f2',
    '--vscode-list-activeSelectionBackground': '#e8e8e8',
    '--vscode-list-activeSelectionForeground': '#000000',
    '--vscode-list-inactiveSelectionBackground': '#e4e6f1',
    '--vscode-list-focusOutline': '#005fb8',
    '--vscode-list-highlightForeground': '#0066bf',
    '--vscode-badge-background': '#cccccc',
    '--vscode-badge-foreground': '#3b3b3b',
    '--vscode-button-background': '#005fb8',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-hoverBackground': '#0258a8',
    '--vscode-button-border': '#0000001a',
    '--vscode-button-secondaryBackground': '#e5e5e5',
    '--vscode-button-secondaryForeground': '#3b3b3b',
    '--vscode-button-secondaryHoverBackground': '#cccccc',
    '--vscode-textLink-foreground': '#005fb8',
    '--vscode-textLink-activeForeground': '#005fb8',
    '--vscode-textPreformat-foreground': '#3b3b3b',
    '--vscode-textPreformat-background': '#0000001f',
    '--vscode-checkbox-background': '#f8f8f8',
    '--vscode-checkbox-border': '#cecece',
    '--vscode-checkbox-selectBackground': '#005fb8',
    '--vscode-progressBar-background': '#005fb8',
    '--vscode-editor-findMatchHighlightBackground': '#ea5c0055',
  },
};

/** Sets the theme as the workbench does: variables on <html>, the theme kind as a class on <body> (CSSOM, allowed by the CSP). */
export async function applyTheme(page: Page, theme: ThemeVariables): Promise<void> {
  await page.evaluate(t => {
    const root = document.documentElement;
    for (const [name, value] of Object.entries(t.vars)) root.style.setProperty(name, value);
    // The sidebar behind the (transparent) webview.
    root.style.backgroundColor = t.vars['--vscode-sideBar-background'];
    document.body.classList.remove('vscode-dark', 'vscode-light');
    document.body.classList.add(t.kind);
    document.body.dataset.vscodeThemeKind = t.kind;
  }, theme);
}

export interface OpenedView {
  page: Page;
  host: ViewHost;
  /** CSP violations reported by the page. */
  violations(): Promise<string[]>;
  /** Console errors and uncaught exceptions. */
  errors: string[];
}

/**
 * A new page with the `acquireVsCodeApi` stub (it forwards posted messages to `host` and keeps the webview state
 * in sessionStorage, so that it survives a reload as VS Code's does), loaded with the served page.
 */
export async function openView(browser: Browser, server: PageServer, options: HostOptions & { theme?: ThemeVariables; viewport?: { width: number; height: number } }): Promise<OpenedView> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 360, height: 760 } });
  const page = await context.newPage();
  const host = new ViewHost(page, options);
  const errors: string[] = [];
  page.on('console', m => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', e => errors.push(`pageerror: ${e.message}`));
  await page.exposeFunction('__toExtension', (m: unknown) => host.receive(m));
  // A string, not a function: tsx's helpers would not exist in the page.
  await page.addInitScript(`(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', e => {
      window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber);
    });
    let acquired = false;
    window.acquireVsCodeApi = () => {
      if (acquired) throw new Error('acquireVsCodeApi may be called once');
      acquired = true;
      return {
        // A structured clone, as the real channel makes.
        postMessage: m => void window.__toExtension(structuredClone(m)),
        getState: () => JSON.parse(sessionStorage.getItem('vscode-webview-state') ?? 'null'),
        setState: s => sessionStorage.setItem('vscode-webview-state', JSON.stringify(s)),
      };
    };
  })();`);
  await page.goto(`${server.origin}/view`);
  if (options.theme) await applyTheme(page, options.theme);
  await page.locator('#loading').waitFor({ state: 'hidden', timeout: 10_000 });
  return {
    page,
    host,
    errors,
    violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations.slice()),
  };
}
