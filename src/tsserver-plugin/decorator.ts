// Wraps a project's language service: our findings join TypeScript's semantic and suggestion diagnostics,
// our quick fixes join TypeScript's. Every addition is guarded: if anything of ours throws, the error is
// logged and TypeScript's own result is returned exactly as TypeScript produced it.
import type * as ts from 'typescript';
import type { Finding, Fix, Severity, TextEdit, TypeScriptModule } from '../core/types';
import { describeError, type ProjectAnalysis } from './project-analysis';

export const DIAGNOSTIC_SOURCE = 'mcp-architect';
/** Prefix of our fix names and fix-all ids (`mcp-architect/<rule-id>`), so they never collide with TypeScript's. */
export const FIX_PREFIX = 'mcp-architect/';

export interface PluginLogger {
  info(message: string): void;
  /** True when the tsserver log records request times (`--logVerbosity requestTime` or `verbose`). */
  timing(): boolean;
  perf(message: string): void;
}

/** Which diagnostics list a severity goes to, and with what TypeScript category. */
export function categoryOf(ts: TypeScriptModule, severity: Severity): { list: 'semantic' | 'suggestion'; category: ts.DiagnosticCategory } {
  switch (severity) {
    case 'error':
      return { list: 'semantic', category: ts.DiagnosticCategory.Error };
    case 'warning':
      return { list: 'semantic', category: ts.DiagnosticCategory.Warning };
    // VS Code and typescript-language-server render the Message category as an error; Suggestion renders as a
    // hint. Info therefore goes out as a suggestion in the semantic list: shown even when the editor hides
    // TypeScript's suggestions, never louder than a warning.
    case 'info':
      return { list: 'semantic', category: ts.DiagnosticCategory.Suggestion };
    case 'hint':
      return { list: 'suggestion', category: ts.DiagnosticCategory.Suggestion };
  }
}

export function decorateLanguageService(
  ts: TypeScriptModule,
  inner: ts.LanguageService,
  analysis: ProjectAnalysis,
  log: PluginLogger,
): ts.LanguageService {
  const proxy = Object.create(null) as ts.LanguageService;
  for (const key of Object.keys(inner) as Array<keyof ts.LanguageService>) {
    const member = inner[key];
    (proxy as unknown as Record<string, unknown>)[key] =
      typeof member === 'function' ? (...args: unknown[]) => (member as (...a: unknown[]) => unknown).apply(inner, args) : member;
  }

  const current = (fileName: string) => {
    const program = inner.getProgram();
    return program ? analysis.findings(program, fileName) : undefined;
  };

  const diagnosticsOf = (fileName: string, list: 'semantic' | 'suggestion'): ts.DiagnosticWithLocation[] => {
    const result = current(fileName);
    if (!result || result.findings.length === 0) return [];
    const out: ts.DiagnosticWithLocation[] = [];
    for (const f of result.findings) {
      const { list: target, category } = categoryOf(ts, f.severity);
      if (target !== list) continue;
      out.push({
        file: result.sourceFile,
        start: f.start,
        length: f.end - f.start,
        messageText: f.message,
        category,
        code: f.code,
        source: DIAGNOSTIC_SOURCE,
      });
    }
    return out;
  };

  proxy.getSemanticDiagnostics = fileName => {
    const timed = log.timing();
    const t0 = timed ? performance.now() : 0;
    const base = inner.getSemanticDiagnostics(fileName);
    const t1 = timed ? performance.now() : 0;
    let result = base;
    try {
      const ours = diagnosticsOf(fileName, 'semantic');
      if (ours.length) result = [...base, ...ours];
    } catch (error) {
      log.info(`semantic diagnostics of ${fileName} failed; TypeScript's are returned unchanged: ${describeError(error)}`);
      return base;
    }
    if (timed) log.perf(`getSemanticDiagnostics ${fileName}: typescript ${(t1 - t0).toFixed(3)} ms, mcp-architect ${(performance.now() - t1).toFixed(3)} ms`);
    return result;
  };

  proxy.getSuggestionDiagnostics = fileName => {
    const base = inner.getSuggestionDiagnostics(fileName);
    try {
      const ours = diagnosticsOf(fileName, 'suggestion');
      return ours.length ? [...base, ...ours] : base;
    } catch (error) {
      log.info(`suggestion diagnostics of ${fileName} failed; TypeScript's are returned unchanged: ${describeError(error)}`);
      return base;
    }
  };

  // The language service has this method since TypeScript 5.0; before, only the global registry answered.
  if (typeof inner.getSupportedCodeFixes === 'function') {
    proxy.getSupportedCodeFixes = fileName => {
      const base = inner.getSupportedCodeFixes(fileName);
      try {
        const missing = analysis.ruleCodes.map(String).filter(c => !base.includes(c));
        return missing.length ? [...base, ...missing] : base;
      } catch (error) {
        log.info(`getSupportedCodeFixes failed; TypeScript's list is returned unchanged: ${describeError(error)}`);
        return base;
      }
    };
  }

  proxy.getCodeFixesAtPosition = (fileName, start, end, errorCodes, formatOptions, preferences) => {
    // Our codes never reach TypeScript: its code-fix path would compute the file's diagnostics for nothing.
    const ourCodes = errorCodes.filter(c => analysis.ruleOfCode(c) !== undefined);
    if (ourCodes.length === 0) return inner.getCodeFixesAtPosition(fileName, start, end, errorCodes, formatOptions, preferences);
    const theirCodes = errorCodes.filter(c => !ourCodes.includes(c));
    const base = theirCodes.length ? inner.getCodeFixesAtPosition(fileName, start, end, theirCodes, formatOptions, preferences) : [];
    try {
      const ours = codeFixesAt(fileName, start, end, ourCodes);
      return ours.length ? [...base, ...ours] : base;
    } catch (error) {
      log.info(`code fixes for ${fileName} failed: ${describeError(error)}`);
      return base;
    }
  };

  const codeFixesAt = (fileName: string, start: number, end: number, codes: readonly number[]): ts.CodeFixAction[] => {
    const result = current(fileName);
    if (!result) return [];
    const actions: ts.CodeFixAction[] = [];
    for (const f of result.findings) {
      if (!codes.includes(f.code) || f.fixes.length === 0) continue;
      // The editor asks with the diagnostic's range, or with the cursor (an empty range) inside it.
      if (!(f.start <= end && start <= f.end)) continue;
      const fixable = result.findings.filter(g => g.ruleId === f.ruleId && g.fixes.length > 0).length;
      for (const fix of f.fixes) {
        actions.push({
          fixName: FIX_PREFIX + f.ruleId,
          description: fix.title,
          changes: [{ fileName, textChanges: fix.edits.map(toTextChange) }],
          // Fix-all is offered for the first fix, and only when there is more than one finding to fix.
          ...(fix === f.fixes[0] && fixable > 1 ? { fixId: FIX_PREFIX + f.ruleId, fixAllDescription: `Fix all ${f.ruleId} findings in this file` } : {}),
        });
      }
    }
    return actions;
  };

  proxy.getCombinedCodeFix = (scope, fixId, formatOptions, preferences) => {
    if (typeof fixId !== 'string' || !fixId.startsWith(FIX_PREFIX)) return inner.getCombinedCodeFix(scope, fixId, formatOptions, preferences);
    try {
      const ruleId = fixId.slice(FIX_PREFIX.length);
      const result = current(scope.fileName);
      if (!result) return { changes: [] };
      const edits = combineFixes(result.findings.filter(f => f.ruleId === ruleId).map(f => f.fixes[0]));
      return { changes: edits.length ? [{ fileName: scope.fileName, textChanges: edits.map(toTextChange) }] : [] };
    } catch (error) {
      log.info(`fix-all ${fixId} for ${scope.fileName} failed: ${describeError(error)}`);
      return { changes: [] };
    }
  };

  return proxy;
}

function toTextChange(e: TextEdit): ts.TextChange {
  return { span: { start: e.start, length: e.end - e.start }, newText: e.newText };
}

/**
 * The edits of several fixes applied together. A fix is taken whole or not at all. An edit equal to one
 * already taken (two fixes adding the same import line) is shared, not repeated; a fix with an edit that
 * touches text another taken edit changes is left for the next run.
 */
export function combineFixes(fixes: ReadonlyArray<Fix | undefined>): TextEdit[] {
  const taken: TextEdit[] = [];
  const same = (a: TextEdit, b: TextEdit) => a.start === b.start && a.end === b.end && a.newText === b.newText;
  for (const fix of fixes) {
    if (!fix) continue;
    const fresh = fix.edits.filter(e => !taken.some(t => same(e, t)));
    // Overlapping text, or two different edits at one position (their order would be a guess).
    const clashes = fresh.some(e => taken.some(t => (e.start < t.end && t.start < e.end) || e.start === t.start));
    if (clashes) continue;
    taken.push(...fresh);
  }
  return taken.sort((a, b) => a.start - b.start || a.end - b.end);
}
