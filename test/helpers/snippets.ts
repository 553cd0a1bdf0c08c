// Test helpers for the snippet files: type-check expanded snippets as modules of this repository (so the real
// @modelcontextprotocol/sdk, zod, pg and @types/node resolve), `node --check` them, and check Python ones.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
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
