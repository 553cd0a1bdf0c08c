// Runs rules over a file's context and turns their reports into Findings: shared by the TypeScript and Python
// analyzers.
import type { AnalyzerOptions, Finding, RuleMeta, Severity, SeveritySetting } from './types';
import type { RawReport } from './rule-context';
import { ruleDocUrl } from './docs';
import { lineOf, type Suppressions } from './suppressions';

/** A rule's severity under the options, or 'off'. */
export function severityOf(meta: RuleMeta, options: AnalyzerOptions): SeveritySetting {
  return options.severities?.[meta.id] ?? meta.defaultSeverity;
}

/**
 * Runs each rule over `ctx` (a rule that throws is skipped, its reports dropped, and `onRuleError` told) and turns
 * its reports into findings, leaving out suppressed ones, in source order. Line starts and suppression comments
 * are asked for only once a rule reports.
 */
export function runRules<C extends { meta: RuleMeta; takeReports(): readonly RawReport[] }>(
  ctx: C,
  rules: ReadonlyArray<{ meta: RuleMeta; check(ctx: C): void }>,
  options: AnalyzerOptions,
  lineStartsOf: () => number[],
  suppressionsOf: () => Suppressions,
): Finding[] {
  let lineStarts: number[] | undefined;
  let suppressions: Suppressions | undefined;
  const findings: Finding[] = [];
  for (const rule of rules) {
    ctx.meta = rule.meta;
    try {
      rule.check(ctx);
    } catch (error) {
      ctx.takeReports();
      options.onRuleError?.(rule.meta.id, error);
      continue;
    }
    const severity = severityOf(rule.meta, options) as Severity;
    for (const r of ctx.takeReports()) {
      lineStarts ??= lineStartsOf();
      suppressions ??= suppressionsOf();
      const startLine = lineOf(lineStarts, r.start);
      if (!suppressions.isEmpty && suppressions.isSuppressed(rule.meta.id, startLine)) continue;
      findings.push(toFinding(rule.meta, severity, r, lineStarts, startLine));
    }
  }
  return findings.sort((a, b) => a.start - b.start || a.code - b.code);
}

export function toFinding(meta: RuleMeta, severity: Severity, r: RawReport, lineStarts: number[], startLine = lineOf(lineStarts, r.start)): Finding {
  const endLine = lineOf(lineStarts, r.end);
  return {
    ruleId: meta.id,
    code: meta.code,
    severity,
    message: r.message,
    start: r.start,
    end: r.end,
    range: {
      start: { line: startLine, character: r.start - lineStarts[startLine] },
      end: { line: endLine, character: r.end - lineStarts[endLine] },
    },
    fixes: r.fixes,
    playbook: meta.playbook,
    docUrl: ruleDocUrl(meta.id),
  };
}
