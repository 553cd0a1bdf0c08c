// The program's async entry point is called at top level and its promise is dropped: if start-up fails, what
// happens next depends on runtime flags and on whatever `unhandledRejection` handler some module installed.
import type * as ts from 'typescript';
import type { Rule, TextEdit } from '../types';
import type { RuleContext } from '../rule-context';
import { serveCalls } from '../server-instances';

export const CATCH_HANDLER = '.catch((error) => { console.error(error); process.exit(1); })';

export const rule: Rule = {
  meta: {
    id: 'unhandled-entry-rejection',
    code: 61012,
    defaultSeverity: 'warning',
    description: 'Async entry point called without handling its rejection',
    message:
      'This starts the server from an async call whose rejection nobody handles. If start-up fails, the process may crash with a bare stack trace or, when some module has installed an `unhandledRejection` handler, live on with a server that never connected. Add `.catch` that logs to stderr and exits non-zero.',
    playbook: 'failure-assumption#architecture-response',
    fix: 'Appends `.catch((error) => { console.error(error); process.exit(1); })` to the call (and drops a leading `void`).',
    languages: ['typescript'],
  },
  check(ctx) {
    const { ts } = ctx;
    if (hasUnhandledRejectionHandler(ctx)) return; // a program-wide policy is in place
    const asyncFunctions = topLevelAsyncFunctions(ctx);
    const serve = new Set<ts.Node>(serveCalls(ctx).map(s => s.call));

    for (const stmt of topLevelStatements(ctx)) {
      if (!ts.isExpressionStatement(stmt)) continue;
      let expr = stmt.expression;
      let voidKeyword: ts.VoidExpression | undefined;
      if (ts.isVoidExpression(expr)) {
        voidKeyword = expr;
        expr = expr.expression;
      }
      const base = unhandledBase(ctx, expr);
      if (!base) continue;
      const what = describeEntry(ctx, base, asyncFunctions, serve);
      if (!what) continue;
      const edits: TextEdit[] = [];
      if (voidKeyword) edits.push({ start: voidKeyword.getStart(ctx.sourceFile), end: expr.getStart(ctx.sourceFile), newText: '' });
      edits.push({ start: expr.end, end: expr.end, newText: CATCH_HANDLER });
      ctx.report({
        node: stmt.expression,
        message: `${what} returns a promise whose rejection nobody handles${voidKeyword ? ' (`void` discards it, it does not handle it)' : ''}. If start-up fails, the process may crash with a bare stack trace or, when some module has installed an \`unhandledRejection\` handler, live on with a server that never connected. Add \`.catch\` that logs to stderr and exits non-zero.`,
        fixes: [{ title: 'Handle the rejection: log to stderr and exit with code 1', edits }],
      });
    }
  },
};

/**
 * Follows `.then(onFulfilled)` and `.finally(...)` down to the call that makes the promise; undefined when the
 * chain handles rejection (`.catch(...)`, `.then(a, b)`) or is not a call at all.
 */
function unhandledBase(ctx: RuleContext, expr: ts.Expression): ts.CallExpression | undefined {
  const { ts } = ctx;
  let e = expr;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  for (;;) {
    if (!ts.isCallExpression(e)) return undefined;
    const callee = e.expression;
    if (ts.isPropertyAccessExpression(callee) && ts.isCallExpression(skipParens(ctx, callee.expression))) {
      const method = callee.name.text;
      if (method === 'catch') return undefined;
      if (method === 'then') {
        if (e.arguments.length >= 2) return undefined;
        e = skipParens(ctx, callee.expression);
        continue;
      }
      if (method === 'finally') {
        e = skipParens(ctx, callee.expression);
        continue;
      }
    }
    return e;
  }
}

/** Names the entry call when it is one: a call of a file-level async function, an async IIFE, or a top-level connect/start. */
function describeEntry(ctx: RuleContext, call: ts.CallExpression, asyncFunctions: Map<string, ts.FunctionLikeDeclaration>, serve: Set<ts.Node>): string | undefined {
  const { ts } = ctx;
  const callee = skipParens(ctx, call.expression);
  if (ts.isIdentifier(callee)) {
    const fn = asyncFunctions.get(callee.text);
    if (!fn || cannotReject(ctx, fn)) return undefined;
    return `\`${callee.text}()\``;
  }
  if ((ts.isArrowFunction(callee) || ts.isFunctionExpression(callee)) && isAsync(ctx, callee)) {
    return cannotReject(ctx, callee) ? undefined : 'This async IIFE';
  }
  if (serve.has(call) && ts.isPropertyAccessExpression(call.expression)) {
    return `\`${ctx.getText(call.expression)}()\``;
  }
  return undefined;
}

function skipParens(ctx: RuleContext, e: ts.Expression): ts.Expression {
  while (ctx.ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** Statements that run when the module loads: the file's statements and the blocks of top-level if/try/labels. */
function topLevelStatements(ctx: RuleContext): ts.Statement[] {
  const { ts } = ctx;
  const out: ts.Statement[] = [];
  const visit = (s: ts.Statement): void => {
    out.push(s);
    if (ts.isBlock(s)) s.statements.forEach(visit);
    else if (ts.isIfStatement(s)) {
      visit(s.thenStatement);
      if (s.elseStatement) visit(s.elseStatement);
    } else if (ts.isTryStatement(s)) {
      visit(s.tryBlock);
      if (s.catchClause) visit(s.catchClause.block);
      if (s.finallyBlock) visit(s.finallyBlock);
    } else if (ts.isLabeledStatement(s)) visit(s.statement);
  };
  ctx.sourceFile.statements.forEach(visit);
  return out;
}

/** `async function main()`, `const main = async () => ...`, or declared to return a Promise, at file level. */
function topLevelAsyncFunctions(ctx: RuleContext): Map<string, ts.FunctionLikeDeclaration> {
  const { ts } = ctx;
  const out = new Map<string, ts.FunctionLikeDeclaration>();
  for (const s of ctx.sourceFile.statements) {
    if (ts.isFunctionDeclaration(s) && s.name && s.body && isAsync(ctx, s)) out.set(s.name.text, s);
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        const init = d.initializer && skipParens(ctx, d.initializer);
        if (ts.isIdentifier(d.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && isAsync(ctx, init)) {
          out.set(d.name.text, init);
        }
      }
    }
  }
  return out;
}

function isAsync(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): boolean {
  const { ts } = ctx;
  if (ts.canHaveModifiers(fn) && ts.getModifiers(fn)?.some(m => m.kind === ts.SyntaxKind.AsyncKeyword)) return true;
  const type = fn.type;
  return !!type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'Promise';
}

/**
 * The whole body runs inside `try` blocks whose `catch` never throws (the usual
 * `try { ... } catch (e) { console.error(e); process.exit(1); }`): the promise cannot reject.
 */
function cannotReject(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): boolean {
  const { ts } = ctx;
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return false;
  return body.statements.every(s => {
    if (ts.isTryStatement(s)) return !!s.catchClause && !mayRejectFromCatch(ctx, s.catchClause.block) && (!s.finallyBlock || !containsRisk(ctx, s.finallyBlock));
    return !containsRisk(ctx, s);
  });
}

/** A catch block that rethrows, or awaits something that may reject. */
function mayRejectFromCatch(ctx: RuleContext, node: ts.Node): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isThrowStatement(n) || ts.isAwaitExpression(n)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** Anything that may throw: a call, `new`, `await`, `throw`. */
function containsRisk(ctx: RuleContext, node: ts.Node): boolean {
  const { ts } = ctx;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isAwaitExpression(n) || ts.isThrowStatement(n)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

const LISTENER_METHODS = ['on', 'once', 'addListener', 'prependListener'];

/** `process.on('unhandledRejection', ...)` anywhere in the file. */
function hasUnhandledRejectionHandler(ctx: RuleContext): boolean {
  const { ts } = ctx;
  return ctx.callsNamed(LISTENER_METHODS).some(c => {
    const name = ctx.dottedName(c.expression);
    if (name !== 'process.on' && name !== 'process.once' && name !== 'process.addListener' && name !== 'process.prependListener') return false;
    const first = c.arguments[0];
    return !!first && ts.isStringLiteralLike(first) && first.text === 'unhandledRejection';
  });
}
