// The access token a client presented to this server, forwarded in the headers of a call to another API:
// "token passthrough", which the MCP authorization specification forbids.
import type * as ts from 'typescript';
import type { Rule } from '../types';
import type { RuleContext } from '../rule-context';

const FETCH_MODULES = ['node-fetch', 'undici', 'cross-fetch', 'isomorphic-fetch'];
const CLIENT_MODULES = ['axios', 'got', 'ky', 'superagent', 'needle', 'ofetch'];
/** Response objects of Express, Fastify, Koa and Node (`res.set(...)`, `reply.headers(...)`). */
const RESPONSE_OBJECT = /^(res|response|reply|resp|h)$/;
/** Receivers whose calls send nothing anywhere: loggers and built-ins (`console.error({ headers })`, `JSON.stringify`). */
const NOT_A_REQUEST = /^(console|logger|log|pino|winston|JSON|Object|Array|Reflect|Promise|Math|assert)$/;
/** Parameter names of HTTP handlers and middleware (Express, Koa, Hono, Lambda, FastMCP `authenticate`) and SDK handlers. */
const REQUEST_PARAM = /^(req|request|incoming|incomingRequest|c|ctx|context|event|extra)$/;
const REQUEST_TYPE = /Request|IncomingMessage|Context|Extra|HonoRequest|APIGatewayProxyEvent/;
/** String methods whose result still carries the token (`auth.slice(7)`, `auth.split(' ')[1]`). */
const DERIVING_METHODS = new Set(['replace', 'replaceAll', 'slice', 'substring', 'substr', 'split', 'trim', 'trimStart', 'trimEnd', 'toString', 'at', 'concat', 'valueOf']);
/** Calls to the token's issuer that validate it (OIDC userinfo, RFC 7662 introspection) are not passthrough. */
const VALIDATION_URL = /userinfo|introspect|tokeninfo|openid|\.well-known|\/oauth2?\/|\/verify|\/validate/i;
const VALIDATION_FUNCTION = /verify|validat|introspect|authenticat|userinfo/i;

/** What an expression holds, as far as this rule cares. */
type Value =
  | { kind: 'incoming'; segments: string[] } // the incoming request (or part of it), by access path
  | { kind: 'token'; origin: string } // the client's access token, or a string derived from it
  | undefined;

/** What a sink receives: the token, or the incoming headers as a whole. */
type Forwarded = { kind: 'token' | 'headers'; origin: string };

export const rule: Rule = {
  meta: {
    id: 'token-passthrough',
    code: 61018,
    defaultSeverity: 'warning',
    description: 'Client access token forwarded to a downstream API (token passthrough)',
    message:
      'The access token the client sent to this server is forwarded to a downstream API. The MCP authorization specification forbids token passthrough: the MCP server must not pass through the token it received. Call downstream APIs with the server’s own credentials, or exchange the token (RFC 8693) for one issued for that API.',
    playbook: 'protocol-extensions#authentication-chain',
    fix: null,
    languages: ['typescript'],
  },
  check(ctx) {
    const { ts } = ctx;
    if (!/authorization|authInfo|auth\b|headers/i.test(ctx.text)) return;
    const analysis = new Analysis(ctx);
    const reported = new Set<ts.Node>();
    const report = (node: ts.Node, value: Forwarded | undefined): void => {
      if (!value || reported.has(node)) return;
      reported.add(node);
      const message =
        value.kind === 'headers'
          ? `All incoming request headers (\`${value.origin}\`), the client's \`Authorization\` among them, are forwarded to a downstream API. The MCP authorization specification forbids token passthrough: the server must not pass through the token it received. Build the outgoing headers yourself, with this server's own credentials or a token exchanged (RFC 8693) for that API.`
          : `The client's access token (\`${value.origin}\`) is forwarded to a downstream API. The MCP authorization specification forbids token passthrough: the server must not pass through the token it received, and the downstream API would see a token not issued for it, bypassing its audience checks, rate limits and audit trail. Use this server's own credentials, or exchange the token (RFC 8693) for one issued for that API.`;
      ctx.report({ node, message });
    };

    for (const call of [...ctx.calls, ...ctx.newExpressions]) {
      if (!analysis.isOutgoing(call) || analysis.isValidationCall(call)) continue;
      for (const arg of call.arguments ?? []) {
        for (const { node, value } of analysis.headerValues(arg)) report(node, value);
      }
    }

    // init.headers.Authorization = token; axios.defaults.headers.common['Authorization'] = token
    for (const bin of ctx.nodesOfKind<ts.BinaryExpression>(ts.SyntaxKind.BinaryExpression)) {
      if (bin.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
      const left = ctx.dottedName(ts.isElementAccessExpression(bin.left) ? bin.left.expression : bin.left);
      if (!left || !/(^|\.)headers(\.|$)/.test(left) || analysis.isIncomingRoot(bin.left)) continue;
      report(bin.right, analysis.forwarded(bin.right));
    }

    // const headers = new Headers(); headers.set('Authorization', token); fetch(url, { headers })
    for (const call of ctx.calls) {
      if (!ts.isPropertyAccessExpression(call.expression) || !['set', 'append'].includes(call.expression.name.text) || call.arguments.length !== 2) continue;
      const target = call.expression.expression;
      if (!ts.isIdentifier(target) || !analysis.isOutgoingHeadersObject(target)) continue;
      const value = analysis.forwarded(call.arguments[1]);
      if (value?.kind === 'token') report(call.arguments[1], value);
    }
  },
};

class Analysis {
  private readonly ts: typeof ts;

  constructor(private readonly ctx: RuleContext) {
    this.ts = ctx.ts;
  }

  /**
   * A call that sends a request: fetch / node-fetch / undici, axios / got / ky and their instances, http(s).request,
   * `new Request`, and any other call given a `headers` option (API wrappers such as `apiFetch(url, { headers })`),
   * except methods of the response object and `new Response(...)`.
   */
  isOutgoing(call: ts.CallExpression | ts.NewExpression): boolean {
    const { ts: t, ctx } = this;
    const callee = ctx.resolveCallee(call.expression);
    if (t.isNewExpression(call)) return !!callee && callee.module === null && callee.name === 'Request' && !callee.object;
    if (!callee) return true;
    if (callee.module !== null) {
      if (FETCH_MODULES.includes(callee.module)) return ['fetch', 'default', 'request'].includes(callee.name);
      if (CLIENT_MODULES.includes(callee.module)) return true;
      if (['http', 'https', 'http2'].includes(callee.module)) return ['request', 'get', 'connect'].includes(callee.name);
      return true;
    }
    if (VALIDATION_FUNCTION.test(callee.name)) return false;
    const root = callee.object?.split('.')[0];
    if (root && (RESPONSE_OBJECT.test(root) || NOT_A_REQUEST.test(root) || /\.(logger|log)$/.test(callee.object!))) return false;
    if (root && root !== 'this' && root !== 'globalThis' && root !== 'window') {
      const rootId = rootIdentifier(t, t.isPropertyAccessExpression(call.expression) ? call.expression.expression : call.expression);
      if (rootId && this.valueOf(rootId)?.kind === 'incoming') return false; // res.set(...) and friends on handler parameters
    }
    return true;
  }

  /** A request to the token's own issuer to validate it: by URL, or inside a verify/introspect/authenticate function. */
  isValidationCall(call: ts.CallExpression | ts.NewExpression): boolean {
    const { ts: t, ctx } = this;
    const texts: string[] = [];
    const first = call.arguments?.[0];
    if (first) {
      texts.push(ctx.getText(first));
      if (t.isIdentifier(first)) {
        const decl = this.declarationOf(first);
        if (decl && t.isVariableDeclaration(decl) && decl.initializer) texts.push(ctx.getText(decl.initializer));
      }
      const obj = this.objectLiteralOf(first);
      const url = obj?.properties.find(p => t.isPropertyAssignment(p) && this.propName(p.name) === 'url') as ts.PropertyAssignment | undefined;
      if (url) texts.push(ctx.getText(url.initializer));
    }
    if (texts.some(s => VALIDATION_URL.test(s))) return true;
    for (let n: ts.Node | undefined = call.parent; n; n = n.parent) {
      if (!t.isFunctionLike(n)) continue;
      const name = this.functionName(n);
      if (name && VALIDATION_FUNCTION.test(name)) return true;
    }
    return false;
  }

  private functionName(fn: ts.SignatureDeclaration): string | undefined {
    const { ts: t } = this;
    if (fn.name && (t.isIdentifier(fn.name) || t.isStringLiteral(fn.name))) return fn.name.text;
    const p = fn.parent;
    if (p && t.isVariableDeclaration(p) && t.isIdentifier(p.name)) return p.name.text;
    if (p && t.isPropertyAssignment(p)) return this.propName(p.name);
    return undefined;
  }

  /** The header values an outgoing call's argument sets: `{ headers: { Authorization: v } }`, `{ headers: req.headers }`, `new Headers({...})`. */
  headerValues(arg: ts.Expression): Array<{ node: ts.Node; value: Forwarded }> {
    const { ts: t } = this;
    const out: Array<{ node: ts.Node; value: Forwarded }> = [];
    const options = this.objectLiteralOf(arg);
    if (!options) return out;
    for (const p of options.properties) {
      if (t.isPropertyAssignment(p) && this.propName(p.name) === 'headers') out.push(...this.headersObjectValues(p.initializer));
      else if (t.isShorthandPropertyAssignment(p) && p.name.text === 'headers') out.push(...this.headersObjectValues(p.name));
    }
    return out;
  }

  private headersObjectValues(expr: ts.Expression): Array<{ node: ts.Node; value: Forwarded }> {
    const { ts: t } = this;
    let e = skip(t, expr);
    if (t.isNewExpression(e) && t.isIdentifier(e.expression) && e.expression.text === 'Headers' && e.arguments?.[0]) e = skip(t, e.arguments[0]);
    const whole = this.forwarded(e);
    if (whole?.kind === 'headers') return [{ node: expr, value: whole }];
    const out: Array<{ node: ts.Node; value: Forwarded | undefined }> = [];
    const obj = this.objectLiteralOf(e);
    if (obj) {
      for (const p of obj.properties) {
        if (t.isPropertyAssignment(p)) out.push({ node: p.initializer, value: this.forwarded(p.initializer) });
        else if (t.isShorthandPropertyAssignment(p)) out.push({ node: p.name, value: this.forwarded(p.name) });
        else if (t.isSpreadAssignment(p)) out.push({ node: p.expression, value: this.forwarded(p.expression) });
      }
    } else if (t.isArrayLiteralExpression(e)) {
      for (const entry of e.elements) {
        if (t.isArrayLiteralExpression(entry) && entry.elements[1]) out.push({ node: entry.elements[1], value: this.forwarded(entry.elements[1]) });
      }
    }
    return out.filter((x): x is { node: ts.Node; value: Forwarded } => !!x.value);
  }

  /** The token, or the whole incoming headers (`req.headers`, `extra.requestInfo.headers`), else undefined. */
  forwarded(expr: ts.Expression): Forwarded | undefined {
    const v = this.valueOf(expr);
    if (v?.kind === 'token') return v;
    if (v?.kind === 'incoming' && v.segments.length > 0 && v.segments[v.segments.length - 1] === 'headers') {
      return { kind: 'headers', origin: this.ctx.getText(expr) };
    }
    return undefined;
  }

  /** `new Headers()` held in a variable that is later passed to an outgoing call. */
  isOutgoingHeadersObject(id: ts.Identifier): boolean {
    const { ts: t, ctx } = this;
    const decl = this.declarationOf(id);
    if (!decl || !t.isVariableDeclaration(decl) || !decl.initializer) return false;
    const init = skip(t, decl.initializer);
    if (!t.isNewExpression(init) || !t.isIdentifier(init.expression) || init.expression.text !== 'Headers') return false;
    return [...ctx.calls, ...ctx.newExpressions].some(
      c => this.isOutgoing(c) && (c.arguments ?? []).some(a => containsIdentifier(t, a, id.text)),
    );
  }

  /** The object literal an argument is, or that the variable it names was initialised with. */
  objectLiteralOf(expr: ts.Expression): ts.ObjectLiteralExpression | undefined {
    const { ts: t } = this;
    const e = skip(t, expr);
    if (t.isObjectLiteralExpression(e)) return e;
    if (t.isIdentifier(e)) {
      const decl = this.declarationOf(e);
      if (decl && t.isVariableDeclaration(decl) && decl.initializer) {
        const init = skip(t, decl.initializer);
        if (t.isObjectLiteralExpression(init)) return init;
      }
    }
    return undefined;
  }

  /** True when the expression's root names the incoming request (so an assignment writes the response, not a request). */
  isIncomingRoot(expr: ts.Expression): boolean {
    const { ts: t } = this;
    let e = expr;
    while (t.isPropertyAccessExpression(e) || t.isElementAccessExpression(e)) e = e.expression;
    return t.isIdentifier(e) && this.valueOf(e)?.kind === 'incoming';
  }

  // -------------------------------------------------------------------------------------------------------------

  private readonly evaluating = new Set<ts.Node>();

  valueOf(expr: ts.Expression): Value {
    if (this.evaluating.has(expr)) return undefined;
    this.evaluating.add(expr);
    try {
      return this.evaluate(expr);
    } finally {
      this.evaluating.delete(expr);
    }
  }

  private evaluate(expr: ts.Expression): Value {
    const { ts: t } = this;
    const e = skip(t, expr);
    if (t.isIdentifier(e)) return this.identifierValue(e);
    if (t.isPropertyAccessExpression(e)) return this.extend(this.valueOf(e.expression), e.name.text, e);
    if (t.isElementAccessExpression(e)) {
      const base = this.valueOf(e.expression);
      if (t.isStringLiteralLike(e.argumentExpression)) return this.extend(base, e.argumentExpression.text, e);
      return base?.kind === 'token' ? base : undefined;
    }
    if (t.isCallExpression(e)) {
      if (t.isPropertyAccessExpression(e.expression)) {
        const method = e.expression.name.text;
        const target = this.valueOf(e.expression.expression);
        const key = e.arguments[0];
        if (target?.kind === 'incoming' && (method === 'get' || method === 'header') && key && t.isStringLiteralLike(key)) {
          const segs = target.segments[target.segments.length - 1] === 'headers' ? target : this.extend(target, 'headers', e);
          return this.extend(segs, key.text, e);
        }
        if (target?.kind === 'token' && DERIVING_METHODS.has(method)) return target;
        return undefined;
      }
      if (t.isIdentifier(e.expression) && ['String', 'decodeURIComponent', 'encodeURIComponent'].includes(e.expression.text) && e.arguments[0]) {
        const v = this.valueOf(e.arguments[0]);
        return v?.kind === 'token' ? v : undefined;
      }
      // `const token = tokenOf(extra)`: a helper of this file that returns the token.
      const fn = t.isIdentifier(e.expression) ? this.localFunction(e.expression.text) : undefined;
      if (fn) {
        for (const r of returnedExpressions(t, fn)) {
          const v = this.valueOf(r);
          if (v?.kind === 'token') return v;
        }
      }
      return undefined;
    }
    if (t.isTemplateExpression(e)) {
      for (const span of e.templateSpans) {
        const v = this.valueOf(span.expression);
        if (v?.kind === 'token') return v;
      }
      return undefined;
    }
    if (t.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === t.SyntaxKind.PlusToken || op === t.SyntaxKind.QuestionQuestionToken || op === t.SyntaxKind.BarBarToken || op === t.SyntaxKind.AmpersandAmpersandToken) {
        const l = this.valueOf(e.left);
        if (l?.kind === 'token' && op !== t.SyntaxKind.AmpersandAmpersandToken) return l;
        const r = this.valueOf(e.right);
        if (r?.kind === 'token') return r;
      }
      return undefined;
    }
    if (t.isConditionalExpression(e)) {
      const a = this.valueOf(e.whenTrue);
      if (a?.kind === 'token') return a;
      const b = this.valueOf(e.whenFalse);
      return b?.kind === 'token' ? b : undefined;
    }
    return undefined;
  }

  /** Follows a property step: `req` -> `req.headers` -> `req.headers.authorization` (a token). */
  private extend(base: Value, key: string, at: ts.Node | string): Value {
    if (!base || base.kind !== 'incoming') return undefined;
    const segments = [...base.segments, key.toLowerCase()];
    const last = segments[segments.length - 1];
    const prev = segments[segments.length - 2];
    if ((last === 'authorization' && prev === 'headers') || (last === 'token' && (prev === 'authinfo' || prev === 'auth'))) {
      return { kind: 'token', origin: typeof at === 'string' ? at : this.ctx.getText(at) };
    }
    return { kind: 'incoming', segments };
  }

  private identifierValue(id: ts.Identifier): Value {
    const { ts: t } = this;
    const decl = this.declarationOf(id);
    if (!decl) return undefined;
    if (t.isParameter(decl)) return this.isIncomingParameter(decl) ? { kind: 'incoming', segments: [] } : this.argumentValue(decl);
    if (t.isBindingElement(decl)) return this.bindingValue(decl);
    if (t.isVariableDeclaration(decl)) {
      const values: Value[] = [];
      if (decl.initializer) values.push(this.valueOf(decl.initializer));
      // `let token; ... token = req.headers.authorization;`
      for (const bin of this.ctx.nodesOfKind<ts.BinaryExpression>(t.SyntaxKind.BinaryExpression)) {
        if (bin.operatorToken.kind === t.SyntaxKind.EqualsToken && t.isIdentifier(bin.left) && bin.left.text === id.text && bin.pos < id.pos && this.declarationOf(bin.left) === decl) {
          values.push(this.valueOf(bin.right));
        }
      }
      return values.find(v => v?.kind === 'token') ?? values.find(v => v?.kind === 'incoming');
    }
    return undefined;
  }

  /**
   * A parameter of a function of this file takes what its callers pass: `callApi(extra.authInfo.token)` makes
   * `token` in `function callApi(token) { ... }` the client's token.
   */
  private argumentValue(p: ts.ParameterDeclaration): Value {
    const { ts: t, ctx } = this;
    const fn = p.parent;
    const index = fn.parameters.indexOf(p);
    if (index < 0 || p.dotDotDotToken || !t.isIdentifier(p.name)) return undefined;
    const names = new Set<string>();
    if ((t.isFunctionDeclaration(fn) || t.isFunctionExpression(fn)) && fn.name) names.add(fn.name.text);
    if ((t.isArrowFunction(fn) || t.isFunctionExpression(fn)) && t.isVariableDeclaration(fn.parent) && t.isIdentifier(fn.parent.name)) names.add(fn.parent.name.text);
    if (t.isMethodDeclaration(fn) && t.isIdentifier(fn.name)) names.add(`this.${fn.name.text}`);
    if (names.size === 0) return undefined;
    let incoming: Value;
    for (const call of ctx.calls) {
      const callee = ctx.dottedName(call.expression);
      const arg = call.arguments[index];
      if (!callee || !names.has(callee) || !arg) continue;
      const v = this.valueOf(arg);
      if (v?.kind === 'token') return v;
      if (v?.kind === 'incoming') incoming = v;
    }
    return incoming;
  }

  /** A function declared in this file under `name` (`function name() {}` or `const name = () => ...`). */
  private localFunction(name: string): ts.FunctionLikeDeclaration | undefined {
    const { ts: t, ctx } = this;
    for (const fd of ctx.nodesOfKind<ts.FunctionDeclaration>(t.SyntaxKind.FunctionDeclaration)) if (fd.name?.text === name && fd.body) return fd;
    for (const vd of ctx.nodesOfKind<ts.VariableDeclaration>(t.SyntaxKind.VariableDeclaration)) {
      if (!t.isIdentifier(vd.name) || vd.name.text !== name || !vd.initializer) continue;
      const init = skip(t, vd.initializer);
      if (t.isArrowFunction(init) || t.isFunctionExpression(init)) return init;
    }
    return undefined;
  }

  private bindingValue(be: ts.BindingElement): Value {
    const { ts: t } = this;
    const pattern = be.parent;
    const holder = pattern.parent;
    let source: Value;
    if (t.isParameter(holder)) source = this.isIncomingParameter(holder) ? { kind: 'incoming', segments: [] } : undefined;
    else if (t.isVariableDeclaration(holder)) source = holder.initializer ? this.valueOf(holder.initializer) : undefined;
    else if (t.isBindingElement(holder)) source = this.bindingValue(holder);
    if (!source) return undefined;
    if (t.isArrayBindingPattern(pattern)) return source.kind === 'token' ? source : undefined;
    if (be.dotDotDotToken) return undefined; // `{ authorization, ...rest }`: rest no longer holds it
    const key = be.propertyName ? (t.isIdentifier(be.propertyName) || t.isStringLiteral(be.propertyName) ? be.propertyName.text : undefined) : t.isIdentifier(be.name) ? be.name.text : undefined;
    if (!key) return undefined;
    // Name the origin by its path (`req.auth.token`), not by the local binding (`token`).
    const origin = t.isVariableDeclaration(holder) && holder.initializer ? `${this.ctx.getText(skip(t, holder.initializer)).replace(/!$/, '')}.${key}` : key;
    return this.extend(source, key, origin);
  }

  /** A parameter of an MCP handler, or one that looks like an HTTP request / handler context. */
  private isIncomingParameter(p: ts.ParameterDeclaration): boolean {
    const { ts: t, ctx } = this;
    const fn = p.parent;
    if (ctx.handlerSet.has(fn)) return true;
    if (t.isIdentifier(p.name) && REQUEST_PARAM.test(p.name.text)) return true;
    if (p.type && t.isTypeReferenceNode(p.type) && REQUEST_TYPE.test(p.type.typeName.getText(ctx.sourceFile))) return true;
    if (t.isObjectBindingPattern(p.name)) {
      return p.name.elements.some(el => {
        const key = el.propertyName ?? el.name;
        return t.isIdentifier(key) && (key.text === 'authInfo' || key.text === 'requestInfo');
      });
    }
    return false;
  }

  /** The declaration `id` refers to: the innermost parameter, variable or binding of that name in scope before it. */
  declarationOf(id: ts.Identifier): ts.ParameterDeclaration | ts.VariableDeclaration | ts.BindingElement | undefined {
    const { ts: t, ctx } = this;
    const name = id.text;
    let best: ts.ParameterDeclaration | ts.VariableDeclaration | ts.BindingElement | undefined;
    let bestScopeStart = -1;
    const consider = (decl: ts.ParameterDeclaration | ts.VariableDeclaration | ts.BindingElement, nameNode: ts.Node): void => {
      if (!t.isIdentifier(nameNode) || nameNode.text !== name || nameNode === id) return;
      const scope = scopeOf(t, decl);
      if (!scope || !(scope.pos <= id.pos && id.end <= scope.end)) return;
      if (!t.isParameter(decl) && !insideParameter(t, decl) && decl.pos > id.pos) return;
      if (scope.pos >= bestScopeStart) {
        best = decl;
        bestScopeStart = scope.pos;
      }
    };
    for (const d of ctx.nodesOfKind<ts.ParameterDeclaration>(t.SyntaxKind.Parameter)) consider(d, d.name);
    for (const d of ctx.nodesOfKind<ts.VariableDeclaration>(t.SyntaxKind.VariableDeclaration)) consider(d, d.name);
    for (const d of ctx.nodesOfKind<ts.BindingElement>(t.SyntaxKind.BindingElement)) consider(d, d.name);
    return best;
  }

  private propName(name: ts.PropertyName): string | undefined {
    const { ts: t } = this;
    if (t.isIdentifier(name) || t.isStringLiteral(name)) return name.text;
    return undefined;
  }
}

function skip(t: typeof ts, e: ts.Expression): ts.Expression {
  while (t.isParenthesizedExpression(e) || t.isAsExpression(e) || t.isNonNullExpression(e) || t.isAwaitExpression(e) || t.isSatisfiesExpression(e) || t.isTypeAssertionExpression(e)) {
    e = e.expression;
  }
  return e;
}

/** The node whose extent a declaration is visible in: the function for parameters, else the nearest block-like. */
function scopeOf(t: typeof ts, decl: ts.Node): ts.Node | undefined {
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (t.isFunctionLike(n)) return n;
    if (t.isBlock(n) || t.isSourceFile(n) || t.isForStatement(n) || t.isForOfStatement(n) || t.isForInStatement(n) || t.isCatchClause(n) || t.isCaseBlock(n) || t.isModuleBlock(n)) return n;
  }
  return undefined;
}

function insideParameter(t: typeof ts, node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (t.isParameter(n)) return true;
    if (t.isFunctionLike(n) || t.isBlock(n)) return false;
  }
  return false;
}

/** The expressions a function returns (its concise body, or its own `return` statements). */
function returnedExpressions(t: typeof ts, fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  const body = fn.body;
  if (!body) return [];
  if (!t.isBlock(body)) return [body];
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (t.isFunctionLike(n)) return;
    if (t.isReturnStatement(n) && n.expression) out.push(n.expression);
    t.forEachChild(n, visit);
  };
  t.forEachChild(body, visit);
  return out;
}

function rootIdentifier(t: typeof ts, e: ts.Expression): ts.Identifier | undefined {
  while (t.isPropertyAccessExpression(e) || t.isElementAccessExpression(e) || t.isCallExpression(e) || t.isParenthesizedExpression(e)) e = e.expression;
  return t.isIdentifier(e) ? e : undefined;
}

function containsIdentifier(t: typeof ts, root: ts.Node, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (t.isIdentifier(n) && n.text === name) found = true;
    else t.forEachChild(n, visit);
  };
  visit(root);
  return found;
}
