// Code actions on MCP Architect diagnostics, from the extension's own engine and from the tsserver plugin:
// quick fixes and fix-all (own diagnostics; tsserver offers its own), disable for this line, turn the rule off,
// open the rule's playbook page. In Restricted Mode the edits of the open document are offered (the user saves them);
// turning a rule off, which writes settings.json, waits until the workspace is trusted.
import * as vscode from 'vscode';
import type { Finding, TextEdit } from '../core/types';
import { ruleById, RULES } from '../core/rules';
import { DIAGNOSTIC_SOURCE } from './analysis';
import { isTsLanguage } from './engine';
import { isPackageJson, type LiveLinter } from './live-linter';
import { VULNERABLE_SDK_CHECK_ID, checkPackageJson } from './sdk-advisories';
import { disableNextLineEdit } from './suppression-edit';
import { combinedFixEdits } from './fix-all';
import { COMMAND_OPEN_PLAYBOOK } from './playbook-ids';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('mcpArchitect');
export const TSSERVER_CODE_MIN = 61001;
export const TSSERVER_CODE_MAX = 61099;

export const COMMAND_TURN_OFF_RULE = 'mcpArchitect.turnOffRule';
export const COMMAND_OPEN_RULE_DOC = 'mcpArchitect.openRuleDocumentation';

/** The rule id of one of our diagnostics (own: code.value is the id; tsserver: a numeric code), else undefined. */
export function ruleIdOf(d: vscode.Diagnostic): string | undefined {
  if (d.source !== DIAGNOSTIC_SOURCE) return undefined;
  const raw = typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
  if (typeof raw === 'string' && !/^\d+$/.test(raw)) return raw;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < TSSERVER_CODE_MIN || n > TSSERVER_CODE_MAX) return undefined;
  return RULES.find(r => r.meta.code === n)?.meta.id;
}

/** Diagnostics published by the extension itself carry `{ value: ruleId, target }`. */
function isOwnDiagnostic(d: vscode.Diagnostic): boolean {
  return typeof d.code === 'object' && d.code !== null && typeof d.code.value === 'string' && !/^\d+$/.test(d.code.value);
}

function toWorkspaceEdit(doc: vscode.TextDocument, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) we.replace(doc.uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.newText);
  return we;
}

export class ArchitectCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly linter: LiveLinter) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const trusted = vscode.workspace.isTrusted;
    const actions: vscode.CodeAction[] = [];
    const ownEngine = this.linter.covers(doc) && (isTsLanguage(doc.languageId) || doc.languageId === 'python');

    if (context.only && (FIX_ALL_KIND.contains(context.only) || context.only.contains(FIX_ALL_KIND))) {
      if (ownEngine) {
        const fixAll = this.fixAllAction(doc, this.linter.findingsFor(doc), FIX_ALL_KIND);
        if (fixAll) actions.push(fixAll);
      }
      return actions;
    }

    const offered = new Set<string>();
    for (const diag of context.diagnostics) {
      const ruleId = ruleIdOf(diag);
      if (!ruleId) continue;
      const rule = ruleById(ruleId);

      if (isOwnDiagnostic(diag) && ownEngine) {
        const findings = this.linter.findingsFor(doc).filter(f => f.ruleId === ruleId);
        const here = findings.filter(f => f.range.start.line === diag.range.start.line && f.range.start.character === diag.range.start.character);
        for (const f of here) {
          f.fixes.forEach((fix, i) => {
            const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
            a.edit = toWorkspaceEdit(doc, fix.edits);
            a.diagnostics = [diag];
            a.isPreferred = i === 0;
            actions.push(a);
          });
        }
        if (!offered.has(`fixall:${ruleId}`) && findings.filter(f => f.fixes.length).length > 1) {
          offered.add(`fixall:${ruleId}`);
          const a = this.fixAllAction(doc, findings, vscode.CodeActionKind.QuickFix, `Fix all ${ruleId} problems in this file`);
          if (a) actions.push(a);
        }
        if (!offered.has('fixall')) {
          offered.add('fixall');
          const all = this.linter.findingsFor(doc);
          const rulesWithFixes = new Set(all.filter(f => f.fixes.length).map(f => f.ruleId));
          if (rulesWithFixes.size > 1) {
            const a = this.fixAllAction(doc, all, vscode.CodeActionKind.QuickFix, 'Fix all MCP Architect problems in this file');
            if (a) actions.push(a);
          }
        }
      }

      if (ruleId === VULNERABLE_SDK_CHECK_ID && isPackageJson(doc.uri)) {
        for (const f of checkPackageJson(doc.getText())) {
          const start = doc.positionAt(f.start);
          if (!start.isEqual(diag.range.start)) continue;
          const a = new vscode.CodeAction(`Require ${f.suggestedSpecifier}`, vscode.CodeActionKind.QuickFix);
          a.edit = toWorkspaceEdit(doc, [{ start: f.start, end: f.end, newText: JSON.stringify(f.suggestedSpecifier) }]);
          a.diagnostics = [diag];
          a.isPreferred = true;
          actions.push(a);
        }
      }

      // The actions below carry no `diagnostics`: VS Code then lists the fixes (ours or tsserver's) above them.
      const line = diag.range.start.line;
      if (rule && !isPackageJson(doc.uri) && !offered.has(`disable:${ruleId}:${line}`)) {
        offered.add(`disable:${ruleId}:${line}`);
        const edit = disableNextLineEdit(doc.getText(), line, ruleId, doc.languageId === 'python' ? 'python' : 'typescript');
        if (edit.newText) {
          const a = new vscode.CodeAction(`Disable ${ruleId} for this line`, vscode.CodeActionKind.QuickFix);
          a.edit = toWorkspaceEdit(doc, [edit]);
          actions.push(a);
        }
      }
      if (trusted && !offered.has(`off:${ruleId}`)) {
        offered.add(`off:${ruleId}`);
        const a = new vscode.CodeAction(`Turn off ${ruleId} in settings`, vscode.CodeActionKind.QuickFix);
        a.command = { command: COMMAND_TURN_OFF_RULE, title: a.title, arguments: [ruleId, doc.uri] };
        actions.push(a);
      }
      if (!offered.has(`doc:${ruleId}`)) {
        offered.add(`doc:${ruleId}`);
        const a = new vscode.CodeAction(rule ? `Open the ${ruleId} playbook` : `Open the advisory`, vscode.CodeActionKind.QuickFix);
        // A rule opens its playbook section in the sidebar; the SDK advisory check has no playbook, only its advisory.
        a.command = rule
          ? { command: COMMAND_OPEN_PLAYBOOK, title: a.title, arguments: [rule.meta.playbook] }
          : { command: COMMAND_OPEN_RULE_DOC, title: a.title, arguments: [ruleId, typeof diag.code === 'object' ? diag.code.target?.toString() : undefined] };
        actions.push(a);
      }
    }
    return actions;
  }

  private fixAllAction(doc: vscode.TextDocument, findings: readonly Finding[], kind: vscode.CodeActionKind, title = 'Fix all MCP Architect problems'): vscode.CodeAction | undefined {
    const edits = combinedFixEdits(findings);
    if (edits.length === 0) return undefined;
    const a = new vscode.CodeAction(title, kind);
    a.edit = toWorkspaceEdit(doc, edits);
    return a;
  }
}
