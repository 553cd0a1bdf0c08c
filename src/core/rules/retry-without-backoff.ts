// Retry loops (and recursive retries) that go round again at once or after a constant delay: no exponential
// backoff and no jitter, so every failing client retries in lock-step against a dependency that is already down.
import type * as ts from 'typescript';
import type { Fix, Rule } from '../types';
import type { RuleContext } from '../rule-context';
import { replaceNode } from '../fix-helpers';
import { ownNodesOfKind } from '../syntax-helpers';

export const BACKOFF_CAP_MS = 30_000; // the persona's 30 s circuit-breaker open time bounds the longest wait

const RETRY_NAME = /attempt|retr(y|ies)|tries|trycount/i;
// Helpers that wait: `sleep(ms)`, `delay(ms)`, `wait(ms)`, `utils.sleepMs(ms)`, `setTimeoutPromise(ms)`.
const SLEEP_NAME = /sleep|delay|wait|pause|snooze|^setTimeout/i;
const BACKOFF_NAME = /backoff|jitter/i;
const CATCH = ['catch'];

type LoopStatement = ts.ForStatement | ts.WhileStatement | ts.DoStatement | ts.ForOfStatement | ts.ForInStatement;

/** An awaited delay found on the retry path; `arg` is the delay expression when it has one. */
interface Delay {
  node: ts.Expression;
  arg?: ts.Expression;
  /** The helper's name says it backs off (`backoff(attempt)`): trust it. */
  backoffHelper?: boolean;
}

export const rule: Rule = {
  meta: {
    id: 'retry-without-backoff',
    code: 61011,
    defaultSeverity: 'warning',
    description: 'Retry without exponential backoff and jitter',
    message:
      'This retry goes round again without exponential backoff and jitter, so every failing caller retries in lock-step against a dependency that is already struggling. Wait `Math.min(30_000, base * 2 ** attempt) * Math.random()` between attempts.',
    playbook: 'circuit-breaker-cascade#mcp-server-circuit-breakers',
    fix: 'Where the retry waits a constant delay and has a numeric attempt counter, replaces the delay with exponential backoff with full jitter capped at 30 s: `Math.min(30_000, delay * 2 ** attempt) * Math.random()`.',
    languages: ['typescript', 'python'],
  },
  check(ctx) {
    const { ts } = ctx;
    const loopKinds = [ts.SyntaxKind.ForStatement, ts.SyntaxKind.WhileStatement, ts.SyntaxKind.DoStatement, ts.SyntaxKind.ForOfStatement];
    for (const kind of loopKinds) {
      for (const loop of ctx.nodesOfKind<LoopStatement>(kind)) checkLoop(ctx, loop);
    }
    for (const tryStmt of ctx.nodesOfKind<ts.TryStatement>(ts.SyntaxKind.TryStatement)) checkRecursiveTry(ctx, tryStmt);
    for (const call of ctx.callsNamed(CATCH)) checkRecursiveCatchCallback(ctx, call);
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Loops

function checkLoop(ctx: RuleContext, loop: LoopStatement): void {
  const { ts } = ctx;
  const retryNamed = loopIsRetryNamed(ctx, loop);
  if (ts.isForOfStatement(loop) && !retryNamed) return; // iterating over items is not retrying
  const modified = modifiedIn(ctx, loop);
  const tries = ownNodesOfKind<ts.TryStatement>(ctx, loop.statement, ts.SyntaxKind.TryStatement).filter(n => nearestLoop(ctx, n) === loop);
  const retryTries = tries.filter(t => isRetryTry(ctx, loop, t, retryNamed));
  if (retryTries.length === 0) return;
  // `catch (e) { await refreshToken(); }`: the loop retries after repairing the cause, not blindly.
  if (retryTries.some(t => hasRecoveryStep(ctx, t.catchClause!.block))) return;

  const delays = findDelays(ctx, loop.statement);
  if (delays.some(d => !isKnownConstantDelay(ctx, d, loop, modified))) return;

  if (delays.length === 0) {
    const header = loopHeaderRange(ctx, loop);
    ctx.report({
      start: header.start,
      end: header.end,
      message:
        'This retry loop tries again immediately after a failure. Back-to-back retries hammer a dependency that is already struggling; wait between attempts with exponential backoff and jitter, e.g. `Math.min(30_000, 100 * 2 ** attempt) * Math.random()`.',
    });
    return;
  }
  const counter = loopCounter(ctx, loop);
  for (const d of delays) {
    ctx.report({
      node: d.arg,
      message:
        'This retry loop waits a constant delay between attempts. Fixed-interval retries from many callers arrive in synchronised waves and keep an overloaded dependency down; grow the delay exponentially and add jitter, capped at 30 s.',
      fixes: counter ? [backoffFix(ctx, d.arg!, counter)] : [],
    });
  }
}

/** A delay we can read: numeric, and the same on every pass. Anything else may be a backoff: stay quiet. */
function isKnownConstantDelay(ctx: RuleContext, d: Delay, scope: ts.Node, modified: Set<string>, isVarying?: (n: ts.Node) => boolean): boolean {
  if (d.backoffHelper || !d.arg) return false;
  return looksNumeric(ctx, d.arg) && isConstant(ctx, d.arg, scope, modified, new Set(), isVarying);
}

function nearestLoop(ctx: RuleContext, node: ts.Node): ts.Node | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (ctx.ts.isFunctionLike(n)) return undefined;
    if (ctx.ts.isIterationStatement(n, false)) return n;
  }
  return undefined;
}

/** Header identifiers (`for (let attempt = 0; ...)`, `while (retries-- > 0)`) name attempts or retries. */
function loopIsRetryNamed(ctx: RuleContext, loop: LoopStatement): boolean {
  const { ts } = ctx;
  const parts: Array<ts.Node | undefined> = ts.isForStatement(loop)
    ? [loop.initializer, loop.condition, loop.incrementor]
    : ts.isForOfStatement(loop) || ts.isForInStatement(loop)
      ? [loop.initializer]
      : [loop.expression];
  let named = false;
  const visit = (n: ts.Node): void => {
    if (named) return;
    if (ts.isIdentifier(n) && RETRY_NAME.test(n.text)) named = true;
    else ts.forEachChild(n, visit);
  };
  for (const p of parts) if (p) visit(p);
  return named;
}

/**
 * A try statement makes `loop` a retry loop when its block awaits, its catch lets the loop go round again,
 * and success leaves the loop: a `return`/`break` directly in the try block, or (for a loop whose header
 * counts attempts) no early exit at all, e.g. `try { await f(); done = true; } catch {}`.
 */
function isRetryTry(ctx: RuleContext, loop: LoopStatement, t: ts.TryStatement, retryNamed: boolean): boolean {
  const { ts } = ctx;
  if (!t.catchClause) return false;
  if (!ownNodesOfKind(ctx, t.tryBlock, ts.SyntaxKind.AwaitExpression).length) return false;
  if (catchAlwaysLeaves(ctx, t.catchClause.block, loop)) return false;
  if (retryNamed) {
    // A readiness poll (`if (ready) return;` inside the try) is not a retry: constant intervals suit it.
    const exits = [
      ...ownNodesOfKind(ctx, t.tryBlock, ts.SyntaxKind.ReturnStatement),
      ...ownNodesOfKind<ts.BreakStatement>(ctx, t.tryBlock, ts.SyntaxKind.BreakStatement).filter(n => breaksLoop(ctx, n, loop)),
    ];
    return exits.every(e => e.parent === t.tryBlock);
  }
  const exitsOnSuccess = t.tryBlock.statements.some(s => ts.isReturnStatement(s) || (ts.isBreakStatement(s) && breaksLoop(ctx, s, loop)));
  if (!exitsOnSuccess) return false;
  // `for (let i = 0; i < mirrors.length; i++) { try { return await get(mirrors[i]); } catch {} }` fails over, it does not retry.
  const steppedOutsideTry = modifiedIn(ctx, loop, t.tryBlock);
  const usesLoopState = ownNodesOfKind<ts.Identifier>(ctx, t.tryBlock, ts.SyntaxKind.Identifier).some(n => steppedOutsideTry.has(n.text));
  return !usesLoopState;
}

function catchAlwaysLeaves(ctx: RuleContext, block: ts.Block, loop: LoopStatement): boolean {
  const { ts } = ctx;
  const last = block.statements[block.statements.length - 1];
  if (!last) return false;
  return ts.isThrowStatement(last) || ts.isReturnStatement(last) || (ts.isBreakStatement(last) && breaksLoop(ctx, last, loop));
}

function breaksLoop(ctx: RuleContext, brk: ts.BreakStatement, loop: LoopStatement): boolean {
  const { ts } = ctx;
  if (brk.label) return ts.isLabeledStatement(loop.parent) && loop.parent.label.text === brk.label.text;
  for (let n: ts.Node = brk.parent; n && n !== loop; n = n.parent) {
    if (ts.isIterationStatement(n, false) || ts.isSwitchStatement(n)) return false;
  }
  return true;
}

/** `for (...)` / `while (...)` / `do` up to the body, for a squiggle that does not cover the whole loop. */
function loopHeaderRange(ctx: RuleContext, loop: LoopStatement): { start: number; end: number } {
  const { ts } = ctx;
  const start = loop.getStart(ctx.sourceFile);
  if (ts.isDoStatement(loop)) return { start, end: start + 2 };
  const bodyStart = loop.statement.getStart(ctx.sourceFile);
  let end = bodyStart;
  while (end > start && /\s/.test(ctx.text[end - 1])) end--;
  return { start, end };
}

// ---------------------------------------------------------------------------------------------------------------
// Recursive retries: `async function f(n) { try { return await op(); } catch { return f(n + 1); } }`

interface RecursiveTarget {
  fn: ts.FunctionLikeDeclaration;
  /** How the function is called: `f` or `this.f`. */
  callName: string;
}

function checkRecursiveTry(ctx: RuleContext, t: ts.TryStatement): void {
  const { ts } = ctx;
  if (!t.catchClause) return;
  const target = enclosingNamedFunction(ctx, t);
  if (!target) return;
  if (!ownNodesOfKind(ctx, t.tryBlock, ts.SyntaxKind.AwaitExpression).length) return;
  const recursive = ownNodesOfKind<ts.CallExpression>(ctx, t.catchClause.block, ts.SyntaxKind.CallExpression).filter(n => isCallOf(ctx, n, target));
  if (recursive.length === 0) return;
  reportRecursive(ctx, target, t.catchClause.block, recursive);
}

/** `return op().catch(() => f(n + 1))` inside `f`. */
function checkRecursiveCatchCallback(ctx: RuleContext, call: ts.CallExpression): void {
  const { ts } = ctx;
  if (!ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'catch') return;
  const cb = call.arguments[0];
  if (!cb || !(ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) return;
  const target = enclosingNamedFunction(ctx, call);
  if (!target) return;
  const body = cb.body;
  const recursive = (ts.isCallExpression(body) && isCallOf(ctx, body, target) ? [body] : []).concat(
    ownNodesOfKind<ts.CallExpression>(ctx, body, ts.SyntaxKind.CallExpression).filter(n => isCallOf(ctx, n, target)),
  );
  if (recursive.length === 0) return;
  reportRecursive(ctx, target, body, recursive);
}

function reportRecursive(ctx: RuleContext, target: RecursiveTarget, errorPath: ts.Node, recursive: ts.CallExpression[]): void {
  // Without an attempt budget (`attempt + 1`, `retries - 1`) a self-call from a catch is a fallback
  // (`fetchWithCorsRetry(url, undefined)`) or a single retry after recovery (re-authentication), not a retry loop.
  if (!recursive.some(c => hasCounterArgument(ctx, c, target))) return;
  if (hasRecoveryStep(ctx, errorPath, new Set(recursive))) return;
  const delays = findDelays(ctx, errorPath);
  const varying = varyingParameters(ctx, target, recursive);
  if (delays.some(d => !isConstantDelayInRecursion(ctx, d, target, varying))) return;
  if (delays.length === 0) {
    ctx.report({
      node: recursive[0],
      message:
        'This function retries itself immediately after a failure. Back-to-back retries hammer a dependency that is already struggling; wait before the retry with exponential backoff and jitter, e.g. `Math.min(30_000, 100 * 2 ** attempt) * Math.random()`.',
    });
    return;
  }
  const counter = recursionCounter(ctx, target, recursive);
  for (const d of delays) {
    ctx.report({
      node: d.arg,
      message:
        'This function retries itself after a constant delay. Fixed-interval retries from many callers arrive in synchronised waves; grow the delay exponentially with the attempt number and add jitter, capped at 30 s.',
      fixes: counter ? [backoffFix(ctx, d.arg!, counter)] : [],
    });
  }
}

/** An argument that steps a numeric parameter: `attempt + 1`, `retries - 1`, `++n`, `n--`. */
function hasCounterArgument(ctx: RuleContext, call: ts.CallExpression, target: RecursiveTarget): boolean {
  const { ts } = ctx;
  const params = new Set(target.fn.parameters.map(p => (ts.isIdentifier(p.name) ? p.name.text : '')).filter(Boolean));
  return call.arguments.some(a => {
    if (ts.isBinaryExpression(a) && (a.operatorToken.kind === ts.SyntaxKind.PlusToken || a.operatorToken.kind === ts.SyntaxKind.MinusToken)) {
      return ts.isIdentifier(a.left) && params.has(a.left.text) && ts.isNumericLiteral(a.right);
    }
    if ((ts.isPrefixUnaryExpression(a) || ts.isPostfixUnaryExpression(a)) && (a.operator === ts.SyntaxKind.PlusPlusToken || a.operator === ts.SyntaxKind.MinusMinusToken)) {
      return ts.isIdentifier(a.operand) && params.has(a.operand.text);
    }
    return false;
  });
}

/** Cleanup and logging a retry may do on its way round; any other awaited call repairs something first. */
const ROUTINE_CALL = /^(rollback|release|close|end|destroy|disconnect|abort|cancel|unref|reset|removeListener|flush|log|error|warn|info|debug|trace)$/;

/** The error path awaits something that is neither a delay nor routine cleanup: a recovery step (refresh, re-auth, resume). */
function hasRecoveryStep(ctx: RuleContext, errorPath: ts.Node, retryCalls: Set<ts.Node> = new Set()): boolean {
  const { ts } = ctx;
  const awaits = ownNodesOfKind<ts.AwaitExpression>(ctx, errorPath, ts.SyntaxKind.AwaitExpression);
  if (ts.isAwaitExpression(errorPath)) awaits.push(errorPath);
  return awaits.some(aw => {
    let e: ts.Expression = aw.expression;
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (retryCalls.has(e) || delayOf(ctx, e)) return false;
    if (!ts.isCallExpression(e)) return true;
    const callee = ctx.resolveCallee(e.expression);
    return !callee || !ROUTINE_CALL.test(callee.name);
  });
}

function enclosingNamedFunction(ctx: RuleContext, node: ts.Node): RecursiveTarget | undefined {
  const { ts } = ctx;
  const fn = ctx.enclosingFunction(node);
  if (!fn || !('body' in fn) || !fn.body) return undefined;
  const f = fn as ts.FunctionLikeDeclaration;
  if (ts.isFunctionDeclaration(f) && f.name) return { fn: f, callName: f.name.text };
  if (ts.isMethodDeclaration(f) && ts.isIdentifier(f.name)) return { fn: f, callName: `this.${f.name.text}` };
  if ((ts.isArrowFunction(f) || ts.isFunctionExpression(f)) && ts.isVariableDeclaration(f.parent) && ts.isIdentifier(f.parent.name)) {
    return { fn: f, callName: f.parent.name.text };
  }
  if (ts.isFunctionExpression(f) && f.name) return { fn: f, callName: f.name.text };
  return undefined;
}

function isCallOf(ctx: RuleContext, call: ts.CallExpression, target: RecursiveTarget): boolean {
  return ctx.dottedName(call.expression) === target.callName;
}

/** Parameters the recursive calls pass something other than themselves for (`delay * 2`, `attempt + 1`). */
function varyingParameters(ctx: RuleContext, target: RecursiveTarget, calls: ts.CallExpression[]): Set<string> {
  const { ts } = ctx;
  const out = new Set<string>();
  target.fn.parameters.forEach((p, i) => {
    if (!ts.isIdentifier(p.name)) return;
    const name = p.name.text;
    for (const c of calls) {
      const arg = c.arguments[i];
      if (arg && !(ts.isIdentifier(arg) && arg.text === name)) out.add(name);
    }
  });
  return out;
}

function isConstantDelayInRecursion(ctx: RuleContext, d: Delay, target: RecursiveTarget, varying: Set<string>): boolean {
  const { ts } = ctx;
  const modified = modifiedIn(ctx, target.fn);
  for (const v of varying) modified.add(v);
  return isKnownConstantDelay(ctx, d, target.fn, modified, n => ts.isIdentifier(n) && varying.has(n.text));
}

/** A numeric parameter the recursive call passes as `param + 1`. */
function recursionCounter(ctx: RuleContext, target: RecursiveTarget, calls: ts.CallExpression[]): string | undefined {
  const { ts } = ctx;
  for (let i = 0; i < target.fn.parameters.length; i++) {
    const p = target.fn.parameters[i];
    if (!ts.isIdentifier(p.name) || !isNumericDeclaration(ctx, p)) continue;
    const name = p.name.text;
    const allIncrement = calls.every(c => {
      const arg = c.arguments[i];
      return (
        !!arg &&
        ts.isBinaryExpression(arg) &&
        arg.operatorToken.kind === ts.SyntaxKind.PlusToken &&
        ts.isIdentifier(arg.left) &&
        arg.left.text === name &&
        ts.isNumericLiteral(arg.right)
      );
    });
    if (allIncrement) return name;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Delays

/** Awaited delays in `root` (not in nested functions): `await sleep(ms)`, `await setTimeout(ms)` from timers/promises, `await new Promise(r => setTimeout(r, ms))`. */
function findDelays(ctx: RuleContext, root: ts.Node): Delay[] {
  const { ts } = ctx;
  const out: Delay[] = [];
  const awaits = ownNodesOfKind<ts.AwaitExpression>(ctx, root, ts.SyntaxKind.AwaitExpression);
  if (ts.isAwaitExpression(root)) awaits.unshift(root);
  for (const aw of awaits) {
    let e: ts.Expression = aw.expression;
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    const d = delayOf(ctx, e);
    if (d) out.push(d);
  }
  return out;
}

function delayOf(ctx: RuleContext, e: ts.Expression): Delay | undefined {
  const { ts } = ctx;
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Promise') {
    const executor = e.arguments?.[0];
    if (!executor || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor))) return undefined;
    const timers: ts.CallExpression[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n)) {
        const callee = ctx.resolveCallee(n.expression);
        if (callee && callee.module === null && callee.name === 'setTimeout' && (!callee.object || callee.object === 'globalThis')) timers.push(n);
      }
      ts.forEachChild(n, visit);
    };
    visit(executor.body);
    if (timers.length !== 1) return undefined;
    return { node: e, arg: timers[0].arguments[1] };
  }
  if (!ts.isCallExpression(e)) return undefined;
  const callee = ctx.resolveCallee(e.expression);
  if (!callee) return undefined;
  if (callee.module === 'timers/promises' && (callee.name === 'setTimeout' || callee.name === 'wait')) return { node: e, arg: e.arguments[0] };
  if (callee.object === 'scheduler' && callee.name === 'wait') return { node: e, arg: e.arguments[0] };
  if (BACKOFF_NAME.test(callee.name)) return { node: e, backoffHelper: true };
  if (SLEEP_NAME.test(callee.name)) return { node: e, arg: e.arguments[0] };
  return undefined;
}

/**
 * Whether `expr` has the same value on every pass of `scope` (a loop, or a function for recursion):
 * literals, and names/properties that `scope` never assigns. Calls other than `Math.min/max` and number
 * conversions are unknown (a helper may compute a backoff), so they count as varying.
 */
function isConstant(
  ctx: RuleContext,
  expr: ts.Expression,
  scope: ts.Node,
  modified: Set<string>,
  seen: Set<ts.Node>,
  isVarying: (n: ts.Node) => boolean = () => false,
): boolean {
  const { ts } = ctx;
  if (seen.has(expr)) return false;
  seen.add(expr);
  const again = (e: ts.Expression): boolean => isConstant(ctx, e, scope, modified, seen, isVarying);
  if (isVarying(expr)) return false;
  if (ts.isNumericLiteral(expr) || ts.isStringLiteralLike(expr)) return true;
  if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr) || ts.isTypeAssertionExpression(expr)) {
    return again(expr.expression);
  }
  if (ts.isPrefixUnaryExpression(expr)) {
    return (expr.operator === ts.SyntaxKind.MinusToken || expr.operator === ts.SyntaxKind.PlusToken) && again(expr.operand);
  }
  if (ts.isBinaryExpression(expr)) {
    const op = expr.operatorToken.kind;
    const arithmetic = [
      ts.SyntaxKind.PlusToken, ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken,
      ts.SyntaxKind.PercentToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken,
    ];
    return arithmetic.includes(op) && again(expr.left) && again(expr.right);
  }
  if (ts.isConditionalExpression(expr)) return again(expr.condition) && again(expr.whenTrue) && again(expr.whenFalse);
  if (ts.isIdentifier(expr)) {
    if (expr.text === 'undefined') return true;
    if (modified.has(expr.text)) return false;
    const decl = declarationInside(ctx, expr, scope);
    if (decl) return !!decl.initializer && again(decl.initializer);
    return true;
  }
  if (ts.isPropertyAccessExpression(expr)) {
    const name = ctx.dottedName(expr);
    if (!name) return false;
    if (modified.has(name)) return false;
    const root = name.split('.')[0];
    if (modified.has(root)) return false;
    return true;
  }
  if (ts.isElementAccessExpression(expr)) return again(expr.expression) && again(expr.argumentExpression);
  if (ts.isCallExpression(expr)) {
    const name = ctx.dottedName(expr.expression);
    if (name === 'Math.min' || name === 'Math.max' || name === 'Number' || name === 'parseInt' || name === 'parseFloat' || name === 'Number.parseInt') {
      return expr.arguments.every(again);
    }
    return false;
  }
  return false;
}

/** A `const`/`let` declaration of `id` inside `scope` (so recomputed on every pass), found before `id`. */
function declarationInside(ctx: RuleContext, id: ts.Identifier, scope: ts.Node): ts.VariableDeclaration | undefined {
  const { ts } = ctx;
  let best: ts.VariableDeclaration | undefined;
  for (const decl of ctx.variablesNamed(id.text)) {
    if (!ts.isIdentifier(decl.name) || decl.name.text !== id.text) continue;
    if (decl.pos < scope.pos || decl.end > scope.end || decl.end > id.pos) continue;
    if (!best || decl.pos > best.pos) best = decl;
  }
  return best;
}

/** Names (and dotted names) assigned inside `node` (outside `except`): `x = ...`, `x op= ...`, `x++`, `--x`. */
function modifiedIn(ctx: RuleContext, node: ts.Node, except?: ts.Node): Set<string> {
  const { ts } = ctx;
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (n === except) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const name = ctx.dottedName(n.left);
      if (name) out.add(name);
    } else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
      const name = ctx.dottedName(n.operand);
      if (name) out.add(name);
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

const DURATION_NAME = /ms|millis|delay|interval|timeout|wait|sleep|backoff|seconds|secs|pause/i;

/** The delay is a number: a numeric literal somewhere in it, a name declared as a number, or a duration-like name. */
function looksNumeric(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  if (ts.isNumericLiteral(expr)) return true;
  if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr)) return looksNumeric(ctx, expr.expression);
  if (ts.isPrefixUnaryExpression(expr)) return looksNumeric(ctx, expr.operand);
  if (ts.isBinaryExpression(expr)) return looksNumeric(ctx, expr.left) || looksNumeric(ctx, expr.right);
  if (ts.isConditionalExpression(expr)) return looksNumeric(ctx, expr.whenTrue) && looksNumeric(ctx, expr.whenFalse);
  if (ts.isIdentifier(expr)) {
    if (DURATION_NAME.test(expr.text)) return true;
    return ctx.variablesNamed(expr.text).some(d => ts.isIdentifier(d.name) && d.name.text === expr.text && isNumericDeclaration(ctx, d));
  }
  if (ts.isPropertyAccessExpression(expr)) return DURATION_NAME.test(expr.name.text);
  if (ts.isCallExpression(expr)) {
    const name = ctx.dottedName(expr.expression);
    if (name === 'Number' || name === 'parseInt' || name === 'parseFloat' || name === 'Number.parseInt') return true;
    if (name === 'Math.min' || name === 'Math.max') return expr.arguments.some(a => looksNumeric(ctx, a));
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// The fix

/**
 * The loop's attempt counter: a numeric variable declared outside the loop body (or in the for-initializer)
 * that the loop increments, so `2 ** counter` grows on each pass.
 */
function loopCounter(ctx: RuleContext, loop: LoopStatement): string | undefined {
  const { ts } = ctx;
  const candidates: string[] = [];
  const consider = (n: ts.Node): void => {
    let target: ts.Expression | undefined;
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && n.operator === ts.SyntaxKind.PlusPlusToken) target = n.operand;
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken && isPositiveNumber(ctx, n.right)) target = n.left;
    else if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(n.left) &&
      ts.isBinaryExpression(n.right) &&
      n.right.operatorToken.kind === ts.SyntaxKind.PlusToken &&
      ts.isIdentifier(n.right.left) &&
      n.right.left.text === n.left.text &&
      isPositiveNumber(ctx, n.right.right)
    ) target = n.left;
    if (target && ts.isIdentifier(target)) candidates.push(target.text);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    consider(n);
    ts.forEachChild(n, visit);
  };
  if (ts.isForStatement(loop) && loop.incrementor) visit(loop.incrementor);
  visit(loop.statement);
  candidates.sort((a, b) => Number(RETRY_NAME.test(b)) - Number(RETRY_NAME.test(a)));
  for (const name of candidates) {
    const decl = counterDeclaration(ctx, loop, name);
    if (decl && isNumericDeclaration(ctx, decl)) return name;
  }
  return undefined;
}

function isPositiveNumber(ctx: RuleContext, e: ts.Expression): boolean {
  return ctx.ts.isNumericLiteral(e) && Number(e.text) > 0;
}

/** The declaration of a counter: in the for-initializer, or in a block that encloses the loop, before it. */
function counterDeclaration(ctx: RuleContext, loop: LoopStatement, name: string): ts.VariableDeclaration | undefined {
  const { ts } = ctx;
  if (ts.isForStatement(loop) && loop.initializer && ts.isVariableDeclarationList(loop.initializer)) {
    const d = loop.initializer.declarations.find(x => ts.isIdentifier(x.name) && x.name.text === name);
    if (d) return d;
  }
  let best: ts.VariableDeclaration | undefined;
  for (const decl of ctx.variablesNamed(name)) {
    if (!ts.isIdentifier(decl.name) || decl.name.text !== name || decl.end > loop.pos) continue;
    const stmt = decl.parent?.parent;
    const block = stmt?.parent;
    if (!stmt || !ts.isVariableStatement(stmt) || !block) continue;
    if (!(block.pos <= loop.pos && loop.end <= block.end)) continue;
    if (!best || decl.pos > best.pos) best = decl;
  }
  return best;
}

/** Declared as a number: `: number`, or initialised with a numeric literal. */
function isNumericDeclaration(ctx: RuleContext, decl: ts.VariableDeclaration | ts.ParameterDeclaration): boolean {
  const { ts } = ctx;
  if (decl.type) return decl.type.kind === ts.SyntaxKind.NumberKeyword;
  return !!decl.initializer && ts.isNumericLiteral(decl.initializer);
}

function backoffFix(ctx: RuleContext, delay: ts.Expression, counter: string): Fix {
  const { ts } = ctx;
  const base = ctx.getText(delay);
  const simple = ts.isNumericLiteral(delay) || ts.isIdentifier(delay) || ts.isPropertyAccessExpression(delay) || ts.isCallExpression(delay);
  const baseText = simple ? base : `(${base})`;
  return {
    title: 'Use exponential backoff with full jitter (capped at 30 s)',
    edits: [replaceNode(ctx, delay, `Math.min(30_000, ${baseText} * 2 ** ${counter}) * Math.random()`)],
  };
}

// ---------------------------------------------------------------------------------------------------------------

