// Runs the analysis core on editor documents and files: loads TypeScript lazily, gathers project facts
// (project-facts.ts), and turns findings into VS Code diagnostics.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type * as tsTypes from 'typescript';
import { analyzeSourceFile } from '../core/analyzer';
import type { Finding, ProjectFacts, Severity, TypeScriptModule } from '../core/types';
import type { ArchitectSettings } from './settings';

export const DIAGNOSTIC_SOURCE = 'mcp-architect';

let typescript: TypeScriptModule | undefined;
/** The shared dist/typescript.js, loaded on first use: activation stays cheap when tsserver does the work. */
export function loadTypeScript(): TypeScriptModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (typescript ??= require('typescript') as TypeScriptModule);
}

export function scriptKindFor(ts: TypeScriptModule, languageId: string, fileName: string): tsTypes.ScriptKind {
  switch (languageId) {
    case 'typescriptreact':
      return ts.ScriptKind.TSX;
    case 'javascript':
      return ts.ScriptKind.JS;
    case 'javascriptreact':
      return ts.ScriptKind.JSX;
    case 'typescript':
      return ts.ScriptKind.TS;
    default: {
      const ext = path.extname(fileName).toLowerCase();
      if (ext === '.tsx') return ts.ScriptKind.TSX;
      if (ext === '.jsx') return ts.ScriptKind.JSX;
      if (ext === '.js' || ext === '.mjs' || ext === '.cjs') return ts.ScriptKind.JS;
      return ts.ScriptKind.TS;
    }
  }
}

export function languageIdForPath(fileName: string): string {
  const ext = path.extname(fileName).toLowerCase();
  if (ext === '.tsx') return 'typescriptreact';
  if (ext === '.jsx') return 'javascriptreact';
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') return 'javascript';
  return 'typescript';
}

export function parse(ts: TypeScriptModule, fileName: string, text: string, languageId: string): tsTypes.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindFor(ts, languageId, fileName));
}

export interface AnalyzeOptions {
  settings: ArchitectSettings;
  project?: ProjectFacts;
  onRuleError?: (ruleId: string, error: unknown) => void;
}

export function analyzeParsed(sourceFile: tsTypes.SourceFile, opts: AnalyzeOptions): Finding[] {
  const ts = loadTypeScript();
  return analyzeSourceFile(
    { ts, sourceFile },
    { scope: opts.settings.scope, severities: opts.settings.rules, project: opts.project, onRuleError: opts.onRuleError },
  );
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toDiagnostic(f: Finding): vscode.Diagnostic {
  const range = new vscode.Range(f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character);
  const d = new vscode.Diagnostic(range, f.message, SEVERITY[f.severity]);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = { value: f.ruleId, target: vscode.Uri.parse(f.docUrl) };
  return d;
}

export function severityOf(setting: string | undefined, fallback: Severity): vscode.DiagnosticSeverity | undefined {
  if (setting === 'off') return undefined;
  return SEVERITY[(setting as Severity) in SEVERITY ? (setting as Severity) : fallback];
}
