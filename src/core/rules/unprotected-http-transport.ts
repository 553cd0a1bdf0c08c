// MCP over HTTP with nothing in front of it: reachable from the network, or from any web page through DNS rebinding.
import type * as ts from 'typescript';
import type { Fix, Rule, TextEdit } from '../types';
import type { RuleContext } from '../rule-context';
import { declarationOf, isValueReference, propertyOf, propertyValue, unwrap } from '../handler-inputs';
import { addObjectProperty, ensureNamedImport } from '../fix-helpers';
import { HTTP_TRANSPORT_NAMES } from '../mcp-modules';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const ALL_INTERFACES = new Set(['0.0.0.0', '::', '']);
const HOST_VALIDATION_MODULE = '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
const MCP_EXPRESS_MODULES = ['@modelcontextprotocol/sdk/server/express.js', '@modelcontextprotocol/sdk/server/express', '@modelcontextprotocol/express'];

/** Names of middleware and helpers that authenticate requests. */
const AUTH_NAMES =
  /^(requireBearerAuth|mcpAuthRouter|mcpAuthMetadataRouter|bearerAuth|expressjwt|expressJwt|checkJwt|jwtCheck|requireAuth|requireAuthentication|authMiddleware|authenticate|authenticateToken|verifyToken|verifyJwt|verifyApiKey|apiKeyAuth|basicAuth|ensureAuthenticated|isAuthenticated)$/;

export const rule: Rule = {
  meta: {
    id: 'unprotected-http-transport',
    code: 61009,
    defaultSeverity: 'warning',
    description: 'MCP HTTP transport without network binding, Host validation or authentication',
    message:
      'This MCP HTTP endpoint has no authentication and no protection against DNS rebinding: bind it to 127.0.0.1 and validate the Host header, or put authentication in front of it.',
    playbook: 'federated-governance#technical-standards',
    fix: "Binds `listen` to `127.0.0.1`; adds the SDK's `localhostHostValidation()` middleware to an express app that serves on loopback only.",
    languages: ['typescript', 'python'],
  },
  check(ctx) {
    const importsMcpExpress = [...ctx.imports.values()].some(b => MCP_EXPRESS_MODULES.includes(b.module));
    if (!(ctx.file.servesHttp || importsMcpExpress) || hasAuthentication(ctx)) return;
    const apps = appCreations(ctx);
    const transports = ctx.newExpressions.filter(n => isSdkHttpTransport(ctx, n));
    checkFastMcp(ctx);
    const listens = listenCalls(ctx, apps);

    // 1. Listening on every interface: anyone who reaches the machine reaches the tools.
    for (const l of listens) {
      if (l.host.kind !== 'all') continue;
      const fix = bindLoopbackFix(ctx, l);
      ctx.report({
        node: l.call,
        message: `\`listen\` ${l.host.text === undefined ? 'without a host binds every network interface' : `on \`${l.host.text}\` binds every network interface`}, and nothing here authenticates requests: anyone who can reach this machine can call this MCP server's tools. Bind to \`127.0.0.1\`, or require a bearer token (\`requireBearerAuth\`).`,
        fixes: fix ? [fix] : [],
      });
    }

    // 2. createMcpExpressApp({ host: '0.0.0.0' }) turns the SDK's Host check off.
    for (const app of apps) {
      if (app.kind !== 'mcp-express' || !app.openHost) continue;
      ctx.report({
        node: app.openHost,
        message: `\`createMcpExpressApp\` with host \`${(app.openHost.initializer as ts.StringLiteral).text}\` and no \`allowedHosts\` skips its Host header check (the SDK only prints a warning), and nothing here authenticates requests. List the host names clients use in \`allowedHosts\`, or require a bearer token (\`requireBearerAuth\`).`,
      });
    }

    // 3. DNS rebinding: a page in the user's browser can talk to a local server that does not check Host.
    if (transports.length === 0 || hasHostValidation(ctx, apps) || transports.every(t => transportProtects(ctx, t))) return;
    for (const app of apps) {
      if (app.kind === 'mcp-express' || app.wrapsApp) continue;
      const ownListens = listens.filter(l => l.app === app);
      const fix = app.kind === 'express' ? hostValidationFix(ctx, app, ownListens) : undefined;
      ctx.report({
        node: app.creation,
        message: `This ${app.kind === 'express' ? 'express app' : 'HTTP server'} serves \`${transportName(ctx, transports[0])}\` without checking the Host header and without authentication: through DNS rebinding, any web page open in the user's browser can call this server's tools, even on 127.0.0.1. ${
          app.kind === 'express'
            ? 'Add `app.use(localhostHostValidation())` (or create the app with `createMcpExpressApp()`).'
            : 'Reject requests whose Host is not an allowed name, or serve through `createMcpExpressApp()`.'
        }`,
        fixes: fix ? [fix] : [],
      });
    }
  },
};

interface App {
  kind: 'express' | 'mcp-express' | 'node-http';
  creation: ts.CallExpression;
  /** The declaration the app is stored in, when it is. */
  declaration?: ts.VariableDeclaration;
  /** `host: '0.0.0.0'` of a createMcpExpressApp call without allowedHosts. */
  openHost?: ts.PropertyAssignment;
  /** An http.createServer(app) around an express app: the app is where protection goes. */
  wrapsApp?: boolean;
}

function appCreations(ctx: RuleContext): App[] {
  const { ts } = ctx;
  const apps: App[] = [];
  for (const call of ctx.calls) {
    const r = ctx.resolveCallee(call.expression);
    if (!r || r.module === null) continue;
    let app: App | undefined;
    if (r.module === 'express' && r.name === 'default' && r.object === undefined) app = { kind: 'express', creation: call };
    else if (MCP_EXPRESS_MODULES.includes(r.module) && r.name === 'createMcpExpressApp') {
      app = { kind: 'mcp-express', creation: call };
      const opts = call.arguments[0] && unwrap(ts, call.arguments[0]);
      if (opts && ts.isObjectLiteralExpression(opts) && !propertyOf(ctx, opts, 'allowedHosts')) {
        const host = propertyOf(ctx, opts, 'host');
        if (host && ts.isPropertyAssignment(host) && ts.isStringLiteralLike(host.initializer) && ALL_INTERFACES.has(host.initializer.text)) app.openHost = host;
      }
    } else if ((r.module === 'http' || r.module === 'https') && r.name === 'createServer' && r.object === undefined) {
      app = { kind: 'node-http', creation: call };
      const handler = call.arguments.find(a => !ts.isObjectLiteralExpression(unwrap(ts, a)));
      if (handler && ts.isIdentifier(unwrap(ts, handler))) app.wrapsApp = true;
    }
    if (!app) continue;
    const parent = call.parent;
    if (ts.isVariableDeclaration(parent) && parent.initializer === call && ts.isIdentifier(parent.name)) app.declaration = parent;
    apps.push(app);
  }
  return apps;
}

function isSdkHttpTransport(ctx: RuleContext, n: ts.NewExpression): boolean {
  const r = ctx.resolveCallee(n.expression);
  return !!r && r.module !== null && r.module.startsWith('@modelcontextprotocol/') && HTTP_TRANSPORT_NAMES.includes(r.name);
}

function transportName(ctx: RuleContext, n: ts.NewExpression): string {
  return ctx.resolveCallee(n.expression)?.name ?? 'an MCP transport';
}

/** `enableDnsRebindingProtection: true` with `allowedHosts` or `allowedOrigins` in the transport's options. */
function transportProtects(ctx: RuleContext, n: ts.NewExpression): boolean {
  const { ts } = ctx;
  for (const a of n.arguments ?? []) {
    const o = unwrap(ts, a);
    if (!ts.isObjectLiteralExpression(o)) continue;
    const on = propertyValue(ctx, o, 'enableDnsRebindingProtection');
    if (on && on.kind !== ts.SyntaxKind.FalseKeyword && (propertyOf(ctx, o, 'allowedHosts') || propertyOf(ctx, o, 'allowedOrigins'))) return true;
  }
  return false;
}

/** Host header validation in the file: the SDK middleware, or the file's own check of `Host` / `Origin`. */
function hasHostValidation(ctx: RuleContext, apps: App[]): boolean {
  const { ts } = ctx;
  for (const call of ctx.calls) {
    const r = ctx.resolveCallee(call.expression);
    if (r && (r.name === 'hostHeaderValidation' || r.name === 'localhostHostValidation')) return true;
    if (r && r.module === null && (r.name === 'get' || r.name === 'header') && call.arguments[0] && ts.isStringLiteralLike(call.arguments[0]) && /^(host|origin)$/i.test(call.arguments[0].text)) return true;
  }
  for (const pa of ctx.nodesOfKind<ts.PropertyAccessExpression>(ts.SyntaxKind.PropertyAccessExpression)) {
    const name = pa.name.text;
    if ((name === 'host' || name === 'origin') && /(^|\.)headers$/.test(ctx.dottedName(pa.expression) ?? '')) return true;
    if (name === 'hostname' && /^(req|request)$/.test(ctx.dottedName(pa.expression) ?? '')) return true;
  }
  if (apps.some(app => app.kind === 'mcp-express' && !app.openHost)) return true;
  return false;
}

/**
 * Some authentication in the file: known auth middleware, a middleware whose name says it authenticates
 * (`requireBearer`, `checkApiKey`) mounted on a route, FastMCP `authenticate`, or an Authorization / API-key
 * header that is compared or verified. A header that is only read and passed on is not authentication.
 */
function hasAuthentication(ctx: RuleContext): boolean {
  const { ts } = ctx;
  for (const id of ctx.nodesOfKind<ts.Identifier>(ts.SyntaxKind.Identifier)) {
    if (AUTH_NAMES.test(id.text)) return true;
  }
  for (const call of ctx.calls) {
    const r = ctx.resolveCallee(call.expression);
    if (r && r.module === 'express-oauth2-jwt-bearer') return true;
    if (r && r.module === 'passport' && r.name === 'authenticate') return true;
    // app.use(requireBearer), app.post('/mcp', checkApiKey(), handler)
    if (ts.isPropertyAccessExpression(call.expression) && ROUTE_METHODS.has(call.expression.name.text)) {
      for (const a of call.arguments) {
        const e = unwrap(ts, a);
        const name = ts.isIdentifier(e) ? e.text : ts.isCallExpression(e) ? ctx.resolveCallee(e.expression)?.name : undefined;
        if (name && AUTH_WORD.test(name)) return true;
      }
    }
  }
  const reads: ts.Node[] = [];
  for (const pa of ctx.nodesOfKind<ts.PropertyAccessExpression>(ts.SyntaxKind.PropertyAccessExpression)) {
    if (/^(authorization|apiKey|api_key)$/.test(pa.name.text)) reads.push(pa);
  }
  // req.get('authorization'), req.headers['x-api-key'] (a CORS list naming the header is not a check).
  for (const str of ctx.nodesOfKind<ts.StringLiteral>(ts.SyntaxKind.StringLiteral)) {
    if (!AUTH_HEADERS.test(str.text)) continue;
    const p = str.parent;
    if (ts.isCallExpression(p) && p.arguments.includes(str)) reads.push(p);
    else if (ts.isElementAccessExpression(p) && p.argumentExpression === str) reads.push(p);
  }
  return reads.some(r => isCheckedValue(ctx, r, 0));
}

const ROUTE_METHODS = new Set(['use', 'all', 'get', 'post', 'put', 'delete', 'patch']);
const AUTH_WORD = /(auth|bearer|jwt|api_?key)/i;
const AUTH_HEADERS = /^(authorization|x-api-key|api-key|x-auth-token)$/i;
const VERIFYING_CALL = /(verify|validate|check|auth|decode|introspect|compare|equal)/i;

/** A value compared, tested in a condition or handed to a verifying function — directly or through one variable. */
function isCheckedValue(ctx: RuleContext, node: ts.Node, depth: number): boolean {
  const { ts } = ctx;
  let child = node;
  for (let p = node.parent; p && !ts.isBlock(p) && !ts.isSourceFile(p); child = p, p = p.parent) {
    if (ts.isBinaryExpression(p) && isEquality(ts, p.operatorToken.kind)) return true;
    if (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) return true;
    if ((ts.isIfStatement(p) || ts.isWhileStatement(p)) && p.expression === child) return true;
    if (ts.isConditionalExpression(p) && p.condition === child) return true;
    if (ts.isCallExpression(p) && p.arguments.includes(child as ts.Expression)) {
      const name = ctx.resolveCallee(p.expression)?.name ?? '';
      if (VERIFYING_CALL.test(name)) return true;
    }
    if (ts.isVariableDeclaration(p) && p.initializer === child && ts.isIdentifier(p.name) && depth === 0) {
      const decl = p;
      const uses = ctx.identifiersNamed(decl.name.getText(ctx.sourceFile)).filter(
        id => id !== decl.name && isValueReference(ctx, id) && declarationOf(ctx, id) === decl,
      );
      return uses.some(u => isCheckedValue(ctx, u, depth + 1));
    }
    if (ts.isFunctionLike(p) || ts.isExpressionStatement(p) || ts.isReturnStatement(p)) return false;
  }
  return false;
}

function isEquality(ts: typeof import('typescript'), k: ts.SyntaxKind): boolean {
  return k === ts.SyntaxKind.EqualsEqualsEqualsToken || k === ts.SyntaxKind.ExclamationEqualsEqualsToken || k === ts.SyntaxKind.EqualsEqualsToken || k === ts.SyntaxKind.ExclamationEqualsToken;
}

type Host = { kind: 'all'; text?: string; node?: ts.Expression } | { kind: 'loopback' } | { kind: 'configured' };

interface Listen {
  call: ts.CallExpression;
  app?: App;
  host: Host;
  /** `listen({ port })`: the options object. */
  options?: ts.ObjectLiteralExpression;
}

/** `.listen(...)` calls on the apps and servers created in this file. */
function listenCalls(ctx: RuleContext, apps: App[]): Listen[] {
  const { ts } = ctx;
  const out: Listen[] = [];
  const byDecl = new Map<ts.Node, App>();
  for (const a of apps) if (a.declaration) byDecl.set(a.declaration, a);
  for (const call of ctx.calls) {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'listen') continue;
    const recv = unwrap(ts, callee.expression);
    let app = apps.find(a => a.creation === recv);
    if (!app && ts.isIdentifier(recv)) {
      const d = declarationOf(ctx, recv);
      if (d) app = byDecl.get(d);
    }
    if (!app) continue;
    // The app behind http.createServer(app) is the one that would take the middleware.
    let owner = app;
    if (app.wrapsApp) {
      const inner = app.creation.arguments.map(a => unwrap(ts, a)).find(ts.isIdentifier);
      const d = inner && declarationOf(ctx, inner);
      owner = (d && byDecl.get(d)) ?? app;
    }
    out.push({ call, app: owner, ...hostOf(ctx, call) });
  }
  return out;
}

function hostOf(ctx: RuleContext, call: ts.CallExpression): { host: Host; options?: ts.ObjectLiteralExpression } {
  const { ts } = ctx;
  const [first, second] = call.arguments;
  if (first && ts.isObjectLiteralExpression(unwrap(ts, first))) {
    const options = unwrap(ts, first) as ts.ObjectLiteralExpression;
    if (options.properties.some(ts.isSpreadAssignment)) return { host: { kind: 'configured' } };
    const h = propertyValue(ctx, options, 'host');
    return { host: classifyHost(ctx, h), options };
  }
  if (first && ts.isStringLiteralLike(unwrap(ts, first)) && !/^\d+$/.test((unwrap(ts, first) as ts.StringLiteral).text)) {
    return { host: { kind: 'configured' } }; // a Unix socket or pipe path
  }
  if (!second || ts.isFunctionLike(unwrap(ts, second))) return { host: { kind: 'all' } };
  return { host: classifyHost(ctx, second) };
}

function classifyHost(ctx: RuleContext, h: ts.Expression | undefined): Host {
  const { ts } = ctx;
  if (!h) return { kind: 'all' };
  const e = unwrap(ts, h);
  let text: string | undefined;
  if (ts.isStringLiteralLike(e)) text = e.text;
  else if (ts.isIdentifier(e)) {
    const d = declarationOf(ctx, e);
    const init = d && ts.isVariableDeclaration(d) && d.parent.flags & ts.NodeFlags.Const ? d.initializer && unwrap(ts, d.initializer) : undefined;
    if (init && ts.isStringLiteralLike(init)) text = init.text;
  }
  if (text === undefined) return { kind: 'configured' };
  if (LOOPBACK.has(text)) return { kind: 'loopback' };
  if (ALL_INTERFACES.has(text)) return { kind: 'all', text, node: e };
  return { kind: 'configured' };
}

function bindLoopbackFix(ctx: RuleContext, l: Listen): Fix | undefined {
  const { ts } = ctx;
  const title = "Bind to 127.0.0.1 (loopback only)";
  if (l.host.kind !== 'all') return undefined;
  if (l.host.node && ts.isStringLiteralLike(l.host.node)) {
    const quote = ctx.text[l.host.node.getStart(ctx.sourceFile)];
    return { title, edits: [{ start: l.host.node.getStart(ctx.sourceFile), end: l.host.node.end, newText: `${quote}127.0.0.1${quote}` }] };
  }
  if (l.host.node) return undefined; // a constant declared elsewhere: change it there
  if (l.options) return { title, edits: [addObjectProperty(ctx, l.options, "host: '127.0.0.1'")] };
  const port = l.call.arguments[0];
  if (!port || !portIsNumber(ctx, port)) return undefined;
  return { title, edits: [{ start: port.end, end: port.end, newText: ", '127.0.0.1'" }] };
}

/** The `listen(port, host, cb)` overloads take a numeric port; a string port (`process.env.PORT`) would not type-check with a host. */
function portIsNumber(ctx: RuleContext, port: ts.Expression): boolean {
  const { ts } = ctx;
  if (ctx.checker) {
    try {
      return (ctx.checker.getTypeAtLocation(port).flags & ts.TypeFlags.NumberLike) !== 0;
    } catch {
      return false;
    }
  }
  return looksNumeric(ctx, port, 0);
}

/** Without a type checker: a number literal, Number(...)/parseInt(...)/+x, or a const holding one. */
function looksNumeric(ctx: RuleContext, port: ts.Expression, depth: number): boolean {
  const { ts } = ctx;
  const e = unwrap(ts, port);
  if (ts.isNumericLiteral(e)) return true;
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.PlusToken) return true;
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && ['Number', 'parseInt', 'parseFloat'].includes(e.expression.text)) return true;
  if (ts.isBinaryExpression(e) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(e.operatorToken.kind)) {
    return looksNumeric(ctx, e.left, depth + 1) && looksNumeric(ctx, e.right, depth + 1);
  }
  if (ts.isIdentifier(e) && depth < 3) {
    const d = declarationOf(ctx, e);
    if (d && ts.isVariableDeclaration(d) && d.initializer && d.parent.flags & ts.NodeFlags.Const) return looksNumeric(ctx, d.initializer, depth + 1);
  }
  return false;
}

/** `app.use(localhostHostValidation())` right after `const app = express()`, when the app only ever serves on loopback. */
function hostValidationFix(ctx: RuleContext, app: App, listens: Listen[]): Fix | undefined {
  const { ts } = ctx;
  const decl = app.declaration;
  if (!decl || !ts.isIdentifier(decl.name) || listens.length === 0) return undefined;
  // A configured host may be a public name; a loopback-only Host check would lock its clients out.
  if (listens.some(l => l.host.kind === 'configured')) return undefined;
  const declList = decl.parent;
  const statement = declList.parent;
  if (!ts.isVariableDeclarationList(declList) || !ts.isVariableStatement(statement) || declList.declarations.length !== 1) return undefined;
  const specifier = HOST_VALIDATION_MODULE;
  const imported = ensureNamedImport(ctx, specifier, 'localhostHostValidation', specifier);
  if (!imported) return undefined;
  const indent = ctx.lineIndent(statement.getStart(ctx.sourceFile));
  const semi = ctx.text[statement.end - 1] === ';' ? ';' : '';
  const edits: TextEdit[] = [
    ...imported.edits,
    { start: statement.end, end: statement.end, newText: `${ctx.newline}${indent}${decl.name.text}.use(${imported.local}())${semi}` },
  ];
  return { title: 'Reject requests whose Host is not localhost (localhostHostValidation)', edits };
}

// ---- FastMCP: server.start({ transportType: 'httpStream', httpStream: { host: '0.0.0.0' } }) ----

function checkFastMcp(ctx: RuleContext): void {
  const { ts } = ctx;
  const fastMcpNews = ctx.newExpressions.filter(n => {
    const r = ctx.resolveCallee(n.expression);
    return r?.module === 'fastmcp' && r.name === 'FastMCP';
  });
  if (fastMcpNews.length === 0) return;
  // Options built elsewhere may carry `authenticate` or `oauth`.
  const opaque = fastMcpNews.some(n => {
    const o = n.arguments?.[0] && unwrap(ts, n.arguments[0]);
    return !o || !ts.isObjectLiteralExpression(o) || !!propertyOf(ctx, o, 'oauth') || o.properties.some(ts.isSpreadAssignment);
  });
  if (opaque) return;
  for (const call of ctx.calls) {
    if (!ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'start') continue;
    const opts = call.arguments[0] && unwrap(ts, call.arguments[0]);
    if (!opts || !ts.isObjectLiteralExpression(opts)) continue;
    const http = propertyValue(ctx, opts, 'httpStream');
    if (!http || !ts.isObjectLiteralExpression(unwrap(ts, http))) continue;
    const host = propertyValue(ctx, unwrap(ts, http) as ts.ObjectLiteralExpression, 'host');
    if (!host || !ts.isStringLiteralLike(host) || !ALL_INTERFACES.has(host.text)) continue;
    const quote = ctx.text[host.getStart(ctx.sourceFile)];
    ctx.report({
      node: host,
      message: `FastMCP serves HTTP on \`${host.text}\` (every network interface) and the server has no \`authenticate\`: anyone who can reach this machine can call its tools. Bind to \`127.0.0.1\` (FastMCP's default is localhost), or add \`authenticate\`.`,
      fixes: [{ title: 'Bind to 127.0.0.1 (loopback only)', edits: [{ start: host.getStart(ctx.sourceFile), end: host.end, newText: `${quote}127.0.0.1${quote}` }] }],
    });
  }
}
