// Runs the Python rules over one Python source file and returns findings in the same shape as the TypeScript
// analyzer: same rule ids, codes, severities, settings, suppression comments and documentation links.
import type { AnalyzerOptions, Finding, ProjectFacts } from '../types';
import { mergeFacts } from '../facts';
import { runRules, severityOf } from '../findings';
import { Suppressions, lineOf, type CommentInfo } from '../suppressions';
import { PyContext } from './context';
import type { PythonParser } from './parser';
import { PYTHON_RULES, type PythonRule } from './rules';

/**
 * Analyses Python source text. Never throws on bad input: a file tree-sitter cannot fully parse is analysed as far
 * as it goes (its error nodes are skipped), and a rule that throws is skipped and reported through `onRuleError`.
 */
export function analyzePython(parser: PythonParser, fileName: string, text: string, options: AnalyzerOptions = {}, rules: readonly PythonRule[] = PYTHON_RULES): Finding[] {
  return analyzePythonFile(parser, fileName, text, options, rules).findings;
}

/** analyzePython, also returning the facts of the file alone (adapters record them for the file's program). */
export function analyzePythonFile(
  parser: PythonParser,
  fileName: string,
  text: string,
  options: AnalyzerOptions = {},
  rules: readonly PythonRule[] = PYTHON_RULES,
): { findings: Finding[]; facts: ProjectFacts } {
  const tree = parser.parse(text);
  try {
    let ctx: PyContext;
    try {
      ctx = new PyContext(parser, tree, fileName, text);
    } catch (error) {
      options.onRuleError?.('(context)', error);
      return { findings: [], facts: { usesMcpServerSdk: false, servesStdio: false, servesHttp: false } };
    }
    return { findings: runPythonRules(ctx, options, rules), facts: ctx.file };
  } finally {
    tree.delete();
  }
}

function runPythonRules(ctx: PyContext, options: AnalyzerOptions, rules: readonly PythonRule[]): Finding[] {
  const active = rules.filter(r => severityOf(r.meta, options) !== 'off');
  if (active.length === 0) return [];
  ctx.project = options.project ? mergeFacts([options.project, ctx.file]) : ctx.file;
  if ((options.scope ?? 'mcp') === 'mcp' && !ctx.project.usesMcpServerSdk) return [];
  return runRules(ctx, active, options, () => ctx.lineStarts, () => new Suppressions(suppressionComments(ctx)));
}

/** Facts of one Python file alone (for adapters that merge the facts of a program before analysing its files). */
export function pythonFileFacts(parser: PythonParser, fileName: string, text: string): ProjectFacts {
  const tree = parser.parse(text);
  try {
    return new PyContext(parser, tree, fileName, text).file;
  } finally {
    tree.delete();
  }
}

/** `# mcp-architect-...` comments of the file, from the tree (never text inside strings). */
function suppressionComments(ctx: PyContext): CommentInfo[] {
  const out: CommentInfo[] = [];
  for (const c of ctx.nodesOfType('comment')) {
    const raw = c.text;
    if (!raw.includes('mcp-architect-')) continue;
    const line = lineOf(ctx.lineStarts, c.startIndex);
    out.push({ text: raw.replace(/^#+/, '').trim(), line, endLine: line });
  }
  return out;
}
