// What a Python rule sees of one file: the tree, an index of nodes by type (one query), import bindings,
// the MCP server objects and handler functions of the file, its facts, and `report`.
import type { Node, Tree } from 'web-tree-sitter';
import type { Fix, ProjectFacts, RuleMeta } from '../types';
import type { PythonParser } from './parser';

/** What takeReports returns when nothing was reported (shared, frozen). */
const NO_REPORTS: readonly unknown[] = Object.freeze([]);

export interface PyImport {
  /** Module path (`urllib.request`); for a relative import the dots stay (`.server`). */
  module: string;
  /** Imported name; '*' when the binding is the module itself (`import requests`, `import os.path` binds `os`). */
  name: string;
}

export interface Callee {
  /** Fully qualified name when the root name is imported (`requests.get`, `urllib.request.urlopen`), else the dotted text. */
  fqn: string;
  /** True when the root name comes from an import. */
  imported: boolean;
  /** The dotted text as written (`self.session.get`). */
  dotted: string;
}

export interface CallArgs {
  positional: Node[];
  /** Keyword name -> value. */
  keywords: Map<string, Node>;
  /** `**kwargs`: any keyword may be in it. */
  hasDictSplat: boolean;
  /** `*args`: any positional may be in it. */
  hasListSplat: boolean;
  list: Node;
}

export type HandlerKind = 'tool' | 'resource' | 'prompt' | 'request';

export interface PyHandler {
  fn: Node;
  kind: HandlerKind;
  name: string;
  isAsync: boolean;
  /** Parameter names that carry client input (not `self`, `cls`, nor a `Context` parameter). */
  params: string[];
  /** The decorator or registration call that makes it a handler. */
  registration: Node;
}

export interface PyReport {
  start: number;
  end: number;
  message: string;
  fixes: Fix[];
}

/** Classes whose instances are MCP servers, by the last part of their qualified name (checked under an MCP module). */
const SERVER_CLASSES = new Set(['FastMCP', 'MCPServer', 'Server', 'LowLevelServer']);
/** Decorator methods that register a handler, with the kind of handler. */
const HANDLER_DECORATORS: Record<string, HandlerKind> = {
  tool: 'tool',
  resource: 'resource',
  prompt: 'prompt',
  call_tool: 'tool',
  read_resource: 'resource',
  get_prompt: 'prompt',
  list_tools: 'request',
  list_resources: 'request',
  list_resource_templates: 'request',
  list_prompts: 'request',
  completion: 'request',
  subscribe_resource: 'request',
  unsubscribe_resource: 'request',
  set_logging_level: 'request',
};
/** The ones whose name alone marks an MCP handler in a file that imports an MCP server SDK, whatever the receiver. */
const UNAMBIGUOUS_DECORATORS = new Set(['tool', 'resource', 'prompt', 'call_tool', 'read_resource', 'get_prompt', 'list_tools']);
const DOTTED_TEXT = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const HTTP_TRANSPORTS = new Set(['sse', 'streamable-http', 'streamable_http', 'http']);
const HTTP_METHODS = new Set(['run_sse_async', 'run_streamable_http_async', 'run_http_async', 'streamable_http_app', 'sse_app', 'http_app']);

export class PyContext {
  readonly text: string;
  readonly root: Node;
  private readonly byType = new Map<string, Node[]>();
  readonly imports = new Map<string, PyImport>();
  /** Dotted names bound to MCP server objects (`mcp`, `server`, `self.mcp`). */
  readonly servers = new Set<string>();
  readonly handlers: PyHandler[] = [];
  private readonly handlerByFn = new Map<number, PyHandler>();
  readonly file: ProjectFacts;
  project: ProjectFacts;
  usesMcpImport = false;
  meta!: RuleMeta;
  private reports: PyReport[] = [];
  private lineStartsCache?: number[];
  private readonly newlineText: string;

  constructor(
    parser: PythonParser,
    readonly tree: Tree,
    readonly fileName: string,
    text: string,
  ) {
    this.text = text;
    this.root = tree.rootNode;
    for (const n of parser.indexedNodes(this.root)) {
      let list = this.byType.get(n.type);
      if (!list) this.byType.set(n.type, (list = []));
      list.push(n);
    }
    this.newlineText = text.includes('\r\n') ? '\r\n' : '\n';
    this.collectImports();
    this.collectServers();
    this.collectHandlers();
    this.file = this.computeFacts();
    this.project = this.file;
  }

  // ---- index ------------------------------------------------------------------------------------------------

  nodesOfType(type: string): readonly Node[] {
    return this.byType.get(type) ?? [];
  }

  get calls(): readonly Node[] {
    return this.nodesOfType('call');
  }

  get newline(): string {
    return this.newlineText;
  }

  // ---- imports and names ------------------------------------------------------------------------------------

  private collectImports(): void {
    for (const st of this.nodesOfType('import_statement')) {
      for (const n of st.childrenForFieldName('name')) {
        if (n.type === 'dotted_name') {
          const full = n.text;
          const first = full.split('.')[0];
          this.imports.set(first, { module: first, name: '*' });
        } else if (n.type === 'aliased_import') {
          const mod = n.childForFieldName('name')?.text;
          const alias = n.childForFieldName('alias')?.text;
          if (mod && alias) this.imports.set(alias, { module: mod, name: '*' });
        }
      }
    }
    for (const st of this.nodesOfType('import_from_statement')) {
      const moduleNode = st.childForFieldName('module_name');
      if (!moduleNode) continue;
      const module = moduleNode.text.replace(/\s+/g, '');
      for (const n of st.childrenForFieldName('name')) {
        if (n.type === 'dotted_name') this.imports.set(n.text, { module, name: n.text });
        else if (n.type === 'aliased_import') {
          const name = n.childForFieldName('name')?.text;
          const alias = n.childForFieldName('alias')?.text;
          if (name && alias) this.imports.set(alias, { module, name });
        }
      }
    }
    for (const b of this.imports.values()) {
      if (isMcpServerModule(b.module, b.name)) this.usesMcpImport = true;
    }
  }

  /** Dotted text of an identifier / attribute chain (`self.session.get`), else undefined. */
  dotted(node: Node | null | undefined): string | undefined {
    if (!node) return undefined;
    const type = node.type;
    if (type === 'identifier') return node.text;
    if (type === 'attribute') {
      // Most chains are written without spaces or comments: their text is the dotted name (the tree says what it is).
      const text = node.text;
      if (DOTTED_TEXT.test(text)) return text;
      const obj = this.dotted(node.childForFieldName('object'));
      const attr = node.childForFieldName('attribute');
      return obj !== undefined && attr ? `${obj}.${attr.text}` : undefined;
    }
    return undefined;
  }

  /** The qualified name of an identifier / attribute chain, following imports. */
  qualify(node: Node | null | undefined): Callee | undefined {
    const dotted = this.dotted(node);
    if (dotted === undefined) return undefined;
    const dot = dotted.indexOf('.');
    const first = dot === -1 ? dotted : dotted.slice(0, dot);
    const rest = dot === -1 ? '' : dotted.slice(dot);
    const b = this.imports.get(first);
    if (!b || this.isRebound(first)) return { fqn: dotted, imported: false, dotted };
    const base = b.name === '*' ? b.module : `${b.module}.${b.name}`;
    return { fqn: `${base}${rest}`, imported: true, dotted };
  }

  private readonly calleeCache = new Map<number, Callee | undefined>();
  /** The callee of a call node (cached: every rule asks). */
  callee(call: Node): Callee | undefined {
    if (this.calleeCache.has(call.id)) return this.calleeCache.get(call.id);
    const c = this.qualify(call.childForFieldName('function'));
    this.calleeCache.set(call.id, c);
    return c;
  }

  /** True when a call's callee is one of `fqns` (qualified names such as `requests.get`). */
  isCallTo(call: Node, fqns: ReadonlySet<string>): boolean {
    const c = this.callee(call);
    return !!c && c.imported && fqns.has(c.fqn);
  }

  /** A builtin (`print`, `open`) called by its own name, not shadowed by an import, def or assignment in the file. */
  isBuiltinCall(call: Node, name: string): boolean {
    const c = this.callee(call);
    return !!c && !c.imported && c.dotted === name && !this.imports.has(name) && !this.isRebound(name);
  }

  private reboundNames?: Set<string>;
  /** A name the file defines itself (def, class, assignment at any level): it is not the import or builtin of that name. */
  isRebound(name: string): boolean {
    // Read from the definitions once per file: rules ask for many names.
    if (!this.reboundNames) {
      const names = new Set<string>();
      for (const type of ['function_definition', 'class_definition'] as const) {
        for (const d of this.nodesOfType(type)) {
          const defined = d.childForFieldName('name')?.text;
          if (defined !== undefined) names.add(defined);
        }
      }
      for (const a of this.nodesOfType('assignment')) {
        const left = a.childForFieldName('left');
        if (left?.type === 'identifier') names.add(left.text);
      }
      this.reboundNames = names;
    }
    return this.reboundNames.has(name);
  }

  private readonly argsCache = new Map<number, CallArgs | undefined>();
  argsOf(call: Node): CallArgs | undefined {
    if (this.argsCache.has(call.id)) return this.argsCache.get(call.id);
    const args = this.readArgs(call);
    this.argsCache.set(call.id, args);
    return args;
  }

  private readArgs(call: Node): CallArgs | undefined {
    const list = call.childForFieldName('arguments');
    if (!list || list.type !== 'argument_list') return undefined;
    const out: CallArgs = { positional: [], keywords: new Map(), hasDictSplat: false, hasListSplat: false, list };
    for (const a of list.namedChildren) {
      if (!a) continue;
      if (a.type === 'keyword_argument') {
        const name = a.childForFieldName('name')?.text;
        const value = a.childForFieldName('value');
        if (name && value) out.keywords.set(name, value);
      } else if (a.type === 'dictionary_splat') out.hasDictSplat = true;
      else if (a.type === 'list_splat') out.hasListSplat = true;
      else if (a.type !== 'comment') out.positional.push(a);
    }
    return out;
  }

  // ---- MCP servers and handlers ----------------------------------------------------------------------------

  /** `mcp = FastMCP(...)`, `server = Server("x")`, `self.mcp = FastMCP(...)`, `mcp: FastMCP = FastMCP(...)`. */
  private collectServers(): void {
    for (const a of this.nodesOfType('assignment')) {
      const right = a.childForFieldName('right');
      if (right?.type !== 'call' || !this.isServerConstruction(right)) continue;
      const name = this.dotted(a.childForFieldName('left'));
      if (name) this.servers.add(name);
    }
  }

  isServerConstruction(call: Node): boolean {
    const c = this.callee(call);
    if (!c || !c.imported) return false;
    const last = c.fqn.slice(c.fqn.lastIndexOf('.') + 1);
    const module = c.fqn.slice(0, Math.max(0, c.fqn.lastIndexOf('.')));
    return SERVER_CLASSES.has(last) && (module.startsWith('mcp.server') || module === 'fastmcp' || module.startsWith('fastmcp.'));
  }

  /** True when `node` (an identifier or attribute) names an MCP server object of this file, or is the conventional `mcp`. */
  isServerRef(node: Node | null | undefined): boolean {
    const d = this.dotted(node);
    return d !== undefined && this.isServerName(d);
  }

  isServerName(dotted: string): boolean {
    return this.servers.has(dotted) || dotted === 'mcp' || dotted.endsWith('.mcp');
  }

  /** `receiver.method(...)` of a call whose callee is a dotted name (from the cached callee). */
  methodCall(call: Node): { receiver: string; method: string } | undefined {
    const d = this.callee(call)?.dotted;
    const dot = d?.lastIndexOf('.') ?? -1;
    return d && dot > 0 ? { receiver: d.slice(0, dot), method: d.slice(dot + 1) } : undefined;
  }

  private collectHandlers(): void {
    for (const dd of this.nodesOfType('decorated_definition')) {
      const fn = dd.childForFieldName('definition');
      if (fn?.type !== 'function_definition') continue;
      for (const dec of dd.namedChildren) {
        if (dec?.type !== 'decorator') continue;
        const kind = this.handlerKindOfDecorator(dec);
        if (kind) {
          this.addHandler(fn, kind, dec);
          break;
        }
      }
    }
    // mcp.add_tool(fn): a function defined in this file, registered by name.
    for (const call of this.calls) {
      const m = this.methodCall(call);
      if (!m || m.method !== 'add_tool' || !this.isServerName(m.receiver)) continue;
      const first = this.argsOf(call)?.positional[0];
      if (first?.type !== 'identifier') continue;
      const def = this.nodesOfType('function_definition').find(d => d.childForFieldName('name')?.text === first.text && !this.enclosingFunction(d));
      if (def && !this.handlerByFn.has(def.id)) this.addHandler(def, 'tool', call);
    }
  }

  private handlerKindOfDecorator(dec: Node): HandlerKind | undefined {
    let expr = dec.namedChildren.find(c => c?.type !== 'comment') ?? null;
    if (expr?.type === 'call') expr = expr.childForFieldName('function');
    if (expr?.type !== 'attribute') return undefined;
    const method = expr.childForFieldName('attribute')?.text ?? '';
    const kind = HANDLER_DECORATORS[method];
    if (!kind) return undefined;
    const receiver = expr.childForFieldName('object');
    if (this.isServerRef(receiver)) return kind;
    return this.usesMcpImport && UNAMBIGUOUS_DECORATORS.has(method) ? kind : undefined;
  }

  private addHandler(fn: Node, kind: HandlerKind, registration: Node): void {
    const params: string[] = [];
    const paramsNode = fn.childForFieldName('parameters');
    for (const p of paramsNode?.namedChildren ?? []) {
      if (!p) continue;
      let nameNode: Node | null = null;
      let typeText = '';
      if (p.type === 'identifier') nameNode = p;
      else if (p.type === 'typed_parameter') {
        nameNode = p.namedChildren.find(c => c?.type === 'identifier') ?? null;
        typeText = p.childForFieldName('type')?.text ?? '';
      } else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
        nameNode = p.childForFieldName('name');
        typeText = p.childForFieldName('type')?.text ?? '';
      }
      const name = nameNode?.text;
      if (!name || name === 'self' || name === 'cls' || /\bContext\b/.test(typeText)) continue;
      params.push(name);
    }
    const h: PyHandler = { fn, kind, name: fn.childForFieldName('name')?.text ?? '<handler>', isAsync: isAsyncFunction(fn), params, registration };
    this.handlers.push(h);
    this.handlerByFn.set(fn.id, h);
  }

  private scopes?: { nodes: Node[]; starts: number[]; ends: number[]; parent: number[] };

  /** Functions and lambdas by start, with their ends and the index of the function each is nested in (-1: none). */
  private scopeIndex(): { nodes: Node[]; starts: number[]; ends: number[]; parent: number[] } {
    if (this.scopes) return this.scopes;
    const nodes = [...this.nodesOfType('function_definition'), ...this.nodesOfType('lambda')].sort((a, b) => a.startIndex - b.startIndex);
    const starts = nodes.map(n => n.startIndex);
    const ends = nodes.map(n => n.endIndex);
    const parent: number[] = [];
    const stack: number[] = [];
    for (let i = 0; i < nodes.length; i++) {
      while (stack.length && ends[stack[stack.length - 1]] < ends[i]) stack.pop();
      parent.push(stack.length ? stack[stack.length - 1] : -1);
      stack.push(i);
    }
    return (this.scopes = { nodes, starts, ends, parent });
  }

  /**
   * The nearest enclosing function (or lambda) of a node, not the node itself. From the index of scopes, not by
   * walking parents: the innermost scope around a position is the last one starting before it, or one of its parents.
   */
  enclosingFunction(node: Node): Node | undefined {
    const { nodes, starts, ends, parent } = this.scopeIndex();
    const start = node.startIndex;
    let lo = 0;
    let hi = starts.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= start) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    let end: number | undefined;
    for (let i = at; i >= 0; i = parent[i]) {
      if (nodes[i].id === node.id) continue;
      end ??= node.endIndex;
      if (ends[i] >= end && !(starts[i] === start && ends[i] === end)) return nodes[i];
    }
    return undefined;
  }

  private byFunction?: Map<number, { calls: Node[]; assignments: Node[]; globals: Set<string> }>;
  /** Calls, assignments and `global` names directly in a function's body (not in functions nested in it); -1 for the module. */
  scopeContents(fn: Node | undefined): { calls: Node[]; assignments: Node[]; globals: Set<string> } {
    if (!this.byFunction) {
      const map = new Map<number, { calls: Node[]; assignments: Node[]; globals: Set<string> }>();
      const entry = (n: Node) => {
        const key = this.enclosingFunction(n)?.id ?? -1;
        let e = map.get(key);
        if (!e) map.set(key, (e = { calls: [], assignments: [], globals: new Set() }));
        return e;
      };
      for (const c of this.calls) entry(c).calls.push(c);
      for (const a of this.nodesOfType('assignment')) entry(a).assignments.push(a);
      for (const g of this.nodesOfType('global_statement')) for (const n of g.namedChildren) if (n) entry(g).globals.add(n.text);
      this.byFunction = map;
    }
    return this.byFunction.get(fn?.id ?? -1) ?? { calls: [], assignments: [], globals: new Set() };
  }

  /** Names a function binds itself: its parameters and the names it assigns without declaring them `global`. */
  private localsCache = new Map<number, Set<string>>();
  localNames(fn: Node): Set<string> {
    let names = this.localsCache.get(fn.id);
    if (names) return names;
    names = new Set<string>();
    for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
      const n = p?.type === 'identifier' ? p : (p?.childForFieldName('name') ?? p?.namedChildren.find(c => c?.type === 'identifier'));
      if (n) names.add(n.text);
    }
    const contents = this.scopeContents(fn);
    for (const a of contents.assignments) {
      const left = a.childForFieldName('left');
      if (left?.type === 'identifier' && !contents.globals.has(left.text)) names.add(left.text);
    }
    this.localsCache.set(fn.id, names);
    return names;
  }

  /** The handler whose own body holds `node` (not a function nested inside it). */
  handlerOf(node: Node): PyHandler | undefined {
    const fn = this.enclosingFunction(node);
    return fn ? this.handlerByFn.get(fn.id) : undefined;
  }

  handlerOfFunction(fn: Node): PyHandler | undefined {
    return this.handlerByFn.get(fn.id);
  }

  // ---- facts ---------------------------------------------------------------------------------------------------

  private computeFacts(): ProjectFacts {
    const facts: ProjectFacts = { usesMcpServerSdk: this.usesMcpImport, servesStdio: false, servesHttp: false };
    for (const call of this.calls) {
      const m = this.methodCall(call);
      if (m) {
        const method = m.method;
        const server = this.isServerName(m.receiver);
        if (server && method === 'run') {
          const t = this.transportOfRun(call);
          if (t === 'stdio') facts.servesStdio = true;
          else if (t === 'http') facts.servesHttp = true;
        } else if (server && method === 'run_stdio_async') facts.servesStdio = true;
        else if (server && HTTP_METHODS.has(method)) facts.servesHttp = true;
      }
      const c = this.callee(call);
      if (!c || !c.imported) continue;
      if (c.fqn === 'mcp.server.stdio.stdio_server' || c.fqn === 'fastmcp.server.stdio.stdio_server') facts.servesStdio = true;
      if (/^mcp\.server\.(sse\.SseServerTransport|streamable_http\.StreamableHTTPServerTransport|streamable_http_manager\.StreamableHTTPSessionManager)$/.test(c.fqn)) facts.servesHttp = true;
    }
    if (facts.servesStdio || facts.servesHttp) facts.usesMcpServerSdk = true;
    return facts;
  }

  /** The transport of `server.run(...)`: 'stdio' (the default), 'http', or undefined when it is not a literal. */
  transportOfRun(call: Node): 'stdio' | 'http' | undefined {
    const args = this.argsOf(call);
    if (!args) return undefined;
    const t = args.keywords.get('transport') ?? args.positional[0];
    if (!t) return args.hasDictSplat || args.hasListSplat ? undefined : 'stdio';
    const value = stringValue(t);
    if (value === undefined) return undefined;
    if (value === 'stdio') return 'stdio';
    return HTTP_TRANSPORTS.has(value) ? 'http' : undefined;
  }

  // ---- reporting ------------------------------------------------------------------------------------------------

  report(r: { node?: Node; start?: number; end?: number; message?: string; fixes?: Fix[] }): void {
    const start = r.start ?? r.node?.startIndex;
    const end = r.end ?? r.node?.endIndex;
    if (start === undefined || end === undefined) return;
    this.reports.push({ start, end, message: r.message ?? this.meta.message, fixes: r.fixes ?? [] });
  }

  takeReports(): readonly PyReport[] {
    const taken = this.reports;
    if (taken.length === 0) return NO_REPORTS as readonly PyReport[];
    this.reports = [];
    return taken;
  }

  get lineStarts(): number[] {
    if (!this.lineStartsCache) {
      const starts = [0];
      const t = this.text;
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13) {
          if (t.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        }
      }
      this.lineStartsCache = starts;
    }
    return this.lineStartsCache;
  }

  /** The whitespace that starts the line holding `pos`. */
  lineIndent(pos: number): string {
    let s = pos;
    while (s > 0 && this.text[s - 1] !== '\n' && this.text[s - 1] !== '\r') s--;
    let e = s;
    while (e < this.text.length && (this.text[e] === ' ' || this.text[e] === '\t')) e++;
    return this.text.slice(s, e);
  }
}

export function isAsyncFunction(fn: Node): boolean {
  return fn.child(0)?.type === 'async';
}

/** A module import that marks an MCP server: the official SDK's server package or the standalone FastMCP. */
export function isMcpServerModule(module: string, name: string): boolean {
  if (module === 'mcp.server' || module.startsWith('mcp.server.')) return true;
  if (module === 'mcp' && name === 'server') return true;
  if (module === 'fastmcp' || module.startsWith('fastmcp.')) {
    // The FastMCP client alone is no server.
    return !(module === 'fastmcp' && /^Client$/.test(name)) && !module.startsWith('fastmcp.client');
  }
  return false;
}

/** The value of a plain string literal (no interpolation); escapes are kept as written. Undefined for anything else. */
export function stringValue(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'parenthesized_expression') return stringValue(node.namedChildren[0]);
  if (node.type === 'concatenated_string') {
    let out = '';
    for (const c of node.namedChildren) {
      const v = stringValue(c);
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  }
  if (node.type !== 'string') return undefined;
  let out = '';
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'interpolation') return undefined;
    if (c.type === 'string_content' || c.type === 'escape_sequence') out += c.text;
  }
  return out;
}

/** True for a string literal with interpolation (an f-string with `{...}`). */
export function isInterpolated(node: Node): boolean {
  if (node.type === 'concatenated_string') return node.namedChildren.some(c => !!c && isInterpolated(c));
  return node.type === 'string' && node.namedChildren.some(c => c?.type === 'interpolation');
}

/** Strips parentheses around an expression. */
export function unparen(node: Node | null | undefined): Node | null | undefined {
  let n = node;
  while (n && n.type === 'parenthesized_expression') n = n.namedChildren.find(c => c?.type !== 'comment') ?? null;
  return n;
}

/** True when `inner` lies within `outer` (same node included). */
export function isWithin(inner: Node, outer: Node): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/** Every node of the subtree, in source order (for small subtrees: a handler body, an expression). */
export function descendants(node: Node, visit: (n: Node) => boolean | void): void {
  const cursor = node.walk();
  try {
    let depth = 0;
    for (;;) {
      const descend = visit(cursor.currentNode) !== false;
      if (descend && cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (depth === 0 || !cursor.gotoParent()) return;
        depth--;
      }
      if (depth === 0) return;
    }
  } finally {
    cursor.delete();
  }
}
