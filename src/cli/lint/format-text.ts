// The human report: findings grouped by file, one `line:col  severity  message  rule-id` row each, then a summary.
import type { LintResult, LintSummary } from './lint';

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  underline: '\x1b[4m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  green: '\x1b[32m',
  gray: '\x1b[90m',
};

const SEVERITY_COLOR = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.blue, hint: ANSI.gray } as const;

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export function formatText(result: LintResult, color: boolean): string {
  const paint = (code: string, text: string): string => (color ? `${code}${text}${ANSI.reset}` : text);
  const out: string[] = [];
  for (const file of result.files) {
    if (file.findings.length === 0) continue;
    const lineWidth = Math.max(...file.findings.map(f => String(f.line).length));
    const columnWidth = Math.max(...file.findings.map(f => String(f.column).length));
    const severityWidth = Math.max(...file.findings.map(f => f.severity.length));
    const messages = file.findings.map(f => f.message.replace(/\s*\r?\n\s*/g, ' '));
    const messageWidth = Math.max(...messages.map(m => m.length));
    out.push(paint(ANSI.underline, file.relativePath));
    file.findings.forEach((f, i) => {
      const position = `${String(f.line).padStart(lineWidth + 2)}:${String(f.column).padEnd(columnWidth)}`;
      const severity = paint(SEVERITY_COLOR[f.severity], f.severity.padEnd(severityWidth));
      const rule = f.ruleId ? `  ${paint(ANSI.dim, f.ruleId)}` : '';
      out.push(`${position}  ${severity}  ${f.ruleId ? messages[i].padEnd(messageWidth) : messages[i]}${rule}`.trimEnd());
    });
    out.push('');
  }
  out.push(summaryLine(result.summary, paint));
  return `${out.join('\n')}\n`;
}

function summaryLine(s: LintSummary, paint: (code: string, text: string) => string): string {
  const problems = s.errors + s.warnings + s.infos + s.hints;
  if (problems === 0) {
    if (s.files === 0) return 'No TypeScript, JavaScript or Python files to lint.';
    if (s.analysedFiles === 0) {
      return `${plural(s.files, 'file')} checked: none belongs to an MCP server program, so no rule ran (--scope all lints every file).`;
    }
    return paint(ANSI.green, `✔ No problems (${plural(s.analysedFiles, 'file')} analysed).`);
  }
  const parts = [plural(s.errors, 'error'), plural(s.warnings, 'warning')];
  if (s.infos) parts.push(`${s.infos} info`);
  if (s.hints) parts.push(plural(s.hints, 'hint'));
  const line = `✖ ${plural(problems, 'problem')} (${parts.join(', ')}) in ${plural(s.analysedFiles, 'analysed file')}`;
  const unparsable = s.unparsableFiles ? `\n  ${plural(s.unparsableFiles, 'file')} could not be parsed.` : '';
  return paint(ANSI.bold + (s.errors ? ANSI.red : ANSI.yellow), line) + unparsable;
}
