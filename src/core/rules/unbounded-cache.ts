// A Map, Set, object or array that outlives requests and gains an entry per request, with nothing that ever
// removes one, grows until the process runs out of memory. So does an LRU cache built without a bound.
import type * as ts from 'typescript';
import type { Fix, Rule, TextEdit } from '../types';
import type { RuleContext } from '../rule-context';
import { addObjectProperty, ensureNamedImport, insertArgument, replaceNode } from '../fix-helpers';
import {
  importsAny,
  findProperty,
  formatMs,
  hasSpread,
  isExportedName,
  isInside,
  isZeroLiteral,
  lineOfNode,
  propertyNameText,
  propertyValue,
  referencesTo,
  requestFunctions,
  resolveBinding,
  resolveObjectLiteral,
  runningFunction,
  runsOnlyAtStartup,
  functionName,
  unwrap,
} from '../syntax-helpers';

/** The persona's cache bound: TTLCache(maxsize=1000, ttl=300). */
export const CACHE_MAX_ENTRIES = 1000;
export const CACHE_TTL_MS = 300_000;

type Kind = 'Map' | 'Set' | 'object' | 'array';

interface Container {
  kind: Kind;
  /** How the code names it: `cache`, `this.cache`, `Registry.cache`. */
  label: string;
  /** The bare name, for the "looks like a cache" test. */
  name: string;
  init: ts.Expression;
  scope: 'module' | 'closure' | 'instance' | 'static';
  /** For 'closure': the function the container is declared in. */
  declaredIn?: ts.SignatureDeclaration;
  cls?: ts.ClassLikeDeclaration;
  /** Value references: identifiers, or `this.x` / `Cls.x` property accesses. */
  refs: ts.Expression[];
  /** Accesses `obj.x` from outside the class (public fields): looked at for eviction only. */
  foreignRefs: ts.Expression[];
  /** The statement that creates it (excluded from the reassignment check). */
  creation: ts.Node;
  variable?: ts.VariableDeclaration;
  field?: ts.PropertyDeclaration;
  fieldIsPrivate: boolean;
}

const GROW: Record<Kind, string[]> = {
  Map: ['set'],
  Set: ['add'],
  array: ['push', 'unshift'],
  object: [],
};
const EVICT = new Set(['delete', 'clear', 'shift', 'pop', 'splice']);
/** Calls that read a container without keeping or changing it. */
const NON_ESCAPING_CONSUMERS = new Set([
  'Object.keys', 'Object.values', 'Object.entries', 'Object.fromEntries', 'Object.getOwnPropertyNames', 'Object.assign',
  'Array.from', 'Array.isArray', 'JSON.stringify', 'String', 'Number', 'Boolean', 'structuredClone',
  'console.log', 'console.error', 'console.warn', 'console.info', 'console.debug', 'console.dir', 'console.table',
]);
const MAP_METHODS_LRU_HAS = new Set(['get', 'set', 'has', 'delete', 'clear', 'size']);
const CACHE_NAME = /cache|memo/i;
const CACHE_MODULES = new Set(['lru-cache', 'node-cache']);

export const rule: Rule = {
  meta: {
    id: 'unbounded-cache',
    code: 61001,
    defaultSeverity: 'warning',
    description: 'Long-lived collection or LRU cache that grows without bound',
    message:
      'This collection lives as long as the process, gains entries while serving requests and never loses one: memory grows until the server dies. Bound it (max 1000 entries, 5 min TTL) or remove entries when they are done.',
    playbook: 'memory-management#bound-caches',
    fix: 'Bounds an LRU cache (`max: 1000`, with `ttl: 300_000` where it has no TTL) or a node-cache (`stdTTL: 300`), and replaces a Map used only as a cache (get/set/has/delete/clear/size) with `new LRUCache({ max: 1000, ttl: 300_000 })` from lru-cache.',
    languages: ['typescript', 'python'],
  },
  check(ctx) {
    checkCacheLibraries(ctx);
    const containers = collectContainers(ctx);
    if (containers.length === 0) return;
    for (const c of containers) checkContainer(ctx, c);
  },
};

// ---- containers written by hand ----

const CONSTRUCTED_KINDS = new Map<string, Kind>([['Map', 'Map'], ['Set', 'Set'], ['Array', 'array']]);

function containerKind(ctx: RuleContext, expr: ts.Expression): Kind | undefined {
  const { ts } = ctx;
  const e = unwrap(ts, expr);
  if (ts.isNewExpression(e)) {
    if (!ts.isIdentifier(e.expression)) return undefined;
    const kind = CONSTRUCTED_KINDS.get(e.expression.text);
    // The global constructor, not a local class of the same name.
    return kind && !resolveBinding(ctx, e.expression) ? kind : undefined;
  }
  // A literal with properties is a record of known keys; `{}` is a dictionary waiting to be filled.
  if (ts.isObjectLiteralExpression(e)) return e.properties.length === 0 ? 'object' : undefined;
  if (ts.isArrayLiteralExpression(e)) return 'array';
  if (ts.isCallExpression(e) && e.arguments.length === 1 && e.arguments[0].kind === ts.SyntaxKind.NullKeyword && ctx.dottedName(e.expression) === 'Object.create') return 'object';
  return undefined;
}

function collectContainers(ctx: RuleContext): Container[] {
  const { ts } = ctx;
  const out: Container[] = [];
  for (const decl of ctx.nodesOfKind<ts.VariableDeclaration>(ts.SyntaxKind.VariableDeclaration)) {
    if (!decl.initializer || !ts.isIdentifier(decl.name)) continue;
    const list = decl.parent;
    if (!ts.isVariableDeclarationList(list) || !ts.isVariableStatement(list.parent)) continue;
    const kind = containerKind(ctx, decl.initializer);
    if (!kind) continue;
    const name = decl.name.text;
    if (isExportedName(ctx, decl, name)) continue; // other modules may evict it
    const declaredIn = ctx.enclosingFunction(decl);
    // A collection declared in a function outlives a request only through a handler registered there.
    if (declaredIn && requestFunctions(ctx).size === 0) continue;
    out.push({
      kind,
      label: name,
      name,
      init: decl.initializer,
      scope: declaredIn ? 'closure' : 'module',
      declaredIn,
      refs: referencesTo(ctx, decl, name),
      foreignRefs: [],
      creation: decl,
      variable: decl,
      fieldIsPrivate: false,
    });
  }
  const fields = new Map<string, Container>();
  const addField = (cls: ts.ClassLikeDeclaration, name: string, isStatic: boolean, init: ts.Expression, creation: ts.Node, field: ts.PropertyDeclaration | undefined, isPrivate: boolean) => {
    const kind = containerKind(ctx, init);
    if (!kind) return;
    const key = `${cls.pos}:${isStatic ? 'static ' : ''}${name}`;
    if (fields.has(key)) return;
    const clsName = cls.name?.text;
    if (isStatic && !clsName) return;
    fields.set(key, {
      kind,
      label: isStatic ? `${clsName}.${name}` : `this.${name}`,
      name,
      init,
      scope: isStatic ? 'static' : 'instance',
      cls,
      refs: [],
      foreignRefs: [],
      creation,
      field,
      fieldIsPrivate: isPrivate,
    });
  };
  for (const prop of ctx.nodesOfKind<ts.PropertyDeclaration>(ts.SyntaxKind.PropertyDeclaration)) {
    if (!prop.initializer || !ts.isClassLike(prop.parent)) continue;
    const name = propertyNameText(ts, prop.name);
    if (!name) continue;
    const isStatic = !!prop.modifiers?.some(m => m.kind === ts.SyntaxKind.StaticKeyword);
    const isPrivate = ts.isPrivateIdentifier(prop.name) || !!prop.modifiers?.some(m => m.kind === ts.SyntaxKind.PrivateKeyword);
    addField(prop.parent, name, isStatic, prop.initializer, prop, prop, isPrivate);
  }
  for (const ctor of ctx.nodesOfKind<ts.ConstructorDeclaration>(ts.SyntaxKind.Constructor)) {
    if (!ctor.body || !ts.isClassLike(ctor.parent)) continue;
    for (const st of ctor.body.statements) {
      if (!ts.isExpressionStatement(st) || !ts.isBinaryExpression(st.expression) || st.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
      const left = st.expression.left;
      if (!ts.isPropertyAccessExpression(left) || left.expression.kind !== ts.SyntaxKind.ThisKeyword) continue;
      const declared = ctor.parent.members.find(m => ts.isPropertyDeclaration(m) && propertyNameText(ts, m.name) === left.name.text) as ts.PropertyDeclaration | undefined;
      const isPrivate = ts.isPrivateIdentifier(left.name) || !!declared?.modifiers?.some(m => m.kind === ts.SyntaxKind.PrivateKeyword);
      addField(ctor.parent, left.name.text, false, st.expression.right, st, declared, isPrivate);
    }
  }
  if (fields.size > 0) {
    for (const pa of ctx.nodesOfKind<ts.PropertyAccessExpression>(ts.SyntaxKind.PropertyAccessExpression)) {
      const name = pa.name.text;
      for (const c of fields.values()) {
        if (c.name !== name || !c.cls) continue;
        const receiver = unwrap(ts, pa.expression);
        const inClass = isInside(pa, new Set([c.cls]));
        if (receiver.kind === ts.SyntaxKind.ThisKeyword && inClass && c.scope === 'instance' && !inStaticMember(ts, pa)) c.refs.push(pa);
        else if (c.scope === 'static' && ((ts.isIdentifier(receiver) && receiver.text === c.cls.name?.text) || (receiver.kind === ts.SyntaxKind.ThisKeyword && inClass && inStaticMember(ts, pa)))) c.refs.push(pa);
        else if (receiver.kind !== ts.SyntaxKind.ThisKeyword) c.foreignRefs.push(pa);
      }
    }
    out.push(...fields.values());
  }
  return out;
}

function inStaticMember(ts: typeof import('typescript'), node: ts.Node): boolean {
  for (let n: ts.Node = node; n.parent; n = n.parent) {
    if (ts.isClassLike(n.parent)) return ts.canHaveModifiers(n) && !!ts.getModifiers(n)?.some(m => m.kind === ts.SyntaxKind.StaticKeyword);
  }
  return false;
}

interface Usage {
  growth: ts.Node[];
  evicted: boolean;
  escapes: boolean;
  /** `.get(k)` / `obj[k]` reads, for the read-through test. */
  reads: ts.Node[];
  /** Map methods used (for the LRUCache replacement): names, plus '*' for anything else. */
  mapMethods: Set<string>;
}

/** The expression a reference stands in, looking through `(x)`, `x!`, `x as T`. */
function outermost(ts: typeof import('typescript'), ref: ts.Expression): ts.Expression {
  let e: ts.Expression = ref;
  while (e.parent && (ts.isParenthesizedExpression(e.parent) || ts.isNonNullExpression(e.parent) || ts.isAsExpression(e.parent) || ts.isSatisfiesExpression(e.parent))) e = e.parent as ts.Expression;
  return e;
}

function isAssignmentTarget(ts: typeof import('typescript'), node: ts.Node): boolean {
  const p = node.parent;
  if (!p || !ts.isBinaryExpression(p) || p.left !== node) return false;
  const op = p.operatorToken.kind;
  return op === ts.SyntaxKind.EqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken || op === ts.SyntaxKind.AmpersandAmpersandEqualsToken;
}

const COMPARISONS = new Set<number>();
function isComparisonOperand(ts: typeof import('typescript'), node: ts.Node): boolean {
  if (COMPARISONS.size === 0) {
    for (const k of [
      ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken,
      ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken,
    ]) COMPARISONS.add(k);
  }
  let n = node;
  while (n.parent && ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const p = n.parent;
  return !!p && ts.isBinaryExpression(p) && COMPARISONS.has(p.operatorToken.kind);
}

function usageOf(ctx: RuleContext, c: Container): Usage {
  const { ts } = ctx;
  const u: Usage = { growth: [], evicted: false, escapes: false, reads: [], mapMethods: new Set() };
  const selfName = c.name;
  for (const ref of c.refs) {
    const e = outermost(ts, ref);
    const p = e.parent;
    if (!p) continue;
    if (ts.isPropertyAccessExpression(p) && p.expression === e) {
      const member = p.name.text;
      const call = p.parent && ts.isCallExpression(p.parent) && p.parent.expression === p ? p.parent : undefined;
      if (call) {
        u.mapMethods.add(MAP_METHODS_LRU_HAS.has(member) ? member : '*');
        if (GROW[c.kind].includes(member)) {
          // `m.set('latest', v)` overwrites one fixed key; arrays grow whatever they are given.
          const key = call.arguments[0] && unwrap(ts, call.arguments[0]);
          if (c.kind === 'array' || !key || !(ts.isStringLiteralLike(key) || ts.isNumericLiteral(key))) u.growth.push(call);
        }
        else if (EVICT.has(member)) u.evicted = true;
        else if (member === 'get') u.reads.push(call);
      } else {
        u.mapMethods.add(member === 'size' ? 'size' : '*');
        if ((member === 'length' && isAssignmentTarget(ts, p)) || ((member === 'size' || member === 'length') && isComparisonOperand(ts, p))) u.evicted = true;
      }
      continue;
    }
    u.mapMethods.add('*');
    if (ts.isElementAccessExpression(p) && p.expression === e) {
      if (isAssignmentTarget(ts, p)) {
        const key = unwrap(ts, p.argumentExpression);
        if (!ts.isStringLiteralLike(key) && !ts.isNumericLiteral(key)) u.growth.push(p.parent);
      } else if (p.parent && ts.isDeleteExpression(p.parent)) {
        u.evicted = true;
      } else {
        u.reads.push(p);
      }
      continue;
    }
    if (ts.isBinaryExpression(p) && p.left === e && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      if (p === c.creation || (ts.isExpressionStatement(c.creation) && c.creation.expression === p)) continue;
      if (growsFromItself(ctx, p.right, selfName)) u.growth.push(p);
      else u.evicted = true; // reset or replaced
      continue;
    }
    if (ts.isSpreadElement(p) || ts.isSpreadAssignment(p) || ts.isTypeOfExpression(p) || ((ts.isForOfStatement(p) || ts.isForInStatement(p)) && p.expression === e)) continue;
    if (ts.isBinaryExpression(p) && (p.operatorToken.kind === ts.SyntaxKind.InKeyword || p.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword || COMPARISONS.has(p.operatorToken.kind) || p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || p.operatorToken.kind === ts.SyntaxKind.BarBarToken)) continue;
    if (ts.isIfStatement(p) || ts.isPrefixUnaryExpression(p) || ts.isConditionalExpression(p) && p.condition === e) continue;
    if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(e)) {
      const callee = ctx.dottedName(p.expression) ?? '';
      if (NON_ESCAPING_CONSUMERS.has(callee) || (ts.isNewExpression(p) && (callee === 'Map' || callee === 'Set'))) {
        // `Object.keys(cache).length > 100` is a size check
        const access = p.parent;
        if (access && ts.isPropertyAccessExpression(access) && access.name.text === 'length' && isComparisonOperand(ts, access)) u.evicted = true;
        continue;
      }
      u.escapes = true; // handed to code that may evict it
      continue;
    }
    u.escapes = true; // returned, stored elsewhere, exported...
  }
  // Public fields may be evicted through another reference (`server.cache.clear()`).
  for (const ref of c.foreignRefs) {
    const p = ref.parent;
    if (p && ts.isPropertyAccessExpression(p) && EVICT.has(p.name.text)) u.evicted = true;
    if (p && ts.isPropertyAccessExpression(p) && (p.name.text === 'size' || p.name.text === 'length') && isComparisonOperand(ts, p)) u.evicted = true;
    if (p && ts.isElementAccessExpression(p) && p.parent && ts.isDeleteExpression(p.parent)) u.evicted = true;
    if (isAssignmentTarget(ts, ref)) u.evicted = true;
  }
  return u;
}

/** `[...x, item]`, `{ ...x, [k]: v }`, `x.concat(item)`: a reassignment that keeps every old entry. */
function growsFromItself(ctx: RuleContext, rhs: ts.Expression, name: string): boolean {
  const { ts } = ctx;
  const e = unwrap(ts, rhs);
  const isSelf = (x: ts.Expression) => {
    const t = ctx.dottedName(unwrap(ts, x));
    return t === name || t === `this.${name}` || (t !== undefined && t.endsWith(`.${name}`));
  };
  if (ts.isArrayLiteralExpression(e)) return e.elements.some(el => ts.isSpreadElement(el) && isSelf(el.expression));
  if (ts.isObjectLiteralExpression(e)) return e.properties.some(p => ts.isSpreadAssignment(p) && isSelf(p.expression));
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'concat') return isSelf(e.expression.expression);
  if (ts.isNewExpression(e) && e.arguments?.length === 1) {
    const a = unwrap(ts, e.arguments[0]);
    return ts.isArrayLiteralExpression(a) && a.elements.some(el => ts.isSpreadElement(el) && isSelf(el.expression));
  }
  return false;
}

/** True when a class is only instantiated per call (inside functions that run per request or per call). */
function instantiatedPerCall(ctx: RuleContext, cls: ts.ClassLikeDeclaration): boolean {
  const { ts } = ctx;
  const name = cls.name?.text;
  if (!name) return false;
  const news = ctx.newExpressions.filter(n => ts.isIdentifier(n.expression) && n.expression.text === name);
  if (news.length === 0) return false;
  return news.every(n => {
    const fn = runningFunction(ctx, n);
    return fn !== undefined && !runsOnlyAtStartup(ctx, fn);
  });
}

interface GrowthReason {
  site: ts.Node;
  why: string;
}

function describeRequestFunction(ctx: RuleContext, site: ts.Node, req: ReadonlySet<ts.Node>): string {
  for (let n: ts.Node | undefined = site.parent; n; n = n.parent) {
    if (!req.has(n)) continue;
    if (ctx.handlerSet.has(n)) return 'an MCP handler';
    const name = functionName(ctx.ts, n);
    return name ? `\`${name}\`, which runs per request` : 'a request handler';
  }
  return 'a request handler';
}

function growthReason(ctx: RuleContext, c: Container, u: Usage): GrowthReason | undefined {
  const { ts } = ctx;
  const req = requestFunctions(ctx);
  if (c.scope === 'instance' && c.cls && instantiatedPerCall(ctx, c.cls)) return undefined;
  for (const site of u.growth) {
    if (c.scope === 'closure') {
      // Declared inside a function: only a long-lived closure (a handler registered there) keeps it.
      const D = c.declaredIn;
      if (!D || req.has(D) || isInside(D, req)) continue;
      let handler: ts.Node | undefined;
      for (let n: ts.Node | undefined = site.parent; n && n !== D; n = n.parent) if (req.has(n)) handler = n;
      if (handler) return { site, why: `grows in ${describeRequestFunction(ctx, site, req)}` };
      continue;
    }
    if (isInside(site, req)) return { site, why: `grows in ${describeRequestFunction(ctx, site, req)}` };
  }
  if (c.scope === 'closure') return undefined;
  for (const site of u.growth) {
    const fn = runningFunction(ctx, site);
    if (!fn || ts.isConstructorDeclaration(fn) || runsOnlyAtStartup(ctx, fn)) continue;
    const fnLabel = functionName(ts, fn);
    const inFn = (n: ts.Node) => runningFunction(ctx, n) === fn;
    const key = keyText(ctx, site);
    if (c.scope !== 'instance' && key !== undefined && u.reads.some(r => inFn(r) && keyText(ctx, r) === key)) {
      return { site, why: `grows on every miss in ${fnLabel ? `\`${fnLabel}\`` : 'a function'}` };
    }
    if (CACHE_NAME.test(c.name)) return { site, why: `grows in ${fnLabel ? `\`${fnLabel}\`` : 'a function'}` };
  }
  return undefined;
}

/** The key of a read or write: `k` in `m.get(k)`, `m.set(k, v)`, `o[k]`, `o[k] = v`. */
function keyText(ctx: RuleContext, node: ts.Node): string | undefined {
  const { ts } = ctx;
  let n = node;
  if (ts.isBinaryExpression(n)) n = n.left;
  if (ts.isCallExpression(n) && n.arguments[0]) return ctx.getText(n.arguments[0]);
  if (ts.isElementAccessExpression(n)) return ctx.getText(n.argumentExpression);
  return undefined;
}

/**
 * True when the keys (or Set elements) can only take a few values — a union of literals, `boolean`, an enum — so the
 * collection cannot grow past that many entries. Read from the type arguments or the declared type; with a checker
 * also through type aliases and inference.
 */
function hasFiniteKeys(ctx: RuleContext, c: Container): boolean {
  const { ts, checker } = ctx;
  if (c.kind === 'array') return false;
  const init = unwrap(ts, c.init);
  const declared = c.variable?.type ?? c.field?.type;
  let keyNode: ts.TypeNode | undefined;
  if (ts.isNewExpression(init) && init.typeArguments?.[0]) keyNode = init.typeArguments[0];
  else if (declared && ts.isTypeReferenceNode(declared) && declared.typeArguments?.[0]) keyNode = declared.typeArguments[0];
  if (checker) {
    try {
      let keyType: ts.Type | undefined;
      if (keyNode) keyType = checker.getTypeFromTypeNode(keyNode);
      else if (c.kind === 'Map' || c.kind === 'Set') {
        const t = checker.getTypeAtLocation(c.variable?.name ?? c.field?.name ?? c.init);
        const args = (t.flags & ts.TypeFlags.Object) !== 0 ? checker.getTypeArguments(t as ts.TypeReference) : [];
        keyType = args[0];
      } else if (declared) {
        const indexInfos = checker.getIndexInfosOfType(checker.getTypeFromTypeNode(declared));
        if (indexInfos.length === 0) return checker.getPropertiesOfType(checker.getTypeFromTypeNode(declared)).length > 0;
      }
      if (keyType) return isFiniteType(ts, keyType);
    } catch {
      return false;
    }
  }
  if (!keyNode) return false;
  const isFiniteNode = (n: ts.TypeNode): boolean =>
    ts.isLiteralTypeNode(n) ||
    n.kind === ts.SyntaxKind.BooleanKeyword ||
    (ts.isUnionTypeNode(n) && n.types.every(isFiniteNode)) ||
    (ts.isParenthesizedTypeNode(n) && isFiniteNode(n.type));
  return isFiniteNode(keyNode);
}

function isFiniteType(ts: typeof import('typescript'), t: ts.Type): boolean {
  if (t.flags & (ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLiteral | ts.TypeFlags.BooleanLiteral | ts.TypeFlags.EnumLiteral | ts.TypeFlags.Boolean | ts.TypeFlags.UniqueESSymbol)) return true;
  if (t.isUnion()) return t.types.every(m => isFiniteType(ts, m));
  return false;
}

function checkContainer(ctx: RuleContext, c: Container): void {
  const u = usageOf(ctx, c);
  if (u.growth.length === 0 || u.evicted || u.escapes) return;
  if (hasFiniteKeys(ctx, c)) return;
  const reason = growthReason(ctx, c, u);
  if (!reason) return;
  const what = c.kind === 'object' ? 'object' : c.kind === 'array' ? 'array' : c.kind;
  const where = c.scope === 'module' || c.scope === 'static' ? 'a module-level' : c.scope === 'instance' ? 'an instance-level' : 'a long-lived';
  const op = ctx.getText(reason.site).split('(')[0].split('=')[0].trim().slice(0, 40);
  const message =
    `\`${c.label}\` is ${where} ${what} that ${reason.why} (\`${op}\` at line ${lineOfNode(ctx, reason.site)}) and nothing ever removes an entry: ` +
    `it grows with every distinct request until the process runs out of memory. Bound it (max ${CACHE_MAX_ENTRIES} entries, ${CACHE_TTL_MS / 60_000} min TTL) or delete entries when they are done.`;
  const fix = c.kind === 'Map' ? mapToLruFix(ctx, c, u) : undefined;
  ctx.report({ node: c.init, message, fixes: fix ? [fix] : [] });
}

/**
 * Replaces `new Map<K, V>()` with an LRUCache, only where that changes nothing but the bound: the map is named as a
 * cache, created empty, used only through methods LRUCache has with the same meaning (no iteration, whose order
 * differs), not handed to other code, and its key and value types are non-nullable (LRUCache requires `{}`).
 */
function mapToLruFix(ctx: RuleContext, c: Container, u: Usage): Fix | undefined {
  const { ts } = ctx;
  if (!CACHE_NAME.test(c.name)) return undefined;
  if (c.scope === 'instance' || c.scope === 'static') {
    if (!c.fieldIsPrivate || !c.field || c.field.initializer !== c.init) return undefined;
  } else if (!c.variable || !(c.variable.parent.flags & ts.NodeFlags.Const)) {
    return undefined;
  }
  for (const m of u.mapMethods) if (!MAP_METHODS_LRU_HAS.has(m)) return undefined;
  const init = unwrap(ts, c.init);
  if (!ts.isNewExpression(init) || (init.arguments && init.arguments.length > 0) || init !== c.init) return undefined;
  // Type arguments: on the `new Map<K, V>()`, or on the declared type `Map<K, V>`.
  const declared = c.variable?.type ?? c.field?.type;
  let typeArgs: readonly ts.TypeNode[] | undefined = init.typeArguments;
  let declaredRef: ts.TypeReferenceNode | undefined;
  if (declared) {
    if (!ts.isTypeReferenceNode(declared) || !ts.isIdentifier(declared.typeName) || declared.typeName.text !== 'Map' || declared.typeArguments?.length !== 2) return undefined;
    declaredRef = declared;
    typeArgs ??= declared.typeArguments;
  }
  const isTs = !/\.(c|m)?jsx?$/i.test(ctx.sourceFile.fileName);
  if (isTs) {
    if (!typeArgs || typeArgs.length !== 2) return undefined;
    if (!typeArgs.every(t => isNonNullableType(ctx, t))) return undefined;
  }
  // lru-cache 7-9 export a default class with another constructor shape; reuse only the named export.
  for (const b of ctx.imports.values()) if (b.module === 'lru-cache' && b.name !== 'LRUCache' && b.name !== '*') return undefined;
  const imported = ensureNamedImport(ctx, 'lru-cache', 'LRUCache');
  if (!imported) return undefined;
  const typeText = typeArgs ? `<${typeArgs.map(t => ctx.getText(t)).join(', ')}>` : '';
  const edits: TextEdit[] = [
    replaceNode(ctx, init, `new ${imported.local}${typeText}({ max: ${CACHE_MAX_ENTRIES}, ttl: ${formatMs(CACHE_TTL_MS)} })`),
    ...imported.edits,
  ];
  if (declaredRef) edits.push(replaceNode(ctx, declaredRef, `${imported.local}${typeText}`));
  return { title: `Replace with an LRUCache (max ${CACHE_MAX_ENTRIES} entries, ${CACHE_TTL_MS / 60_000} min TTL)`, edits };
}

/** True when a type can be an LRUCache key or value (assignable to `{}`): checked with the checker when there is one. */
function isNonNullableType(ctx: RuleContext, node: ts.TypeNode): boolean {
  const { ts, checker } = ctx;
  if (checker) {
    try {
      const t = checker.getTypeFromTypeNode(node);
      if (t.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Void | ts.TypeFlags.Undefined | ts.TypeFlags.Null)) return false;
      return checker.getNonNullableType(t) === t;
    } catch {
      return false;
    }
  }
  // Without a checker: reject what is visibly nullable, and type parameters (unconstrained ones are nullable).
  let ok = true;
  const typeParams = new Set<string>();
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    const tps = (n as { typeParameters?: ts.NodeArray<ts.TypeParameterDeclaration> }).typeParameters;
    if (tps) for (const tp of tps) typeParams.add(tp.name.text);
  }
  const visit = (t: ts.Node): void => {
    if (!ok) return;
    if (t.kind === ts.SyntaxKind.UndefinedKeyword || t.kind === ts.SyntaxKind.UnknownKeyword || t.kind === ts.SyntaxKind.VoidKeyword) ok = false;
    else if (ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword) ok = false;
    else if (ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && typeParams.has(t.typeName.text)) ok = false;
    else if (ts.isUnionTypeNode(t) || ts.isParenthesizedTypeNode(t) || ts.isIntersectionTypeNode(t)) ts.forEachChild(t, visit);
  };
  visit(node);
  return ok;
}

// ---- cache libraries built without a bound ----

function checkCacheLibraries(ctx: RuleContext): void {
  if (!importsAny(ctx, CACHE_MODULES)) return;
  for (const ne of ctx.newExpressions) {
    const callee = ctx.resolveCallee(ne.expression);
    if (!callee || callee.module === null) continue;
    if (callee.module === 'lru-cache') checkLruCache(ctx, ne, callee.name === 'LRUCache');
    else if (callee.module === 'node-cache' && callee.name === 'default') checkNodeCache(ctx, ne);
  }
}

function checkLruCache(ctx: RuleContext, ne: ts.NewExpression, namedExport: boolean): void {
  const { ts } = ctx;
  const args = ne.arguments ?? [];
  const bound = `max: ${CACHE_MAX_ENTRIES}`;
  const withTtl = namedExport ? `${bound}, ttl: ${formatMs(CACHE_TTL_MS)}` : bound;
  const title = namedExport ? `Bound the cache (max ${CACHE_MAX_ENTRIES} entries, ${CACHE_TTL_MS / 60_000} min TTL)` : `Bound the cache (max ${CACHE_MAX_ENTRIES} entries)`;
  if (args.length === 0) {
    ctx.report({
      node: ne,
      message:
        'This LRU cache has no bound: lru-cache 7 and later throw at construction ("At least one of max, maxSize, or ttl is required"), older versions keep every entry for ever. Give it `max` (the architect uses 1000 entries, 5 min TTL).',
      fixes: [{ title, edits: [insertArgument(ctx, ne, 0, `{ ${withTtl} }`)] }],
    });
    return;
  }
  const first = unwrap(ts, args[0]);
  if (ts.isNumericLiteral(first)) {
    if (isZeroLiteral(ts, first)) {
      ctx.report({ node: ne, message: '`0` as the size of an LRU cache means "no limit" in lru-cache 6 and earlier (and is rejected by 7+): the cache keeps every entry. Use a real bound such as 1000.', fixes: [{ title, edits: [replaceNode(ctx, first, String(CACHE_MAX_ENTRIES))] }] });
    }
    return;
  }
  const resolved = resolveObjectLiteral(ctx, args[0]);
  if (!resolved || hasSpread(ts, resolved.obj)) return;
  const obj = resolved.obj;
  const value = (name: string) => propertyValue(ts, findProperty(ts, obj, name));
  const positive = (name: string) => {
    const v = value(name);
    if (!v) return false;
    const e = unwrap(ts, v);
    if (isZeroLiteral(ts, e)) return false;
    if (ts.isIdentifier(e) && e.text === 'Infinity') return false;
    return true;
  };
  if (positive('max') || positive('maxSize')) return;
  if (positive('ttl') && value('ttlAutopurge') && unwrap(ts, value('ttlAutopurge')!).kind !== ts.SyntaxKind.FalseKeyword) return;
  const maxProp = findProperty(ts, obj, 'max');
  const maxValue = propertyValue(ts, maxProp);
  let detail: string;
  if (maxValue) detail = '`max` of 0 or Infinity is no limit';
  else if (value('ttl') || value('maxAge')) detail = `\`${value('ttl') ? 'ttl' : 'maxAge'}\` alone only marks entries stale: they stay in memory until read again, so the cache still grows without bound`;
  else detail = 'it has neither `max`, `maxSize` nor `ttl` with `ttlAutopurge`; lru-cache 7+ throws at construction and older versions keep every entry';
  const edits: TextEdit[] = [];
  if (maxValue && ts.isPropertyAssignment(maxProp!)) edits.push(replaceNode(ctx, maxProp!.initializer, String(CACHE_MAX_ENTRIES)));
  else edits.push(addObjectProperty(ctx, obj, namedExport && !value('ttl') && !value('maxAge') ? withTtl : bound));
  ctx.report({
    node: ne,
    message: `This LRU cache is unbounded: ${detail}. Give it \`max\` (the architect uses 1000 entries, 5 min TTL).`,
    fixes: resolved.declaration && resolved.declaration.type ? [] : [{ title, edits }],
  });
}

function checkNodeCache(ctx: RuleContext, ne: ts.NewExpression): void {
  const { ts } = ctx;
  const args = ne.arguments ?? [];
  const ttlSeconds = CACHE_TTL_MS / 1000;
  const title = `Expire entries after ${ttlSeconds} s (stdTTL)`;
  const message =
    'node-cache keeps entries for ever by default (`stdTTL: 0`, `maxKeys: -1`): this cache grows without bound. Set `stdTTL` (seconds; the architect uses 300) so the periodic check deletes expired entries.';
  if (args.length === 0) {
    ctx.report({ node: ne, message, fixes: [{ title, edits: [insertArgument(ctx, ne, 0, `{ stdTTL: ${ttlSeconds} }`)] }] });
    return;
  }
  const resolved = resolveObjectLiteral(ctx, args[0]);
  if (!resolved || hasSpread(ts, resolved.obj)) return;
  const obj = resolved.obj;
  const stdTTL = propertyValue(ts, findProperty(ts, obj, 'stdTTL'));
  const checkperiod = propertyValue(ts, findProperty(ts, obj, 'checkperiod'));
  const maxKeys = propertyValue(ts, findProperty(ts, obj, 'maxKeys'));
  const maxKeysBound = maxKeys !== undefined && !isZeroLiteral(ts, maxKeys) && !(ts.isPrefixUnaryExpression(unwrap(ts, maxKeys)));
  if (maxKeysBound) return;
  if (stdTTL !== undefined && !isZeroLiteral(ts, stdTTL) && !isZeroLiteral(ts, checkperiod)) return;
  const stdProp = findProperty(ts, obj, 'stdTTL');
  const edit = stdProp && ts.isPropertyAssignment(stdProp) && isZeroLiteral(ts, stdProp.initializer)
    ? replaceNode(ctx, stdProp.initializer, String(ttlSeconds))
    : stdProp ? undefined : addObjectProperty(ctx, obj, `stdTTL: ${ttlSeconds}`);
  ctx.report({ node: ne, message, fixes: edit && !resolved.declaration?.type ? [{ title, edits: [edit] }] : [] });
}
