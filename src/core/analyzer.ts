// Runs the rules over one TypeScript/JavaScript source file and returns findings as plain data.
import type * as ts from 'typescript';
import type { AnalyzerOptions, Finding, ProjectFacts, Rule, SeveritySetting, TypeScriptModule } from './types';
import { RuleContext, SyntaxIndex, typeScriptView } from './rule-context';
import { Suppressions, scanComments } from './suppressions';
import { NO_FACTS, factsCollector, fileFacts, mayHaveFacts, mergeFacts } from './facts';
import { runRules, severityOf } from './findings';
import { RULES } from './rules';

export interface AnalyzeInput {
  ts: TypeScriptModule;
  sourceFile: ts.SourceFile;
  checker?: ts.TypeChecker;
  /** The file's node index, when the caller already built one (`new SyntaxIndex(typeScriptView(ts), sourceFile)`). */
  index?: SyntaxIndex;
  /** The file's line starts (`computeLineStarts(sourceFile.text)`), when the caller needs them too. */
  lineStarts?: number[];
}

/** Effective severity of a rule under the options, or 'off'. */
export function effectiveSeverity(rule: Rule, options: AnalyzerOptions): SeveritySetting {
  return severityOf(rule.meta, options);
}

export function analyzeSourceFile(input: AnalyzeInput, options: AnalyzerOptions = {}): Finding[] {
  return analyzeWithFacts(input, options).findings;
}

/** Findings of a file, and the file's own facts (given in the options, or derived here), for callers that cache them. */
export function analyzeWithFacts(input: AnalyzeInput, options: AnalyzerOptions = {}): { findings: Finding[]; fileFacts: ProjectFacts } {
  const { sourceFile, checker } = input;
  const ts = typeScriptView(input.ts);
  const scopeAll = (options.scope ?? 'mcp') === 'all';
  const rules = options.extraRules ? [...RULES, ...options.extraRules] : RULES;
  const active = rules.filter(r => effectiveSeverity(r, options) !== 'off' && r.meta.languages.includes('typescript'));

  let index = input.index;
  let file = options.fileFacts;
  if (!file && !index && active.length > 0 && (scopeAll || options.project?.usesMcpServerSdk || mayHaveFacts(sourceFile.text))) {
    // The rules need the file's node index anyway: its facts are gathered by that walk rather than by one of their own.
    const collector = mayHaveFacts(sourceFile.text) ? factsCollector(ts) : undefined;
    try {
      index = new SyntaxIndex(ts, sourceFile, collector && { kinds: collector.kinds, onNode: collector.note });
    } catch (error) {
      options.onRuleError?.('(context)', error);
      return { findings: [], fileFacts: { ...NO_FACTS } };
    }
    file = collector ? collector.facts() : { ...NO_FACTS };
  }
  file ??= fileFacts(ts, sourceFile);
  const none = { findings: [], fileFacts: file };
  const project = options.project ? mergeFacts([options.project, file]) : file;
  if (!scopeAll && !project.usesMcpServerSdk) return none;
  if (active.length === 0) return none;

  let ctx: RuleContext;
  try {
    ctx = new RuleContext(ts, sourceFile, project, file, checker, index, input.lineStarts);
  } catch (error) {
    options.onRuleError?.('(context)', error);
    return none;
  }
  const findings = runRules(ctx, active, options, () => ctx.lineStarts, () => new Suppressions(scanComments(ts, sourceFile, ctx.lineStarts)));
  return { findings, fileFacts: file };
}

/** Parses `text` with the given TypeScript module and analyses it: the path of the CLI and the MCP server. */
export function analyzeText(ts: TypeScriptModule, fileName: string, text: string, options: AnalyzerOptions = {}): Finding[] {
  // Without parent links: the analyzer's own walk over the tree sets them, which saves the parser a second walk.
  // No rule reads JSDoc, so it is not parsed (where this TypeScript can skip it).
  const languageVersion = ts.JSDocParsingMode ? { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone } : ts.ScriptTarget.Latest;
  const sf = ts.createSourceFile(fileName, text, languageVersion, false, scriptKindOf(ts, fileName));
  return analyzeSourceFile({ ts, sourceFile: sf }, options);
}

export function scriptKindOf(ts: TypeScriptModule, fileName: string): ts.ScriptKind {
  const ext = fileName.slice(fileName.lastIndexOf('.')).toLowerCase();
  switch (ext) {
    case '.tsx':
      return ts.ScriptKind.TSX;
    case '.jsx':
      return ts.ScriptKind.JSX;
    case '.js':
    case '.mjs':
    case '.cjs':
      return ts.ScriptKind.JS;
    default:
      return ts.ScriptKind.TS;
  }
}

/** Parse errors of a file (used by the CLI to report unparsable files). */
export function parseDiagnostics(sf: ts.SourceFile): readonly ts.Diagnostic[] {
  return (sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
}

export type { ProjectFacts };
