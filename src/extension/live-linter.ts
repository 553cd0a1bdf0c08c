// Lints open documents with the extension's own engine (debounced, on change) where the tsserver plugin does not,
// and checks open package.json files for vulnerable MCP SDK versions.
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../core/types';
import { computeLineStarts, lineOf } from '../core/suppressions';
import { analyzeParsed, loadTypeScript, parse, severityOf, toDiagnostic, DIAGNOSTIC_SOURCE } from './analysis';
import type { ProjectFactsStore } from './project-facts';
import { isTsLanguage, type EngineState } from './engine';
import { readSettings, type ArchitectSettings } from './settings';
import type { PythonEngine } from './python-engine';
import { SDK_PACKAGE, VULNERABLE_SDK_CHECK_ID, advisoriesForVersion, checkPackageJson, type SdkDependencyFinding } from './sdk-advisories';

const DEBOUNCE_MS = 300;
/** Files above this size are not analysed as you type (generated bundles, vendored code). */
export const MAX_LIVE_FILE_CHARS = 2_000_000;

export function isPackageJson(uri: vscode.Uri): boolean {
  return path.basename(uri.path) === 'package.json';
}

/** Version of the SDK installed next to a package.json, if any. */
export function installedSdkVersion(packageJsonPath: string): string | undefined {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(packageJsonPath), 'node_modules', SDK_PACKAGE, 'package.json'), 'utf8'));
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

export function advisoryDiagnostics(text: string, fileName: string, settings: ArchitectSettings): vscode.Diagnostic[] {
  const setting = settings.rules[VULNERABLE_SDK_CHECK_ID];
  if (setting === 'off' || !settings.enable) return [];
  const lineStarts = computeLineStarts(text);
  const position = (offset: number): vscode.Position => {
    const line = lineOf(lineStarts, offset);
    return new vscode.Position(line, offset - lineStarts[line]);
  };
  const installed = installedSdkVersion(fileName);
  return checkPackageJson(text, installed).map((f: SdkDependencyFinding) => {
    let severity = (setting ? severityOf(setting, 'warning') : undefined) ?? vscode.DiagnosticSeverity.Warning;
    // A fixed version installed under a loose range is advice, not an alarm.
    if (!setting && f.installed !== undefined && advisoriesForVersion(f.installed).length === 0) severity = vscode.DiagnosticSeverity.Information;
    const d = new vscode.Diagnostic(new vscode.Range(position(f.start), position(f.end)), f.message, severity);
    d.source = DIAGNOSTIC_SOURCE;
    d.code = { value: VULNERABLE_SDK_CHECK_ID, target: vscode.Uri.parse(f.advisories[0].url) };
    return d;
  });
}

export class LiveLinter implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('mcp-architect');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Findings per document version; for Python also per facts of the program's other files, which can change. */
  private readonly cache = new Map<string, { version: number; findings: Finding[]; program?: string }>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly facts: ProjectFactsStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly engine: () => EngineState,
    private readonly python?: PythonEngine,
  ) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument(doc => this.lintSoon(doc, 0)),
      vscode.workspace.onDidChangeTextDocument(e => {
        if (e.contentChanges.length) this.lintSoon(e.document, DEBOUNCE_MS);
      }),
      vscode.workspace.onDidCloseTextDocument(doc => this.forget(doc.uri)),
    );
    // TypeScript/JavaScript files changed on disk outside the editor still tell what their program does.
    const sources = vscode.workspace.createFileSystemWatcher('**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}');
    const sourceChanged = (uri: vscode.Uri) => this.onSourceFileChanged(uri, false);
    this.disposables.push(sources, sources.onDidCreate(sourceChanged), sources.onDidChange(sourceChanged), sources.onDidDelete(uri => this.onSourceFileChanged(uri, true)));
    if (python) {
      // Python files changed on disk outside the editor still tell what their program does.
      const watcher = vscode.workspace.createFileSystemWatcher('**/*.py');
      const changed = (uri: vscode.Uri) => this.onPythonFileChanged(uri, false);
      this.disposables.push(watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(uri => this.onPythonFileChanged(uri, true)));
    }
    // A project file that comes or goes moves the bounds of programs.
    const projects = vscode.workspace.createFileSystemWatcher('**/{pyproject.toml,setup.py,setup.cfg,package.json}', false, true, false);
    const moved = () => {
      this.facts.forgetProjectFolders();
      python?.program.forgetProjectFolders();
    };
    this.disposables.push(projects, projects.onDidCreate(moved), projects.onDidDelete(moved));
  }

  private onPythonFileChanged(uri: vscode.Uri, deleted: boolean): void {
    const python = this.python;
    if (!python || uri.scheme !== 'file' || vscode.workspace.textDocuments.some(d => d.uri.toString() === uri.toString())) return;
    const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
    let changed = false;
    if (deleted) changed = python.program.forget(uri.fsPath, folder);
    else {
      try {
        changed = python.program.record(uri.fsPath, fs.readFileSync(uri.fsPath, 'utf8'), folder);
      } catch {
        changed = python.program.forget(uri.fsPath, folder);
      }
    }
    if (changed) this.relintPythonProgram(uri.fsPath, folder);
  }

  /** A TypeScript/JavaScript file of a program read from disk changed there: its facts are read again. */
  private onSourceFileChanged(uri: vscode.Uri, deleted: boolean): void {
    if (uri.scheme !== 'file' || this.engine().extensionLanguages.size === 0 || !this.facts.isScannedFile(uri.fsPath)) return;
    if (vscode.workspace.textDocuments.some(d => d.uri.toString() === uri.toString())) return; // its live text counts
    let changed: boolean;
    if (deleted) changed = this.facts.forget(uri.fsPath);
    else {
      try {
        changed = this.facts.recordText(uri.fsPath, fs.readFileSync(uri.fsPath, 'utf8'), loadTypeScript());
      } catch {
        changed = this.facts.forget(uri.fsPath);
      }
    }
    if (changed) this.relintProgram(uri.fsPath);
  }

  /** Lints again the open TypeScript/JavaScript documents the own engine covers in the program of `fileName`. */
  private relintProgram(fileName: string, except?: vscode.TextDocument): void {
    const root = this.facts.projectRoot(fileName);
    for (const doc of vscode.workspace.textDocuments) {
      if (doc === except || doc.uri.scheme !== 'file' || !isTsLanguage(doc.languageId) || !this.covers(doc)) continue;
      if (this.facts.projectRoot(doc.fileName) === root) this.lintSoon(doc, 0);
    }
  }

  /** Lints again the open Python documents of the program of `fileName` (its facts changed). */
  private relintPythonProgram(fileName: string, folder: string | undefined, except?: vscode.TextDocument): void {
    const python = this.python;
    if (!python) return;
    const root = python.program.programRoot(fileName, folder);
    for (const doc of vscode.workspace.textDocuments) {
      if (doc === except || doc.languageId !== 'python' || doc.uri.scheme !== 'file') continue;
      if (python.program.programRoot(doc.fileName, vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath) === root) this.lintSoon(doc, 0);
    }
  }

  /** True when the extension's own engine reports for this document. */
  covers(doc: vscode.TextDocument): boolean {
    if (isPackageJson(doc.uri)) return true;
    if (doc.languageId === 'python') return this.python !== undefined;
    return isTsLanguage(doc.languageId) && this.engine().extensionLanguages.has(doc.languageId);
  }

  refreshAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.lintSoon(doc, 0);
  }

  private lintSoon(doc: vscode.TextDocument, delay: number): void {
    if (doc.uri.scheme === 'output' || doc.uri.scheme === 'git' || doc.uri.scheme === 'vscode-userdata') return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!doc.isClosed) this.lint(doc);
      }, delay),
    );
  }

  lint(doc: vscode.TextDocument): void {
    const settings = readSettings(doc.uri, this.log);
    if (!this.covers(doc) || !settings.enable) {
      if (this.collection.has(doc.uri)) this.collection.delete(doc.uri);
      return;
    }
    if (isPackageJson(doc.uri)) {
      this.collection.set(doc.uri, advisoryDiagnostics(doc.getText(), doc.uri.fsPath, settings));
      return;
    }
    if (doc.languageId === 'python' && this.python) {
      const python = this.python;
      void python
        .ready()
        .then(parser => {
          if (!parser || doc.isClosed) return;
          this.collection.set(doc.uri, this.findingsFor(doc, settings).map(toDiagnostic));
          if (doc.uri.scheme !== 'file') return;
          // The program's other files, read from disk once per project folder, may add what it does.
          const folder = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath;
          void python.program.scan(doc.fileName, folder).then(changed => {
            if (changed) this.relintPythonProgram(doc.fileName, folder);
          });
        })
        .catch(error => this.log.error(`Python analysis of ${doc.uri.fsPath} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
      return;
    }
    const findings = this.findingsFor(doc, settings);
    this.collection.set(doc.uri, findings.map(toDiagnostic));
    if (doc.uri.scheme !== 'file' || !isTsLanguage(doc.languageId)) return;
    // The program's other files, read from disk once per project folder, may add what it does.
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath;
    void this.facts.scan(doc.fileName, folder, loadTypeScript).then(
      changed => {
        if (changed) this.relintProgram(doc.fileName);
      },
      error => this.log.error(`reading the program of ${doc.uri.fsPath} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    );
  }

  /** Findings of a document at its current version (cached per version); used by code actions too. */
  findingsFor(doc: vscode.TextDocument, settings = readSettings(doc.uri, this.log)): Finding[] {
    const key = doc.uri.toString();
    const cached = this.cache.get(key);
    const isPython = doc.languageId === 'python';
    // null: not a file on disk (untitled), analysed on its own.
    const folder = doc.uri.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath : null;
    // What the rest of the program does is part of the result: findings are kept per version and program facts.
    const program =
      folder === null ? undefined
      : isPython ? (this.python ? JSON.stringify(this.python.program.factsOfOthers(doc.fileName, folder)) : undefined)
      : JSON.stringify(this.facts.factsFor(doc.fileName, true) ?? null);
    if (cached && cached.version === doc.version && cached.program === program) return cached.findings;
    const text = doc.getText();
    if (text.length > MAX_LIVE_FILE_CHARS) {
      this.log.info(`skipped ${doc.uri.fsPath}: ${text.length} characters is above the live-analysis limit`);
      return [];
    }
    const started = Date.now();
    if (isPython) {
      const result = this.python?.analyze(doc.fileName, text, settings, folder);
      if (!result) return [];
      this.cache.set(key, { version: doc.version, findings: result.findings, program });
      this.log.trace(`analysed ${doc.uri.fsPath} (v${doc.version}): ${result.findings.length} finding(s) in ${Date.now() - started} ms`);
      // This file changed what its program does (it now serves stdio, say): its open siblings are checked again.
      if (result.programChanged) this.relintPythonProgram(doc.fileName, folder ?? undefined, doc);
      return result.findings;
    }
    const ts = loadTypeScript();
    const sf = parse(ts, doc.fileName, text, doc.languageId);
    const isLocal = doc.uri.scheme === 'file';
    const programChanged = isLocal && this.facts.record(doc.fileName, sf, ts);
    const project = this.facts.factsFor(doc.fileName, isLocal);
    const findings = analyzeParsed(sf, {
      settings,
      project,
      onRuleError: (ruleId, error) => this.log.error(`rule ${ruleId} failed on ${doc.uri.fsPath}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    });
    this.cache.set(key, { version: doc.version, findings, program: isLocal ? JSON.stringify(project ?? null) : undefined });
    this.log.trace(`analysed ${doc.uri.fsPath} (v${doc.version}): ${findings.length} finding(s) in ${Date.now() - started} ms`);
    // This file changed what its program does (it now serves stdio, say): its open siblings are checked again.
    if (programChanged) this.relintProgram(doc.fileName, doc);
    return findings;
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.cache.delete(key);
    this.collection.delete(uri);
  }

  /** Drops cached findings (settings changed). */
  invalidate(): void {
    this.cache.clear();
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
    this.collection.dispose();
  }
}
