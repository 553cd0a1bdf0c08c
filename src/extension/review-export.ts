// Collects the workspace's MCP Architect diagnostics (own engine, workspace analysis and tsserver plugin alike)
// for the architecture review export.
import * as vscode from 'vscode';
import type { Severity } from '../core/types';
import { DIAGNOSTIC_SOURCE } from './analysis';
import type { ReviewFinding } from './architecture-review';
import { ruleIdOf } from './code-actions';

const SEVERITY: Record<vscode.DiagnosticSeverity, Severity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

/** Every diagnostic of source `mcp-architect` known to VS Code now, each once, with its rule id. */
export function workspaceFindings(): ReviewFinding[] {
  const seen = new Set<string>();
  const out: ReviewFinding[] = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    for (const d of diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      // Own diagnostics carry the rule id as their code, tsserver's the rule's number; package.json checks their id.
      const raw = typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
      const ruleId = ruleIdOf(d) ?? (typeof raw === 'string' ? raw : undefined);
      if (!ruleId) continue;
      const key = `${uri.toString()}|${d.range.start.line}|${d.range.start.character}|${ruleId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        ruleId,
        file: vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1),
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        message: d.message,
        severity: SEVERITY[d.severity] ?? 'warning',
      });
    }
  }
  return out;
}
