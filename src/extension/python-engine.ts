// Python analysis for the extension: the tree-sitter parser is loaded once, lazily, from the WebAssembly files next
// to the bundle (dist/ in the VSIX). Until it is ready, or when the files are missing, Python files get no findings.
// Each file is analysed with the facts of its program's other Python files (python-program.ts).
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { NO_FACTS } from '../core/facts';
import { analyzePythonFile, pythonFileFacts } from '../core/python/analyzer';
import { createPythonParser, type PythonParser } from '../core/python/parser';
import { findPythonWasm } from '../core/python/wasm-files';
import type { Finding } from '../core/types';
import { PythonProgramFacts } from './python-program';
import type { ArchitectSettings } from './settings';

export class PythonEngine {
  private parser: PythonParser | undefined;
  private loading: Promise<PythonParser | undefined> | undefined;
  /** Facts of the Python files of each program, merged as the CLI does (see python-program.ts). */
  readonly program = new PythonProgramFacts((fileName, text) => (this.parser ? pythonFileFacts(this.parser, fileName, text) : { ...NO_FACTS }));

  constructor(
    private readonly bundleDir: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The parser, loading it on first call; undefined when it cannot be loaded (logged once). */
  ready(): Promise<PythonParser | undefined> {
    this.loading ??= (async () => {
      const wasm = findPythonWasm([this.bundleDir, path.join(this.bundleDir, '..', 'dist')]);
      if (!wasm) {
        this.log.warn(`Python analysis is off: web-tree-sitter.wasm and tree-sitter-python.wasm are not in ${this.bundleDir}`);
        return undefined;
      }
      try {
        this.parser = await createPythonParser(wasm);
        this.log.info('Python parser loaded');
        return this.parser;
      } catch (error) {
        this.log.error(`Python analysis is off: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    })();
    return this.loading;
  }

  /**
   * Findings of a Python text, or undefined while the parser is not loaded. `folder`: the workspace folder of a file
   * on disk, whose program's other files lend their facts (and learn this file's); none for an untitled document.
   */
  analyze(fileName: string, text: string, settings: ArchitectSettings, folder?: string | null): { findings: Finding[]; programChanged: boolean } | undefined {
    if (!this.parser) return undefined;
    const onDisk = folder !== null;
    const { findings, facts } = analyzePythonFile(this.parser, fileName, text, {
      scope: settings.scope,
      severities: settings.rules,
      project: onDisk ? this.program.factsOfOthers(fileName, folder) : undefined,
      onRuleError: (ruleId, error) => this.log.error(`rule ${ruleId} failed on ${fileName}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    });
    return { findings, programChanged: onDisk && this.program.recordFacts(fileName, facts, folder) };
  }
}
