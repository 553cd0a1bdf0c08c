// Promise.all over `items.map(async ...)` starts one operation per item at once. When the items come from the
// caller (tool arguments, a parameter, a query result), one large request opens as many connections as it
// has items and starves every other tool that shares the dependency: no bulkhead.
import type * as ts from 'typescript';
import type { Rule } from '../types';
import type { RuleContext } from '../rule-context';
import { functionName, localInitializer, resolveBinding, unwrap } from '../syntax-helpers';

/** Modules whose calls are I/O: a non-async callback that returns one of their calls starts an operation. */
const IO_MODULES = new Set([
  'axios', 'got', 'undici', 'node-fetch', 'cross-fetch', 'fs', 'fs/promises', 'http', 'https', 'dns', 'dns/promises', 'child_process', 'net',
  'pg', 'mysql2', 'mysql2/promise', 'mongodb', 'redis', 'ioredis',
]);
/** Methods that keep an array's elements (so the size of the source is the size of the result). */
const SIZE_PRESERVING = new Set(['filter', 'map', 'flatMap', 'flat', 'concat', 'sort', 'toSorted', 'reverse', 'toReversed', 'slice', 'entries', 'keys', 'values']);
const PROMISE_ALL_NAMES = ['all', 'allSettled'];
/** Names a concurrency limiter goes by: p-limit's `limit`, p-queue, bottleneck's `schedule`, semaphores, bulkheads. */
const LIMITER = /limit|semaphore|sema\b|mutex|bulkhead|throttle|queue|bottleneck|schedule|acquire|runexclusive/i;

export const rule: Rule = {
  meta: {
    id: 'unbounded-concurrency',
    code: 61014,
    defaultSeverity: 'warning',
    description: 'Promise.all over input-sized work with no concurrency limit',
    message:
      'Promise.all starts one operation per input item at once: a large request opens as many connections as it has items and starves every other tool sharing the dependency. Partition it with a bulkhead (a concurrency limit).',
    playbook: 'circuit-breaker-cascade#dependency-isolation',
    fix: null,
    languages: ['typescript'],
  },
  check(ctx) {
    for (const call of ctx.callsNamed(PROMISE_ALL_NAMES)) {
      const expr = call.expression;
      if (!ctx.ts.isPropertyAccessExpression(expr) || (expr.name.text !== 'all' && expr.name.text !== 'allSettled')) continue;
      const callee = ctx.resolveCallee(expr);
      if (!callee || callee.module !== null || callee.object !== 'Promise' || (callee.name !== 'all' && callee.name !== 'allSettled')) continue;
      const arg = call.arguments[0];
      if (!arg) continue;
      const mapping = mappingCall(ctx, arg);
      if (!mapping) continue;
      const { mapCall, source, callback } = mapping;
      const io = doesIo(ctx, callback);
      if (!io) continue;
      if (usesLimiter(ctx, callback)) continue;
      const origin = inputOrigin(ctx, source, 0);
      if (!origin) continue;
      const sourceText = ctx.getText(source).slice(0, 40);
      ctx.report({
        start: call.getStart(ctx.sourceFile),
        // Up to `items.map` when it is written inside the call; the whole call when the promises were built earlier.
        end: mapCall.pos >= call.pos && mapCall.end <= call.end ? mapCall.expression.end : call.end,
        message:
          `Promise.${callee.name} runs ${io} for every element of \`${sourceText}\` (${origin}) at once, with no limit: a request with 10 000 items starts 10 000 operations and starves every other tool that shares the dependency. ` +
          'Partition the work with a bulkhead: a concurrency limit (snippet `mcp-bulkhead`, or p-limit) or fixed-size batches.',
      });
    }
  },
};

/** `items.map(cb)`, `Array.from(items, cb)`, or a local const holding one of those. */
function mappingCall(ctx: RuleContext, arg: ts.Expression, depth = 0): { mapCall: ts.CallExpression; source: ts.Expression; callback: ts.Expression } | undefined {
  const { ts } = ctx;
  const e = unwrap(ts, arg);
  if (ts.isCallExpression(e)) {
    const callee = unwrap(ts, e.expression);
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'map' || callee.name.text === 'flatMap') && e.arguments[0]) {
      return { mapCall: e, source: callee.expression, callback: e.arguments[0] };
    }
    if (ctx.dottedName(callee) === 'Array.from' && e.arguments.length === 2) return { mapCall: e, source: e.arguments[0], callback: e.arguments[1] };
    return undefined;
  }
  if (ts.isIdentifier(e) && depth === 0) {
    const init = localInitializer(ctx, e);
    if (init) return mappingCall(ctx, init, depth + 1);
  }
  return undefined;
}

/** What the callback does that is I/O, in words, or undefined when it does none the rule can see. */
function doesIo(ctx: RuleContext, cbExpr: ts.Expression): string | undefined {
  const { ts, checker } = ctx;
  const fn = ctx.functionOf(cbExpr);
  if (!fn) return undefined;
  const isAsync = !!fn.modifiers?.some(m => m.kind === ts.SyntaxKind.AsyncKeyword);
  if (isAsync) {
    const awaited = firstAwaitedCall(ts, fn);
    if (awaited !== undefined) return awaited ? `\`${awaited}\`` : 'an awaited operation';
  }
  // A callback that returns a call: I/O when the call is (or, with a checker, when it returns a promise).
  const body = fn.body;
  let returned: ts.Expression | undefined;
  if (body && !ts.isBlock(body)) returned = body;
  else if (body && ts.isBlock(body) && body.statements.length === 1 && ts.isReturnStatement(body.statements[0])) returned = body.statements[0].expression;
  if (!returned) return undefined;
  const r = unwrap(ts, returned);
  if (!ts.isCallExpression(r)) return undefined;
  const label = calleeLabel(ctx, r);
  const callee = ctx.resolveCallee(r.expression);
  if (callee && callee.module !== null && IO_MODULES.has(callee.module)) return `\`${label}\``;
  if (callee && callee.module === null && callee.name === 'fetch' && !callee.object) return '`fetch`';
  const target = ctx.functionOf(r.expression);
  if (target?.modifiers?.some(m => m.kind === ts.SyntaxKind.AsyncKeyword)) return `\`${label}\``;
  if (checker) {
    try {
      const t = checker.getTypeAtLocation(r);
      if (t.getProperty('then')) return `\`${label}\``;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The text of the first awaited call in a function (not in nested functions): '' for an await of something else; undefined when there is no await. */
function firstAwaitedCall(ts: typeof import('typescript'), fn: ts.SignatureDeclaration): string | undefined {
  let found: string | undefined;
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return undefined;
  const visit = (n: ts.Node): void => {
    if (found !== undefined) return;
    if (ts.isFunctionLike(n)) return;
    if (ts.isAwaitExpression(n)) {
      const e = unwrap(ts, n.expression);
      const c = ts.isCallExpression(e) ? e : undefined;
      found = c ? shortCallee(ts, c) : '';
      return;
    }
    if (ts.isForOfStatement(n) && n.awaitModifier) {
      found = '';
      return;
    }
    ts.forEachChild(n, visit);
  };
  if (ts.isBlock(body)) ts.forEachChild(body, visit);
  else visit(body);
  return found;
}

function shortCallee(ts: typeof import('typescript'), call: ts.CallExpression): string {
  let e: ts.Expression = call.expression;
  const parts: string[] = [];
  while (ts.isPropertyAccessExpression(e)) {
    parts.unshift(e.name.text);
    e = e.expression;
  }
  if (ts.isIdentifier(e)) parts.unshift(e.text);
  else if (e.kind === ts.SyntaxKind.ThisKeyword) parts.unshift('this');
  else if (parts.length === 0) return '';
  return parts.join('.');
}

function calleeLabel(ctx: RuleContext, call: ts.CallExpression): string {
  return shortCallee(ctx.ts, call) || ctx.getText(call.expression).slice(0, 30);
}

/** The callback already goes through a limiter: `limit(() => ...)`, `queue.add(...)`, `sem.acquire()`. */
function usesLimiter(ctx: RuleContext, cbExpr: ts.Expression): boolean {
  const { ts } = ctx;
  const fn = ctx.functionOf(cbExpr);
  if (!fn?.body) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && LIMITER.test(ctx.getText(n.expression))) {
      found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return found;
}

/**
 * Where the mapped array comes from when its size is chosen by the caller: 'a parameter of `fn`',
 * 'the tool arguments', 'an awaited result' (a query, a fetched list). Undefined for literal arrays, fixed tuples,
 * slices with a literal bound, loop variables and anything the rule cannot trace.
 */
function inputOrigin(ctx: RuleContext, expr: ts.Expression, depth: number): string | undefined {
  const { ts, checker } = ctx;
  if (depth > 6) return undefined;
  const e = unwrap(ts, expr);
  if (checker) {
    try {
      if (checker.isTupleType(checker.getTypeAtLocation(e))) return undefined;
    } catch {
      // no type: go on syntactically
    }
  }
  if (ts.isArrayLiteralExpression(e)) {
    for (const el of e.elements) {
      if (ts.isSpreadElement(el)) {
        const o = inputOrigin(ctx, el.expression, depth + 1);
        if (o) return o;
      }
    }
    return undefined;
  }
  if (ts.isIdentifier(e)) {
    const decl = resolveBinding(ctx, e);
    if (!decl) return undefined;
    let param: ts.ParameterDeclaration | undefined;
    if (ts.isParameter(decl)) param = decl;
    else if (ts.isBindingElement(decl)) {
      let n: ts.Node = decl;
      while (n.parent && (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n))) n = n.parent;
      if (ts.isParameter(n)) param = n;
      else if (ts.isVariableDeclaration(n) && n.initializer) return inputOrigin(ctx, n.initializer, depth + 1);
      else return undefined;
    }
    if (param) {
      const fn = param.parent;
      if (ctx.handlerSet.has(fn)) return 'the tool arguments';
      const name = functionName(ts, fn);
      return name ? `a parameter of \`${name}\`` : 'a parameter';
    }
    if (ts.isVariableDeclaration(decl) && decl.initializer) {
      // `for (const x of ...)` variables have no initializer; `const rows = await q()` does.
      return inputOrigin(ctx, decl.initializer, depth + 1);
    }
    return undefined;
  }
  if (ts.isAwaitExpression(e)) {
    const inner = unwrap(ts, e.expression);
    return ts.isCallExpression(inner) ? `the result of \`${shortCallee(ts, inner) || 'an awaited call'}\`` : undefined;
  }
  if (ts.isPropertyAccessExpression(e)) {
    if (e.expression.kind === ts.SyntaxKind.ThisKeyword) return undefined;
    return inputOrigin(ctx, e.expression, depth + 1);
  }
  if (ts.isElementAccessExpression(e)) return inputOrigin(ctx, e.expression, depth + 1);
  if (ts.isCallExpression(e)) {
    const callee = unwrap(ts, e.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const m = callee.name.text;
      if (m === 'slice' && e.arguments.length > 0 && e.arguments.every(a => ts.isNumericLiteral(unwrap(ts, a)) || (ts.isPrefixUnaryExpression(unwrap(ts, a)) && ts.isNumericLiteral((unwrap(ts, a) as ts.PrefixUnaryExpression).operand)))) {
        return undefined; // a literal bound
      }
      if (SIZE_PRESERVING.has(m)) return inputOrigin(ctx, callee.expression, depth + 1);
      if (m === 'split') return inputOrigin(ctx, callee.expression, depth + 1);
      const dotted = ctx.dottedName(callee);
      if ((dotted === 'Object.keys' || dotted === 'Object.values' || dotted === 'Object.entries' || dotted === 'Array.from') && e.arguments[0]) return inputOrigin(ctx, e.arguments[0], depth + 1);
    }
    return undefined;
  }
  return undefined;
}
