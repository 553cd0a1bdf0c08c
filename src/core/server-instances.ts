// Where a file creates MCP servers and starts serving: `new McpServer(...)`, `server.connect(transport)`, FastMCP `start`.
import type * as ts from 'typescript';
import type { RuleContext } from './rule-context';
import { HTTP_TRANSPORT_NAMES, STDIO_TRANSPORT_NAMES, isMcpServerModule } from './mcp-modules';

/** 'sdk': `McpServer` / low-level `Server` of the SDK (closed with `close()`); 'fastmcp': `FastMCP` (stopped with `stop()`). */
export type ServerKind = 'sdk' | 'fastmcp';

const SDK_SERVER_CLASSES = new Set(['McpServer', 'Server']);
const SERVE_METHODS = ['connect', 'start'];
const TRANSPORT_CLASSES = new Set([...STDIO_TRANSPORT_NAMES, ...HTTP_TRANSPORT_NAMES]);

/** The kind of server a `new X(...)` creates, when X is an MCP server class imported from an MCP module. */
export function serverKindOf(ctx: RuleContext, expr: ts.Expression): ServerKind | undefined {
  const { ts } = ctx;
  let e = expr;
  while (ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  if (!ts.isNewExpression(e)) return undefined;
  const callee = ctx.resolveCallee(e.expression);
  if (!callee || callee.module === null) return undefined;
  if (callee.module === 'fastmcp' && callee.name === 'FastMCP') return 'fastmcp';
  if (isMcpServerModule(callee.module) && SDK_SERVER_CLASSES.has(callee.name)) return 'sdk';
  return undefined;
}

/**
 * Dotted names that hold an MCP server in this file: `const server = new McpServer(...)`,
 * `this.server = new Server(...)` and class fields `server = new FastMCP(...)` (as `this.server`).
 */
export function serverInstances(ctx: RuleContext): ReadonlyMap<string, ServerKind> {
  return ctx.memo(serverInstances, () => findServerInstances(ctx));
}

function findServerInstances(ctx: RuleContext): Map<string, ServerKind> {
  const { ts } = ctx;
  const out = new Map<string, ServerKind>();
  for (const decl of ctx.nodesOfKind<ts.VariableDeclaration>(ts.SyntaxKind.VariableDeclaration)) {
    if (!decl.initializer || !ts.isIdentifier(decl.name)) continue;
    const kind = serverKindOf(ctx, decl.initializer);
    if (kind) out.set(decl.name.text, kind);
  }
  for (const prop of ctx.nodesOfKind<ts.PropertyDeclaration>(ts.SyntaxKind.PropertyDeclaration)) {
    if (!prop.initializer || !ts.isIdentifier(prop.name)) continue;
    const kind = serverKindOf(ctx, prop.initializer);
    if (kind) out.set(`this.${prop.name.text}`, kind);
  }
  for (const bin of ctx.nodesOfKind<ts.BinaryExpression>(ts.SyntaxKind.BinaryExpression)) {
    if (bin.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const kind = serverKindOf(ctx, bin.right);
    const name = kind && ctx.dottedName(bin.left);
    if (kind && name) out.set(name, kind);
  }
  return out;
}

/** True when `expr` is `new StdioServerTransport(...)` (or another MCP transport), or a variable initialised with one. */
export function isTransportExpression(ctx: RuleContext, expr: ts.Expression): boolean {
  const { ts } = ctx;
  let e = expr;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  if (ts.isNewExpression(e)) {
    const callee = ctx.resolveCallee(e.expression);
    return !!callee && TRANSPORT_CLASSES.has(callee.name);
  }
  if (ts.isIdentifier(e)) {
    const name = e.text;
    for (const decl of ctx.variablesNamed(name)) {
      if (ts.isIdentifier(decl.name) && decl.name.text === name && decl.initializer) {
        let init = decl.initializer;
        while (ts.isParenthesizedExpression(init) || ts.isAsExpression(init)) init = init.expression;
        if (ts.isNewExpression(init)) {
          const callee = ctx.resolveCallee(init.expression);
          if (callee && TRANSPORT_CLASSES.has(callee.name)) return true;
        }
      }
    }
  }
  return false;
}

export interface ServeCall {
  call: ts.CallExpression;
  /** Dotted text of the receiver (`server`, `this.server`, `mcp.server`). */
  receiver: string;
  /** What the receiver is; 'sdk' also for an unknown receiver of `connect(transport)` (a Protocol, which has `close()`). */
  kind: ServerKind;
  method: 'connect' | 'start';
}

/**
 * Calls that start serving MCP: `<server>.connect(<transport>)` on a known server or with a transport argument,
 * and FastMCP `<server>.start(...)`.
 */
export function serveCalls(ctx: RuleContext): readonly ServeCall[] {
  return ctx.memo(serveCalls, () => findServeCalls(ctx));
}

function findServeCalls(ctx: RuleContext): ServeCall[] {
  const { ts } = ctx;
  const servers = serverInstances(ctx);
  const out: ServeCall[] = [];
  for (const call of ctx.callsNamed(SERVE_METHODS)) {
    if (!ts.isPropertyAccessExpression(call.expression)) continue;
    const method = call.expression.name.text;
    if (method !== 'connect' && method !== 'start') continue;
    const receiver = ctx.dottedName(call.expression.expression);
    if (!receiver) continue;
    // `mcp.server.connect(t)` reaches the low-level Server inside an McpServer.
    const known = servers.get(receiver) ?? (receiver.endsWith('.server') ? servers.get(receiver.slice(0, -'.server'.length)) && 'sdk' : undefined);
    if (method === 'connect') {
      if (call.arguments.length !== 1) continue;
      if (known === 'sdk' || (known === undefined && isTransportExpression(ctx, call.arguments[0]))) {
        out.push({ call, receiver, kind: 'sdk', method });
      }
    } else if (known === 'fastmcp') {
      out.push({ call, receiver, kind: 'fastmcp', method });
    }
  }
  return out;
}
