// Lints a list of files: groups them by package, merges each package's program facts, parses and analyses
// the files in scope, and turns findings into 1-based, line/column positioned entries for the formatters.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as ts from 'typescript';
import { analyzeSourceFile, parseDiagnostics, scriptKindOf } from '../../core/analyzer';
import { fileFacts, mergeFacts, NO_FACTS } from '../../core/facts';
import { computeLineStarts, lineOf } from '../../core/suppressions';
import type { Finding, ProjectFacts, Severity, SeveritySetting, TextEdit, TypeScriptModule } from '../../core/types';
import { UsageError } from '../command';
import { PackageIndex } from './packages';

/** 1-based line and column (UTF-16 code units) of a range; the end column is exclusive. */
export interface LineColumnRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface LintFix {
  title: string;
  edits: Array<TextEdit & LineColumnRange>;
}

export interface LintFinding extends LineColumnRange {
  /** null for a file that could not be parsed. */
  ruleId: string | null;
  code: number | null;
  severity: Severity;
  /** True for a parse error: the file was not analysed. */
  fatal: boolean;
  message: string;
  /** 0-based UTF-16 offsets. */
  start: number;
  end: number;
  playbook: string | null;
  docUrl: string | null;
  fixes: LintFix[];
  /** Stable identity of the finding across edits that move it (rule, file, flagged text, occurrence). */
  fingerprint: string | null;
}

export interface LintedFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the working directory, with `/` separators. */
  relativePath: string;
  /** False when the file belongs to no MCP server program under `--scope mcp`, so no rule ran on it. */
  analysed: boolean;
  findings: LintFinding[];
  /** Rules that threw on this file (they are skipped; a bug to report). */
  ruleErrors: Array<{ ruleId: string; message: string }>;
}

export interface LintSummary {
  files: number;
  analysedFiles: number;
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
  /** Files that could not be parsed (each also counted as an error). */
  unparsableFiles: number;
}

export interface LintResult {
  files: LintedFile[];
  summary: LintSummary;
}

export interface LintRunOptions {
  cwd: string;
  scope: 'mcp' | 'all';
  severities: Record<string, SeveritySetting>;
}

// Parsed files are kept between computing a package's facts and analysing it, up to this much source text per
// package; beyond it they are parsed again, which bounds memory on very large packages.
const KEEP_PARSED_CHARS = 8_000_000;

export function lintFiles(tsModule: TypeScriptModule, files: readonly string[], options: LintRunOptions): LintResult {
  const packages = new PackageIndex();
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const key = packages.packageJsonOf(file) ?? '';
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(file);
  }

  const byPath = new Map<string, LintedFile>();
  for (const [packageJson, groupFiles] of groups) {
    const packageFacts: ProjectFacts = { ...NO_FACTS, usesMcpServerSdk: packageJson !== '' && packages.usesMcp(packageJson) };
    const parsed = new Map<string, ts.SourceFile>();
    const texts = new Map<string, string>();
    let keptChars = 0;
    const facts: ProjectFacts[] = [packageFacts];
    for (const file of groupFiles) {
      const text = readSource(file, options.cwd);
      texts.set(file, text);
      const sf = parse(tsModule, file, text);
      facts.push(fileFacts(tsModule, sf));
      if (keptChars + text.length <= KEEP_PARSED_CHARS) {
        parsed.set(file, sf);
        keptChars += text.length;
      }
    }
    const project = mergeFacts(facts);
    const inScope = options.scope === 'all' || project.usesMcpServerSdk;
    for (const file of groupFiles) {
      const linted: LintedFile = { path: file, relativePath: relativePosix(options.cwd, file), analysed: inScope, findings: [], ruleErrors: [] };
      byPath.set(file, linted);
      if (!inScope) continue;
      const text = texts.get(file)!;
      const sf = parsed.get(file) ?? parse(tsModule, file, text);
      const lineStarts = computeLineStarts(text);
      const syntaxError = parseDiagnostics(sf)[0];
      if (syntaxError) {
        linted.findings.push(parseErrorFinding(tsModule, syntaxError, text, lineStarts));
        continue;
      }
      const findings = analyzeSourceFile(
        { ts: tsModule, sourceFile: sf },
        {
          scope: options.scope,
          severities: options.severities,
          project,
          onRuleError: (ruleId, error) => linted.ruleErrors.push({ ruleId, message: error instanceof Error ? error.message : String(error) }),
        },
      );
      linted.findings = toLintFindings(findings, text, lineStarts, linted.relativePath);
    }
    // Release this package's syntax trees before parsing the next package.
    parsed.clear();
    texts.clear();
  }

  const result = files.map(f => byPath.get(f)!);
  return { files: result, summary: summarise(result) };
}

function readSource(file: string, cwd: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(`cannot read ${relativePosix(cwd, file)}: ${why}`, false);
  }
}

function parse(tsModule: TypeScriptModule, file: string, text: string): ts.SourceFile {
  return tsModule.createSourceFile(file, text, tsModule.ScriptTarget.Latest, false, scriptKindOf(tsModule, file));
}

export function relativePosix(cwd: string, file: string): string {
  const rel = path.relative(cwd, file) || path.basename(file);
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

function rangeOf(lineStarts: number[], start: number, end: number): LineColumnRange {
  const line = lineOf(lineStarts, start);
  const endLine = lineOf(lineStarts, end);
  return { line: line + 1, column: start - lineStarts[line] + 1, endLine: endLine + 1, endColumn: end - lineStarts[endLine] + 1 };
}

function parseErrorFinding(tsModule: TypeScriptModule, d: ts.Diagnostic, text: string, lineStarts: number[]): LintFinding {
  const start = Math.min(d.start ?? 0, text.length);
  const end = Math.min(start + (d.length ?? 0), text.length);
  return {
    ruleId: null,
    code: null,
    severity: 'error',
    fatal: true,
    message: `Parsing error: ${tsModule.flattenDiagnosticMessageText(d.messageText, ' ')} The file was not analysed.`,
    start,
    end,
    ...rangeOf(lineStarts, start, end),
    playbook: null,
    docUrl: null,
    fixes: [],
    fingerprint: null,
  };
}

function toLintFindings(findings: readonly Finding[], text: string, lineStarts: number[], relativePath: string): LintFinding[] {
  const occurrences = new Map<string, number>();
  return findings.map(f => {
    const snippet = text.slice(f.start, f.end).replace(/\s+/g, ' ').trim().slice(0, 500);
    const digest = createHash('sha256').update(`${f.ruleId}\0${relativePath}\0${snippet}`).digest('hex').slice(0, 32);
    const occurrence = (occurrences.get(digest) ?? 0) + 1;
    occurrences.set(digest, occurrence);
    return {
      ruleId: f.ruleId,
      code: f.code,
      severity: f.severity,
      fatal: false,
      message: f.message,
      start: f.start,
      end: f.end,
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
      playbook: f.playbook,
      docUrl: f.docUrl,
      fixes: f.fixes.map(fix => ({
        title: fix.title,
        edits: fix.edits.map(e => ({ start: e.start, end: e.end, newText: e.newText, ...rangeOf(lineStarts, e.start, e.end) })),
      })),
      fingerprint: `${digest}:${occurrence}`,
    };
  });
}

function summarise(files: readonly LintedFile[]): LintSummary {
  const s: LintSummary = { files: files.length, analysedFiles: 0, errors: 0, warnings: 0, infos: 0, hints: 0, unparsableFiles: 0 };
  for (const f of files) {
    if (f.analysed) s.analysedFiles++;
    for (const finding of f.findings) {
      if (finding.fatal) s.unparsableFiles++;
      if (finding.severity === 'error') s.errors++;
      else if (finding.severity === 'warning') s.warnings++;
      else if (finding.severity === 'info') s.infos++;
      else s.hints++;
    }
  }
  return s;
}
