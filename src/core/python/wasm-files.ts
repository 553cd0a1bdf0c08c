// Where the two WebAssembly files of the Python analysis are: next to the bundle (dist/, as shipped in the VSIX
// and the npm package), or in node_modules when the sources run unbundled (tests, scripts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PythonWasm } from './parser';

export const RUNTIME_WASM = 'web-tree-sitter.wasm';
export const PYTHON_WASM = 'tree-sitter-python.wasm';

/** The wasm files in the first of `dirs` that has both, else from the installed packages; undefined when neither. */
export function findPythonWasm(dirs: readonly string[]): PythonWasm | undefined {
  for (const dir of dirs) {
    const runtime = path.join(dir, RUNTIME_WASM);
    const python = path.join(dir, PYTHON_WASM);
    if (fs.existsSync(runtime) && fs.existsSync(python)) return { runtime, python };
  }
  try {
    // Not in a bundle: resolved from the packages.
    const runtime = require.resolve(`web-tree-sitter/${RUNTIME_WASM}`);
    const python = path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), PYTHON_WASM);
    if (fs.existsSync(runtime) && fs.existsSync(python)) return { runtime, python };
  } catch {
    // not installed
  }
  return undefined;
}
