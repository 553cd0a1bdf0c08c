// Test helpers for the Python analysis: the real tree-sitter parser (WebAssembly from node_modules), snippets
// analysed through analyzePython, fixes applied until none is left and the result byte-compiled by CPython.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzePython } from '../../src/core/python/analyzer';
import { createPythonParser, type PythonParser } from '../../src/core/python/parser';
import { findPythonWasm } from '../../src/core/python/wasm-files';
import type { AnalyzerOptions, Finding } from '../../src/core/types';
import { applyEdits } from './rules';

let parser: PythonParser | undefined;

/** Loads the parser once; call from a `before` hook. */
export async function loadPythonParser(): Promise<PythonParser> {
  if (parser) return parser;
  const wasm = findPythonWasm([]);
  assert.ok(wasm, 'web-tree-sitter and tree-sitter-python are installed');
  parser = await createPythonParser(wasm);
  return parser;
}

export function pythonParser(): PythonParser {
  assert.ok(parser, 'loadPythonParser() in a before hook first');
  return parser;
}

/** Marks a snippet as an official-SDK FastMCP server served over stdio. */
export const FASTMCP_HEADER = 'from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("demo")\n';

export function analyzePy(code: string, fileName = 'server.py', options: AnalyzerOptions = {}): Finding[] {
  return analyzePython(pythonParser(), fileName, code, { scope: 'all', onRuleError: (id, e) => assert.fail(`rule ${id} threw: ${String(e)}`), ...options });
}

export function pyFindingsOf(ruleId: string, code: string, fileName?: string, options?: AnalyzerOptions): Finding[] {
  return analyzePy(code, fileName, options).filter(f => f.ruleId === ruleId);
}

export function expectPyFires(ruleId: string, code: string, count = 1, fileName?: string): Finding[] {
  const found = pyFindingsOf(ruleId, code, fileName);
  assert.equal(found.length, count, `expected ${count} finding(s) of ${ruleId}, got ${found.length}:\n${code}\n${JSON.stringify(found.map(f => code.slice(f.start, f.end)))}`);
  return found;
}

export function expectPyQuiet(ruleId: string, code: string, fileName?: string): void {
  const found = pyFindingsOf(ruleId, code, fileName);
  assert.equal(found.length, 0, `expected no ${ruleId} finding, got:\n${found.map(f => `${code.slice(f.start, f.end)} :: ${f.message}`).join('\n')}\n--- in:\n${code}`);
}

/** CPython's byte-compiler errors for `code` (empty when it compiles). */
export function pyCompileErrors(code: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-py-'));
  try {
    const file = path.join(dir, 'fixed.py');
    fs.writeFileSync(file, code);
    const r = spawnSync('python3', ['-m', 'py_compile', file], { encoding: 'utf8' });
    if (r.error) throw r.error;
    return r.status === 0 ? '' : `${r.stdout}${r.stderr}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Applies fix number `fixIndex` of every finding of `ruleId`, one at a time (re-analysing between fixes), then
 * asserts that no finding of the rule remains and that both the original and the fixed code byte-compile.
 * Returns the fixed code.
 */
export function expectPyFixWorks(ruleId: string, code: string, fileName = 'server.py', fixIndex = 0): string {
  assert.equal(pyCompileErrors(code), '', `the fixture itself must compile:\n${code}`);
  let current = code;
  assert.ok(pyFindingsOf(ruleId, current, fileName).length > 0, `no ${ruleId} finding to fix in:\n${code}`);
  for (let guard = 0; guard < 50; guard++) {
    const f = pyFindingsOf(ruleId, current, fileName).find(x => x.fixes.length > fixIndex);
    if (!f) break;
    current = applyEdits(current, f.fixes[fixIndex].edits);
  }
  const left = pyFindingsOf(ruleId, current, fileName);
  assert.equal(left.length, 0, `fix left ${left.length} finding(s) of ${ruleId}:\n${current}`);
  assert.equal(pyCompileErrors(current), '', `the fixed code does not compile:\n${current}`);
  return current;
}
