// The Python analysis for long-running adapters (MCP server, VS Code extension, CLI): loads the parser on first
// use, once, from the WebAssembly files found next to the bundle (or in node_modules when unbundled).
import type { AnalyzerOptions, Finding, ProjectFacts } from '../types';
import { analyzePython, pythonFileFacts } from './analyzer';
import { createPythonParser, type PythonParser } from './parser';
import { findPythonWasm, PYTHON_WASM, RUNTIME_WASM } from './wasm-files';

export class PythonAnalysis {
  private loading?: Promise<PythonParser>;
  private loaded?: PythonParser;

  /** `dirs`: where to look for the wasm files first (the bundle's folder). */
  constructor(private readonly dirs: readonly string[]) {}

  /** The parser, loaded on first call. Rejects with a clear message when the WebAssembly files are missing. */
  parser(): Promise<PythonParser> {
    this.loading ??= (async () => {
      const wasm = findPythonWasm(this.dirs);
      if (!wasm) throw new Error(`Python analysis is unavailable: ${RUNTIME_WASM} and ${PYTHON_WASM} were not found in ${this.dirs.join(', ') || 'node_modules'}`);
      this.loaded = await createPythonParser(wasm);
      return this.loaded;
    })();
    // A failed load may succeed later (a file restored): try again next time.
    this.loading.catch(() => (this.loading = undefined));
    return this.loading;
  }

  /** The parser when it is loaded already (synchronous callers). */
  get ready(): PythonParser | undefined {
    return this.loaded;
  }

  async analyze(fileName: string, text: string, options: AnalyzerOptions = {}): Promise<Finding[]> {
    return analyzePython(await this.parser(), fileName, text, options);
  }

  async facts(fileName: string, text: string): Promise<ProjectFacts> {
    return pythonFileFacts(await this.parser(), fileName, text);
  }
}
