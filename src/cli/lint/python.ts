// Python files in `mcp-architect lint`: tree-sitter's WebAssembly, loaded from next to the bundle (dist/) or from
// node_modules when unbundled. A load failure is kept as an Error and reported on each Python file.
import { createPythonParser, type PythonParser } from '../../core/python/parser';
import { findPythonWasm, PYTHON_WASM, RUNTIME_WASM } from '../../core/python/wasm-files';

export function isPythonFile(file: string): boolean {
  return file.toLowerCase().endsWith('.py');
}

let loading: Promise<PythonParser | Error> | undefined;

export function loadPythonForLint(): Promise<PythonParser | Error> {
  loading ??= (async () => {
    const wasm = findPythonWasm([__dirname]);
    if (!wasm) return new Error(`${RUNTIME_WASM} and ${PYTHON_WASM} were not found next to ${__dirname}`);
    try {
      return await createPythonParser(wasm);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  })();
  return loading;
}
