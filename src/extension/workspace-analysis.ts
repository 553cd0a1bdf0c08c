// "MCP Architect: Analyze Workspace": lints every TypeScript/JavaScript file of the workspace, closed files too,
// with program facts merged per project folder (as the CLI does), and checks package.json files for MCP SDK
// versions with known advisories. Results go to their own diagnostic collection; open files are left to the
// live engines (tsserver plugin or the extension's own) so that nothing is reported twice.
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type * as tsTypes from 'typescript';
import { fileFacts, mergeFacts, packageJsonUsesMcp } from '../core/facts';
import type { ProjectFacts } from '../core/types';
import { analyzeParsed, languageIdForPath, loadTypeScript, parse, toDiagnostic } from './analysis';
import type { ProjectFactsStore } from './project-facts';
import { advisoryDiagnostics, MAX_LIVE_FILE_CHARS } from './live-linter';
import { readSettings } from './settings';
import type { PythonEngine } from './python-engine';

export const SOURCE_GLOB = '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}';
export const EXCLUDE_GLOB = '{**/node_modules/**,**/.git/**,**/*.d.ts,**/*.d.mts,**/*.d.cts,**/*.min.js}';
export const PYTHON_GLOB = '**/*.py';
export const PYTHON_EXCLUDE_GLOB = '{**/.venv/**,**/venv/**,**/site-packages/**,**/__pycache__/**,**/node_modules/**,**/.git/**,**/.tox/**}';
const MAX_FILES = 20_000;

export interface WorkspaceSummary {
  files: number;
  findings: number;
  rules: Set<string>;
  packageJsonFindings: number;
  cancelled: boolean;
  ms: number;
}

interface ParsedFile {
  uri: vscode.Uri;
  sourceFile: tsTypes.SourceFile;
  root: string;
}

/** Root .gitignore of a workspace folder as a matcher of folder-relative paths (nested .gitignore files are not read). */
function gitignoreOf(folder: vscode.WorkspaceFolder): Ignore | undefined {
  if (folder.uri.scheme !== 'file') return undefined;
  try {
    return ignore().add(fs.readFileSync(path.join(folder.uri.fsPath, '.gitignore'), 'utf8'));
  } catch {
    return undefined;
  }
}

export class WorkspaceAnalyzer implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('mcp-architect-workspace');
  /** Diagnostics of the last run, including those of files open now (restored to the collection when they close). */
  private lastRun = new Map<string, vscode.Diagnostic[]>();
  private readonly disposables: vscode.Disposable[] = [];
  private running: Promise<WorkspaceSummary> | undefined;

  constructor(
    private readonly facts: ProjectFactsStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly python?: PythonEngine,
  ) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument(doc => this.hideOpen(doc.uri)),
      vscode.workspace.onDidCloseTextDocument(doc => this.onClosed(doc)),
    );
  }

  private isOpen(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return vscode.workspace.textDocuments.some(d => d.uri.toString() === key);
  }

  private hideOpen(uri: vscode.Uri): void {
    if (this.collection.has(uri)) this.collection.delete(uri);
  }

  /** A closed file may have changed since the run: analyse it again from disk. */
  private onClosed(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (!this.lastRun.has(key) || doc.uri.scheme !== 'file') return;
    try {
      const text = fs.readFileSync(doc.uri.fsPath, 'utf8');
      const diags = doc.uri.path.endsWith('/package.json')
        ? advisoryDiagnostics(text, doc.uri.fsPath, readSettings(doc.uri))
        : doc.uri.path.endsWith('.py')
          ? (this.python?.analyze(doc.uri.fsPath, text, readSettings(doc.uri), vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath)?.findings ?? []).map(toDiagnostic)
          : this.analyzeOne(doc.uri, text, this.facts.factsFor(doc.uri.fsPath, true));
      this.lastRun.set(key, diags);
      this.collection.set(doc.uri, diags);
    } catch (error) {
      this.log.warn(`could not re-analyse ${doc.uri.fsPath}: ${String(error)}`);
    }
  }

  private analyzeOne(uri: vscode.Uri, text: string, project: ProjectFacts | undefined): vscode.Diagnostic[] {
    const settings = readSettings(uri);
    if (!settings.enable) return [];
    const sf = parse(loadTypeScript(), uri.fsPath, text, languageIdForPath(uri.fsPath));
    return analyzeParsed(sf, {
      settings,
      project,
      onRuleError: (ruleId, error) => this.log.error(`rule ${ruleId} failed on ${uri.fsPath}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    }).map(toDiagnostic);
  }

  /** One run at a time: a second request while one runs gets the running one. */
  run(): Promise<WorkspaceSummary> {
    if (!this.running) {
      const run = Promise.resolve(
        vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'MCP Architect: analysing the workspace', cancellable: true },
          (progress, token) => this.analyze(progress, token),
        ),
      );
      this.running = run.finally(() => (this.running = undefined));
    }
    return this.running;
  }

  private async analyze(progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken): Promise<WorkspaceSummary> {
    const started = Date.now();
    const summary: WorkspaceSummary = { files: 0, findings: 0, rules: new Set(), packageJsonFindings: 0, cancelled: false, ms: 0 };
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) {
      void vscode.window.showInformationMessage('MCP Architect: open a folder to analyse a workspace.');
      return summary;
    }
    const ts = loadTypeScript();
    const results = new Map<string, vscode.Diagnostic[]>();

    progress.report({ message: 'finding files' });
    const uris: vscode.Uri[] = [];
    const packageJsons: vscode.Uri[] = [];
    const pythonFiles: vscode.Uri[] = [];
    for (const folder of folders) {
      const ig = gitignoreOf(folder);
      const keep = (u: vscode.Uri) => {
        if (!ig) return true;
        const rel = path.relative(folder.uri.fsPath, u.fsPath).split(path.sep).join('/');
        return rel === '' || rel.startsWith('..') || !ig.ignores(rel);
      };
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, SOURCE_GLOB), EXCLUDE_GLOB, MAX_FILES, token);
      uris.push(...found.filter(keep));
      const pkgs = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/package.json'), '**/node_modules/**', 1000, token);
      packageJsons.push(...pkgs.filter(keep));
      if (this.python) {
        const py = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, PYTHON_GLOB), PYTHON_EXCLUDE_GLOB, MAX_FILES, token);
        pythonFiles.push(...py.filter(keep));
      }
    }
    if (token.isCancellationRequested) return { ...summary, cancelled: true, ms: Date.now() - started };
    this.log.info(`analyse workspace: ${uris.length} TypeScript/JavaScript file(s), ${pythonFiles.length} Python file(s), ${packageJsons.length} package.json file(s)`);

    // Pass 1: parse every file and gather facts per project folder.
    const parsed: ParsedFile[] = [];
    const factsByRoot = new Map<string, ProjectFacts[]>();
    const openText = new Map(vscode.workspace.textDocuments.map(d => [d.uri.toString(), d.getText()]));
    const step = uris.length ? 50 / uris.length : 0;
    for (const [i, uri] of uris.entries()) {
      if (token.isCancellationRequested) return { ...summary, cancelled: true, ms: Date.now() - started };
      if (i % 50 === 0) {
        progress.report({ message: `reading ${i + 1}/${uris.length}`, increment: step * 50 });
        await new Promise(r => setImmediate(r)); // let cancellation and other extensions through
      }
      let text = openText.get(uri.toString());
      if (text === undefined) {
        try {
          const bytes = await vscode.workspace.fs.readFile(uri);
          if (bytes.byteLength > MAX_LIVE_FILE_CHARS) continue;
          text = Buffer.from(bytes).toString('utf8');
        } catch (error) {
          this.log.warn(`could not read ${uri.fsPath}: ${String(error)}`);
          continue;
        }
      }
      const sourceFile = parse(ts, uri.fsPath, text, languageIdForPath(uri.fsPath));
      const root = this.facts.projectRoot(uri.fsPath);
      parsed.push({ uri, sourceFile, root });
      this.facts.record(uri.fsPath, sourceFile, ts);
      let list = factsByRoot.get(root);
      if (!list) factsByRoot.set(root, (list = []));
      list.push(fileFacts(ts, sourceFile));
    }
    for (const pkg of packageJsons) {
      const root = path.dirname(pkg.fsPath);
      try {
        const text = Buffer.from(await vscode.workspace.fs.readFile(pkg)).toString('utf8');
        if (packageJsonUsesMcp(text)) {
          let list = factsByRoot.get(root);
          if (!list) factsByRoot.set(root, (list = []));
          list.push({ usesMcpServerSdk: true, servesStdio: false, servesHttp: false });
        }
        const diags = advisoryDiagnostics(text, pkg.fsPath, readSettings(pkg));
        summary.packageJsonFindings += diags.length;
        results.set(pkg.toString(), diags);
      } catch (error) {
        this.log.warn(`could not read ${pkg.fsPath}: ${String(error)}`);
      }
    }
    const projectFacts = new Map([...factsByRoot].map(([root, list]) => [root, mergeFacts(list)]));

    // Pass 2: analyse each file with its project's facts.
    for (const [i, file] of parsed.entries()) {
      if (token.isCancellationRequested) return { ...summary, cancelled: true, ms: Date.now() - started };
      if (i % 50 === 0) {
        progress.report({ message: `analysing ${i + 1}/${parsed.length}`, increment: step * 50 });
        await new Promise(r => setImmediate(r));
      }
      const settings = readSettings(file.uri);
      if (!settings.enable) continue;
      const findings = analyzeParsed(file.sourceFile, {
        settings,
        project: projectFacts.get(file.root),
        onRuleError: (ruleId, error) =>
          this.log.error(`rule ${ruleId} failed on ${file.uri.fsPath}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
      });
      summary.files++;
      summary.findings += findings.length;
      for (const f of findings) summary.rules.add(f.ruleId);
      results.set(file.uri.toString(), findings.map(toDiagnostic));
    }

    // Python files: their own parser; each program's facts first (pass 1), then the findings with them (pass 2).
    if (pythonFiles.length && this.python && (await this.python.ready())) {
      const python = this.python;
      const texts = new Map<string, string>();
      const folderOf = (uri: vscode.Uri) => vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
      for (const [i, uri] of pythonFiles.entries()) {
        if (token.isCancellationRequested) return { ...summary, cancelled: true, ms: Date.now() - started };
        if (i % 50 === 0) await new Promise(r => setImmediate(r));
        let text = openText.get(uri.toString());
        try {
          text ??= Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
        } catch (error) {
          this.log.warn(`could not read ${uri.fsPath}: ${String(error)}`);
          continue;
        }
        if (text.length > MAX_LIVE_FILE_CHARS) continue;
        texts.set(uri.toString(), text);
        python.program.record(uri.fsPath, text, folderOf(uri));
      }
      for (const [i, uri] of pythonFiles.entries()) {
        if (token.isCancellationRequested) return { ...summary, cancelled: true, ms: Date.now() - started };
        if (i % 50 === 0) await new Promise(r => setImmediate(r));
        const text = texts.get(uri.toString());
        const settings = readSettings(uri);
        if (text === undefined || !settings.enable) continue;
        const findings = python.analyze(uri.fsPath, text, settings, folderOf(uri))?.findings ?? [];
        summary.files++;
        summary.findings += findings.length;
        for (const f of findings) summary.rules.add(f.ruleId);
        results.set(uri.toString(), findings.map(toDiagnostic));
      }
    }

    this.collection.clear();
    this.lastRun = results;
    for (const [key, diags] of results) {
      const uri = vscode.Uri.parse(key);
      if (diags.length && !this.isOpen(uri)) this.collection.set(uri, diags);
    }
    summary.ms = Date.now() - started;
    this.log.info(
      `analysed ${summary.files} file(s) in ${summary.ms} ms: ${summary.findings} finding(s) of ${summary.rules.size} rule(s), ${summary.packageJsonFindings} package.json advisory finding(s)`,
    );
    return summary;
  }

  clear(): void {
    this.collection.clear();
    this.lastRun.clear();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.collection.dispose();
  }
}
