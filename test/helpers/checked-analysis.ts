// Analyses a snippet the way the tsserver plugin does: inside a real program, with its type checker.
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeSourceFile } from '../../src/core/analyzer';
import type { AnalyzerOptions, Finding } from '../../src/core/types';
import { REPO_ROOT } from './rules';

export const NODE_PROGRAM: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts'],
  types: ['node'],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  allowJs: true,
  esModuleInterop: true,
};

/** A browser-only program: the DOM's timers return numbers. */
export const DOM_PROGRAM: ts.CompilerOptions = { ...NODE_PROGRAM, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [] };

/** `fileName`: a name under test/.virtual, or an absolute path (rules treat files under test directories as fixtures). */
export function analyzeWithChecker(code: string, fileName = 'server.ts', compilerOptions: ts.CompilerOptions = NODE_PROGRAM, options: AnalyzerOptions = {}): Finding[] {
  const file = (path.isAbsolute(fileName) ? fileName : path.join(REPO_ROOT, 'test', '.virtual', fileName)).replace(/\\/g, '/');
  const host = ts.createCompilerHost(compilerOptions, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (f, lang, onError, create) => (f === file ? ts.createSourceFile(f, code, lang, true) : getSourceFile(f, lang, onError, create));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = f => f === file || fileExists(f);
  const readFile = host.readFile.bind(host);
  host.readFile = f => (f === file ? code : readFile(f));
  const program = ts.createProgram({ rootNames: [file], options: compilerOptions, host });
  const sourceFile = program.getSourceFile(file);
  if (!sourceFile) throw new Error(`no source file ${file}`);
  return analyzeSourceFile({ ts, sourceFile, checker: program.getTypeChecker() }, { scope: 'all', ...options });
}
