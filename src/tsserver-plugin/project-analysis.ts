// Findings of one tsserver project, cached so that the semantic-diagnostics path (run on every keystroke)
// analyses a file at most once per program, and program facts are merged at most once per program.
import type * as ts from 'typescript';
import { analyzeWithFacts } from '../core/analyzer';
import { fileFacts, packageJsonUsesMcp } from '../core/facts';
import { languageOf } from '../core/languages';
import { RULES } from '../core/rules';
import type { Finding, ProjectFacts, Rule, TypeScriptModule } from '../core/types';
import { mergeSettings, type PluginSettings } from './config';
import type { TestFaults } from './test-hooks';

export interface Log {
  info(message: string): void;
}

interface FindingsEntry {
  programId: number;
  generation: number;
  findings: Finding[];
}

interface PackageJsonEntry {
  programId: number;
  mtime: number | undefined;
  usesMcp: boolean;
}

export class ProjectAnalysis {
  private settingsValue: PluginSettings = mergeSettings();
  /** Bumped on every settings change; cached findings of an older generation are stale. */
  private generation = 0;
  private readonly rules: readonly Rule[];
  private readonly codes: ReadonlyMap<number, Rule>;

  // Programs and source files are immutable: a changed file is a new SourceFile object (its version changed),
  // an edit anywhere makes a new Program. Weak maps keyed on them free entries with the objects; programs
  // get a number so that cache entries never hold an old Program (and its checker) alive.
  private readonly programIds = new WeakMap<ts.Program, number>();
  private nextProgramId = 1;
  private readonly factsByFile = new WeakMap<ts.SourceFile, ProjectFacts>();
  private readonly findingsByFile = new WeakMap<ts.SourceFile, FindingsEntry>();
  private packageJson?: PackageJsonEntry;

  constructor(
    private readonly ts: TypeScriptModule,
    private readonly project: ts.server.Project,
    private readonly log: Log,
    private readonly faults: TestFaults,
  ) {
    this.rules = [...RULES, ...faults.extraRules];
    this.codes = new Map(this.rules.map(r => [r.meta.code, r]));
  }

  get settings(): PluginSettings {
    return this.settingsValue;
  }

  set settings(value: PluginSettings) {
    this.settingsValue = value;
    this.generation++;
  }

  get ruleCodes(): readonly number[] {
    return [...this.codes.keys()];
  }

  ruleOfCode(code: number): Rule | undefined {
    return this.codes.get(code);
  }

  /** Findings of `fileName` in `program` under the current settings; [] for files the rules do not read. */
  findings(program: ts.Program, fileName: string): { sourceFile: ts.SourceFile; findings: Finding[] } | undefined {
    if (!this.settingsValue.enabled) return undefined;
    const lang = languageOf(fileName);
    if (lang !== 'typescript' && lang !== 'javascript') return undefined;
    const sourceFile = program.getSourceFile(fileName);
    if (!sourceFile || sourceFile.isDeclarationFile) return undefined;
    const programId = this.programId(program);
    const cached = this.findingsByFile.get(sourceFile);
    if (cached && cached.programId === programId && cached.generation === this.generation) return { sourceFile, findings: cached.findings };

    this.faults.beforeAnalysis?.();
    const settings = this.settingsValue;
    const { findings, fileFacts: ownFacts } = analyzeWithFacts(
      { ts: this.ts, sourceFile, checker: program.getTypeChecker() },
      {
        scope: settings.scope,
        severities: settings.severities,
        project: this.projectFacts(program, programId, sourceFile),
        fileFacts: this.factsByFile.get(sourceFile),
        extraRules: this.faults.extraRules.length ? this.faults.extraRules : undefined,
        onRuleError: (ruleId, error) => this.log.info(`rule ${ruleId} failed on ${fileName} and was skipped: ${describeError(error)}`),
      },
    );
    // The analyzer read this file's facts while indexing it: other files' analyses in this program reuse them.
    this.factsByFile.set(sourceFile, ownFacts);
    this.findingsByFile.set(sourceFile, { programId, generation: this.generation, findings });
    return { sourceFile, findings };
  }

  private programId(program: ts.Program): number {
    let id = this.programIds.get(program);
    if (id === undefined) this.programIds.set(program, (id = this.nextProgramId++));
    return id;
  }

  /**
   * Facts of the program's own source files other than `analysed`, and of the project's package.json. The
   * analysed file's facts are left out because the analyzer merges them itself, reading them (on the typing path,
   * where that file is the one that changed) from the walk that indexes it for the rules.
   */
  private projectFacts(program: ts.Program, programId: number, analysed: ts.SourceFile): ProjectFacts {
    const merged = { usesMcpServerSdk: false, servesStdio: false, servesHttp: false };
    for (const sf of program.getSourceFiles()) {
      if (sf === analysed || sf.isDeclarationFile || program.isSourceFileFromExternalLibrary(sf) || sf.fileName.includes('/node_modules/')) continue;
      let facts = this.factsByFile.get(sf);
      if (!facts) this.factsByFile.set(sf, (facts = fileFacts(this.ts, sf)));
      merged.usesMcpServerSdk ||= facts.usesMcpServerSdk;
      merged.servesStdio ||= facts.servesStdio;
      merged.servesHttp ||= facts.servesHttp;
      if (merged.usesMcpServerSdk && merged.servesStdio && merged.servesHttp) break;
    }
    if (!merged.usesMcpServerSdk && this.packageJsonUsesMcp(programId)) merged.usesMcpServerSdk = true;
    return merged;
  }

  /** Looks at the project directory's package.json once per program, and reads it only when it changed. */
  private packageJsonUsesMcp(programId: number): boolean {
    if (this.packageJson?.programId === programId) return this.packageJson.usesMcp;
    const host = this.project.projectService.host;
    const path = `${this.project.getCurrentDirectory().replace(/\\/g, '/').replace(/\/$/, '')}/package.json`;
    const mtime = host.getModifiedTime?.(path)?.getTime();
    if (this.packageJson && this.packageJson.mtime === mtime) {
      this.packageJson.programId = programId;
      return this.packageJson.usesMcp;
    }
    const text = mtime === undefined ? undefined : host.readFile(path);
    this.packageJson = { programId, mtime, usesMcp: text !== undefined && packageJsonUsesMcp(text) };
    return this.packageJson.usesMcp;
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}
