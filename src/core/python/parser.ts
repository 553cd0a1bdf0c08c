// The Python parser: tree-sitter's Python grammar run by web-tree-sitter (WebAssembly, no native module).
// Loading is asynchronous and done once per process; parsing and analysis are synchronous afterwards.
import * as fs from 'node:fs';
import type * as TreeSitter from 'web-tree-sitter';

/** A WebAssembly module given as a file path or as its bytes. */
export type WasmSource = string | Uint8Array;

export interface PythonWasm {
  /** web-tree-sitter's runtime (`web-tree-sitter.wasm`). */
  runtime: WasmSource;
  /** The Python grammar (`tree-sitter-python.wasm`). */
  python: WasmSource;
}

/**
 * Node types the analysis looks at, collected in one query per file (a query runs inside WebAssembly and hands
 * back only these nodes: much cheaper than visiting every node from JavaScript).
 */
export const INDEXED_TYPES = [
  'call', 'comment', 'function_definition', 'decorated_definition', 'import_statement', 'import_from_statement',
  'assignment', 'augmented_assignment', 'except_clause', 'string', 'for_statement', 'while_statement', 'delete_statement',
  'global_statement', 'lambda', 'class_definition',
] as const;
export type IndexedType = (typeof INDEXED_TYPES)[number];

// CommonJS build of web-tree-sitter: its ES module build starts with a top-level await, which a CommonJS bundle cannot hold.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadTreeSitter = (): typeof TreeSitter => require('web-tree-sitter') as typeof TreeSitter;

let runtimeReady: Promise<void> | undefined;

function initRuntime(ts: typeof TreeSitter, runtime: Uint8Array): Promise<void> {
  runtimeReady ??= ts.Parser.init({ wasmBinary: runtime }).catch((error: unknown) => {
    runtimeReady = undefined;
    throw error;
  });
  return runtimeReady;
}

export class PythonParser {
  /** @internal */
  constructor(
    private readonly parser: TreeSitter.Parser,
    readonly language: TreeSitter.Language,
    private readonly indexQuery: TreeSitter.Query,
  ) {}

  /** Parses `text`. The caller owns the tree and must `delete()` it (its memory lives in WebAssembly). */
  parse(text: string): TreeSitter.Tree {
    const tree = this.parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }

  /** The nodes of INDEXED_TYPES under `root`, in source order. */
  indexedNodes(root: TreeSitter.Node): TreeSitter.Node[] {
    return this.indexQuery.captures(root).map(c => c.node);
  }
}

/** Loads web-tree-sitter and the Python grammar. Rejects with a clear error when a WebAssembly file is missing or invalid. */
export async function createPythonParser(wasm: PythonWasm): Promise<PythonParser> {
  const ts = loadTreeSitter();
  try {
    await initRuntime(ts, bytesOf(wasm.runtime));
  } catch (error) {
    throw new Error(`cannot load the tree-sitter runtime${typeof wasm.runtime === 'string' ? ` (${wasm.runtime})` : ''}: ${describe(error)}`);
  }
  let language: TreeSitter.Language;
  try {
    language = await ts.Language.load(bytesOf(wasm.python));
  } catch (error) {
    throw new Error(`cannot load the Python grammar${typeof wasm.python === 'string' ? ` (${wasm.python})` : ''}: ${describe(error)}`);
  }
  const parser = new ts.Parser();
  parser.setLanguage(language);
  const query = new ts.Query(language, `[${INDEXED_TYPES.map(t => `(${t})`).join(' ')}] @node`);
  return new PythonParser(parser, language, query);
}

/**
 * The bytes of a WebAssembly file. Read here rather than by web-tree-sitter, which reads files through `import()`:
 * a bundle loaded from V8's code cache (src/cli/code-cache.ts) cannot run `import()` on Node 20, which loses the
 * dynamic-import callback of a vm.Script made from cached data.
 */
function bytesOf(source: WasmSource): Uint8Array {
  return typeof source === 'string' ? fs.readFileSync(source) : source;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
