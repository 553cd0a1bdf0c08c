// Plain data shared by every adapter (tsserver plugin, extension, CLI, MCP server).
// Nothing here may import `vscode` or a concrete `typescript`: the TypeScript module is injected.
import type * as ts from 'typescript';

export type TypeScriptModule = typeof ts;

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

/** A replacement of the text in [start, end) (UTF-16 offsets, as TypeScript uses). */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  /** Shown as the quick-fix title, e.g. "Add a 30 s timeout with AbortSignal.timeout". */
  title: string;
  edits: TextEdit[];
}

export interface RuleMeta {
  /** kebab-case id; the rule's file is `src/core/rules/<id>.ts`, its page `docs/rules/<id>.md`. */
  id: string;
  /** Numeric code shown by tsserver and the Problems panel, unique, in the 61000 range. */
  code: number;
  defaultSeverity: Severity;
  /** One-line summary for tables and SARIF `shortDescription`. */
  description: string;
  /** Default finding message; a rule may report a more specific one. */
  message: string;
  /** Playbook id (see media/playbooks) and optional section anchor the rule comes from. */
  playbook: string;
  /** What the quick fix does, or null when there is no mechanical fix. */
  fix: string | null;
  /** Languages the rule has an implementation for. */
  languages: Array<'typescript' | 'python'>;
}

export interface Finding {
  ruleId: string;
  code: number;
  severity: Severity;
  message: string;
  /** 0-based UTF-16 offsets into the file text. */
  start: number;
  end: number;
  /** 0-based line/character of start and end, for adapters without a line map. */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  fixes: Fix[];
  playbook: string;
  docUrl: string;
}

/** Facts about the program a file belongs to, computed once per program by the adapter. */
export interface ProjectFacts {
  /** Some file (or package.json) uses an MCP server SDK or framework. */
  usesMcpServerSdk: boolean;
  /** Some file connects a stdio server transport. */
  servesStdio: boolean;
  /** Some file uses an HTTP transport (Streamable HTTP or SSE). */
  servesHttp: boolean;
}

export interface AnalyzerOptions {
  /** 'mcp': only files of MCP server programs; 'all': every file. */
  scope?: 'mcp' | 'all';
  /** Per-rule severity overrides by rule id. */
  severities?: Record<string, SeveritySetting>;
  /** Program-wide facts; when absent they are derived from the file alone. */
  project?: ProjectFacts;
  /** This file's own facts (`fileFacts`), when the caller already has them; derived from the file otherwise. */
  fileFacts?: ProjectFacts;
  /** Called when a rule throws; the rule is skipped and analysis goes on. */
  onRuleError?: (ruleId: string, error: unknown) => void;
  /** Extra rules (tests use this to inject a throwing rule). */
  extraRules?: Rule[];
}

export interface ReportDescriptor {
  node?: ts.Node;
  /** Explicit offsets, when no single node fits. */
  start?: number;
  end?: number;
  message?: string;
  fixes?: Fix[];
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: import('./rule-context').RuleContext): void;
}
