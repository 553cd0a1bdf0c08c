// `mcp-architect lint`: lints files for CI and prints a text, JSON or SARIF report.
import * as fs from 'node:fs';
import * as path from 'node:path';
// The default import is TypeScript's module object itself; a namespace import would reach every `ts.x` through a
// bundler-made getter, which costs a tenth of the lint time.
import ts from 'typescript';
import { RULES } from '../../core/rules';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CliCommand } from '../command';
import { CLI_NAME } from '../version';
import { collectFiles } from './files';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';
import { lintFiles, type LintResult } from './lint';
import { LINT_USAGE, parseLintOptions, type LintOptions } from './options';

function render(result: LintResult, options: LintOptions, cwd: string, color: boolean): string {
  switch (options.format) {
    case 'json':
      return formatJson(result);
    case 'sarif':
      return formatSarif(result, { cwd, rules: RULES, severities: options.severities });
    default:
      return formatText(result, color);
  }
}

export const lintCommand: CliCommand = {
  name: 'lint',
  summary: 'Lint TypeScript/JavaScript MCP server code (text, JSON or SARIF report; exit 1 on errors)',
  usage: LINT_USAGE,
  async run(args, io) {
    const options = parseLintOptions(args);
    const files = collectFiles(options.paths, io.cwd);
    const result = lintFiles(ts, files, { cwd: io.cwd, scope: options.scope, severities: options.severities });

    if (options.output !== undefined) {
      const target = path.resolve(io.cwd, options.output);
      try {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, render(result, options, io.cwd, false));
      } catch (error) {
        throw new UsageError(`cannot write ${options.output}: ${error instanceof Error ? error.message : String(error)}`, false);
      }
    } else {
      io.stdout(render(result, options, io.cwd, io.color));
    }

    for (const file of result.files) {
      for (const e of file.ruleErrors) {
        io.stderr(`${CLI_NAME}: rule ${e.ruleId} failed on ${file.relativePath} and was skipped there: ${e.message}\n`);
      }
    }

    const { errors, warnings } = result.summary;
    if (errors > 0) return EXIT_FINDINGS;
    if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
      io.stderr(`${CLI_NAME}: ${warnings} warnings, more than --max-warnings ${options.maxWarnings}.\n`);
      return EXIT_FINDINGS;
    }
    return EXIT_OK;
  },
};
