// What an MCP handler receives from the client, and where that data goes inside the handler.
// Used by rules that follow client input to a dangerous call (shell commands, file paths).
// The analysis is syntactic and flow-insensitive within one handler: cheap, and good enough for
// the "parameter -> variables -> call" shapes real handlers have.
import type * as ts from 'typescript';
import { REGISTRATION_NAMES, type FunctionLike, type RuleContext } from './rule-context';
import { HANDLER_REGISTRATION_METHODS, OBJECT_HANDLER_METHODS } from './mcp-modules';
import { isDeclaredName, scopeKindTable } from './syntax-helpers';

export type HandlerKind = 'tool' | 'resource' | 'prompt' | 'request';

export interface HandlerRegistration {
  handler: FunctionLike;
  /** The registering call (`server.registerTool(...)`, `server.addTool({...})`). */
  call: ts.CallExpression;
  method: string;
  kind: HandlerKind;
  /** The registered name when it is a literal (`'read_file'`), or the request schema's name. */
  name?: string;
  /** Parameters of the handler that carry data chosen by the client. */
  inputParameters: ts.ParameterDeclaration[];
  /** Input schema as written at the registration (raw shape, Zod schema or FastMCP `parameters`), if any. */
  schema?: ts.Expression;
}

const KIND_OF_METHOD: Record<string, HandlerKind> = {
  tool: 'tool',
  registerTool: 'tool',
  addTool: 'tool',
  resource: 'resource',
  registerResource: 'resource',
  addResource: 'resource',
  addResourceTemplate: 'resource',
  prompt: 'prompt',
  registerPrompt: 'prompt',
  addPrompt: 'prompt',
  setRequestHandler: 'request',
};

/** Every handler registration of the file, keyed by handler function. Computed once per file. */
export function registrations(ctx: RuleContext): Map<FunctionLike, HandlerRegistration> {
  return ctx.memo(findRegistrations, () => findRegistrations(ctx));
}

function findRegistrations(ctx: RuleContext): Map<FunctionLike, HandlerRegistration> {
  const { ts } = ctx;
  const map = new Map<FunctionLike, HandlerRegistration>();
  if (ctx.handlers.length > 0) {
    for (const call of ctx.callsNamed(REGISTRATION_NAMES)) {
      if (!ts.isPropertyAccessExpression(call.expression)) continue;
      const method = call.expression.name.text;
      if (HANDLER_REGISTRATION_METHODS.has(method)) {
        for (let i = call.arguments.length - 1; i >= 0; i--) {
          const fn = ctx.functionOf(call.arguments[i]);
          if (!fn) continue;
          if (!map.has(fn)) map.set(fn, describeSdkRegistration(ctx, call, method, fn, i));
          break;
        }
      } else if (OBJECT_HANDLER_METHODS[method]) {
        const arg = call.arguments[0];
        if (!arg || !ts.isObjectLiteralExpression(arg)) continue;
        const fn = objectHandler(ctx, arg, OBJECT_HANDLER_METHODS[method]);
        if (fn && !map.has(fn)) map.set(fn, describeObjectRegistration(ctx, call, method, fn, arg));
      }
    }
  }
  return map;
}

export function registrationOf(ctx: RuleContext, handler: FunctionLike): HandlerRegistration | undefined {
  return registrations(ctx).get(handler);
}

/** "the tool handler `read_file`", "the request handler for `CallToolRequestSchema`". */
export function describeHandler(reg: HandlerRegistration | undefined): string {
  if (!reg) return 'an MCP handler';
  if (reg.kind === 'request') return reg.name ? `the \`${reg.name}\` request handler` : 'a request handler';
  return reg.name ? `the ${reg.kind} handler \`${reg.name}\`` : `a ${reg.kind} handler`;
}

/** Property of an object literal by (identifier or string) name. */
export function propertyOf(ctx: RuleContext, obj: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  const { ts } = ctx;
  return obj.properties.find(p => {
    const n = p.name;
    return n !== undefined && (ts.isIdentifier(n) || ts.isStringLiteral(n)) && n.text === name;
  });
}

/** The initializer of `name: value` (or the identifier of `{ name }`) in an object literal. */
export function propertyValue(ctx: RuleContext, obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  const { ts } = ctx;
  const p = propertyOf(ctx, obj, name);
  if (!p) return undefined;
  if (ts.isPropertyAssignment(p)) return p.initializer;
  if (ts.isShorthandPropertyAssignment(p)) return p.name;
  return undefined;
}

function objectHandler(ctx: RuleContext, obj: ts.ObjectLiteralExpression, names: string[]): FunctionLike | undefined {
  const { ts } = ctx;
  for (const prop of obj.properties) {
    const pname = prop.name && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) ? prop.name.text : undefined;
    if (!pname || !names.includes(pname)) continue;
    if (ts.isMethodDeclaration(prop)) return prop;
    if (ts.isPropertyAssignment(prop)) return ctx.functionOf(prop.initializer);
  }
  return undefined;
}

function literalText(ctx: RuleContext, e: ts.Expression | undefined): string | undefined {
  return e && ctx.ts.isStringLiteralLike(e) ? e.text : undefined;
}

function describeSdkRegistration(ctx: RuleContext, call: ts.CallExpression, method: string, fn: FunctionLike, fnIndex: number): HandlerRegistration {
  const { ts } = ctx;
  const args = call.arguments;
  const kind = KIND_OF_METHOD[method] ?? 'request';
  const reg: HandlerRegistration = { handler: fn, call, method, kind, inputParameters: [] };
  const params = fn.parameters;
  if (kind === 'request') {
    const schema = args[0];
    if (schema) reg.name = ctx.dottedName(schema)?.split('.').pop();
    // (request, extra): everything in `request.params` comes from the client.
    if (params[0]) reg.inputParameters.push(params[0]);
    return reg;
  }
  reg.name = literalText(ctx, args[0]);
  const between = args.slice(1, fnIndex);
  if (method === 'registerTool' || method === 'registerPrompt') {
    const config = between[0];
    const key = method === 'registerTool' ? 'inputSchema' : 'argsSchema';
    let hasSchema = true; // a config built elsewhere may carry a schema
    if (config && ts.isObjectLiteralExpression(config)) {
      reg.schema = propertyValue(ctx, config, key);
      hasSchema = reg.schema !== undefined || config.properties.some(p => ts.isSpreadAssignment(p));
    }
    if (hasSchema && params[0]) reg.inputParameters.push(params[0]);
    return reg;
  }
  if (method === 'tool' || method === 'prompt') {
    // tool(name, [description], [schema | annotations], [annotations], cb): the first object after the
    // name/description is the schema unless it only holds annotation flags.
    const objectArgs = between.filter(a => !ts.isStringLiteralLike(a));
    const first = objectArgs[0];
    const isAnnotations =
      first !== undefined &&
      ts.isObjectLiteralExpression(first) &&
      first.properties.length > 0 &&
      first.properties.every(p => ts.isPropertyAssignment(p) && (isBooleanOrString(ctx, p.initializer)));
    if (first && !isAnnotations) {
      reg.schema = first;
      if (params[0]) reg.inputParameters.push(params[0]);
    }
    return reg;
  }
  // resource(name, uriOrTemplate, [metadata], cb) / registerResource(name, uriOrTemplate, config, cb):
  // a template's callback gets (uri, variables, extra), both filled from the URI the client sent.
  const uriOrTemplate = args[1];
  if (uriOrTemplate && !ts.isStringLiteralLike(uriOrTemplate)) {
    if (params[0]) reg.inputParameters.push(params[0]);
    if (params[1]) reg.inputParameters.push(params[1]);
  }
  return reg;
}

function isBooleanOrString(ctx: RuleContext, e: ts.Expression): boolean {
  const k = e.kind;
  const { SyntaxKind } = ctx.ts;
  return k === SyntaxKind.TrueKeyword || k === SyntaxKind.FalseKeyword || ctx.ts.isStringLiteralLike(e);
}

function describeObjectRegistration(
  ctx: RuleContext,
  call: ts.CallExpression,
  method: string,
  fn: FunctionLike,
  obj: ts.ObjectLiteralExpression,
): HandlerRegistration {
  const kind = KIND_OF_METHOD[method] ?? 'tool';
  const reg: HandlerRegistration = { handler: fn, call, method, kind, inputParameters: [] };
  reg.name = literalText(ctx, propertyValue(ctx, obj, 'name')) ?? literalText(ctx, propertyValue(ctx, obj, 'uriTemplate'));
  const params = fn.parameters;
  if (method === 'addTool') {
    reg.schema = propertyValue(ctx, obj, 'parameters');
    if (reg.schema && params[0]) reg.inputParameters.push(params[0]);
  } else if (method === 'addResourceTemplate' || method === 'addPrompt') {
    if (params[0]) reg.inputParameters.push(params[0]);
  }
  return reg;
}

// ---- per-file indexes (built once per file, so rules stay linear in its size) ----

/** Nodes of `kind` anywhere inside the function-like `container` (none for other containers), in source order. */
export function nodesInside<T extends ts.Node>(ctx: RuleContext, container: ts.Node, kind: ts.SyntaxKind): readonly T[] {
  return ctx.ts.isFunctionLike(container) ? ctx.nodesInside<T>(container, kind) : [];
}

/** The innermost registered handler around `node` (a set lookup per ancestor). */
export function handlerAround(ctx: RuleContext, node: ts.Node): FunctionLike | undefined {
  return ctx.enclosingHandler(node);
}

/** A function declared in this file under `name` (a declaration, or a const holding an arrow or function expression). */
export function localFunction(ctx: RuleContext, name: string): FunctionLike | undefined {
  return ctx.functionNamed(name);
}

/** Values assigned to a variable after its declaration (`x = v`, `x += v`), found through a per-file index by name. */
export function assignmentsTo(ctx: RuleContext, d: Declaration): ts.Expression[] {
  if (!ctx.ts.isIdentifier(d.name)) return [];
  const byName = ctx.memo(assignmentsByName, () => assignmentsByName(ctx));
  return (byName.get(d.name.text) ?? []).filter(b => declarationOf(ctx, b.left as ts.Identifier) === d).map(b => b.right);
}

function assignmentsByName(ctx: RuleContext): Map<string, ts.BinaryExpression[]> {
  const { ts } = ctx;
  const byName = new Map<string, ts.BinaryExpression[]>();
  for (const b of ctx.nodesOfKind<ts.BinaryExpression>(ts.SyntaxKind.BinaryExpression)) {
    const k = b.operatorToken.kind;
    if ((k !== ts.SyntaxKind.EqualsToken && k !== ts.SyntaxKind.PlusEqualsToken) || !ts.isIdentifier(b.left)) continue;
    let list = byName.get(b.left.text);
    if (!list) byName.set(b.left.text, (list = []));
    list.push(b);
  }
  return byName;
}

// ---- scopes ----

export type Declaration = ts.VariableDeclaration | ts.ParameterDeclaration | ts.BindingElement;

/** Names declared directly in a scope node (parameters, `var`/`let`/`const` of its statements, loop and catch variables). */
/**
 * Lookup caches of one analysis. Kept per RuleContext, never on nodes alone: an editor re-parses incrementally and
 * reuses unchanged nodes in a new tree, where the same identifier may resolve differently.
 */
interface Caches {
  scopes: Map<ts.Node, Map<string, Declaration>>;
  declarations: Map<ts.Identifier, Declaration | null>;
  safeFields: Map<ts.Node, Map<(regexLiteral: string) => boolean, Set<string>>>;
}
function caches(ctx: RuleContext): Caches {
  return ctx.memo(caches, (): Caches => ({ scopes: new Map(), declarations: new Map(), safeFields: new Map() }));
}

const NO_NAMES = new Map<string, Declaration>();

function scopeNames(ctx: RuleContext, n: ts.Node): Map<string, Declaration> {
  const { ts } = ctx;
  const scopeCache = caches(ctx).scopes;
  const cached = scopeCache.get(n);
  if (cached) return cached;
  const lists: Array<readonly (ts.VariableDeclaration | ts.ParameterDeclaration)[]> = [];
  if (ts.isFunctionLike(n)) lists.push(n.parameters);
  if (ts.isBlock(n) || ts.isSourceFile(n) || ts.isModuleBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n)) {
    for (const st of n.statements) if (ts.isVariableStatement(st)) lists.push(st.declarationList.declarations);
  }
  if ((ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n)) && n.initializer && ts.isVariableDeclarationList(n.initializer)) {
    lists.push(n.initializer.declarations);
  }
  if (ts.isCatchClause(n) && n.variableDeclaration) lists.push([n.variableDeclaration]);
  if (lists.length === 0) {
    scopeCache.set(n, NO_NAMES);
    return NO_NAMES;
  }
  const map = new Map<string, Declaration>();
  const add = (d: Declaration): void => {
    if (ts.isIdentifier(d.name)) {
      if (!map.has(d.name.text)) map.set(d.name.text, d);
      return;
    }
    for (const el of d.name.elements) if (!ts.isOmittedExpression(el)) add(el);
  };
  for (const list of lists) for (const d of list) add(d);
  const names = map.size > 0 ? map : NO_NAMES;
  scopeCache.set(n, names);
  return names;
}

/** The local declaration an identifier refers to, found by walking the enclosing scopes (no checker needed). */
export function declarationOf(ctx: RuleContext, id: ts.Identifier): Declaration | undefined {
  if (!isDeclaredName(ctx, id.text)) return undefined;
  const declarationCache = caches(ctx).declarations;
  const cached = declarationCache.get(id);
  if (cached !== undefined) return cached ?? undefined;
  let found: Declaration | undefined;
  const opensScope = scopeKinds(ctx.ts);
  const text = id.text;
  for (let n: ts.Node | undefined = id.parent; n && !found; n = n.parent) if (opensScope[n.kind]) found = scopeNames(ctx, n).get(text);
  declarationCache.set(id, found ?? null);
  return found;
}

/** By syntax kind: whether `scopeNames` can find names in a node of that kind (other nodes are passed by). */
function scopeKinds(ts: typeof import('typescript')): readonly boolean[] {
  return scopeKindTable(ts, 'variables', K => [K.Block, K.SourceFile, K.ModuleBlock, K.CaseClause, K.DefaultClause, K.ForStatement, K.ForOfStatement, K.ForInStatement, K.CatchClause]);
}

/** The expression a declaration's value comes from: its initializer, or the object a binding element is destructured from. */
export function initializerOf(ctx: RuleContext, d: Declaration): ts.Expression | undefined {
  const { ts } = ctx;
  if (ts.isBindingElement(d)) {
    let root: ts.Node = d;
    while (ts.isBindingElement(root) || ts.isObjectBindingPattern(root) || ts.isArrayBindingPattern(root)) root = root.parent;
    return ts.isVariableDeclaration(root) ? root.initializer : undefined;
  }
  return d.initializer;
}

/** True when an identifier node is used as a value (not a property name, key or declaration name). */
export function isValueReference(ctx: RuleContext, id: ts.Identifier): boolean {
  const { ts } = ctx;
  const p = id.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p)) && p.name === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && (p.name === id || p.propertyName === id)) return false;
  if (ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isExportSpecifier(p)) return false;
  if (ts.isQualifiedName(p) || ts.isTypeReferenceNode(p)) return false;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  return true;
}

// ---- client input flow ----

/** Calls whose result no longer carries the client's value in a dangerous form, as judged by a rule. */
export type Sanitizer = (ctx: RuleContext, call: ts.CallExpression) => boolean;

/** Methods whose result is a boolean or a number, whatever the receiver. */
const NON_VALUE_METHODS = new Set(['includes', 'startsWith', 'endsWith', 'has', 'test', 'some', 'every', 'indexOf', 'lastIndexOf', 'localeCompare', 'findIndex', 'search']);

/**
 * Which declarations inside one handler hold client input, and which expressions are built from it.
 * Declarations are tracked (not names), so shadowing is respected.
 */
export class InputFlow {
  private readonly tainted = new Set<Declaration>();
  /** Fields of the handler's arguments whose schema only admits safe values (enums, numbers, anchored word patterns). */
  private readonly safeFields: Set<string>;

  constructor(
    private readonly ctx: RuleContext,
    readonly registration: HandlerRegistration,
    private readonly sanitizer: Sanitizer,
    /** Whether a `z.string().regex(...)` pattern (the literal's text) keeps the value harmless for this rule. */
    safePattern: (regexLiteral: string) => boolean = isPathSafePattern,
  ) {
    this.safeFields = safeSchemaFields(ctx, registration.schema, safePattern);
    const { ts } = ctx;
    for (const p of registration.inputParameters) {
      if (ts.isIdentifier(p.name)) this.tainted.add(p);
      else this.taintPattern(p.name, true);
    }
    if (this.tainted.size > 0) this.propagate();
  }

  get hasInput(): boolean {
    return this.tainted.size > 0;
  }

  isTainted(d: Declaration): boolean {
    return this.tainted.has(d);
  }

  /** A handler parameter that carries client input, or a name destructured from one. */
  isInputDeclaration(d: Declaration): boolean {
    for (let n: ts.Node | undefined = d; n; n = n.parent) {
      if (this.ctx.ts.isParameter(n)) return this.registration.inputParameters.includes(n);
      if (!this.ctx.ts.isBindingElement(n) && !this.ctx.ts.isObjectBindingPattern(n) && !this.ctx.ts.isArrayBindingPattern(n)) return false;
    }
    return false;
  }

  /**
   * Where the client input in `expr` was received: follows variables back to the handler's parameter
   * (`cmd` built from `ref` gives `ref`). `direct` is true when `expr` is that input itself, unchanged.
   */
  origin(expr: ts.Expression): { text: string; direct: boolean } | undefined {
    const { ts } = this.ctx;
    let ref = this.references(expr)[0];
    if (!ref) return undefined;
    // Direct: `expr` is the input itself, or variables that pass it on unchanged (`const cmd = args.command`).
    let direct = ref === unwrap(ts, expr) || ref === expr;
    for (let guard = 0; guard < 10; guard++) {
      // A named field (`parsed.data.path`, `args.command`) already says what the value is.
      if (!ts.isIdentifier(ref)) return { text: this.ctx.getText(ref), direct: direct && guard === 0 };
      const d = declarationOf(this.ctx, ref);
      if (!d || this.isInputDeclaration(d)) return { text: this.ctx.getText(ref), direct };
      const init = initializerOf(this.ctx, d);
      const next = init && this.references(init)[0];
      if (!init || !next) return { text: this.ctx.getText(ref), direct: false };
      if (next !== unwrap(ts, init) || ts.isBindingElement(d)) direct = false;
      ref = next;
    }
    return { text: this.ctx.getText(ref), direct: false };
  }

  /** True when `e` reads a handler input that its schema restricts to safe values (`z.number()`, `z.enum`). */
  isSafeInput(e: ts.Expression): boolean {
    const { ts } = this.ctx;
    let root = unwrap(ts, e);
    while (ts.isPropertyAccessExpression(root)) root = unwrap(ts, root.expression);
    if (!ts.isIdentifier(root)) return false;
    const d = declarationOf(this.ctx, root);
    return !!d && this.isInputDeclaration(d) && this.references(e).length === 0;
  }

  private taintPattern(pattern: ts.BindingPattern, topLevel: boolean): void {
    const { ts } = this.ctx;
    for (const el of pattern.elements) {
      if (ts.isOmittedExpression(el)) continue;
      const key = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : ts.isIdentifier(el.name) ? el.name.text : undefined;
      if (topLevel && key !== undefined && this.safeFields.has(key)) continue;
      if (ts.isIdentifier(el.name)) this.tainted.add(el);
      else this.taintPattern(el.name, false);
    }
  }

  private propagate(): void {
    const { ts } = this.ctx;
    const fn = this.registration.handler;
    const decls = nodesInside<ts.VariableDeclaration>(this.ctx, fn, ts.SyntaxKind.VariableDeclaration);
    const assignments = nodesInside<ts.BinaryExpression>(this.ctx, fn, ts.SyntaxKind.BinaryExpression).filter(
      b => isAssignment(ts, b.operatorToken.kind) && ts.isIdentifier(b.left),
    );
    for (let round = 0; round < 20; round++) {
      const before = this.tainted.size;
      for (const d of decls) {
        if (this.tainted.has(d)) continue;
        let source: ts.Expression | undefined = d.initializer;
        // for (const x of args.items)
        const list = d.parent;
        if (!source && ts.isVariableDeclarationList(list) && (ts.isForOfStatement(list.parent) || ts.isForInStatement(list.parent))) {
          source = list.parent.expression;
        }
        if (!source || !this.dependsOnInput(source)) continue;
        if (ts.isIdentifier(d.name)) this.tainted.add(d);
        else this.taintPattern(d.name, this.isWholeInput(source));
      }
      for (const a of assignments) {
        const d = declarationOf(this.ctx, a.left as ts.Identifier);
        if (d && !this.tainted.has(d) && this.dependsOnInput(a.right)) this.tainted.add(d);
      }
      if (this.tainted.size === before) break;
    }
  }

  /** `args` itself (the whole argument object), so schema field safety applies to its destructuring. */
  private isWholeInput(e: ts.Expression): boolean {
    const { ts } = this.ctx;
    const inner = unwrap(ts, e);
    if (!ts.isIdentifier(inner)) return false;
    const d = declarationOf(this.ctx, inner);
    return d !== undefined && this.registration.inputParameters.includes(d as ts.ParameterDeclaration);
  }

  /**
   * The first place in `expr` where client input enters its value, shown as source text
   * (`path`, `args.path`), or undefined when the value does not depend on client input.
   */
  source(expr: ts.Expression): string | undefined {
    return this.sources(expr, true)[0];
  }

  /** True when `expr`'s value depends on client input (`source` without its text). */
  private dependsOnInput(expr: ts.Expression): boolean {
    const refs: ts.Expression[] = [];
    this.visit(expr, refs, true);
    return refs.length > 0;
  }

  /** Every reference to client input that feeds `expr`'s value, as nodes. */
  references(expr: ts.Expression): ts.Expression[] {
    const out: ts.Expression[] = [];
    this.visit(expr, out, false);
    return out;
  }

  private sources(expr: ts.Expression, firstOnly: boolean): string[] {
    const refs: ts.Expression[] = [];
    this.visit(expr, refs, firstOnly);
    return refs.map(r => this.ctx.getText(r));
  }

  private visit(e: ts.Node, out: ts.Expression[], firstOnly: boolean): void {
    if (firstOnly && out.length > 0) return;
    const { ts } = this.ctx;
    if (ts.isIdentifier(e)) {
      if (!isValueReference(this.ctx, e)) return;
      const d = declarationOf(this.ctx, e);
      if (d && this.tainted.has(d)) out.push(e);
      return;
    }
    if (ts.isPropertyAccessExpression(e)) {
      if (e.name.text === 'length') return;
      let first = e;
      let root = unwrap(ts, e.expression);
      while (ts.isPropertyAccessExpression(root)) {
        first = root;
        root = unwrap(ts, root.expression);
      }
      if (!ts.isIdentifier(root)) {
        this.visit(root, out, firstOnly);
        return;
      }
      const d = isValueReference(this.ctx, root) ? declarationOf(this.ctx, root) : undefined;
      if (!d || !this.tainted.has(d)) return;
      // `args.kind` where the schema only admits an enum is safe; `args.path` is the input.
      if (this.isWholeInput(root) && this.safeFields.has(first.name.text)) return;
      out.push(e);
      return;
    }
    if (ts.isElementAccessExpression(e)) {
      // TABLE[args.key] picks a server-side value; only the object matters.
      this.visit(e.expression, out, firstOnly);
      return;
    }
    if (ts.isCallExpression(e)) {
      if (this.sanitizer(this.ctx, e)) return;
      const callee = e.expression;
      if (ts.isPropertyAccessExpression(callee) && NON_VALUE_METHODS.has(callee.name.text)) return;
      if (ts.isPropertyAccessExpression(callee)) this.visit(callee.expression, out, firstOnly);
      for (const a of e.arguments) this.visit(a, out, firstOnly);
      return;
    }
    if (ts.isBinaryExpression(e)) {
      if (producesNonString(ts, e.operatorToken.kind)) return;
      if (isAssignment(ts, e.operatorToken.kind)) {
        this.visit(e.right, out, firstOnly);
        return;
      }
      this.visit(e.left, out, firstOnly);
      this.visit(e.right, out, firstOnly);
      return;
    }
    if (ts.isConditionalExpression(e)) {
      this.visit(e.whenTrue, out, firstOnly);
      this.visit(e.whenFalse, out, firstOnly);
      return;
    }
    if (ts.isPrefixUnaryExpression(e) || ts.isTypeOfExpression(e) || ts.isVoidExpression(e) || ts.isDeleteExpression(e)) {
      return;
    }
    if (ts.isFunctionLike(e) || ts.isClassExpression(e)) return;
    if (ts.isObjectLiteralExpression(e)) {
      for (const p of e.properties) {
        if (ts.isPropertyAssignment(p)) this.visit(p.initializer, out, firstOnly);
        else if (ts.isShorthandPropertyAssignment(p)) this.visit(p.name, out, firstOnly);
        else if (ts.isSpreadAssignment(p)) this.visit(p.expression, out, firstOnly);
      }
      return;
    }
    ts.forEachChild(e, child => {
      if (ts.isExpression(child) || ts.isTemplateSpan(child) || ts.isSpreadElement(child)) this.visit(child, out, firstOnly);
    });
  }
}

/** The called name as written: `readFileSync` in `fs.readFileSync(...)` and in `readFileSync(...)`. A cheap filter before resolving. */
export function calledName(ts: typeof import('typescript'), call: ts.CallExpression): string | undefined {
  let e: ts.Expression = call.expression;
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

export function unwrap(ts: typeof import('typescript'), e: ts.Expression): ts.Expression {
  let x = e;
  while (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isNonNullExpression(x) || ts.isSatisfiesExpression(x) || ts.isAwaitExpression(x) || ts.isTypeAssertionExpression(x)) {
    x = x.expression;
  }
  return x;
}

function isAssignment(ts: typeof import('typescript'), k: ts.SyntaxKind): boolean {
  return k === ts.SyntaxKind.EqualsToken || k === ts.SyntaxKind.PlusEqualsToken || k === ts.SyntaxKind.QuestionQuestionEqualsToken || k === ts.SyntaxKind.BarBarEqualsToken;
}

/** Operators whose result is a boolean or a number. */
function producesNonString(ts: typeof import('typescript'), k: ts.SyntaxKind): boolean {
  const S = ts.SyntaxKind;
  return (
    k === S.EqualsEqualsToken || k === S.EqualsEqualsEqualsToken || k === S.ExclamationEqualsToken || k === S.ExclamationEqualsEqualsToken ||
    k === S.LessThanToken || k === S.LessThanEqualsToken || k === S.GreaterThanToken || k === S.GreaterThanEqualsToken ||
    k === S.InstanceOfKeyword || k === S.InKeyword || k === S.MinusToken || k === S.AsteriskToken || k === S.SlashToken ||
    k === S.PercentToken || k === S.AsteriskAsteriskToken
  );
}

// ---- schemas ----

/** True when `call` is `z.<name>(...)` (or `<name>(...)` imported) from a zod module. */
export function isZodCall(ctx: RuleContext, e: ts.Expression, names: readonly string[]): boolean {
  const { ts } = ctx;
  if (!ts.isCallExpression(e)) return false;
  const r = ctx.resolveCallee(e.expression);
  if (!r || !r.module || !(r.module === 'zod' || r.module.startsWith('zod/'))) return false;
  if (r.object !== undefined && r.object !== 'z' && r.object !== 'coerce' && r.object !== 'z.coerce') return false;
  return names.includes(r.name);
}

/** The chain `z.string().regex(...).optional()` as [base call, ...method calls] from the inside out. */
export function zodChain(ctx: RuleContext, e: ts.Expression): { base: ts.CallExpression; methods: ts.CallExpression[] } | undefined {
  const { ts } = ctx;
  const methods: ts.CallExpression[] = [];
  let cur = unwrap(ts, e);
  for (let i = 0; i < 30; i++) {
    if (!ts.isCallExpression(cur)) return undefined;
    const callee = cur.expression;
    if (ts.isPropertyAccessExpression(callee) && ts.isCallExpression(unwrap(ts, callee.expression))) {
      methods.unshift(cur);
      cur = unwrap(ts, callee.expression);
      continue;
    }
    const r = ctx.resolveCallee(callee);
    if (!r || !r.module || !(r.module === 'zod' || r.module.startsWith('zod/'))) return undefined;
    return { base: cur, methods };
  }
  return undefined;
}

export function methodName(ctx: RuleContext, call: ts.CallExpression): string | undefined {
  return ctx.ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : undefined;
}

/** The object shape of a schema: a raw shape `{ a: z.string() }` or `z.object({ ... })`. */
export function schemaShape(ctx: RuleContext, schema: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  const { ts } = ctx;
  if (!schema) return undefined;
  const e = resolveConst(ctx, unwrap(ts, schema));
  if (ts.isObjectLiteralExpression(e)) return e;
  const chain = zodChain(ctx, e);
  if (chain && isZodCall(ctx, chain.base, ['object', 'strictObject', 'looseObject'])) {
    const arg = chain.base.arguments[0];
    return arg && ts.isObjectLiteralExpression(arg) ? arg : undefined;
  }
  return undefined;
}

/** Follows an identifier to the initializer of a `const` declared in this file. */
export function resolveConst(ctx: RuleContext, e: ts.Expression): ts.Expression {
  const { ts } = ctx;
  let cur = e;
  for (let i = 0; i < 5 && ts.isIdentifier(cur); i++) {
    const d = declarationOf(ctx, cur);
    if (!d || !ts.isVariableDeclaration(d) || !d.initializer || !(d.parent.flags & ts.NodeFlags.Const)) break;
    cur = unwrap(ts, d.initializer);
  }
  return cur;
}

const SAFE_ZOD_BASES = ['enum', 'nativeEnum', 'literal', 'number', 'boolean', 'bigint', 'int', 'uuid', 'date'];
const SAFE_ZOD_METHODS = ['uuid', 'int', 'cuid', 'cuid2', 'ulid', 'datetime', 'date', 'ip', 'ipv4', 'ipv6'];

/** Field names of a schema whose values cannot carry a path or a shell fragment. */
function safeSchemaFields(ctx: RuleContext, schema: ts.Expression | undefined, safePattern: (regexLiteral: string) => boolean): Set<string> {
  if (!schema) return new Set();
  const safeFieldsCache = caches(ctx).safeFields;
  let bySafety = safeFieldsCache.get(schema);
  if (!bySafety) safeFieldsCache.set(schema, (bySafety = new Map()));
  let fields = bySafety.get(safePattern);
  if (!fields) bySafety.set(safePattern, (fields = computeSafeFields(ctx, schema, safePattern)));
  return fields;
}

function computeSafeFields(ctx: RuleContext, schema: ts.Expression, safePattern: (regexLiteral: string) => boolean): Set<string> {
  const { ts } = ctx;
  const out = new Set<string>();
  const shape = schemaShape(ctx, schema);
  if (!shape) return out;
  for (const p of shape.properties) {
    if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) continue;
    if (isSafeFieldSchema(ctx, p.initializer, safePattern)) out.add(p.name.text);
  }
  return out;
}

function isSafeFieldSchema(ctx: RuleContext, field: ts.Expression, safePattern: (regexLiteral: string) => boolean): boolean {
  const { ts } = ctx;
  const chain = zodChain(ctx, field);
  if (!chain) return false;
  if (isZodCall(ctx, chain.base, SAFE_ZOD_BASES)) return true;
  for (const m of chain.methods) {
    const name = methodName(ctx, m);
    if (name && SAFE_ZOD_METHODS.includes(name)) return true;
    if (name === 'regex') {
      const re = m.arguments[0];
      if (re && ts.isRegularExpressionLiteral(re) && safePattern(re.text)) return true;
    }
  }
  return false;
}

/**
 * `/^[\w-]+$/`-style patterns: anchored, and admitting neither `..` nor a path separator. A single escaped dot
 * outside a character class (`^[\w-]+\.md$`) is fine; `.` in a class, a wildcard `.`, `/`, a backslash,
 * a negated class or `\S`/`\W`/`\D` is not.
 */
export function isPathSafePattern(literal: string): boolean {
  const source = literal.slice(1, literal.lastIndexOf('/'));
  if (!source.startsWith('^') || !source.endsWith('$')) return false;
  const body = source.slice(1, -1);
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      const next = body[i + 1] ?? '';
      i++;
      if (next === '.') {
        // One literal dot: not in a class, not repeated, not next to another one.
        if (inClass || /[*+?{)]/.test(body[i + 1] ?? '') || body.slice(i + 1, i + 3) === '\\.' || body.slice(i - 3, i - 1) === '\\.') return false;
        continue;
      }
      if (/[SWDsbB\\/]/.test(next)) return false;
      continue;
    }
    if (c === '[') {
      if (body[i + 1] === '^') return false;
      inClass = true;
    } else if (c === ']') inClass = false;
    else if (c === '.' || c === '/') return false;
  }
  return true;
}

/**
 * Anchored patterns whose characters are all harmless to a shell: word characters, `.`, `-`, `/`, `:`, `@`,
 * `+`, `=`, `,`, `%` (a git ref, a package name, a relative path). No wildcard `.`, no negated class, no `\S`.
 */
export function isShellSafePattern(literal: string): boolean {
  const source = literal.slice(1, literal.lastIndexOf('/'));
  if (!source.startsWith('^') || !source.endsWith('$')) return false;
  const body = source.slice(1, -1);
  const SAFE_CHAR = /[A-Za-z0-9_.\-/:@+=,%]/;
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      const next = body[++i] ?? '';
      if (next === 'w' || next === 'd') continue;
      // An escaped safe punctuation mark is itself; a letter escape is a class or a control character.
      if (!/[A-Za-z0-9]/.test(next) && SAFE_CHAR.test(next)) continue;
      return false;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (!SAFE_CHAR.test(c)) return false;
      continue;
    }
    if (c === '[') {
      if (body[i + 1] === '^') return false;
      inClass = true;
      continue;
    }
    if (c === '.') return false; // any character
    if ('()|*+?'.includes(c)) continue;
    if (c === '{') {
      const close = body.indexOf('}', i);
      if (close < 0 || !/^\{\d+(,\d*)?\}$/.test(body.slice(i, close + 1))) return false;
      i = close;
      continue;
    }
    if (!SAFE_CHAR.test(c)) return false;
  }
  return true;
}
