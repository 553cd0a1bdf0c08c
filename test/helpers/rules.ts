// Test helpers for rules: analyse a snippet, apply fixes, and type-check fixed code against real packages.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeText } from '../../src/core/analyzer';
import type { AnalyzerOptions, Finding, TextEdit } from '../../src/core/types';

export const REPO_ROOT = path.resolve(__dirname, '../..');

/** Marks a snippet as MCP server code (stdio) so the default 'mcp' scope applies. */
export const MCP_STDIO_HEADER =
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nimport { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\n";
export const MCP_HEADER = "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n";

export function analyze(code: string, fileName = 'server.ts', options: AnalyzerOptions = {}): Finding[] {
  return analyzeText(ts, path.join(REPO_ROOT, fileName), code, { scope: 'all', ...options });
}

export function findingsOf(ruleId: string, code: string, fileName?: string, options?: AnalyzerOptions): Finding[] {
  return analyze(code, fileName, options).filter(f => f.ruleId === ruleId);
}

export function expectFires(ruleId: string, code: string, count = 1, fileName?: string): Finding[] {
  const found = findingsOf(ruleId, code, fileName);
  assert.equal(found.length, count, `expected ${count} finding(s) of ${ruleId}, got ${found.length}:\n${code}\n${JSON.stringify(found.map(f => f.message))}`);
  return found;
}

export function expectQuiet(ruleId: string, code: string, fileName?: string): void {
  const found = findingsOf(ruleId, code, fileName);
  assert.equal(found.length, 0, `expected no ${ruleId} finding, got:\n${found.map(f => `${code.slice(f.start, f.end)} :: ${f.message}`).join('\n')}`);
}

/** Applies non-overlapping edits (as an editor does), last first. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let lastStart = Infinity;
  for (const e of sorted) {
    assert.ok(e.end <= lastStart, 'overlapping edits');
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    lastStart = e.start;
  }
  return out;
}

/**
 * Applies the first fix of every finding of `ruleId`, one at a time (re-analysing between fixes),
 * then asserts: no finding of that rule remains, and the fix introduced no TypeScript error.
 * Returns the fixed code.
 */
export function expectFixWorks(ruleId: string, code: string, fileName = 'server.ts', fixIndex = 0): string {
  let current = code;
  const initial = findingsOf(ruleId, current, fileName);
  assert.ok(initial.length > 0, `no ${ruleId} finding to fix in:\n${code}`);
  for (let guard = 0; guard < 50; guard++) {
    const f = findingsOf(ruleId, current, fileName).find(x => x.fixes.length > fixIndex);
    if (!f) break;
    current = applyEdits(current, f.fixes[fixIndex].edits);
  }
  const left = findingsOf(ruleId, current, fileName);
  assert.equal(left.length, 0, `fix left ${left.length} finding(s) of ${ruleId}:\n${current}`);
  const before = typeErrors(code, fileName);
  const after = typeErrors(current, fileName);
  const added = after.filter(m => !before.includes(m));
  assert.deepEqual(added, [], `fix introduced TypeScript errors:\n${current}`);
  return current;
}

// ---- type-checking with the real packages of this repository (SDK, zod, @types/node) ----

const compilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: ['node'],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  allowJs: true,
  checkJs: false,
  esModuleInterop: true,
};
const sourceFileCache = new Map<string, ts.SourceFile | undefined>();
let oldProgram: ts.Program | undefined;

/** TypeScript's diagnostics (syntactic and semantic) for `code` as a file in this repository, as strings. */
export function typeErrors(code: string, fileName = 'server.ts'): string[] {
  const virtualPath = path.join(REPO_ROOT, 'test', '.virtual', fileName).replace(/\\/g, '/');
  const host = ts.createCompilerHost(compilerOptions, true);
  const baseGetSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, onError, create) => {
    if (file === virtualPath) return ts.createSourceFile(file, code, lang, true);
    if (!sourceFileCache.has(file)) sourceFileCache.set(file, baseGetSourceFile(file, lang, onError, create));
    return sourceFileCache.get(file);
  };
  const baseFileExists = host.fileExists.bind(host);
  host.fileExists = f => f === virtualPath || baseFileExists(f);
  const baseReadFile = host.readFile.bind(host);
  host.readFile = f => (f === virtualPath ? code : baseReadFile(f));
  const program = ts.createProgram({ rootNames: [virtualPath], options: compilerOptions, host, oldProgram });
  oldProgram = program;
  const sf = program.getSourceFile(virtualPath)!;
  return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map(
    d => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
  );
}
