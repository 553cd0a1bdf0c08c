// Lints a list of files: groups them by package, merges each package's program facts, parses and analyses
// the files in scope, and turns findings into 1-based, line/column positioned entries for the formatters.
import { hash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as ts from 'typescript';
import { analyzeWithFacts, parseDiagnostics, scriptKindOf } from '../../core/analyzer';
import { analyzePython, pythonFileFacts } from '../../core/python/analyzer';
import type { PythonParser } from '../../core/python/parser';
import { factsCollector, factsWithin, fileFacts, mayHaveFacts, mergeFacts, NO_FACTS, possibleFacts } from '../../core/facts';
import { SyntaxIndex, typeScriptView } from '../../core/rule-context';
import { computeLineStarts, lineOf } from '../../core/suppressions';
import type { Finding, ProjectFacts, Rule, Severity, SeveritySetting, TextEdit, TypeScriptModule } from '../../core/types';
import { UsageError } from '../command';
import { PackageIndex } from '../../core/packages';
import { isPythonFile } from './python';

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
  /** Per file: its own facts and the program it was analysed in (what the lint cache keeps). */
  programs?: Map<string, FileProgram>;
}

/** A file's own facts, and the program key (its program's facts and whether it was in scope) of its result. */
export interface FileProgram {
  facts: ProjectFacts;
  program: string;
}

/** What a lint cache knows of a file whose content has not changed: its facts, and its result for one program. */
export interface KnownFile {
  facts: ProjectFacts;
  result?: { program: string; file: LintedFile };
}

export function programKey(project: ProjectFacts, inScope: boolean): string {
  return `${Number(project.usesMcpServerSdk)}${Number(project.servesStdio)}${Number(project.servesHttp)}:${inScope ? 'in' : 'out'}`;
}

export interface LintRunOptions {
  cwd: string;
  scope: 'mcp' | 'all';
  severities: Record<string, SeveritySetting>;
  /** Source characters per package whose syntax trees are kept for analysis instead of parsed twice. */
  keepParsedChars?: number;
  /** Rules run in addition to the registered ones (tests). */
  extraRules?: Rule[];
}

// Parsed files are kept between computing a package's facts and analysing it, up to this much source text per
// package (a syntax tree takes roughly 80 bytes per character); beyond it they are parsed again, which bounds
// memory on very large packages at the cost of a second parse. About 100,000 lines: a second parse (and walk) of
// a file costs more than keeping its tree, which the garbage collector would not have given back yet anyway.
export const KEEP_PARSED_CHARS = 4_000_000;

/**
 * Files grouped into programs, with the facts the group's package.json gives: TypeScript/JavaScript files by their
 * nearest package.json, Python files by their nearest Python project folder (pyproject.toml, setup.py, setup.cfg or
 * package.json); files with none form one program of each kind.
 */
export function groupByPackage(files: readonly string[]): Array<{ files: string[]; facts: ProjectFacts }> {
  const packages = new PackageIndex();
  const groups = new Map<string, { files: string[]; packageJson: string | null }>();
  for (const file of files) {
    const python = isPythonFile(file);
    const packageJson = python ? null : packages.packageJsonOf(file);
    const key = python ? `python:${packages.pythonProjectOf(file) ?? ''}` : `js:${packageJson ?? ''}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { files: [], packageJson }));
    group.files.push(file);
  }
  return [...groups.values()].map(g => ({
    files: g.files,
    facts: { ...NO_FACTS, usesMcpServerSdk: g.packageJson !== null && packages.usesMcp(g.packageJson) },
  }));
}

/**
 * The program of each file of a package: TypeScript/JavaScript files share the facts of the package.json and of
 * each other; Python files share those of the package's other Python files (a package.json says nothing of them).
 */
export function programsOf(group: { files: readonly string[]; facts: ProjectFacts }, facts: readonly ProjectFacts[], scope: 'mcp' | 'all'): Array<{ project: ProjectFacts; inScope: boolean }> {
  const python = group.files.map(isPythonFile);
  const tsProject = mergeFacts([group.facts, ...facts.filter((_, i) => !python[i])]);
  const pyProject = mergeFacts(facts.filter((_, i) => python[i]));
  return group.files.map((_, i) => {
    const project = python[i] ? pyProject : tsProject;
    return { project, inScope: scope === 'all' || project.usesMcpServerSdk };
  });
}

/** Reads and parses files, keeping syntax trees up to a budget, and analyses them once their program is known. */
export class FileAnalyser {
  private readonly texts = new Map<string, string>();
  /** Kept syntax trees, with the node index their facts were read from (the analysis reuses it). */
  private readonly trees = new Map<string, { sourceFile: ts.SourceFile; index: SyntaxIndex }>();
  private readonly facts = new Map<string, ProjectFacts>();
  private loadedTs?: TypeScriptModule;
  private keptChars = 0;

  constructor(
    /** TypeScript, or how to load it: a run whose files all come from the lint cache never does. */
    private readonly typescript: TypeScriptModule | (() => TypeScriptModule),
    private readonly options: LintRunOptions,
    /** The Python parser, or why it could not be loaded (reported on each Python file); needed for .py files only. */
    private readonly python?: PythonParser | Error,
  ) {}

  private get tsModule(): TypeScriptModule {
    return (this.loadedTs ??= typeof this.typescript === 'function' ? this.typescript() : this.typescript);
  }

  private get tsView(): TypeScriptModule {
    return typeScriptView(this.tsModule);
  }

  /**
   * Loads the files of one program (a group of `groupByPackage`) for the program's facts, starting from what its
   * package.json says (`base`) and what the lint cache knows of its files. A file is parsed now, and its tree kept
   * for the analysis, only when its words could add a fact to those known so far; the others cannot change the
   * program and are parsed when they are analysed, one at a time (a thousand trees kept alive until the program
   * is known cost the garbage collector more than their parse). Returns each file's own facts, or undefined for a
   * file not parsed yet, whose facts `analyse` returns. Throws UsageError when a file cannot be read.
   */
  loadProgram(files: readonly string[], base: ProjectFacts, known?: ReadonlyMap<string, KnownFile>): Array<ProjectFacts | undefined> {
    let sure = mergeFacts([base, ...files.map(f => known?.get(f)?.facts ?? NO_FACTS)]);
    return files.map(file => {
      const cached = known?.get(file)?.facts;
      if (cached) return cached;
      if (!isPythonFile(file) && factsWithin(possibleFacts(this.read(file)), sure)) return undefined;
      const facts = this.load(file);
      sure = mergeFacts([sure, facts]);
      return facts;
    });
  }

  /** A file's text, read once. */
  private read(file: string): string {
    let text = this.texts.get(file);
    if (text === undefined) this.texts.set(file, (text = readSource(file, this.options.cwd)));
    return text;
  }

  /** Reads and parses a file and returns its own facts. Throws UsageError when it cannot be read. */
  load(file: string): ProjectFacts {
    const text = this.read(file);
    let facts: ProjectFacts;
    if (isPythonFile(file)) {
      facts = this.python && !(this.python instanceof Error) ? pythonFileFacts(this.python, file, text) : { ...NO_FACTS };
    } else if (!mayHaveFacts(text)) {
      // Nothing in the text can make a fact: the file is parsed once, when it is analysed.
      facts = { ...NO_FACTS };
    } else {
      const sf = parse(this.tsModule, file, text);
      if (this.keptChars + text.length <= (this.options.keepParsedChars ?? KEEP_PARSED_CHARS)) {
        // The walk that finds the file's facts also indexes its nodes for the rules.
        const collector = factsCollector(this.tsView);
        const index = new SyntaxIndex(this.tsView, sf, { kinds: collector.kinds, onNode: collector.note });
        facts = collector.facts();
        this.trees.set(file, { sourceFile: sf, index });
        this.keptChars += text.length;
      } else {
        facts = fileFacts(this.tsView, sf);
      }
    }
    this.facts.set(file, facts);
    return facts;
  }

  /** A file's own facts: those found already, else from its syntax tree (parsed only when its words could give one). */
  private ownFactsOf(file: string, text: string, found: ProjectFacts | undefined, sf?: ts.SourceFile): ProjectFacts {
    if (found) return found;
    if (!mayHaveFacts(text)) return { ...NO_FACTS };
    return fileFacts(this.tsView, sf ?? parse(this.tsModule, file, text));
  }

  /**
   * Analyses a file with its program's facts (or only lists it, when out of scope), then forgets it. Returns the
   * result and the file's own facts (derived here for a file `loadProgram` did not parse; undefined for a file
   * neither loaded nor analysed, whose facts the lint cache gave).
   */
  analyse(file: string, project: ProjectFacts, inScope: boolean): { file: LintedFile; facts: ProjectFacts | undefined } {
    const { tsModule, options } = this;
    const linted: LintedFile = { path: file, relativePath: relativePosix(options.cwd, file), analysed: inScope, findings: [], ruleErrors: [] };
    // A file whose facts came from the lint cache was not loaded: read and parse it now.
    if ((inScope || isPythonFile(file)) && !this.texts.has(file)) this.load(file);
    const text = this.texts.get(file);
    const kept = this.trees.get(file);
    const ownFacts = this.facts.get(file);
    this.texts.delete(file);
    this.trees.delete(file);
    this.facts.delete(file);
    if (kept) this.keptChars -= text!.length;
    if (text === undefined) {
      if (!inScope) return { file: linted, facts: ownFacts };
      throw new Error(`analyse(${file}) before load`);
    }
    const python = isPythonFile(file) ? (this.python ?? new Error('the Python parser was not loaded')) : undefined;
    if (python instanceof Error) {
      // Without the parser nobody can tell whether the file belongs to an MCP server: say so whatever the scope.
      linted.analysed = true;
      linted.findings.push(pythonUnavailableFinding(python));
      return { file: linted, facts: this.ownFactsOf(file, text, ownFacts) };
    }
    if (!inScope) return { file: linted, facts: this.ownFactsOf(file, text, ownFacts) };
    const lineStarts = computeLineStarts(text);
    if (python) {
      // tree-sitter recovers from syntax errors: a broken file is analysed as far as it parses.
      const findings = analyzePython(python, file, text, {
        scope: options.scope,
        severities: options.severities,
        project,
        onRuleError: (ruleId, error) => linted.ruleErrors.push({ ruleId, message: error instanceof Error ? error.message : String(error) }),
      });
      linted.findings = toLintFindings(findings, text, lineStarts, linted.relativePath);
      return { file: linted, facts: this.ownFactsOf(file, text, ownFacts) };
    }
    const sf = kept?.sourceFile ?? parse(tsModule, file, text);
    const syntaxError = parseDiagnostics(sf)[0];
    if (syntaxError) {
      linted.findings.push(parseErrorFinding(tsModule, syntaxError, text, lineStarts));
      return { file: linted, facts: this.ownFactsOf(file, text, ownFacts, sf) };
    }
    const analysis = analyzeWithFacts(
      { ts: tsModule, sourceFile: sf, index: kept?.index, lineStarts },
      {
        scope: options.scope,
        severities: options.severities,
        project,
        fileFacts: ownFacts,
        extraRules: options.extraRules,
        onRuleError: (ruleId, error) => linted.ruleErrors.push({ ruleId, message: error instanceof Error ? error.message : String(error) }),
      },
    );
    linted.findings = toLintFindings(analysis.findings, text, lineStarts, linted.relativePath);
    return { file: linted, facts: ownFacts ?? analysis.fileFacts };
  }
}

/**
 * Lints files in this thread, one package at a time. `python`: the loaded Python parser, when there are .py files.
 * `known`: files the lint cache knows unchanged: their facts are not derived again, and their result is reused when
 * their program is the same as then.
 */
export function lintFiles(tsModule: TypeScriptModule | (() => TypeScriptModule), files: readonly string[], options: LintRunOptions, python?: PythonParser | Error, known?: ReadonlyMap<string, KnownFile>): LintResult {
  const byPath = new Map<string, LintedFile>();
  const fileNote = new Map<string, FileProgram>();
  for (const group of groupByPackage(files)) {
    const analyser = new FileAnalyser(tsModule, options, python);
    const facts = analyser.loadProgram(group.files, group.facts, known);
    // A file without facts yet cannot add to its program's: the others' facts are the program's.
    const programs = programsOf(group, facts.map(f => f ?? NO_FACTS), options.scope);
    group.files.forEach((file, i) => {
      const program = programKey(programs[i].project, programs[i].inScope);
      let own = facts[i];
      const reused = reuse(known?.get(file), program, options.cwd);
      if (reused) byPath.set(file, reused);
      else {
        const analysed = analyser.analyse(file, programs[i].project, programs[i].inScope);
        byPath.set(file, analysed.file);
        own ??= analysed.facts;
      }
      fileNote.set(file, { facts: own ?? { ...NO_FACTS }, program });
    });
  }
  return { ...resultOf(files.map(f => byPath.get(f)!)), programs: fileNote };
}

/** A cached result for the same program, with its paths made relative to this run's working directory. */
export function reuse(known: KnownFile | undefined, program: string, cwd: string): LintedFile | undefined {
  if (!known?.result || known.result.program !== program) return undefined;
  return { ...known.result.file, relativePath: relativePosix(cwd, known.result.file.path) };
}

export function resultOf(files: LintedFile[]): LintResult {
  return { files, summary: summarise(files) };
}

export function readSource(file: string, cwd: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(`cannot read ${relativePosix(cwd, file)}: ${why}`, false);
  }
}

function parse(tsModule: TypeScriptModule, file: string, text: string): ts.SourceFile {
  // No rule reads JSDoc, so it is not parsed: that saves part of the parse time of documented code.
  const languageVersion = { languageVersion: tsModule.ScriptTarget.Latest, jsDocParsingMode: tsModule.JSDocParsingMode.ParseNone };
  return tsModule.createSourceFile(file, text, languageVersion, false, scriptKindOf(tsModule, file));
}

// A relative path with nothing path.relative would rewrite: no `.` or `..` segment, no empty one, no leading or trailing
// separator.
const PLAIN_RELATIVE = /^(?![\\/])(?!\.\.?(?:[\\/]|$))(?:(?![\\/]\.\.?(?:[\\/]|$))(?![\\/]{2}).)*[^\\/]$/s;

export function relativePosix(cwd: string, file: string): string {
  // A file under the working directory (nearly every one) needs no path.relative, which resolves both paths each time.
  const base = cwd.endsWith(path.sep) ? cwd : cwd + path.sep;
  const under = file.startsWith(base) ? file.slice(base.length) : undefined;
  const rel = (under !== undefined && PLAIN_RELATIVE.test(under) ? under : path.relative(cwd, file)) || path.basename(file);
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

function pythonUnavailableFinding(error: Error): LintFinding {
  return {
    ruleId: null,
    code: null,
    severity: 'error',
    fatal: true,
    message: `Python analysis is unavailable: ${error.message}. The file was not analysed.`,
    start: 0,
    end: 0,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
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
    // crypto.hash: the one-shot digest, a few times cheaper than a Hash object per finding.
    const digest = hash('sha256', `${f.ruleId}\0${relativePath}\0${snippet}`, 'hex').slice(0, 32);
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
