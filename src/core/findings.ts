// Turns a rule's raw report into a Finding: shared by the TypeScript and Python analyzers.
import type { Finding, RuleMeta, Severity } from './types';
import type { RawReport } from './rule-context';
import { ruleDocUrl } from './docs';
import { lineOf } from './suppressions';

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
