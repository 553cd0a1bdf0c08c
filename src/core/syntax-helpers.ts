// Syntactic helpers shared by rules: unwrapping expressions, reading option objects, finding what a name
// refers to (scope walk, no type checker needed), and the functions of a file that run per request.
import type * as ts from 'typescript';
import type { FunctionLike, RuleContext } from './rule-context';
import { lineOf } from './suppressions';

/** Strips parentheses, `as`, `satisfies`, `!` and `<T>` assertions. */
export function unwrap(ts: typeof import('typescript'), expr: ts.Expression): ts.Expression {
  let e = expr;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e)) {
      e = e.expression;
    } else return e;
  }
}

/** True when the file imports or requires one of these modules (a cheap test before looking at every call). */
export function importsAny(ctx: RuleContext, modules: ReadonlySet<string>): boolean {
  for (const b of ctx.imports.values()) if (modules.has(b.module)) return true;
  return false;
}

/** Text of a property name that is an identifier, a string or number literal, or a computed string literal. */
export function propertyNameText(ts: typeof import('typescript'), name: ts.PropertyName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

/** The property `name` of an object literal (the last one wins, as at run time). */
export function findProperty(ts: typeof import('typescript'), obj: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  let found: ts.ObjectLiteralElementLike | undefined;
  for (const p of obj.properties) if (!ts.isSpreadAssignment(p) && propertyNameText(ts, p.name) === name) found = p;
  return found;
}

/** The value of a property: the initializer, or the identifier of a shorthand property. */
export function propertyValue(ts: typeof import('typescript'), prop: ts.ObjectLiteralElementLike | undefined): ts.Expression | undefined {
  if (!prop) return undefined;
  if (ts.isPropertyAssignment(prop)) return prop.initializer;
  if (ts.isShorthandPropertyAssignment(prop)) return prop.name;
  return undefined;
}

export function hasSpread(ts: typeof import('typescript'), obj: ts.ObjectLiteralExpression): boolean {
  return obj.properties.some(p => ts.isSpreadAssignment(p));
}

/** Literal 0 (also `-0`); such a timeout value turns the timeout off in every library the rules know. */
export function isZeroLiteral(ts: typeof import('typescript'), expr: ts.Expression | undefined): boolean {
  if (!expr) return false;
  const e = unwrap(ts, expr);
  if (ts.isNumericLiteral(e)) return Number(e.text.replace(/_/g, '')) === 0;
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) return isZeroLiteral(ts, e.operand);
  return false;
}

/** Literal `false`. */
export function isFalseLiteral(ts: typeof import('typescript'), expr: ts.Expression | undefined): boolean {
  return !!expr && unwrap(ts, expr).kind === ts.SyntaxKind.FalseKeyword;
}

/** Text of a string literal or a template without substitutions. */
export function stringLiteralText(ts: typeof import('typescript'), expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const e = unwrap(ts, expr);
  return ts.isStringLiteralLike(e) ? e.text : undefined;
}

/** `30000` -> `30_000`: how figures are written in fixes and messages. */
export function formatMs(ms: number): string {
  return String(ms).replace(/\B(?=(\d{3})+(?!\d))/g, '_');
}

/** 1-based line of a node, for messages. */
export function lineOfNode(ctx: RuleContext, node: ts.Node): number {
  return lineOf(ctx.lineStarts, node.getStart(ctx.sourceFile)) + 1;
}

/**
 * Nodes of `kind` under `root` (not `root` itself), in source order, leaving out those in a function nested in
 * `root` (and functions themselves): what runs as part of `root`'s own code. Read from the node index, not a walk.
 */
export function ownNodesOfKind<T extends ts.Node>(ctx: RuleContext, root: ts.Node, kind: ts.SyntaxKind): T[] {
  const { ts } = ctx;
  const out: T[] = [];
  for (const n of ctx.nodesInside<T>(root, kind)) {
    let nested = false;
    for (let p: ts.Node | undefined = n; p && p !== root; p = p.parent) {
      if (ts.isFunctionLike(p)) {
        nested = true;
        break;
      }
    }
    if (!nested) out.push(n);
  }
  return out;
}

// ---- bindings ----

/** A node that declares a name: variable, parameter, binding element, function, class, import. */
export type BindingDeclaration =
  | ts.VariableDeclaration
  | ts.ParameterDeclaration
  | ts.BindingElement
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ClassDeclaration
  | ts.ImportClause
  | ts.ImportSpecifier
  | ts.NamespaceImport
  | ts.ImportEqualsDeclaration;

function addBindingNames(ts: typeof import('typescript'), name: ts.BindingName, into: Map<string, BindingDeclaration>): void {
  if (ts.isIdentifier(name)) {
    if (!into.has(name.text)) into.set(name.text, name.parent as ts.VariableDeclaration | ts.ParameterDeclaration | ts.BindingElement);
    return;
  }
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) addBindingNames(ts, el.name, into);
}

function addStatementNames(ts: typeof import('typescript'), statements: readonly ts.Statement[], into: Map<string, BindingDeclaration>): void {
  const add = (text: string, decl: BindingDeclaration) => {
    if (!into.has(text)) into.set(text, decl);
  };
  for (const s of statements) {
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) addBindingNames(ts, d.name, into);
    } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) {
      add(s.name.text, s);
    } else if (ts.isImportDeclaration(s) && s.importClause) {
      const clause = s.importClause;
      if (clause.name) add(clause.name.text, clause);
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) add(nb.name.text, nb);
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) add(el.name.text, el);
    } else if (ts.isImportEqualsDeclaration(s)) {
      add(s.name.text, s);
    }
  }
}

/** The names a node declares for the code inside it, or undefined when it opens no scope. */
function scopeDeclarations(ts: typeof import('typescript'), n: ts.Node): Map<string, BindingDeclaration> | undefined {
  if (ts.isBlock(n) || ts.isSourceFile(n) || ts.isModuleBlock(n)) {
    const m = new Map<string, BindingDeclaration>();
    addStatementNames(ts, n.statements, m);
    return m;
  }
  if (ts.isCaseBlock(n)) {
    const m = new Map<string, BindingDeclaration>();
    for (const clause of n.clauses) addStatementNames(ts, clause.statements, m);
    return m;
  }
  if (ts.isFunctionLike(n)) {
    const m = new Map<string, BindingDeclaration>();
    for (const p of n.parameters) addBindingNames(ts, p.name, m);
    if (ts.isFunctionExpression(n) && n.name && !m.has(n.name.text)) m.set(n.name.text, n);
    return m;
  }
  if ((ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n)) && n.initializer && ts.isVariableDeclarationList(n.initializer)) {
    const m = new Map<string, BindingDeclaration>();
    for (const d of n.initializer.declarations) addBindingNames(ts, d.name, m);
    return m;
  }
  if (ts.isCatchClause(n) && n.variableDeclaration) {
    const m = new Map<string, BindingDeclaration>();
    addBindingNames(ts, n.variableDeclaration.name, m);
    return m;
  }
  return undefined;
}

/**
 * The declaration an identifier refers to, found by walking out through the scopes that enclose it
 * (blocks, functions and their parameters, loops, catch clauses, the file). Undefined for globals.
 * Each scope's names are read once per analysis.
 */
export function resolveBinding(ctx: RuleContext, id: ts.Identifier): BindingDeclaration | undefined {
  const state = ctx.memo(resolveBinding, (): BindingState => ({ resolved: new Map(), scopes: new Map() }));
  // A name no declaration of the file gives (console, fetch, process...) is a global: no scope need be read.
  if (!isDeclaredName(ctx, id.text)) return undefined;
  let found = state.resolved.get(id);
  if (found !== undefined) return found ?? undefined;
  const { ts } = ctx;
  const opensScope = scopeKinds(ts);
  const text = id.text;
  found = null;
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    if (!opensScope[n.kind]) continue;
    let names = state.scopes.get(n);
    if (names === undefined) {
      const declared = scopeDeclarations(ts, n);
      // A scope that declares nothing is remembered as such, not as an empty map kept for the whole analysis.
      state.scopes.set(n, (names = declared && declared.size > 0 ? declared : null));
    }
    const decl = names?.get(text);
    if (decl) {
      found = decl;
      break;
    }
  }
  state.resolved.set(id, found);
  return found ?? undefined;
}

// Per analysis: a node reused by an incremental parse may sit in a different scope next time.
interface BindingState {
  resolved: Map<ts.Identifier, BindingDeclaration | null>;
  scopes: Map<ts.Node, Map<string, BindingDeclaration> | null>;
}

/**
 * False when no declaration of the file gives this name (it is a global, or undeclared): the scope walks of
 * `resolveBinding` and `declarationOf` can stop before they start. The names are a superset of those any scope
 * declares, read once per file.
 */
export function isDeclaredName(ctx: RuleContext, name: string): boolean {
  return ctx.memo(declaredNames, () => declaredNames(ctx)).has(name);
}

function declaredNames(ctx: RuleContext): ReadonlySet<string> {
  const { ts } = ctx;
  const K = ts.SyntaxKind;
  const names = new Set<string>();
  // The declarations themselves (a few dozen a file), not every identifier: the elements of a destructuring are
  // BindingElements of their own.
  for (const kind of [
    K.VariableDeclaration, K.Parameter, K.BindingElement, K.FunctionDeclaration, K.FunctionExpression, K.ClassDeclaration,
    K.ImportClause, K.ImportSpecifier, K.NamespaceImport, K.ImportEqualsDeclaration,
  ]) {
    for (const d of ctx.nodesOfKind<ts.Node & { name?: ts.Node }>(kind)) {
      if (d.name && d.name.kind === K.Identifier) names.add((d.name as ts.Identifier).text);
    }
  }
  return names;
}

/** By syntax kind: whether `scopeDeclarations` can find names in a node of that kind (other nodes are passed by). */
function scopeKinds(ts: typeof import('typescript')): readonly boolean[] {
  return scopeKindTable(ts, 'bindings', K => [K.Block, K.SourceFile, K.ModuleBlock, K.CaseBlock, K.ForStatement, K.ForOfStatement, K.ForInStatement, K.CatchClause]);
}

/**
 * A table by syntax kind of the nodes a scope walk stops at: function-like nodes and `kinds`. Made once per
 * TypeScript module and `name` (the walks differ in the statement lists they read).
 */
export function scopeKindTable(ts: typeof import('typescript'), name: string, kinds: (K: typeof ts.SyntaxKind) => readonly ts.SyntaxKind[]): readonly boolean[] {
  let byName = scopeKindTables.get(ts);
  if (!byName) scopeKindTables.set(ts, (byName = new Map()));
  let table = byName.get(name);
  if (!table) {
    table = [];
    for (let kind = 0; kind <= ts.SyntaxKind.Count; kind++) table[kind] = ts.isFunctionLike({ kind } as ts.Node);
    for (const kind of kinds(ts.SyntaxKind)) table[kind] = true;
    byName.set(name, table);
  }
  return table;
}
const scopeKindTables = new WeakMap<object, Map<string, boolean[]>>();

/** True when `id` is used as a value (not a property name, a declaration's own name, a label or a type name). */
export function isValueReference(ts: typeof import('typescript'), id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isPropertySignature(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p)) && p.name === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p) || ts.isClassDeclaration(p) || ts.isClassExpression(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && (p.name === id || p.propertyName === id)) return false;
  if (ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isImportEqualsDeclaration(p) || ts.isExportSpecifier(p)) return false;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  if (ts.isQualifiedName(p) || ts.isTypeReferenceNode(p) || ts.isTypeQueryNode(p) || ts.isExpressionWithTypeArguments(p)) return false;
  if (ts.isEnumMember(p) || ts.isTypeAliasDeclaration(p) || ts.isInterfaceDeclaration(p) || ts.isTypeParameterDeclaration(p)) return false;
  return true;
}

/** Every value reference in the file to the variable declared by `decl` (one identifier of a declaration). */
export function referencesTo(ctx: RuleContext, decl: BindingDeclaration, name: string): ts.Identifier[] {
  const byName = ctx.memo(referencesTo, () => new Map<string, Map<BindingDeclaration, ts.Identifier[]>>());
  let byDecl = byName.get(name);
  if (!byDecl) {
    // All references of a name are resolved once, then grouped by what they refer to.
    byDecl = new Map();
    for (const id of identifiersNamed(ctx, name)) {
      if (!isValueReference(ctx.ts, id)) continue;
      const d = resolveBinding(ctx, id);
      if (!d) continue;
      let list = byDecl.get(d);
      if (!list) byDecl.set(d, (list = []));
      list.push(id);
    }
    byName.set(name, byDecl);
  }
  return byDecl.get(decl) ?? [];
}

/** Every identifier of the file with this text (an index built once per file). */
export function identifiersNamed(ctx: RuleContext, name: string): readonly ts.Identifier[] {
  return ctx.identifiersNamed(name);
}

/** True when the variable statement holding `decl` is exported, or the name is exported by `export { }` / CommonJS exports. */
export function isExportedName(ctx: RuleContext, decl: ts.Node, name: string): boolean {
  const { ts } = ctx;
  const exported = ctx.memo(exportedNames, () => exportedNames(ctx));
  let statement: ts.Node | undefined = decl;
  while (statement && (ts.isVariableDeclaration(statement) || ts.isVariableDeclarationList(statement))) statement = statement.parent;
  if (statement && (ts.isVariableStatement(statement) || ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement))) {
    if (statement.modifiers?.some(m => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
  }
  if (statement && !ts.isSourceFile(statement.parent)) return false; // only module-level names can be exported
  return exported.has(name);
}

/** Names exported by `export { }` and `export default name`. */
function exportedNames(ctx: RuleContext): Set<string> {
  const { ts } = ctx;
  const exported = new Set<string>();
  for (const spec of ctx.nodesOfKind<ts.ExportSpecifier>(ts.SyntaxKind.ExportSpecifier)) exported.add((spec.propertyName ?? spec.name).text);
  for (const ea of ctx.nodesOfKind<ts.ExportAssignment>(ts.SyntaxKind.ExportAssignment)) if (ts.isIdentifier(ea.expression)) exported.add(ea.expression.text);
  return exported;
}

/** The initializer of the `const`/`let` variable an identifier refers to, when declared in this file by a plain name. */
export function localInitializer(ctx: RuleContext, id: ts.Identifier): ts.Expression | undefined {
  const decl = resolveBinding(ctx, id);
  if (!decl || !ctx.ts.isVariableDeclaration(decl) || !ctx.ts.isIdentifier(decl.name)) return undefined;
  return decl.initializer;
}

/**
 * The object literal an options argument is: written in place, or a variable of this file initialised with one.
 * `declaration` is set in the second case.
 */
export function resolveObjectLiteral(
  ctx: RuleContext,
  expr: ts.Expression | undefined,
): { obj: ts.ObjectLiteralExpression; declaration?: ts.VariableDeclaration } | undefined {
  const { ts } = ctx;
  if (!expr) return undefined;
  const e = unwrap(ts, expr);
  if (ts.isObjectLiteralExpression(e)) return { obj: e };
  if (ts.isIdentifier(e)) {
    const decl = resolveBinding(ctx, e);
    if (decl && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && decl.initializer) {
      const init = unwrap(ts, decl.initializer);
      if (ts.isObjectLiteralExpression(init)) return { obj: init, declaration: decl };
    }
  }
  return undefined;
}

// ---- functions and request handling ----

/** The name a function is known by in its file: declaration name, variable name, method or property name. */
export function functionName(ts: typeof import('typescript'), fn: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) {
    const n = propertyNameText(ts, fn.name);
    if (n) return n;
  }
  const p = fn.parent;
  if (p && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
    if ((ts.isPropertyDeclaration(p) || ts.isPropertyAssignment(p)) && p.initializer === fn) return propertyNameText(ts, p.name);
  }
  return undefined;
}

const ITERATION_CALLBACK_METHODS = new Set(['forEach', 'map', 'flatMap', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'sort', 'then', 'catch', 'finally']);

/**
 * The function whose invocation runs `node`: the nearest enclosing function, looking through callbacks that run
 * where they are written (array iteration callbacks, promise continuations, immediately invoked functions).
 * Undefined when that is the module's top level.
 */
export function runningFunction(ctx: RuleContext, node: ts.Node): ts.SignatureDeclaration | undefined {
  const { ts } = ctx;
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (!ts.isFunctionLike(n)) continue;
    if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) {
      let outer: ts.Node = n;
      while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
      const call = outer.parent;
      if (call && ts.isCallExpression(call)) {
        if (call.expression === outer) continue; // IIFE
        if (ts.isPropertyAccessExpression(call.expression) && ITERATION_CALLBACK_METHODS.has(call.expression.name.text) && call.arguments.includes(outer as ts.Expression)) continue;
      }
    }
    return n;
  }
  return undefined;
}

/** The class a member function belongs to, if any. */
function classOf(ts: typeof import('typescript'), node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (ts.isClassLike(n)) return n;
  return undefined;
}

/** The function a call invokes when it can be found in this file: `foo()` or `this.foo()` inside the class declaring `foo`. */
export function localCallTarget(ctx: RuleContext, call: ts.CallExpression): ts.SignatureDeclaration | undefined {
  const { ts } = ctx;
  const callee = unwrap(ts, call.expression);
  if (ts.isIdentifier(callee)) {
    const decl = resolveBinding(ctx, callee);
    if (!decl) return undefined;
    if (ts.isFunctionDeclaration(decl)) return decl.body ? decl : undefined;
    if (ts.isVariableDeclaration(decl) && decl.initializer) {
      const init = unwrap(ts, decl.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
    }
    return undefined;
  }
  if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = classOf(ts, call);
    if (!cls) return undefined;
    const name = callee.name.text;
    for (const m of cls.members) {
      if (propertyNameText(ts, m.name) !== name) continue;
      if (ts.isMethodDeclaration(m) && m.body) return m;
      if (ts.isPropertyDeclaration(m) && m.initializer) {
        const init = unwrap(ts, m.initializer);
        if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
      }
    }
  }
  return undefined;
}

/** Names of the functions a call in this file could reach by name: declarations, function-valued variables, class methods. */
function localFunctionNames(ctx: RuleContext): Set<string> {
  const { ts } = ctx;
  const names = new Set<string>();
  for (const fd of ctx.nodesOfKind<ts.FunctionDeclaration>(ts.SyntaxKind.FunctionDeclaration)) if (fd.name) names.add(fd.name.text);
  for (const vd of ctx.nodesOfKind<ts.VariableDeclaration>(ts.SyntaxKind.VariableDeclaration)) {
    if (!ts.isIdentifier(vd.name) || !vd.initializer) continue;
    const init = unwrap(ts, vd.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) names.add(vd.name.text);
  }
  for (const md of ctx.nodesOfKind<ts.MethodDeclaration>(ts.SyntaxKind.MethodDeclaration)) {
    const n = propertyNameText(ts, md.name);
    if (n) names.add(n);
  }
  for (const pd of ctx.nodesOfKind<ts.PropertyDeclaration>(ts.SyntaxKind.PropertyDeclaration)) {
    const n = propertyNameText(ts, pd.name);
    if (n && pd.initializer) names.add(n);
  }
  return names;
}

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'all', 'use', 'options', 'head']);
/** Every name a call that registers a per-request function is made by. */
const REQUEST_REGISTRATION_NAMES = [...ROUTE_METHODS, 'on', 'addListener', 'createServer', 'createSecureServer'];

/**
 * Functions that run once per incoming request: the MCP handlers of the file, HTTP route handlers
 * (`app.post('/mcp', (req, res) => ...)`, `http.createServer(fn)`, `server.on('request', fn)`), and every
 * function of the file they call, directly or through other local functions.
 */
export function requestFunctions(ctx: RuleContext): ReadonlySet<ts.Node> {
  return ctx.memo(findRequestFunctions, () => findRequestFunctions(ctx));
}

function findRequestFunctions(ctx: RuleContext): ReadonlySet<ts.Node> {
  const { ts } = ctx;
  const set = new Set<ts.Node>(ctx.handlers as readonly ts.Node[]);
  const lastFunctionArg = (call: ts.CallExpression): FunctionLike | undefined => {
    for (let i = call.arguments.length - 1; i >= 0; i--) {
      const fn = ctx.functionOf(call.arguments[i]);
      if (fn) return fn;
    }
    return undefined;
  };
  for (const call of ctx.callsNamed(REQUEST_REGISTRATION_NAMES)) {
    const callee = call.expression;
    if (ts.isPropertyAccessExpression(callee) && ROUTE_METHODS.has(callee.name.text) && call.arguments.length >= 2) {
      const first = unwrap(ts, call.arguments[0]);
      if (ts.isStringLiteralLike(first) || ts.isTemplateExpression(first) || ts.isRegularExpressionLiteral(first) || ts.isArrayLiteralExpression(first)) {
        const fn = lastFunctionArg(call);
        if (fn && fn.parameters.length >= 2) set.add(fn);
      }
    }
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'on' || callee.name.text === 'addListener')) {
      if (stringLiteralText(ts, call.arguments[0]) === 'request') {
        const fn = lastFunctionArg(call);
        if (fn) set.add(fn);
      }
    }
    const calledName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    if ((calledName === 'createServer' || calledName === 'createSecureServer') && ctx.isCallTo(call, ['http', 'https', 'http2'], ['createServer', 'createSecureServer'])) {
      const fn = lastFunctionArg(call);
      if (fn) set.add(fn);
    }
  }
  if (set.size > 0) {
    // Calls to functions of this file, grouped under every function that contains them; then a worklist from the
    // handlers. Only callees named like a local function are resolved.
    const localNames = localFunctionNames(ctx);
    const callsInside = new Map<ts.Node, ts.SignatureDeclaration[]>();
    for (const call of ctx.callsNamed([...localNames])) {
      const callee = unwrap(ts, call.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword ? callee.name.text : undefined;
      if (name === undefined || !localNames.has(name)) continue;
      const target = localCallTarget(ctx, call);
      if (!target) continue;
      for (let n: ts.Node | undefined = call.parent; n; n = n.parent) {
        if (!ts.isFunctionLike(n)) continue;
        let list = callsInside.get(n);
        if (!list) callsInside.set(n, (list = []));
        list.push(target);
      }
    }
    const queue = [...set];
    while (queue.length > 0) {
      const fn = queue.pop()!;
      for (const target of callsInside.get(fn) ?? []) {
        if (set.has(target)) continue;
        set.add(target);
        queue.push(target);
      }
    }
  }
  return set;
}

/** True when one of `node`'s ancestors is in `set`. */
export function isInside(node: ts.Node, set: ReadonlySet<ts.Node>): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (set.has(n)) return true;
  return false;
}

/**
 * True when a named function of this file only ever runs at start-up: it is not exported, and every mention of
 * its name is a call made from the module's top level (or from another such function).
 */
export function runsOnlyAtStartup(ctx: RuleContext, fn: ts.SignatureDeclaration, seen = new Set<ts.Node>()): boolean {
  const { ts } = ctx;
  if (seen.has(fn)) return true;
  seen.add(fn);
  let decl: BindingDeclaration | undefined;
  let name: string | undefined;
  if (ts.isFunctionDeclaration(fn) && fn.name) {
    decl = fn;
    name = fn.name.text;
  } else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && fn.parent && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) {
    decl = fn.parent;
    name = fn.parent.name.text;
  }
  if (!decl || !name) return false;
  if (isExportedName(ctx, decl, name)) return false;
  const refs = referencesTo(ctx, decl, name);
  if (refs.length === 0) return false;
  for (const ref of refs) {
    const call = ref.parent;
    if (!ts.isCallExpression(call) || call.expression !== ref) return false;
    const where = runningFunction(ctx, call);
    if (where && !runsOnlyAtStartup(ctx, where, seen)) return false;
  }
  return true;
}
