// The extension's Python engine: tree-sitter's WebAssembly from next to this bundle (dist/), loaded on the first
// Python document; program facts per Python project folder (pyproject.toml, setup.py, ...), merged as the CLI does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzePython, pythonFileFacts } from '../core/python/analyzer';
import type { PythonParser } from '../core/python/parser';
import { PythonAnalysis } from '../core/python/service';
import { mergeFacts } from '../core/facts';
import type { Finding, ProjectFacts } from '../core/types';
import type { ArchitectSettings } from './settings';

export const PYTHON_LANGUAGE = 'python';
const PROJECT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', 'requirements.txt', 'Pipfile'];

export function isPythonDocument(languageId: string, fileName: string): boolean {
  return languageId === PYTHON_LANGUAGE || (languageId === 'plaintext' && fileName.toLowerCase().endsWith('.py'));
}

class PythonEngine {
  private readonly analysis = new PythonAnalysis([__dirname]);
  private readonly factsByRoot = new Map<string, Map<string, ProjectFacts>>();

  /** The parser once loaded; until then undefined, and `onReady` runs when it is (once per load). */
  parserOrLoad(onReady: () => void, onError: (e: unknown) => void): PythonParser | undefined {
    const ready = this.analysis.ready;
    if (ready) return ready;
    this.analysis.parser().then(onReady, onError);
    return undefined;
  }

  parser(): Promise<PythonParser> {
    return this.analysis.parser();
  }

  /** The Python project folder of a file: the nearest folder above it with a project marker, else its own. */
  projectRoot(fileName: string): string {
    for (let dir = path.dirname(fileName); ; dir = path.dirname(dir)) {
      if (PROJECT_MARKERS.some(m => fs.existsSync(path.join(dir, m)))) return dir;
      if (path.dirname(dir) === dir) return path.dirname(fileName);
    }
  }

  record(fileName: string, facts: ProjectFacts): void {
    const root = this.projectRoot(fileName);
    let files = this.factsByRoot.get(root);
    if (!files) this.factsByRoot.set(root, (files = new Map()));
    files.set(fileName, facts);
  }

  factsFor(fileName: string): ProjectFacts | undefined {
    const files = this.factsByRoot.get(this.projectRoot(fileName));
    return files?.size ? mergeFacts(files.values()) : undefined;
  }

  /** Records the file's facts (local files) and analyses it with its project's facts. */
  analyze(parser: PythonParser, fileName: string, text: string, isLocal: boolean, settings: ArchitectSettings, onRuleError: (ruleId: string, error: unknown) => void): Finding[] {
    if (isLocal) this.record(fileName, pythonFileFacts(parser, fileName, text));
    return analyzePython(parser, fileName, text, {
      scope: settings.scope,
      severities: settings.rules,
      project: isLocal ? this.factsFor(fileName) : undefined,
      onRuleError,
    });
  }
}

let engine: PythonEngine | undefined;

export function pythonEngine(): PythonEngine {
  return (engine ??= new PythonEngine());
}
