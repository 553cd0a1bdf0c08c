// The machine-readable report (`--format json`). Its shape is documented in docs/cli.md and versioned by
// `formatVersion`: fields are only ever added within a version.
import type { LintResult } from './lint';
import { CLI_NAME, VERSION } from '../version';

export const JSON_FORMAT_VERSION = 1;

export function formatJson(result: LintResult): string {
  const report = {
    formatVersion: JSON_FORMAT_VERSION,
    tool: { name: CLI_NAME, version: VERSION },
    summary: result.summary,
    files: result.files.map(file => {
      const count = (severity: string) => file.findings.filter(f => f.severity === severity).length;
      return {
        path: file.relativePath,
        analysed: file.analysed,
        errorCount: count('error'),
        warningCount: count('warning'),
        infoCount: count('info'),
        hintCount: count('hint'),
        ruleErrors: file.ruleErrors,
        findings: file.findings.map(f => ({
          ruleId: f.ruleId,
          code: f.code,
          severity: f.severity,
          fatal: f.fatal,
          message: f.message,
          line: f.line,
          column: f.column,
          endLine: f.endLine,
          endColumn: f.endColumn,
          start: f.start,
          end: f.end,
          docUrl: f.docUrl,
          playbook: f.playbook,
          fingerprint: f.fingerprint,
          fixes: f.fixes.map(fix => ({
            title: fix.title,
            edits: fix.edits.map(e => ({
              start: e.start,
              end: e.end,
              newText: e.newText,
              line: e.line,
              column: e.column,
              endLine: e.endLine,
              endColumn: e.endColumn,
            })),
          })),
        })),
      };
    }),
  };
  // One line, as ESLint's json formatter writes it: a report of thousands of findings is read by programs, and
  // indentation would make it half again as large and slower to write.
  return `${JSON.stringify(report)}\n`;
}
