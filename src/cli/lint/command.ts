// `mcp-architect lint`: lints files for CI and prints a text, JSON or SARIF report.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../core/rules';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CliCommand } from '../command';
import { CLI_NAME } from '../version';
import { cacheFileFor, LintCache } from './cache';
import { collectFiles } from './files';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';
import { lintFiles, type LintResult, type LintRunOptions } from './lint';
import { LINT_USAGE, parseLintOptions, type LintOptions } from './options';
import { loadTypeScript, lintFilesInWorkers, workerCount } from './parallel';
import { isPythonFile, loadPythonForLint } from './python';

async function lint(files: string[], runOptions: LintRunOptions, options: LintOptions, workerScript: string | undefined, warn: (message: string) => void): Promise<LintResult> {
  const cache = options.cache ? LintCache.open(cacheFileFor(options.cacheLocation, runOptions.cwd), runOptions) : undefined;
  const known = cache?.known(files);
  // Only the files the cache cannot answer for are linted (all of them count towards the threads).
  const unknown = known ? files.filter(f => !known.get(f)?.result) : files;
  const threads = workerScript && unknown.length > 0 ? workerCount(unknown, options.concurrency) : 1;
  let result: LintResult;
  if (threads > 1) result = await lintFilesInWorkers(files, runOptions, workerScript!, threads, known);
  else {
    const python = unknown.some(isPythonFile) ? await loadPythonForLint() : undefined;
    result = lintFiles(loadTypeScript, files, runOptions, python, known);
  }
  const unsaved = cache?.save(result);
  if (unsaved) warn(unsaved);
  return result;
}

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
  summary: 'Lint TypeScript/JavaScript/Python MCP server code (text, JSON or SARIF report; exit 1 on errors)',
  usage: LINT_USAGE,
  async run(args, io) {
    const options = parseLintOptions(args);
    const files = collectFiles(options.paths, io.cwd);
    const result = await lint(files, { cwd: io.cwd, scope: options.scope, severities: options.severities }, options, io.workerScript, m => io.stderr(`${CLI_NAME}: warning: ${m}\n`));

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
