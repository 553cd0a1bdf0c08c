// Command-line options of `mcp-architect lint`, parsed and validated (bad ones throw UsageError, exit code 2).
import { parseArgs } from 'node:util';
import type { SeveritySetting } from '../../core/types';
import { RULES, ruleById } from '../../core/rules';
import { UsageError } from '../command';
import { LINT_ARGUMENTS } from './arguments';

export type ReportFormat = 'text' | 'json' | 'sarif';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif'];

export interface LintOptions {
  /** Files and directories to lint, as given (default: the working directory). */
  paths: string[];
  format: ReportFormat;
  /** Fail (exit 1) when there are more warnings than this; undefined = no limit. */
  maxWarnings: number | undefined;
  scope: 'mcp' | 'all';
  /** Per-rule severity overrides from `--rule id=severity`. */
  severities: Record<string, SeveritySetting>;
  /** Write the report to this file instead of stdout. */
  output: string | undefined;
  /** Threads to lint with: 'auto' (by the amount of code and the machine's cores) or a number. */
  concurrency: number | 'auto';
  /** Keep results between runs and reuse those of unchanged files. */
  cache: boolean;
  /** Where the cache is kept (a file, or a directory for the default name). */
  cacheLocation: string | undefined;
}

const SEVERITY_WORDS: Record<string, SeveritySetting> = {
  error: 'error',
  warning: 'warning',
  warn: 'warning',
  info: 'info',
  hint: 'hint',
  off: 'off',
};

export const LINT_USAGE = `Usage: mcp-architect lint [paths...] [options]

Lints TypeScript, JavaScript and Python files (.ts .tsx .mts .cts .js .jsx .mjs .cjs .py;
not .d.ts) for risky MCP server code. Directories are read recursively; .gitignore files
are honoured and node_modules is skipped. Without paths, the working directory is linted.

Options:
  -f, --format text|json|sarif  Report format (default: text). sarif is SARIF 2.1.0 for
                                GitHub code scanning.
  -o, --output FILE             Write the report to FILE instead of stdout.
  --max-warnings N              Exit with 1 when there are more than N warnings
                                (default: no limit; -1 also means no limit).
  --scope mcp|all               mcp (default): only files of MCP server programs (a package
                                whose package.json or code uses an MCP server SDK);
                                all: every file.
  --rule id=severity            Override a rule's severity: error, warning, info, hint or off.
                                Repeatable; several can be joined with commas.
  --concurrency auto|N          Threads to lint with (default auto: more than one only for
                                large trees on a machine with four or more idle cores).
  --cache                       Keep results in a cache and parse only changed files next time.
  --cache-location PATH         The cache file, or a directory for it (default:
                                .mcp-architect-cache in the working directory).
  -h, --help                    Show this help.

Exit codes: 0 no errors (and warnings within --max-warnings), 1 errors or too many
warnings, 2 bad usage or unreadable input.
`;

export function parseLintOptions(args: string[]): LintOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: LINT_ARGUMENTS,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;

  const format = (values.format ?? 'text') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) {
    throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')} (got '${values.format}')`);
  }

  const scope = values.scope ?? 'mcp';
  if (scope !== 'mcp' && scope !== 'all') throw new UsageError(`--scope must be mcp or all (got '${scope}')`);

  let maxWarnings: number | undefined;
  if (values['max-warnings'] !== undefined) {
    const raw = values['max-warnings'].trim();
    if (!/^-?\d+$/.test(raw) || Number(raw) < -1) {
      throw new UsageError(`--max-warnings must be a whole number of 0 or more, or -1 for no limit (got '${values['max-warnings']}')`);
    }
    maxWarnings = Number(raw) === -1 ? undefined : Number(raw);
  }

  const severities: Record<string, SeveritySetting> = {};
  for (const spec of (values.rule ?? []).flatMap(r => r.split(',')).map(s => s.trim()).filter(Boolean)) {
    const eq = spec.indexOf('=');
    if (eq === -1) throw new UsageError(`--rule takes id=severity (got '${spec}')`);
    const id = spec.slice(0, eq).trim();
    const word = spec.slice(eq + 1).trim().toLowerCase();
    if (!ruleById(id)) {
      throw new UsageError(`unknown rule '${id}' in --rule. Rules: ${RULES.map(r => r.meta.id).join(', ')}`);
    }
    const severity = SEVERITY_WORDS[word];
    if (!severity) throw new UsageError(`--rule ${id}: severity must be error, warning, info, hint or off (got '${word}')`);
    severities[id] = severity;
  }

  if (values.output !== undefined && values.output.trim() === '') throw new UsageError('--output needs a file name');
  if (values['cache-location'] !== undefined && values['cache-location'].trim() === '') throw new UsageError('--cache-location needs a path');

  let concurrency: number | 'auto' = 'auto';
  if (values.concurrency !== undefined && values.concurrency !== 'auto') {
    if (!/^\d+$/.test(values.concurrency) || Number(values.concurrency) < 1) {
      throw new UsageError(`--concurrency must be auto or a whole number of 1 or more (got '${values.concurrency}')`);
    }
    concurrency = Number(values.concurrency);
  }

  return {
    paths: positionals.length > 0 ? positionals : ['.'],
    format,
    maxWarnings,
    scope,
    severities,
    output: values.output,
    concurrency,
    cache: values.cache === true,
    cacheLocation: values['cache-location'],
  };
}
