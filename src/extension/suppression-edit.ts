// Builds the text edit that silences one rule on one line with a `disable-next-line` comment.
// Pure (no `vscode`), so it is tested directly.
import type { TextEdit } from '../core/types';
import { computeLineStarts, parseDirective } from '../core/suppressions';

const DIRECTIVE_WORD = 'mcp-architect-disable-next-line';

/**
 * The edit that suppresses `ruleId` on 0-based `line` of `text`: a new comment line above it with the same
 * indentation, or the id appended to a `disable-next-line` comment already there.
 */
export function disableNextLineEdit(text: string, line: number, ruleId: string, language: 'typescript' | 'python'): TextEdit {
  const starts = computeLineStarts(text);
  const lineStart = starts[Math.min(line, starts.length - 1)];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const marker = language === 'python' ? '#' : '//';

  if (line > 0) {
    const prevStart = starts[line - 1];
    const prevText = text.slice(prevStart, lineStart).replace(/\r?\n$|\r$/, '');
    const m = /^([ \t]*)(\/\/|#)(.*)$/.exec(prevText);
    if (m && m[2] === marker) {
      const directive = parseDirective(m[3]);
      if (directive?.kind === 'disable-next-line') {
        if (directive.rules === null || directive.rules.includes(ruleId)) {
          return { start: lineStart, end: lineStart, newText: '' }; // already suppressed
        }
        // Append before a `-- reason`, if any.
        const body = m[3];
        const reasonAt = body.indexOf('--');
        const listEnd = prevStart + m[1].length + m[2].length + (reasonAt === -1 ? body.trimEnd().length : body.slice(0, reasonAt).trimEnd().length);
        return { start: listEnd, end: listEnd, newText: `, ${ruleId}` };
      }
    }
  }
  const indent = /^[ \t]*/.exec(text.slice(lineStart, lineStart + 400))![0];
  return { start: lineStart, end: lineStart, newText: `${indent}${marker} ${DIRECTIVE_WORD} ${ruleId}${eol}` };
}
