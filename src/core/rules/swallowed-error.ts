// A catch in an MCP handler that makes the error vanish: no rethrow, no error result, no log, no use of the error.
// The client sees success (or a quiet fallback), and the failure never reaches a log line, a metric or an alert.
import type * as ts from 'typescript';
import type { Fix, Rule, TextEdit } from '../types';
import type { RuleContext } from '../rule-context';
import { ownNodesOfKind } from '../syntax-helpers';

/** Calls whose failure is rightly ignored: cleanup and best-effort notifications. */
const BEST_EFFORT = new Set([
  'close', 'destroy', 'end', 'abort', 'disconnect', 'release', 'unlink', 'rm', 'rmdir', 'unref', 'kill', 'terminate',
  'removeListener', 'removeAllListeners', 'off', 'clearTimeout', 'clearInterval', 'cancel', 'return',
  'sendNotification', 'sendLoggingMessage', 'sendResourceUpdated', 'sendResourceListChanged', 'sendToolListChanged',
  'sendPromptListChanged', 'notification', 'reportProgress', 'log', 'emit', 'flush',
]);
/** Calls that only parse or convert input: a fallback on failure is input handling, not a swallowed failure. */
const PARSING = new Set([
  'JSON.parse', 'JSON.stringify', 'URL', 'URL.parse', 'decodeURIComponent', 'decodeURI', 'encodeURIComponent', 'parseInt', 'parseFloat',
  'Number', 'BigInt', 'atob', 'btoa', 'Buffer.from', 'Date', 'Date.parse', 'RegExp', 'structuredClone', 'String',
]);
const LOG_RECEIVER = /^(console|logger|log|logging|sentry|Sentry|bugsnag|rollbar|newrelic|datadog|metrics|telemetry|tracer|span|otel)$/i;
const LOG_METHOD = /^(error|warn|warning|info|debug|trace|fatal|log|exception|captureException|captureMessage|captureError|notify|report|reportError|recordException|setStatus|sendLoggingMessage|sendNotification)$/;
/** `logError(...)`, `reportFailure(...)`, `recordException(...)`, `auditLog(...)`, `handleError(...)`: not `login`, `catalog`. */
const LOG_FUNCTION = /^(log|report|capture|track|record|notify|alert|audit|handle|emit)(?![a-z])|(Log|Logger|Error|Failure|Exception|Metric|Alert)$/;
const RECORDING_METHODS = new Set(['push', 'add', 'set', 'append', 'unshift', 'increment', 'inc']);
const CATCH = ['catch'];

export const rule: Rule = {
  meta: {
    id: 'swallowed-error',
    code: 61019,
    defaultSeverity: 'warning',
    description: 'Error swallowed in an MCP handler',
    message:
      'This catch swallows the error: the client gets success or a quiet fallback, and the failure leaves no log line, metric or alert, so nobody is paged and nobody can debug it. Log it to stderr (or your logger) and return `isError: true` or rethrow.',
    playbook: 'observability-three-pillars#alerting-philosophy',
    fix: 'Logs the error to stderr with `console.error` (keeping the control flow); for an empty `catch` block, alternatively logs and rethrows so the client gets an error result.',
    languages: ['typescript', 'python'],
  },
  check(ctx) {
    const { ts } = ctx;
    if (ctx.handlers.length === 0) return;
    for (const clause of ctx.nodesOfKind<ts.CatchClause>(ts.SyntaxKind.CatchClause)) {
      if (!ctx.isInHandler(clause)) continue;
      const tryStmt = clause.parent;
      if (isBestEffortOrParsing(ctx, tryStmt.tryBlock)) continue;
      const binding = clause.variableDeclaration;
      if (binding && !ts.isIdentifier(binding.name)) continue; // `catch ({ message })` uses the error
      const errorName = binding && ts.isIdentifier(binding.name) ? binding.name.text : undefined;
      if (leavesTrace(ctx, clause.block, errorName)) continue;
      const empty = clause.block.statements.length === 0;
      ctx.report({
        start: clause.getStart(ctx.sourceFile),
        end: clause.block.getStart(ctx.sourceFile) + 1,
        message: empty
          ? 'This empty catch swallows the error inside an MCP handler: the client gets success or a quiet fallback, and the failure leaves no log line, metric or alert. Log it to stderr (or your logger) and return `isError: true` or rethrow; if ignoring it is intended, say why in a comment.'
          : 'This catch neither rethrows, returns `isError: true`, logs, nor uses the error: the client gets a quiet fallback and the failure leaves no log line, metric or alert. Log it to stderr (or your logger); if ignoring it is intended, say why in a comment.',
        fixes: catchFixes(ctx, clause),
      });
    }
    for (const call of ctx.callsNamed(CATCH)) {
      if (!ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'catch' || call.arguments.length !== 1) continue;
      const cb = call.arguments[0];
      if (!ts.isArrowFunction(cb) && !ts.isFunctionExpression(cb)) continue;
      if (!ctx.isInHandler(call)) continue;
      if (isBestEffortPromise(ctx, call.expression.expression)) continue;
      const param = cb.parameters[0];
      if (param && !ts.isIdentifier(param.name)) continue;
      const errorName = param && ts.isIdentifier(param.name) ? param.name.text : undefined;
      if (leavesTrace(ctx, cb.body, errorName)) continue;
      ctx.report({
        node: cb,
        message:
          'This `.catch` callback swallows the rejection inside an MCP handler: the failure leaves no log line, metric or alert. Log it to stderr (or your logger), and let the tool return `isError: true` when the result depends on it.',
        fixes: callbackFix(ctx, cb),
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------

/** Every call in the try block is cleanup, a best-effort notification, or input parsing (or there is nothing that can fail). */
function isBestEffortOrParsing(ctx: RuleContext, block: ts.Block): boolean {
  const { ts } = ctx;
  const risky = [
    ...ownNodesOfKind(ctx, block, ts.SyntaxKind.CallExpression),
    ...ownNodesOfKind(ctx, block, ts.SyntaxKind.NewExpression),
    ...ownNodesOfKind<ts.AwaitExpression>(ctx, block, ts.SyntaxKind.AwaitExpression).filter(n => !ts.isCallExpression(skipParens(ctx, n.expression))),
  ];
  return risky.every(c => {
    if (ts.isAwaitExpression(c)) return false;
    const callee = (c as ts.CallExpression | ts.NewExpression).expression;
    const name = ctx.dottedName(callee);
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : name;
    return (!!name && PARSING.has(name)) || (!!method && (BEST_EFFORT.has(method) || /^send\w*Notification$|^notify/.test(method)));
  });
}

function skipParens(ctx: RuleContext, e: ts.Expression): ts.Expression {
  while (ctx.ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** `fs.promises.unlink(tmp).catch(() => {})`, `extra.sendNotification(...).catch(() => {})`. */
function isBestEffortPromise(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  let e = expr;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (!ts.isCallExpression(e)) return false;
  const method = ts.isPropertyAccessExpression(e.expression) ? e.expression.name.text : ts.isIdentifier(e.expression) ? e.expression.text : undefined;
  return !!method && (BEST_EFFORT.has(method) || /^send\w*Notification$|^notify/.test(method));
}

/**
 * The catch leaves a trace when it rethrows, returns an error result, logs, uses the error, records the failure
 * (`failed.push(id)`, `errors++`, `ok = false`), or explains itself in a comment.
 */
function leavesTrace(ctx: RuleContext, body: ts.Node, errorName: string | undefined): boolean {
  const { ts } = ctx;
  if (hasComment(ctx, body)) return true;
  let trace = false;
  const visit = (n: ts.Node): void => {
    if (trace) return;
    if (ts.isThrowStatement(n)) trace = true;
    else if (errorName && ts.isIdentifier(n) && n.text === errorName && !(ts.isParameter(n.parent) && n.parent.name === n)) trace = true;
    else if (ts.isPropertyAssignment(n) && propName(ctx, n.name) === 'isError' && n.initializer.kind !== ts.SyntaxKind.FalseKeyword) trace = true;
    else if (ts.isShorthandPropertyAssignment(n) && n.name.text === 'isError') trace = true;
    else if (ts.isCallExpression(n) && isLoggingOrRecording(ctx, n)) trace = true;
    else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) trace = true;
    else if (ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken || (n.operatorToken.kind === ts.SyntaxKind.EqualsToken && isBooleanLiteral(ctx, n.right)))) trace = true;
    else if (!ts.isFunctionLike(n) || n === body) ts.forEachChild(n, visit);
  };
  if (ts.isFunctionLike(body)) ts.forEachChild(body, visit);
  else visit(body);
  return trace;
}

function isLoggingOrRecording(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    const receiver = (ctx.dottedName(callee.expression) ?? '').split('.').pop() ?? '';
    if (LOG_RECEIVER.test(receiver) || /(^log|Log|Logger|logger)$/.test(receiver)) return true;
    return LOG_METHOD.test(method) || LOG_FUNCTION.test(method) || RECORDING_METHODS.has(method);
  }
  if (ts.isIdentifier(callee)) return LOG_FUNCTION.test(callee.text) || callee.text === 'reject';
  return false;
}

function isBooleanLiteral(ctx: RuleContext, e: ts.Expression): boolean {
  return e.kind === ctx.ts.SyntaxKind.TrueKeyword || e.kind === ctx.ts.SyntaxKind.FalseKeyword;
}

function propName(ctx: RuleContext, name: ts.PropertyName): string | undefined {
  return ctx.ts.isIdentifier(name) || ctx.ts.isStringLiteral(name) ? name.text : undefined;
}

/** A comment anywhere inside the block or callback body (not in strings or templates): the swallow is deliberate. */
function hasComment(ctx: RuleContext, body: ts.Node): boolean {
  const { ts } = ctx;
  const text = ctx.text.slice(body.getStart(ctx.sourceFile), body.end);
  if (!text.includes('//') && !text.includes('/*')) return false;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ctx.sourceFile.languageVariant, text);
  // Braces opened by `${` in a template must be rescanned as the template's continuation when they close.
  const braces: Array<'block' | 'template'> = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) return true;
    if (kind === ts.SyntaxKind.TemplateHead || kind === ts.SyntaxKind.OpenBraceToken) braces.push(kind === ts.SyntaxKind.TemplateHead ? 'template' : 'block');
    else if (kind === ts.SyntaxKind.CloseBraceToken) {
      if (braces.pop() === 'template') {
        const next = scanner.reScanTemplateToken(false);
        if (next === ts.SyntaxKind.TemplateMiddle) braces.push('template');
      }
    }
  }
  return false;
}


// ---------------------------------------------------------------------------------------------------------------
// Fixes

/** A name for a new catch binding that shadows nothing the block uses. */
function bindingName(ctx: RuleContext, scope: ts.Node): string {
  const { ts } = ctx;
  const used = new Set(ownNodesOfKind<ts.Identifier>(ctx, scope, ts.SyntaxKind.Identifier).map(n => n.text));
  for (const name of ['error', 'err', 'caughtError']) if (!used.has(name)) return name;
  return 'caughtError2';
}

function catchFixes(ctx: RuleContext, clause: ts.CatchClause): Fix[] {
  const { ts } = ctx;
  const nl = ctx.newline;
  const block = clause.block;
  const edits: TextEdit[] = [];
  let name: string;
  if (clause.variableDeclaration) {
    if (!ts.isIdentifier(clause.variableDeclaration.name)) return [];
    name = clause.variableDeclaration.name.text;
  } else {
    name = bindingName(ctx, block);
    const afterCatch = clause.getStart(ctx.sourceFile) + 'catch'.length;
    edits.push({ start: afterCatch, end: afterCatch, newText: ` (${name})` });
  }
  const indent = ctx.lineIndent(clause.getStart(ctx.sourceFile));
  const tryFirst = clause.parent.tryBlock.statements[0];
  const inner = block.statements.length > 0
    ? ctx.lineIndent(block.statements[0].getStart(ctx.sourceFile))
    : tryFirst && ctx.lineIndent(tryFirst.getStart(ctx.sourceFile)).length > indent.length
      ? ctx.lineIndent(tryFirst.getStart(ctx.sourceFile))
      : `${indent}  `;
  const log = `console.error(${name});`;
  if (block.statements.length === 0) {
    const replace = (body: string[]): TextEdit => ({
      start: block.getStart(ctx.sourceFile),
      end: block.end,
      newText: `{${body.map(l => `${nl}${inner}${l}`).join('')}${nl}${indent}}`,
    });
    return [
      { title: 'Log the error to stderr', edits: [...edits, replace([log])] },
      { title: 'Log the error to stderr and rethrow it (the client gets an error result)', edits: [...edits, replace([log, `throw ${name};`])] },
    ];
  }
  const first = block.statements[0];
  const sameLine = !ctx.text.slice(block.getStart(ctx.sourceFile), first.getStart(ctx.sourceFile)).includes('\n');
  const at = first.getStart(ctx.sourceFile);
  edits.push(sameLine ? { start: at, end: at, newText: `${log} ` } : { start: at, end: at, newText: `${log}${nl}${inner}` });
  return [{ title: 'Log the error to stderr', edits }];
}

function callbackFix(ctx: RuleContext, cb: ts.ArrowFunction | ts.FunctionExpression): Fix[] {
  const { ts } = ctx;
  const edits: TextEdit[] = [];
  let name: string;
  const param = cb.parameters[0];
  if (param) {
    if (!ts.isIdentifier(param.name)) return [];
    name = param.name.text;
  } else {
    name = bindingName(ctx, cb.body);
    // `() =>` has its (empty) parameter list between the parentheses; a bare arrow has none.
    const open = ctx.text.lastIndexOf('(', cb.parameters.pos);
    if (open < cb.getStart(ctx.sourceFile) || ctx.text.slice(open + 1, cb.parameters.end).trim() !== '') return [];
    edits.push({ start: cb.parameters.pos, end: cb.parameters.pos, newText: name });
  }
  const log = `console.error(${name});`;
  const body = cb.body;
  if (ts.isBlock(body)) {
    if (body.statements.length === 0) edits.push({ start: body.getStart(ctx.sourceFile), end: body.end, newText: `{ ${log} }` });
    else edits.push({ start: body.statements[0].getStart(ctx.sourceFile), end: body.statements[0].getStart(ctx.sourceFile), newText: `${log} ` });
  } else {
    edits.push({ start: body.getStart(ctx.sourceFile), end: body.end, newText: `{ ${log} return ${ctx.getText(body)}; }` });
  }
  return [{ title: 'Log the rejection to stderr', edits }];
}
