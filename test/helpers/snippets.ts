// Test helpers for the snippet files: type-check expanded snippets as modules of this repository (so the real
// @modelcontextprotocol/sdk, zod, pg and @types/node resolve), `node --check` them, and check Python ones.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ts from 'typescript';
import { expandSnippet, getSnippet } from '../../src/core/snippets';
import { REPO_ROOT } from './rules';

/** Where the in-memory snippet modules live: inside the repository, so node_modules resolution finds the packages. */
export const VIRTUAL_DIR = path.join(REPO_ROOT, 'test', '.virtual', 'snippets').replace(/\\/g, '/');

export interface SnippetModule {
  /** File name inside VIRTUAL_DIR; the extension picks the module kind (`.mts` ESM TypeScript, `.mjs` ESM JavaScript). */
  fileName: string;
  text: string;
}

/** The strictest settings a user's Node ESM project would plausibly use. */
export const STRICT_NODENEXT: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts'],
  types: ['node'],
  strict: true,
  noImplicitReturns: true,
  noImplicitOverride: true,
  noFallthroughCasesInSwitch: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noUnusedLocals: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  forceConsistentCasingInFileNames: true,
};

/**
 * Type-checks the modules in one program; returns each module's diagnostics as
 * "line:column TS<code>: message" (1-based lines of the module text).
 */
export function typeCheckModules(modules: readonly SnippetModule[], options: ts.CompilerOptions): Map<string, string[]> {
  const byPath = new Map(modules.map(m => [`${VIRTUAL_DIR}/${m.fileName}`, m.text]));
  const host = ts.createCompilerHost(options, true);
  const baseGetSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, onError, create) => {
    const text = byPath.get(file);
    return text !== undefined ? ts.createSourceFile(file, text, lang, true) : baseGetSourceFile(file, lang, onError, create);
  };
  const baseFileExists = host.fileExists.bind(host);
  host.fileExists = f => byPath.has(f) || baseFileExists(f);
  const baseReadFile = host.readFile.bind(host);
  host.readFile = f => byPath.get(f) ?? baseReadFile(f);
  const program = ts.createProgram({ rootNames: [...byPath.keys()], options, host });
  const result = new Map<string, string[]>();
  for (const m of modules) {
    const sf = program.getSourceFile(`${VIRTUAL_DIR}/${m.fileName}`);
    if (!sf) {
      result.set(m.fileName, ['file not part of the program']);
      continue;
    }
    const diagnostics = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    result.set(m.fileName, diagnostics.map(d => formatDiagnostic(d, sf)));
  }
  return result;
}

/** Parse errors of `text` as a file named `fileName` (e.g. `.tsx`, to prove a snippet also parses in typescriptreact). */
export function syntaxErrors(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : undefined);
  const diagnostics = (sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  return diagnostics.map(d => formatDiagnostic(d, sf));
}

function formatDiagnostic(d: ts.Diagnostic, sf: ts.SourceFile): string {
  const where = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : undefined;
  const at = where ? `${where.line + 1}:${where.character + 1} ` : '';
  return `${at}TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
}

/** A scratch directory outside the repository, removed by `dispose`. */
export function scratchDir(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcp-snippets-'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `node --check file.mjs`: the exit status and stderr. */
export function nodeCheck(dir: string, fileName: string, text: string): { status: number | null; stderr: string } {
  const file = path.join(dir, fileName);
  writeFileSync(file, text);
  const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

/** `python3 -m py_compile file.py`: the exit status and stderr. */
export function pyCompile(dir: string, fileName: string, text: string): { status: number | null; stderr: string } {
  const file = path.join(dir, fileName);
  writeFileSync(file, text);
  const r = spawnSync('python3', ['-m', 'py_compile', file], { encoding: 'utf8' });
  if (r.error) return { status: null, stderr: String(r.error) };
  return { status: r.status, stderr: r.stderr };
}

export interface PythonCheck {
  file: string;
  /** Names read somewhere but bound nowhere (module, enclosing scopes, builtins). */
  undefinedNames: string[];
  /** True when every import is from the standard library, so the module body was executed. */
  executed: boolean;
  /** The exception executing the module body raised, if any. */
  executionError: string | null;
}

/** Runs test/snippets/check_python.py over the files: undefined names, and executes stdlib-only modules. */
export function pythonChecks(dir: string, files: ReadonlyArray<{ fileName: string; text: string }>): PythonCheck[] {
  const paths = files.map(f => {
    const file = path.join(dir, f.fileName);
    writeFileSync(file, f.text);
    return file;
  });
  const r = spawnSync('python3', [path.join(REPO_ROOT, 'test', 'snippets', 'check_python.py'), ...paths], { encoding: 'utf8', cwd: dir });
  if (r.status !== 0) throw new Error(`check_python.py failed (${r.status}): ${r.error ?? r.stderr}`);
  return JSON.parse(r.stdout) as PythonCheck[];
}

// ---- running snippets: expanded (with typed tab stops), TypeScript transpiled, imported as ES modules ----

let loadCounter = 0;

/** The expanded snippet as JavaScript: TypeScript has its types erased, JavaScript is taken as it is. */
export function snippetAsJavaScript(body: string, language: 'typescript' | 'javascript', tabStops: Record<number, string> = {}, fileName = 'server'): string {
  const text = expandSnippet(body, { language, tabStops, unknownVariables: 'error', fileName: `/work/src/${fileName}.${language === 'typescript' ? 'ts' : 'mjs'}` });
  return toJavaScript(text, language);
}

/** TypeScript source with its types erased (an ES module); JavaScript unchanged. */
export function toJavaScript(text: string, language: 'typescript' | 'javascript'): string {
  if (language === 'javascript') return text;
  return ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
}

/**
 * Imports a snippet as an ES module from `dir`. Each call loads a fresh copy (its own module state), so tests
 * can load the same snippet with different tab-stop values.
 */
export async function importSnippet(
  dir: string,
  prefix: string,
  language: 'typescript' | 'javascript',
  tabStops: Record<number, string> = {},
): Promise<Record<string, any>> {
  const snippet = getSnippet(prefix, language);
  if (!snippet) throw new Error(`no ${language} snippet ${prefix}`);
  const file = path.join(dir, `${prefix}-${language}-${++loadCounter}.mjs`);
  writeFileSync(file, snippetAsJavaScript(snippet.body, language, tabStops));
  return (await import(pathToFileURL(file).href)) as Record<string, any>;
}

/** JSON log lines written to stderr while capturing; other stderr output passes through. */
export function captureStderrJson(): { events: Array<Record<string, any>>; stop(): void } {
  const events: Array<Record<string, any>> = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    let passThrough = '';
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const parsed: unknown = JSON.parse(line);
        if (parsed && typeof parsed === 'object') {
          events.push(parsed as Record<string, any>);
          continue;
        }
      } catch {
        // not a JSON log line: let it through
      }
      passThrough += `${line}\n`;
    }
    return passThrough ? original(passThrough, ...(rest as [])) : true;
  }) as typeof process.stderr.write;
  return { events, stop: () => void (process.stderr.write = original) };
}
