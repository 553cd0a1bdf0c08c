// The structured shape the analyze tools return, and its zod schema (the tools' output schema).
import { z } from 'zod';
import type { Finding } from '../core/types';

const position = z.object({ line: z.number().int().describe('1-based line'), column: z.number().int().describe('1-based column') });

export const findingSchema = z.object({
  ruleId: z.string(),
  code: z.number().int(),
  severity: z.enum(['error', 'warning', 'info', 'hint']),
  message: z.string(),
  start: position,
  end: position,
  playbook: z.string(),
  docUrl: z.string(),
  fixes: z.array(z.object({ title: z.string(), edits: z.array(z.object({ start: z.number().int(), end: z.number().int(), newText: z.string() })) })),
});

export const analysisOutputShape = {
  fileName: z.string(),
  language: z.enum(['typescript', 'javascript', 'python']),
  findings: z.array(findingSchema),
  summary: z.object({ error: z.number().int(), warning: z.number().int(), info: z.number().int(), hint: z.number().int() }),
};

export type AnalysisOutput = {
  fileName: string;
  language: 'typescript' | 'javascript' | 'python';
  findings: z.infer<typeof findingSchema>[];
  summary: Record<'error' | 'warning' | 'info' | 'hint', number>;
};

export function toAnalysisOutput(fileName: string, language: AnalysisOutput['language'], findings: Finding[]): AnalysisOutput {
  const summary = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of findings) summary[f.severity]++;
  return {
    fileName,
    language,
    summary,
    findings: findings.map(f => ({
      ruleId: f.ruleId,
      code: f.code,
      severity: f.severity,
      message: f.message,
      start: { line: f.range.start.line + 1, column: f.range.start.character + 1 },
      end: { line: f.range.end.line + 1, column: f.range.end.character + 1 },
      playbook: f.playbook,
      docUrl: f.docUrl,
      fixes: f.fixes,
    })),
  };
}

/** A short human-readable report, for the text content that accompanies structured content. */
export function analysisText(out: AnalysisOutput): string {
  if (out.findings.length === 0) return `${out.fileName}: no findings.`;
  const lines = out.findings.map(f => `${out.fileName}:${f.start.line}:${f.start.column} ${f.severity} ${f.message} [${f.ruleId}]`);
  const s = out.summary;
  return `${lines.join('\n')}\n\n${out.findings.length} finding(s): ${s.error} error, ${s.warning} warning, ${s.info} info, ${s.hint} hint.`;
}
