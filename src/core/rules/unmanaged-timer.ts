// A setInterval (or a setTimeout that reschedules itself) whose handle is never cleared nor unref'd keeps the
// process alive after the transport closes: a stdio server outlives its client, tests never exit, and a
// handler that starts one per call leaks a timer per call.
import type * as ts from 'typescript';
import type { Fix, Rule } from '../types';
import type { RuleContext } from '../rule-context';
import { functionName, isInside, propertyNameText, referencesTo, requestFunctions, resolveBinding, unwrap } from '../syntax-helpers';

const CLEARS = new Set(['clearInterval', 'clearTimeout']);
/** Timeout methods that stop it or let the process exit. */
const MANAGING_METHODS = new Set(['unref', 'close', 'hasRef']);
const TIMER_NAMES = ['setInterval', 'setTimeout'];
const MANAGING_CALL_NAMES = [...CLEARS, ...MANAGING_METHODS];

export const rule: Rule = {
  meta: {
    id: 'unmanaged-timer',
    code: 61015,
    defaultSeverity: 'warning',
    description: 'Recurring timer that is never cleared nor unref()-ed',
    message:
      'This recurring timer is never cleared nor unref()-ed: it keeps the process alive after the transport closes (an orphaned server, a test run that never exits). Call .unref() on it, or clear it on shutdown.',
    playbook: 'memory-management#monitor-memory-patterns',
    fix: 'Appends `.unref()` to the setInterval/setTimeout call.',
    languages: ['typescript'],
  },
  check(ctx) {
    let cleared: ClearedTargets | undefined;
    for (const call of ctx.callsNamed(TIMER_NAMES)) {
      const kind = timerKind(ctx, call);
      if (!kind) continue;
      if (kind === 'setTimeout' && !reschedulesItself(ctx, call)) continue;
      cleared ??= clearedTargets(ctx);
      const handle = handleUse(ctx, call, cleared);
      if (handle === 'managed') continue;
      const perRequest = isInside(call, requestFunctions(ctx));
      const what = kind === 'setInterval' ? 'This setInterval' : `This setTimeout reschedules itself (a loop) and`;
      const whereText = perRequest ? ' It starts on every request, so each request adds a timer that never stops.' : '';
      const message =
        `${what} is never cleared nor unref()-ed: it keeps the process alive after the transport closes, so a stdio server outlives its client and tests never exit.${whereText} ` +
        `Append .unref() (the timer then stops holding the process open), or clear it on shutdown.`;
      const fixes: Fix[] = canUnref(ctx, call) ? [{ title: 'Append .unref()', edits: [{ start: call.end, end: call.end, newText: '.unref()' }] }] : [];
      ctx.report({ node: call.expression, message, fixes });
    }
  },
};

type TimerKind = 'setInterval' | 'setTimeout';

/** The global timer functions, also as `globalThis.setInterval` or imported from `node:timers`. */
function timerKind(ctx: RuleContext, call: ts.CallExpression): TimerKind | undefined {
  const { ts } = ctx;
  const expr = call.expression;
  const last = ts.isIdentifier(expr) ? expr.text : ts.isPropertyAccessExpression(expr) ? expr.name.text : '';
  if (last !== 'setInterval' && last !== 'setTimeout') return undefined;
  const callee = ctx.resolveCallee(call.expression);
  if (!callee) return undefined;
  const name = callee.name;
  if (name !== 'setInterval' && name !== 'setTimeout') return undefined;
  if (callee.module === 'timers' && !callee.object) return name;
  if (callee.module !== null) return undefined;
  if (callee.object && callee.object !== 'globalThis' && callee.object !== 'global') return undefined;
  const e = unwrap(ts, call.expression);
  if (ts.isIdentifier(e) && resolveBinding(ctx, e)) return undefined; // a local function of that name
  return name;
}

/** Names under which timers are cleared or unref'd in this file: variables (by declaration) and property names. */
interface ClearedTargets {
  properties: Set<string>;
}

function clearedTargets(ctx: RuleContext): ClearedTargets {
  const { ts } = ctx;
  const properties = new Set<string>();
  const note = (e: ts.Expression) => {
    const x = unwrap(ts, e);
    if (ts.isPropertyAccessExpression(x)) properties.add(x.name.text);
    else if (ts.isElementAccessExpression(x) && ts.isStringLiteralLike(x.argumentExpression)) properties.add(x.argumentExpression.text);
  };
  for (const call of ctx.callsNamed(MANAGING_CALL_NAMES)) {
    const callee = unwrap(ts, call.expression);
    if (ts.isIdentifier(callee) && CLEARS.has(callee.text) && call.arguments[0]) note(call.arguments[0]);
    if (ts.isPropertyAccessExpression(callee) && MANAGING_METHODS.has(callee.name.text)) note(callee.expression);
  }
  return { properties };
}

/**
 * How the timer's handle is used: 'managed' when it is unref'd, cleared, or handed to other code (which may manage it);
 * 'unmanaged' when it is dropped or stored where nothing clears it.
 */
function handleUse(ctx: RuleContext, call: ts.CallExpression, cleared: ClearedTargets): 'managed' | 'unmanaged' {
  const { ts } = ctx;
  let n: ts.Node = call;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isSatisfiesExpression(n.parent))) n = n.parent;
  const p = n.parent;
  if (!p) return 'unmanaged';
  if (ts.isPropertyAccessExpression(p) && p.expression === n) return MANAGING_METHODS.has(p.name.text) || p.name.text === 'ref' ? 'managed' : 'unmanaged';
  if (ts.isExpressionStatement(p) || ts.isVoidExpression(p)) return 'unmanaged';
  if (ts.isVariableDeclaration(p) && p.initializer === n) {
    if (!ts.isIdentifier(p.name)) return 'managed';
    return variableManaged(ctx, p, p.name.text) ? 'managed' : 'unmanaged';
  }
  if (ts.isBinaryExpression(p) && p.right === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = unwrap(ts, p.left);
    if (ts.isIdentifier(left)) {
      const decl = resolveBinding(ctx, left);
      if (!decl || !ts.isVariableDeclaration(decl)) return 'managed';
      return variableManaged(ctx, decl, left.text) ? 'managed' : 'unmanaged';
    }
    if (ts.isPropertyAccessExpression(left)) return propertyManaged(ctx, left.name.text, cleared) ? 'managed' : 'unmanaged';
    if (ts.isElementAccessExpression(left) && ts.isStringLiteralLike(left.argumentExpression)) return propertyManaged(ctx, left.argumentExpression.text, cleared) ? 'managed' : 'unmanaged';
    return 'managed';
  }
  if (ts.isPropertyDeclaration(p) && p.initializer === n) {
    const name = propertyNameText(ts, p.name);
    return !name || propertyManaged(ctx, name, cleared) ? 'managed' : 'unmanaged';
  }
  // Returned, passed on, stored in a collection...: whoever receives it manages it.
  return 'managed';
}

/** A variable holding a timer is managed when some reference clears, unrefs or closes it, or hands it on. */
function variableManaged(ctx: RuleContext, decl: ts.VariableDeclaration, name: string): boolean {
  const { ts } = ctx;
  for (const ref of referencesTo(ctx, decl, name)) {
    let r: ts.Node = ref;
    while (r.parent && (ts.isParenthesizedExpression(r.parent) || ts.isNonNullExpression(r.parent) || ts.isAsExpression(r.parent))) r = r.parent;
    const p = r.parent;
    if (!p) continue;
    if (ts.isPropertyAccessExpression(p) && p.expression === r) {
      if (MANAGING_METHODS.has(p.name.text) || p.name.text === 'refresh' || p.name.text === 'ref' || p.name.text === '[Symbol.dispose]') return true;
      continue;
    }
    if (ts.isCallExpression(p) && p.arguments.includes(r as ts.Expression)) return true; // clearInterval(t), or handed on
    if (ts.isBinaryExpression(p) && p.left === r) continue; // reassigned
    if (ts.isIfStatement(p) || ts.isPrefixUnaryExpression(p) || ts.isBinaryExpression(p) || ts.isConditionalExpression(p)) continue; // tested
    return true; // returned, stored, exported...
  }
  return isExported(ctx, decl);
}

function isExported(ctx: RuleContext, decl: ts.VariableDeclaration): boolean {
  const { ts } = ctx;
  const statement = decl.parent?.parent;
  return !!statement && ts.isVariableStatement(statement) && !!statement.modifiers?.some(m => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** A timer stored in a property is managed when any `clearInterval(x.name)` / `x.name.unref()` exists, or the property is handed on. */
function propertyManaged(ctx: RuleContext, name: string, cleared: ClearedTargets): boolean {
  const { ts } = ctx;
  if (cleared.properties.has(name)) return true;
  for (const pa of ctx.propertyAccessesNamed(name)) {
    if (pa.name.text !== name) continue;
    const p = pa.parent;
    if (p && (ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(pa)) return true;
    if (p && (ts.isReturnStatement(p) || (ts.isBinaryExpression(p) && p.right === pa && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) || ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p))) return true;
  }
  return false;
}

/**
 * A `setTimeout` inside a function F that schedules F again — `setTimeout(F, ms)`, `setTimeout(() => F(), ms)`,
 * `setTimeout(this.F.bind(this), ms)` — unconditionally (no `if`, no early `return` before it).
 */
function reschedulesItself(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const fn = ctx.enclosingFunction(call);
  if (!fn || !ts.isFunctionLike(fn)) return false;
  const name = functionName(ts, fn);
  if (!name) return false;
  const cb = call.arguments[0];
  if (!cb) return false;
  if (!callsByName(ctx, unwrap(ts, cb), name)) return false;
  // Conditional rescheduling is a loop with an exit.
  for (let n: ts.Node | undefined = call.parent; n && n !== fn; n = n.parent) {
    if (ts.isIfStatement(n) || ts.isConditionalExpression(n) || ts.isSwitchStatement(n) || ts.isWhileStatement(n) || ts.isForStatement(n) || ts.isCatchClause(n)) return false;
    if (ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || n.operatorToken.kind === ts.SyntaxKind.BarBarToken || n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) return false;
  }
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (body && hasReturnBefore(ts, body, call.getStart(ctx.sourceFile))) return false;
  return true;
}

/** The timer callback refers to `name`: `name`, `this.name`, `this.name.bind(this)`, or a function that calls it. */
function callsByName(ctx: RuleContext, cb: ts.Expression, name: string): boolean {
  const { ts } = ctx;
  const isSelf = (e: ts.Expression): boolean => {
    const x = unwrap(ts, e);
    if (ts.isIdentifier(x)) return x.text === name;
    if (ts.isPropertyAccessExpression(x)) {
      if (x.name.text === 'bind') return isSelf(x.expression);
      return x.name.text === name && x.expression.kind === ts.SyntaxKind.ThisKeyword;
    }
    if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'bind') return isSelf(x.expression.expression);
    return false;
  };
  if (isSelf(cb)) return true;
  if (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && isSelf(n.expression)) found = true;
      else ts.forEachChild(n, visit);
    };
    visit(cb.body);
    return found;
  }
  return false;
}

function hasReturnBefore(ts: typeof import('typescript'), body: ts.Node, pos: number): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || n.pos >= pos) return;
    if (ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && n.end <= pos) found = true;
    else ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** `.unref()` keeps the handle's type when the timer returns a Node Timeout (not the DOM's number). */
function canUnref(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts, checker } = ctx;
  let n: ts.Node = call;
  while (n.parent && ts.isParenthesizedExpression(n.parent)) n = n.parent;
  if (n.parent && ts.isPropertyAccessExpression(n.parent)) return false;
  if (!checker) return true;
  try {
    return !!checker.getTypeAtLocation(call).getProperty('unref');
  } catch {
    return false;
  }
}
