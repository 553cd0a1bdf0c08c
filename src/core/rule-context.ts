// What a rule sees of one file: the injected TypeScript module, the source file, project facts,
// an index of nodes built in one walk, import bindings, MCP handler functions, and `report`.
import type * as ts from 'typescript';
import type { Finding, Fix, ProjectFacts, ReportDescriptor, RuleMeta, Severity, TypeScriptModule } from './types';
import { HANDLER_REGISTRATION_METHODS, OBJECT_HANDLER_METHODS, normaliseModule } from './mcp-modules';
import { computeLineStarts } from './suppressions';

/** What takeReports returns when nothing was reported (shared, frozen). */
const NO_REPORTS: readonly unknown[] = Object.freeze([]);

export interface ImportBinding {
  /** Normalised module specifier (`node:` prefix removed). */
  module: string;
  /** Imported name; '*' for a namespace / whole-module `require`, 'default' for a default import. */
  name: string;
}

export interface ResolvedCallee {
  /** Module the callee comes from, or null for globals and local values. */
  module: string | null;
  /** The called function or method name ('default' when a module itself is called, e.g. `axios(...)`). */
  name: string;
  /** Dotted text of the receiver for member calls (`process.stdout` in `process.stdout.write`). */
  object?: string;
}

export type FunctionLike = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

export interface RawReport {
  start: number;
  end: number;
  message: string;
  fixes: Fix[];
}

const NO_NODES: readonly ts.Node[] = [];
/** Every method name a handler registration is made by. */
export const REGISTRATION_NAMES: readonly string[] = [...HANDLER_REGISTRATION_METHODS, ...Object.keys(OBJECT_HANDLER_METHODS)];

/** Exports besides the `is…` type guards that rules read often enough to keep close. */
const VIEW_EXPORTS = new Set([
  'SyntaxKind', 'NodeFlags', 'TypeFlags', 'ModifierFlags', 'SymbolFlags', 'ScriptKind', 'ScriptTarget', 'forEachChild', 'getModifiers',
  'canHaveModifiers', 'getCombinedModifierFlags', 'getLeadingCommentRanges', 'getTrailingCommentRanges', 'idText', 'skipTrivia',
]);
const views = new WeakMap<TypeScriptModule, TypeScriptModule>();

/**
 * The TypeScript module as the analysis uses it. The module object reaches each of its ~2,000 exports through a
 * getter, on an object too large for V8's fast property access, so `ts.isIdentifier(node)` costs several times the
 * check itself. This view holds the type guards and the most used exports as plain properties, and reaches
 * everything else through the module itself (its prototype). One view per module.
 */
export function typeScriptView(ts: TypeScriptModule): TypeScriptModule {
  let view = views.get(ts);
  if (!view) {
    const own: PropertyDescriptorMap = {};
    for (const key of Object.keys(ts)) {
      if (/^is[A-Z]/.test(key) || VIEW_EXPORTS.has(key)) own[key] = { value: (ts as unknown as Record<string, unknown>)[key], enumerable: true };
    }
    view = Object.create(ts, own) as TypeScriptModule;
    views.set(ts, view);
  }
  return view;
}

/** Every node of a source file by kind, in source order, from one walk (which also sets missing parent links). */
export class SyntaxIndex {
  private readonly byKind: ts.Node[][] = [];

  /** `watch`, when given, sees every node of its kinds during the walk (while the node is at hand). */
  constructor(ts: TypeScriptModule, sourceFile: ts.SourceFile, watch?: { kinds: readonly ts.SyntaxKind[]; onNode: (node: ts.Node) => void }) {
    const byKind = this.byKind;
    const watched: boolean[] = [];
    for (const kind of watch?.kinds ?? []) watched[kind] = true;
    const onNode = watch?.onNode;
    const needsParents = sourceFile.statements.length > 0 && !sourceFile.statements[0].parent;
    // Tokens and identifiers (the leaves, half the nodes) have no children: forEachChild is not asked for theirs.
    const lastToken = ts.SyntaxKind.LastToken;
    let parent: ts.Node = sourceFile;
    // One callback for every node (no closure per node): `parent` is the node whose children are being visited.
    const visit = (node: ts.Node): undefined => {
      if (needsParents) (node as { parent: ts.Node }).parent = parent;
      const kind = node.kind;
      if (watched[kind]) onNode!(node);
      const list = byKind[kind];
      if (list) list.push(node);
      else byKind[kind] = [node];
      if (kind > lastToken) {
        const saved = parent;
        parent = node;
        ts.forEachChild(node, visit);
        parent = saved;
      }
      return undefined;
    };
    byKind[sourceFile.kind] = [sourceFile];
    ts.forEachChild(sourceFile, visit);
  }

  nodesOfKind<T extends ts.Node>(kind: ts.SyntaxKind): readonly T[] {
    return (this.byKind[kind] as T[] | undefined) ?? (NO_NODES as readonly T[]);
  }

  private readonly sortedKinds: boolean[] = [];

  /**
   * Nodes of `kind` that are descendants of `container`, in source order. A kind's list is in walk order, where
   * positions never decrease (checked once per kind), so the descendants are found by a binary search on the
   * container's range instead of a walk.
   */
  descendantsOfKind<T extends ts.Node>(container: ts.Node, kind: ts.SyntaxKind): T[] {
    const list = this.byKind[kind] as T[] | undefined;
    const out: T[] = [];
    if (!list) return out;
    let sorted = this.sortedKinds[kind];
    if (sorted === undefined) {
      sorted = true;
      for (let i = 1; i < list.length && sorted; i++) if (list[i].pos < list[i - 1].pos) sorted = false;
      this.sortedKinds[kind] = sorted;
    }
    const { pos, end } = container;
    if (!sorted) {
      for (const n of list) if (isDescendant(n, container)) out.push(n);
      return out;
    }
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid].pos < pos) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < list.length; i++) {
      const n = list[i];
      if (n.pos > end) break;
      if (n.end > end || n === container) continue;
      // Sibling ranges never overlap, so a node strictly inside the range is a descendant; a node with the very same
      // range (a wrapper around the container) or an empty one on its edge may not be.
      if (((n.pos === pos && n.end === end) || (n.pos === n.end && (n.pos === pos || n.pos === end))) && !isDescendant(n, container)) continue;
      out.push(n);
    }
    return out;
  }
}

/**
 * `id.text` read without its getter where the two are the same: only a name that starts with `__` is stored
 * escaped (with one more underscore).
 */
function nameText(id: ts.Identifier | ts.PrivateIdentifier): string {
  const escaped = id.escapedText as string;
  return escaped.charCodeAt(0) === 95 && escaped.charCodeAt(1) === 95 ? id.text : escaped;
}

function isDescendant(node: ts.Node, container: ts.Node): boolean {
  for (let p = node.parent; p; p = p.parent) if (p === container) return true;
  return false;
}

export class RuleContext {
  readonly text: string;
  private readonly index: SyntaxIndex;
  private importsCache?: Map<string, ImportBinding>;
  private handlersCache?: FunctionLike[];
  private handlerSetCache?: ReadonlySet<ts.Node>;
  private readonly calleeCache = new Map<ts.Expression, ResolvedCallee | undefined>();
  private identifierIndex?: Map<string, ts.Identifier[]>;
  private variableIndex?: Map<string, ts.VariableDeclaration[]>;
  private functionIndex?: { declarations: Map<string, ts.FunctionDeclaration>; variables: Map<string, ts.ArrowFunction | ts.FunctionExpression> };
  private newlineCache?: string;
  private lineStartsCache?: number[];
  private readonly memos = new Map<unknown, unknown>();
  private readonly insideCache: Array<Map<ts.Node, ts.Node[]>> = [];
  private callNames?: Map<string, number[]>;
  private readonly callsByNames = new Map<readonly string[], ts.CallExpression[]>();
  private callModules?: Map<string, number[]>;
  private readonly callsByModules = new Map<readonly string[], ts.CallExpression[]>();
  private reports: RawReport[] = [];
  meta!: RuleMeta;

  /** The TypeScript module (a view of the injected one with fast access to its type guards). */
  readonly ts: TypeScriptModule;

  constructor(
    ts: TypeScriptModule,
    readonly sourceFile: ts.SourceFile,
    /** Facts of the whole program (falls back to this file's). */
    readonly project: ProjectFacts,
    /** Facts of this file alone. */
    readonly file: ProjectFacts,
    /** Type checker, when the adapter has a program; rules must work without it. */
    readonly checker?: ts.TypeChecker,
    /** The file's node index, when the caller already built it. */
    index?: SyntaxIndex,
    /** The file's line starts (`computeLineStarts`), when the caller already has them. */
    lineStarts?: number[],
  ) {
    this.ts = typeScriptView(ts);
    this.text = sourceFile.text;
    this.index = index ?? new SyntaxIndex(this.ts, sourceFile);
    this.lineStartsCache = lineStarts;
  }

  /** Every node of a kind, in source order. */
  nodesOfKind<T extends ts.Node>(kind: ts.SyntaxKind): readonly T[] {
    return this.index.nodesOfKind<T>(kind);
  }

  /**
   * A value computed once per file and shared by every rule (and every call of a rule) that asks with the same key.
   * Keys are compared by identity: use a module-level constant or function, never a fresh object.
   */
  memo<T>(key: unknown, compute: () => T): T {
    // One lookup when the value is there (some callers ask on every call); `has` only for a kept undefined.
    const kept = this.memos.get(key);
    if (kept !== undefined || this.memos.has(key)) return kept as T;
    const value = compute();
    this.memos.set(key, value);
    return value;
  }

  /** Nodes of `kind` inside `container` (its descendants, nested functions included), in source order. */
  nodesInside<T extends ts.Node>(container: ts.Node, kind: ts.SyntaxKind): readonly T[] {
    let byContainer = this.insideCache[kind];
    if (!byContainer) this.insideCache[kind] = byContainer = new Map();
    let list = byContainer.get(container) as T[] | undefined;
    if (!list) byContainer.set(container, (list = this.index.descendantsOfKind<T>(container, kind)));
    return list;
  }

  /**
   * Calls made by one of `names`, in source order: the callee's identifier or property name, seen through
   * parentheses, `!`, `as`, `satisfies` and `<T>` assertions, and for an identifier bound by an import or require
   * also the imported name (`resolveCallee(...).name`). A superset of the calls a rule looking for these names
   * acts on, found without touching the others: pass a constant array, the answer is kept for it.
   */
  callsNamed(names: readonly string[]): readonly ts.CallExpression[] {
    const cached = this.callsByNames.get(names);
    if (cached) return cached;
    const out = this.gather(this.callNameIndex(), names);
    this.callsByNames.set(names, out);
    return out;
  }

  /**
   * Calls whose callee `resolveCallee` may trace to one of `modules` (a superset: check the resolved callee), in
   * source order. Pass a constant array, the answer is kept for it.
   */
  callsFrom(modules: readonly string[]): readonly ts.CallExpression[] {
    const cached = this.callsByModules.get(modules);
    if (cached) return cached;
    this.callNameIndex();
    const out = this.gather(this.callModules!, modules);
    this.callsByModules.set(modules, out);
    return out;
  }

  /** The calls listed under any of `keys` in an index of call positions, in source order. */
  private gather(index: Map<string, number[]>, keys: readonly string[]): ts.CallExpression[] {
    const calls = this.calls;
    const lists: number[][] = [];
    let total = 0;
    for (const key of keys) {
      const list = index.get(key);
      if (!list) continue;
      lists.push(list);
      total += list.length;
    }
    if (lists.length === 0) return [];
    if (lists.length === 1) return lists[0].map(i => calls[i]);
    // A call listed under two of the keys (its written and its imported name) is taken once.
    const positions = new Int32Array(total);
    let at = 0;
    for (const list of lists) {
      positions.set(list, at);
      at += list.length;
    }
    positions.sort();
    const out: ts.CallExpression[] = [];
    for (let i = 0; i < positions.length; i++) if (i === 0 || positions[i] !== positions[i - 1]) out.push(calls[positions[i]]);
    return out;
  }

  /** Every name `callsNamed` knows calls by (each once). */
  calledNames(): IterableIterator<string> {
    return this.callNameIndex().keys();
  }

  private callNameIndex(): Map<string, number[]> {
    if (this.callNames) return this.callNames;
    const { ts } = this;
    const index = new Map<string, number[]>();
    const add = (name: string, i: number) => {
      const list = index.get(name);
      if (!list) index.set(name, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    };
    // By module: the module of the root of the callee's dotted name, as `resolveCallee` finds it (a superset, seen
    // through more wrappers).
    const modules = new Map<string, number[]>();
    const addModule = (module: string, i: number) => {
      const list = modules.get(module);
      if (!list) modules.set(module, [i]);
      else list.push(i);
    };
    const calls = this.calls;
    const imports = this.imports;
    for (let i = 0; i < calls.length; i++) {
      let e: ts.Expression = calls[i].expression;
      while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
      if (ts.isPropertyAccessExpression(e)) {
        add(nameText(e.name), i);
        let root: ts.Expression = e.expression;
        while (ts.isPropertyAccessExpression(root) || ts.isParenthesizedExpression(root)) root = root.expression;
        const b = ts.isIdentifier(root) ? imports.get(root.text) : undefined;
        if (b) addModule(b.module, i);
      } else if (ts.isIdentifier(e)) {
        const text = nameText(e);
        add(text, i);
        const b = imports.get(text);
        if (b) {
          add(b.name === '*' ? 'default' : b.name, i);
          addModule(b.module, i);
        }
      }
    }
    this.callModules = modules;
    return (this.callNames = index);
  }

  /** Variable declarations of the file that declare `name` itself (not in a destructuring pattern), in source order. */
  variablesNamed(name: string): readonly ts.VariableDeclaration[] {
    let index = this.variableIndex;
    if (!index) {
      const { ts } = this;
      index = this.variableIndex = new Map();
      for (const d of this.nodesOfKind<ts.VariableDeclaration>(ts.SyntaxKind.VariableDeclaration)) {
        if (!ts.isIdentifier(d.name)) continue;
        const list = index.get(d.name.text);
        if (list) list.push(d);
        else index.set(d.name.text, [d]);
      }
    }
    return index.get(name) ?? (NO_NODES as readonly ts.VariableDeclaration[]);
  }

  /** Property accesses `x.<name>` of the file, in the source order of their names. */
  propertyAccessesNamed(name: string): ts.PropertyAccessExpression[] {
    const { ts } = this;
    const out: ts.PropertyAccessExpression[] = [];
    const names: readonly ts.MemberName[] = name.startsWith('#')
      ? this.nodesOfKind<ts.PrivateIdentifier>(ts.SyntaxKind.PrivateIdentifier).filter(id => id.text === name)
      : this.identifiersNamed(name);
    for (const id of names) {
      const p = id.parent;
      if (p && ts.isPropertyAccessExpression(p) && p.name === id) out.push(p);
    }
    return out;
  }

  /** Every identifier of the file with this text, in source order (an index built once per file). */
  identifiersNamed(name: string): readonly ts.Identifier[] {
    let index = this.identifierIndex;
    if (!index) {
      index = this.identifierIndex = new Map();
      const ids = this.nodesOfKind<ts.Identifier>(this.ts.SyntaxKind.Identifier);
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i];
        const text = nameText(id);
        const list = index.get(text);
        if (list) list.push(id);
        else index.set(text, [id]);
      }
    }
    return index.get(name) ?? (NO_NODES as readonly ts.Identifier[]);
  }

  get calls(): readonly ts.CallExpression[] {
    return this.nodesOfKind<ts.CallExpression>(this.ts.SyntaxKind.CallExpression);
  }

  get newExpressions(): readonly ts.NewExpression[] {
    return this.nodesOfKind<ts.NewExpression>(this.ts.SyntaxKind.NewExpression);
  }

  /** Local name -> where it was imported or required from. */
  get imports(): Map<string, ImportBinding> {
    if (this.importsCache) return this.importsCache;
    const { ts } = this;
    const map = new Map<string, ImportBinding>();
    for (const decl of this.nodesOfKind<ts.ImportDeclaration>(ts.SyntaxKind.ImportDeclaration)) {
      if (!ts.isStringLiteral(decl.moduleSpecifier) || !decl.importClause) continue;
      const module = normaliseModule(decl.moduleSpecifier.text);
      const clause = decl.importClause;
      if (clause.name) map.set(clause.name.text, { module, name: 'default' });
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) map.set(nb.name.text, { module, name: '*' });
      if (nb && ts.isNamedImports(nb)) {
        for (const el of nb.elements) map.set(el.name.text, { module, name: (el.propertyName ?? el.name).text });
      }
    }
    for (const decl of this.nodesOfKind<ts.ImportEqualsDeclaration>(ts.SyntaxKind.ImportEqualsDeclaration)) {
      const ref = decl.moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
        map.set(decl.name.text, { module: normaliseModule(ref.expression.text), name: '*' });
      }
    }
    for (const decl of this.nodesOfKind<ts.VariableDeclaration>(ts.SyntaxKind.VariableDeclaration)) {
      if (!decl.initializer) continue;
      const req = this.requiredModule(decl.initializer);
      if (!req) continue;
      if (ts.isIdentifier(decl.name)) {
        map.set(decl.name.text, { module: req.module, name: req.name });
      } else if (ts.isObjectBindingPattern(decl.name)) {
        for (const el of decl.name.elements) {
          if (!ts.isIdentifier(el.name)) continue;
          const prop = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
          map.set(el.name.text, { module: req.module, name: req.name === '*' ? prop : `${req.name}.${prop}` });
        }
      }
    }
    return (this.importsCache = map);
  }

  /** `require('m')`, `require('m').x`, `await import('m')` -> the binding they produce. */
  private requiredModule(expr: ts.Expression): ImportBinding | undefined {
    const { ts } = this;
    let e = expr;
    while (ts.isAwaitExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
    if (ts.isPropertyAccessExpression(e)) {
      const inner = this.requiredModule(e.expression);
      if (inner && inner.name === '*') return { module: inner.module, name: e.name.text };
      return undefined;
    }
    if (
      ts.isCallExpression(e) &&
      e.arguments.length === 1 &&
      ts.isStringLiteralLike(e.arguments[0]) &&
      ((ts.isIdentifier(e.expression) && e.expression.text === 'require') || e.expression.kind === ts.SyntaxKind.ImportKeyword)
    ) {
      return { module: normaliseModule((e.arguments[0] as ts.StringLiteral).text), name: '*' };
    }
    return undefined;
  }

  /** Dotted text of an identifier / property-access chain (`process.stdout.write`), else undefined. */
  dottedName(expr: ts.Expression): string | undefined {
    const { ts } = this;
    if (ts.isIdentifier(expr)) return expr.text;
    if (expr.kind === ts.SyntaxKind.ThisKeyword) return 'this';
    if (ts.isPropertyAccessExpression(expr)) {
      const left = this.dottedName(expr.expression);
      return left === undefined ? undefined : `${left}.${expr.name.text}`;
    }
    if (ts.isParenthesizedExpression(expr)) return this.dottedName(expr.expression);
    return undefined;
  }

  /** Resolves what a call calls, following imports and requires. Computed once per expression; treat the result as read-only. */
  resolveCallee(callee: ts.Expression): ResolvedCallee | undefined {
    const cache = this.calleeCache;
    let r = cache.get(callee);
    if (r === undefined && !cache.has(callee)) cache.set(callee, (r = this.computeCallee(callee)));
    return r;
  }

  private computeCallee(callee: ts.Expression): ResolvedCallee | undefined {
    const { ts } = this;
    let e = callee;
    while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    if (ts.isIdentifier(e)) {
      const b = this.imports.get(e.text);
      if (!b) return { module: null, name: e.text };
      return { module: b.module, name: b.name === '*' ? 'default' : b.name };
    }
    if (ts.isPropertyAccessExpression(e)) {
      const name = e.name.text;
      const objText = this.dottedName(e.expression);
      if (objText === undefined) return { module: null, name };
      const dot = objText.indexOf('.');
      const b = this.imports.get(dot < 0 ? objText : objText.slice(0, dot));
      if (!b) return { module: null, name, object: objText };
      const rest = dot < 0 ? '' : objText.slice(dot + 1);
      const base = b.name === '*' || b.name === 'default' ? '' : b.name;
      const object = base && rest ? `${base}.${rest}` : base || rest;
      return object ? { module: b.module, name, object } : { module: b.module, name };
    }
    return undefined;
  }

  /** True when `call` calls `name` of one of `modules` (e.g. `isCallTo(c, ['fs'], 'readFileSync')`). */
  isCallTo(call: ts.CallExpression | ts.NewExpression, modules: readonly string[], names: readonly string[] | string): boolean {
    const r = this.resolveCallee(call.expression);
    if (!r || r.module === null || !modules.includes(r.module)) return false;
    return typeof names === 'string' ? r.name === names : names.includes(r.name);
  }

  /** Functions registered as MCP tool / resource / prompt / request handlers in this file. */
  get handlers(): readonly FunctionLike[] {
    if (this.handlersCache) return this.handlersCache;
    const { ts } = this;
    const found = new Set<FunctionLike>();
    for (const call of this.callsNamed(REGISTRATION_NAMES)) {
      if (!ts.isPropertyAccessExpression(call.expression)) continue;
      const method = call.expression.name.text;
      if (HANDLER_REGISTRATION_METHODS.has(method)) {
        for (let i = call.arguments.length - 1; i >= 0; i--) {
          const fn = this.functionOf(call.arguments[i]);
          if (fn) {
            found.add(fn);
            break;
          }
        }
      } else if (OBJECT_HANDLER_METHODS[method]) {
        const arg = call.arguments[0];
        if (arg && ts.isObjectLiteralExpression(arg)) {
          for (const prop of arg.properties) {
            const pname = prop.name && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) ? prop.name.text : undefined;
            if (!pname || !OBJECT_HANDLER_METHODS[method].includes(pname)) continue;
            if (ts.isMethodDeclaration(prop)) found.add(prop);
            else if (ts.isPropertyAssignment(prop)) {
              const fn = this.functionOf(prop.initializer);
              if (fn) found.add(fn);
            }
          }
        }
      }
    }
    return (this.handlersCache = [...found]);
  }

  /** A function expression, or an identifier naming a function declared in this file. */
  functionOf(expr: ts.Expression): FunctionLike | undefined {
    const { ts } = this;
    let e = expr;
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return e;
    if (ts.isIdentifier(e)) return this.functionNamed(e.text);
    return undefined;
  }

  /** The function declared in this file under `name`: a declaration with a body, else a variable holding a function expression. */
  functionNamed(name: string): FunctionLike | undefined {
    const index = this.functionsByName();
    return index.declarations.get(name) ?? index.variables.get(name);
  }

  /** The first function declaration with a body, and the first variable holding a function expression, per name. */
  private functionsByName(): NonNullable<RuleContext['functionIndex']> {
    if (this.functionIndex) return this.functionIndex;
    const { ts } = this;
    const declarations = new Map<string, ts.FunctionDeclaration>();
    const variables = new Map<string, ts.ArrowFunction | ts.FunctionExpression>();
    for (const fd of this.nodesOfKind<ts.FunctionDeclaration>(ts.SyntaxKind.FunctionDeclaration)) {
      if (fd.name && fd.body && !declarations.has(fd.name.text)) declarations.set(fd.name.text, fd);
    }
    for (const vd of this.nodesOfKind<ts.VariableDeclaration>(ts.SyntaxKind.VariableDeclaration)) {
      const init = vd.initializer;
      if (init && ts.isIdentifier(vd.name) && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && !variables.has(vd.name.text)) variables.set(vd.name.text, init);
    }
    return (this.functionIndex = { declarations, variables });
  }

  /** The handlers as a set, for membership tests. */
  get handlerSet(): ReadonlySet<ts.Node> {
    return (this.handlerSetCache ??= new Set<ts.Node>(this.handlers));
  }

  /** The innermost registered handler containing `node`, if any. */
  enclosingHandler(node: ts.Node): FunctionLike | undefined {
    const handlers = this.handlerSet;
    if (handlers.size === 0) return undefined;
    for (let n: ts.Node | undefined = node; n; n = n.parent) {
      if (handlers.has(n)) return n as FunctionLike;
    }
    return undefined;
  }

  isInHandler(node: ts.Node): boolean {
    return this.enclosingHandler(node) !== undefined;
  }

  /** The nearest enclosing function-like node (any function, not only handlers). */
  enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
    const { ts } = this;
    for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
      if (ts.isFunctionLike(n)) return n;
    }
    return undefined;
  }

  getText(node: ts.Node): string {
    return this.text.slice(node.getStart(this.sourceFile), node.end);
  }

  /** Leading whitespace of the line that contains `pos`. */
  lineIndent(pos: number): string {
    const lineStart = this.text.lastIndexOf('\n', pos - 1) + 1;
    const m = /^[ \t]*/.exec(this.text.slice(lineStart, lineStart + 200));
    return m ? m[0] : '';
  }

  /** Offsets where the file's lines start (LF, CRLF and CR end a line), computed once per file. */
  get lineStarts(): number[] {
    return (this.lineStartsCache ??= computeLineStarts(this.text));
  }

  /** The file's newline sequence. */
  get newline(): string {
    return (this.newlineCache ??= this.text.includes('\r\n') ? '\r\n' : '\n');
  }

  report(d: ReportDescriptor): void {
    const start = d.start ?? (d.node ? d.node.getStart(this.sourceFile) : 0);
    const end = d.end ?? (d.node ? d.node.end : start);
    this.reports.push({ start, end, message: d.message ?? this.meta.message, fixes: d.fixes ?? [] });
  }

  /** Reports gathered for the current rule; the analyzer drains them after each rule. */
  /** The reports made since the last call (most rules report nothing on most files: no array is made then). */
  takeReports(): readonly RawReport[] {
    const taken = this.reports;
    if (taken.length === 0) return NO_REPORTS as readonly RawReport[];
    this.reports = [];
    return taken;
  }
}

export type { Finding, Severity };
