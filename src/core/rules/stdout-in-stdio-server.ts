// A stdio MCP server speaks JSON-RPC on stdout. Anything else written there (console.log and friends,
// process.stdout.write, a stream piped to stdout) corrupts the stream: the client drops the message or the connection.
import type * as ts from 'typescript';
import type { Fix, Rule } from '../types';
import type { RuleContext } from '../rule-context';
import { replaceNode } from '../fix-helpers';
import { resolveBinding, unwrap } from '../syntax-helpers';

/** Console methods that Node writes to stdout (checked against Node 20: log, info, debug, dir, dirxml, table, count, group, timeLog, timeEnd). */
const STDOUT_CONSOLE_METHODS = new Set(['log', 'info', 'debug', 'dir', 'dirxml', 'table', 'count', 'group', 'groupCollapsed', 'timeLog', 'timeEnd']);
/** Of those, the ones `console.error` replaces exactly (same formatting, no per-console state). */
const SWAPPABLE = new Set(['log', 'info', 'debug', 'dirxml']);
/** Every method name a call the rule looks at is made by. */
const WRITING_METHODS = [...STDOUT_CONSOLE_METHODS, 'write', 'pipe'];

export const rule: Rule = {
  meta: {
    id: 'stdout-in-stdio-server',
    code: 61005,
    defaultSeverity: 'error',
    description: 'Writes to stdout in a program that serves MCP over stdio',
    message:
      'This program serves MCP over stdio, where stdout carries the JSON-RPC stream: this output corrupts it and the client drops the message or the connection. Log to stderr instead (console.error).',
    playbook: 'observability-three-pillars#logging-strategy',
    fix: 'Replaces `console.log/info/debug/dirxml(...)` (and one-argument `console.dir`) with `console.error(...)`, and `process.stdout` with `process.stderr` in `.write(...)` and `.pipe(...)`.',
    languages: ['typescript', 'python'],
  },
  check(ctx) {
    if (!ctx.project.servesStdio) return;
    if (isTestFile(ctx.sourceFile.fileName)) return;
    const { ts } = ctx;
    const redirected = redirectedConsoleMethods(ctx);
    for (const call of ctx.callsNamed(WRITING_METHODS)) {
      const callee = unwrap(ts, call.expression);
      if (!ts.isPropertyAccessExpression(callee)) continue;
      const method = callee.name.text;
      const receiver = unwrap(ts, callee.expression);
      const receiverText = ctx.dottedName(receiver);
      if ((receiverText === 'console' || receiverText === 'globalThis.console') && STDOUT_CONSOLE_METHODS.has(method)) {
        if (receiverText === 'console' && ts.isIdentifier(receiver) && resolveBinding(ctx, receiver)) continue; // a local `console`
        if (redirected.has(method)) continue;
        if ((method === 'group' || method === 'groupCollapsed') && call.arguments.length === 0) continue; // prints nothing
        if (printsThenExitsCleanly(ctx, call)) continue;
        checkConsole(ctx, call, callee, method);
        continue;
      }
      if (method === 'write' && isProcessStdout(ctx, receiver)) {
        if (printsThenExitsCleanly(ctx, call)) continue;
        ctx.report({
          node: call,
          message: `process.stdout.write in a stdio MCP server writes into the JSON-RPC stream and corrupts it. Write to process.stderr.`,
          fixes: stdoutFix(ctx, receiver),
        });
        continue;
      }
      if (method === 'pipe' && call.arguments.length > 0 && isProcessStdout(ctx, unwrap(ts, call.arguments[0]))) {
        ctx.report({
          node: call,
          message: `Piping into process.stdout in a stdio MCP server mixes this stream's bytes into the JSON-RPC stream and corrupts it. Pipe to process.stderr.`,
          fixes: stdoutFix(ctx, unwrap(ts, call.arguments[0])),
        });
      }
    }
  },
};

/** What to use instead where `console.error` is not the same thing. */
const ALTERNATIVES: Record<string, string> = {
  dir: 'Write `console.error(util.inspect(value, options))` to stderr instead.',
  table: 'Write the table to stderr with `new console.Console(process.stderr).table(data)`.',
  count: 'Counters live per Console: keep one bound to stderr (`const log = new console.Console(process.stderr)`) and count there.',
  group: 'Groups live per Console: use one bound to stderr (`new console.Console(process.stderr)`).',
  groupCollapsed: 'Groups live per Console: use one bound to stderr (`new console.Console(process.stderr)`).',
  timeLog: 'Timers live per Console: time with one bound to stderr (`new console.Console(process.stderr)`).',
  timeEnd: 'Timers live per Console: time with one bound to stderr (`new console.Console(process.stderr)`).',
};

function checkConsole(ctx: RuleContext, call: ts.CallExpression, callee: ts.PropertyAccessExpression, method: string): void {
  const swappable = SWAPPABLE.has(method) || (method === 'dir' && call.arguments.length <= 1);
  const fixes: Fix[] = swappable ? [{ title: 'Log to stderr (console.error)', edits: [replaceNode(ctx, callee.name, 'error')] }] : [];
  const why = swappable ? 'Use console.error, which writes to stderr.' : ALTERNATIVES[method] ?? 'Write it to stderr.';
  ctx.report({
    node: call,
    message: `console.${method} writes to stdout, which this stdio MCP server uses for JSON-RPC: the output corrupts the protocol stream and the client drops the message or the connection. ${why}`,
    fixes,
  });
}

/** `process.stdout`, also through `import process from 'node:process'` or `import { stdout } from 'node:process'`. */
function isProcessStdout(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  if (ts.isPropertyAccessExpression(expr) && expr.name.text === 'stdout') {
    const obj = unwrap(ts, expr.expression);
    if (!ts.isIdentifier(obj) || obj.text !== 'process') return false;
    const binding = ctx.imports.get('process');
    if (binding) return binding.module === 'process' && (binding.name === 'default' || binding.name === '*');
    return !resolveBinding(ctx, obj);
  }
  if (ts.isIdentifier(expr)) {
    const binding = ctx.imports.get(expr.text);
    return !!binding && binding.module === 'process' && binding.name === 'stdout';
  }
  return false;
}

function stdoutFix(ctx: RuleContext, stdoutExpr: ts.Expression): Fix[] {
  const { ts } = ctx;
  if (!ts.isPropertyAccessExpression(stdoutExpr)) return []; // an imported `stdout` binding: its import would change too
  return [{ title: 'Write to process.stderr', edits: [replaceNode(ctx, stdoutExpr.name, 'stderr')] }];
}

/** Console methods the file reassigns (`console.log = console.error`), which then no longer write to stdout. */
function redirectedConsoleMethods(ctx: RuleContext): Set<string> {
  const { ts } = ctx;
  const out = new Set<string>();
  for (const bin of ctx.nodesOfKind<ts.BinaryExpression>(ts.SyntaxKind.BinaryExpression)) {
    if (bin.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(bin.left)) continue;
    const target = ctx.dottedName(bin.left.expression);
    if (target === 'console' || target === 'globalThis.console') out.add(bin.left.name.text);
  }
  return out;
}

/**
 * `console.log(usage); process.exit(0)`: output for a person (`--help`, `--version`) printed instead of serving,
 * right before a clean exit in the same block.
 */
function printsThenExitsCleanly(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const statement = call.parent;
  if (!statement || !ts.isExpressionStatement(statement)) return false;
  const block = statement.parent;
  if (!block || !(ts.isBlock(block) || ts.isSourceFile(block) || ts.isCaseClause(block) || ts.isDefaultClause(block))) return false;
  const statements = block.statements;
  for (let i = statements.indexOf(statement) + 1; i < statements.length; i++) {
    const s = statements[i];
    if (!ts.isExpressionStatement(s) || !ts.isCallExpression(s.expression)) continue;
    if (ctx.dottedName(s.expression.expression) !== 'process.exit') continue;
    const code = s.expression.arguments[0];
    return !code || (ts.isNumericLiteral(code) && code.text === '0');
  }
  return false;
}

/** Tests run under a test runner, not as the server. */
function isTestFile(fileName: string): boolean {
  const f = fileName.replace(/\\/g, '/');
  return /\.(test|spec)\.[cm]?[jt]sx?$/.test(f) || /\/(__tests__|__mocks__)\//.test(f);
}
