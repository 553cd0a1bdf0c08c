// Python analysis for the extension: the tree-sitter parser is loaded once, lazily, from the WebAssembly files next
// to the bundle (dist/ in the VSIX). Until it is ready, or when the files are missing, Python files get no findings.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { analyzePython } from '../core/python/analyzer';
import { createPythonParser, type PythonParser } from '../core/python/parser';
import { findPythonWasm } from '../core/python/wasm-files';
import type { Finding } from '../core/types';
import type { ArchitectSettings } from './settings';

export class PythonEngine {
  private parser: PythonParser | undefined;
  private loading: Promise<PythonParser | undefined> | undefined;

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

  /** Findings of a Python text, or undefined while the parser is not loaded. */
  analyze(fileName: string, text: string, settings: ArchitectSettings): Finding[] | undefined {
    if (!this.parser) return undefined;
    return analyzePython(this.parser, fileName, text, {
      scope: settings.scope,
      severities: settings.rules,
      onRuleError: (ruleId, error) => this.log.error(`rule ${ruleId} failed on ${fileName}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    });
  }
}
