// A long-running MCP server process with no SIGINT/SIGTERM handler dies mid-request when it is stopped:
// in-flight tool calls are cut, pools and transports are never closed.
import type * as ts from 'typescript';
import type { Fix, Rule, TextEdit } from '../types';
import type { RuleContext } from '../rule-context';
import { type ServeCall, serveCalls, serverInstances } from '../server-instances';
import { formatMs } from '../syntax-helpers';

/** How long an HTTP server may drain before the process exits anyway: inside Docker's default 10 s stop timeout. */
export const DRAIN_MS = 5_000;

const SHUTDOWN_MODULES = new Set([
  'close-with-grace', 'exit-hook', 'async-exit-hook', '@godaddy/terminus', 'http-graceful-shutdown', 'death', 'signal-exit', 'node-graceful-shutdown', 'lightship',
]);
const SHUTDOWN_CALL = /shutdown|graceful|exitHook|terminus|closeWithGrace|onSignal/i;
/** `server.listen(...)`, and Hono's `serve(...)`. */
const LISTEN_NAMES = ['listen', 'serve'];

interface Site {
  call: ts.CallExpression;
  /** 'listen': an HTTP server listening; otherwise how the MCP server started. */
  kind: 'listen' | 'connect' | 'start';
  /** Dotted name of the object to close (`server`, `this.server`), for connect/start. */
  receiver?: string;
  serverKind?: 'sdk' | 'fastmcp';
}

export const rule: Rule = {
  meta: {
    id: 'missing-graceful-shutdown',
    code: 61013,
    defaultSeverity: 'info',
    description: 'MCP server process without a SIGINT/SIGTERM shutdown handler',
    message:
      'This starts a long-running MCP server, but the file handles neither SIGINT nor SIGTERM. When the client, Docker or Kubernetes stops the process, in-flight requests are cut off and connections are never closed. Close the server on SIGINT and SIGTERM, then exit.',
    playbook: 'failure-assumption#architecture-response',
    fix: 'Adds, after the statement that starts the server, a SIGINT/SIGTERM handler that closes the server (`await server.close()`, FastMCP `stop()`, or the HTTP server with a 5 s drain limit) and exits with code 0.',
    languages: ['typescript'],
  },
  check(ctx) {
    if (handlesSignals(ctx)) return;
    const site = reportSite(ctx);
    if (!site) return;
    const what =
      site.kind === 'listen'
        ? `\`${ctx.getText(site.call.expression)}()\` starts an HTTP MCP server`
        : site.kind === 'start'
          ? `\`${site.receiver}.start()\` starts a long-running MCP server`
          : `\`${site.receiver}.connect()\` starts a long-running MCP server`;
    const fix = shutdownFix(ctx, site);
    ctx.report({
      node: site.call,
      message: `${what}, but the file handles neither SIGINT nor SIGTERM. When the MCP client, Docker or Kubernetes stops the process, in-flight requests are cut off and connections are never closed. Close the server on SIGINT and SIGTERM, then exit.`,
      fixes: fix ? [fix] : [],
    });
  },
};

/** A `'SIGINT'`/`'SIGTERM'` string anywhere (`process.on('SIGTERM', ...)`, a signal list), a shutdown library, or a shutdown helper call. */
function handlesSignals(ctx: RuleContext): boolean {
  const { ts } = ctx;
  for (const lit of ctx.nodesOfKind<ts.StringLiteral>(ts.SyntaxKind.StringLiteral)) {
    if (lit.text === 'SIGINT' || lit.text === 'SIGTERM') return true;
  }
  for (const binding of ctx.imports.values()) if (SHUTDOWN_MODULES.has(binding.module)) return true;
  for (const name of ctx.calledNames()) {
    if (!SHUTDOWN_CALL.test(name)) continue;
    const called = ctx.callsNamed([name]).some(c => {
      const callee = ctx.resolveCallee(c.expression);
      return !!callee && SHUTDOWN_CALL.test(callee.name);
    });
    if (called) return true;
  }
  return false;
}

/**
 * Where to report: the HTTP `listen` call when there is one (per-request `connect` calls live inside route
 * handlers), else the first `connect`/`start` that runs once (not inside a callback). A file whose only
 * `connect` calls sit in callbacks (serverless and edge handlers) has no process to shut down.
 */
function reportSite(ctx: RuleContext): Site | undefined {
  const serves = serveCalls(ctx);
  const listens = listenCalls(ctx, serves.length > 0);
  const listen = listens.find(c => !insideCallback(ctx, c)) ?? listens[0];
  if (listen) return { call: listen, kind: 'listen' };
  const once: ServeCall | undefined = serves.find(s => !insideCallback(ctx, s.call));
  if (!once) return undefined;
  return { call: once.call, kind: once.method, receiver: once.receiver, serverKind: once.kind };
}

/** `app.listen(...)` / `httpServer.listen(...)` / Hono `serve(...)` in a file that serves MCP over HTTP. */
function listenCalls(ctx: RuleContext, servesMcp: boolean): ts.CallExpression[] {
  const { ts } = ctx;
  const mcpFile = servesMcp || ctx.file.servesHttp || serverInstances(ctx).size > 0;
  if (!mcpFile) return [];
  const out: ts.CallExpression[] = [];
  for (const call of ctx.callsNamed(LISTEN_NAMES)) {
    if (ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'listen') {
      if (ctx.file.servesHttp || isHttpServerObject(ctx, call.expression.expression)) out.push(call);
    } else if (ctx.isCallTo(call, ['@hono/node-server'], 'serve')) {
      out.push(call);
    }
  }
  return out;
}

/** A variable initialised with `express()`, `http.createServer(...)`, `https.createServer(...)`. */
function isHttpServerObject(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  if (!ts.isIdentifier(expr)) return false;
  for (const decl of ctx.variablesNamed(expr.text)) {
    if (!ts.isIdentifier(decl.name) || decl.name.text !== expr.text || !decl.initializer) continue;
    const init = decl.initializer;
    if (!ts.isCallExpression(init)) continue;
    if (ctx.isCallTo(init, ['express'], 'default') || ctx.isCallTo(init, ['http', 'https', 'http2'], ['createServer', 'createSecureServer'])) return true;
  }
  return false;
}

/**
 * Inside a function passed as an argument (a route handler, a `.then` callback) or a function of an object
 * literal (`export default { fetch() {...} }` on edge runtimes): it may run per request, or never.
 */
function insideCallback(ctx: RuleContext, node: ts.Node): boolean {
  const { ts } = ctx;
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) {
      const p = n.parent;
      if (p && (ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.some(a => a === n)) return true;
      if (p && (ts.isObjectLiteralExpression(p) || (ts.isPropertyAssignment(p) && ts.isObjectLiteralExpression(p.parent)))) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// The fix: a handler registered right after the statement that starts serving, where the server's name is in scope.

function shutdownFix(ctx: RuleContext, site: Site): Fix | undefined {
  const { ts } = ctx;
  if (insideCallback(ctx, site.call)) return undefined;
  const stmt = containingStatement(ctx, site.call);
  if (!stmt) return undefined;
  const indent = ctx.lineIndent(stmt.getStart(ctx.sourceFile));
  const nl = ctx.newline;
  const edits: TextEdit[] = [];
  let body: string[];
  if (site.kind === 'listen') {
    let name: string | undefined;
    if (ts.isVariableStatement(stmt)) {
      const d = stmt.declarationList.declarations[0];
      if (stmt.declarationList.declarations.length === 1 && ts.isIdentifier(d.name) && d.initializer && unwrap(ctx, d.initializer) === site.call) name = d.name.text;
    } else if (ts.isExpressionStatement(stmt) && unwrap(ctx, stmt.expression) === site.call) {
      name = freshName(ctx, 'httpServer');
      edits.push({ start: stmt.getStart(ctx.sourceFile), end: stmt.getStart(ctx.sourceFile), newText: `const ${name} = ` });
    }
    if (!name) return undefined;
    body = [
      `  process.once(signal, () => {`,
      `    // Stop accepting connections and let in-flight requests finish; open streams must not hold the exit for ever.`,
      `    ${name}.close(() => process.exit(0));`,
      `    setTimeout(() => process.exit(0), ${formatMs(DRAIN_MS)}).unref();`,
      `  });`,
    ];
  } else {
    if (!ts.isExpressionStatement(stmt) && !ts.isVariableStatement(stmt)) return undefined;
    const close = site.serverKind === 'fastmcp' ? 'stop' : 'close';
    body = [
      `  process.once(signal, async () => {`,
      `    try {`,
      `      await ${site.receiver}.${close}();`,
      `      process.exit(0);`,
      `    } catch (error) {`,
      `      console.error(error);`,
      `      process.exit(1);`,
      `    }`,
      `  });`,
    ];
  }
  const lines = [`// Shut down cleanly when the client or the orchestrator stops the process.`, `for (const signal of ['SIGINT', 'SIGTERM']) {`, ...body, `}`];
  edits.push({ start: stmt.end, end: stmt.end, newText: lines.map(l => `${nl}${indent}${l}`).join('') });
  const title = site.kind === 'listen' ? 'Close the HTTP server on SIGINT/SIGTERM' : `Close \`${site.receiver}\` on SIGINT/SIGTERM`;
  return { title, edits };
}

/** The statement the call belongs to, when it sits in a block or at file level (not in a loop body or a case). */
function containingStatement(ctx: RuleContext, call: ts.CallExpression): ts.Statement | undefined {
  const { ts } = ctx;
  for (let n: ts.Node = call; n.parent; n = n.parent) {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return undefined;
    if (ts.isExpressionStatement(n) || ts.isVariableStatement(n)) {
      const p = n.parent;
      if (!ts.isBlock(p) && !ts.isSourceFile(p)) return undefined;
      for (let a: ts.Node | undefined = p; a; a = a.parent) {
        if (ts.isFunctionLike(a)) break;
        if (ts.isIterationStatement(a, false)) return undefined;
      }
      return n;
    }
  }
  return undefined;
}

function unwrap(ctx: RuleContext, e: ts.Expression): ts.Expression {
  const { ts } = ctx;
  while (ts.isAwaitExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

function freshName(ctx: RuleContext, base: string): string {
  const used = (name: string) => ctx.identifiersNamed(name).length > 0;
  if (!used(base)) return base;
  for (let i = 2; ; i++) if (!used(`${base}${i}`)) return `${base}${i}`;
}
