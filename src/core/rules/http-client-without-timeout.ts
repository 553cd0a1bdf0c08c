// HTTP clients other than fetch (axios, got, undici, node:http/https) without a deadline: a dependency that stops
// answering holds the tool call, its socket and its memory for ever (or, for undici, for its 300 s default).
import type * as ts from 'typescript';
import type { Fix, Rule, TextEdit } from '../types';
import type { RuleContext } from '../rule-context';
import { addObjectProperty, insertArgument, replaceNode } from '../fix-helpers';
import { findProperty, formatMs, hasSpread, importsAny, isZeroLiteral, localInitializer, propertyValue, referencesTo, resolveBinding, resolveObjectLiteral, stringLiteralText, unwrap } from '../syntax-helpers';

export const HTTP_TIMEOUT_MS = 30_000; // the persona's 30 s dependency timeout
const MS = formatMs(HTTP_TIMEOUT_MS);

const CLIENT_MODULE_LIST = ['axios', 'got', 'undici', 'http', 'https'];
const CLIENT_MODULES = new Set(CLIENT_MODULE_LIST);
const UNDICI = ['undici'];
const AXIOS_NO_DATA = new Set(['get', 'delete', 'head', 'options']);
const AXIOS_WITH_DATA = new Set(['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm']);
const GOT_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'stream', 'paginate']);
const UNDICI_CALLS: Record<string, number> = { request: 1, stream: 1, pipeline: 1 };
/** undici dispatcher classes and the index of their options argument. */
const UNDICI_CLASSES: Record<string, number> = { Pool: 1, Client: 1, Agent: 0, BalancedPool: 1 };

export const rule: Rule = {
  meta: {
    id: 'http-client-without-timeout',
    code: 61003,
    defaultSeverity: 'warning',
    description: 'axios, got, undici or node:http request without a timeout',
    message:
      'This HTTP request has no timeout, so a dependency that stops answering holds the tool call for ever. Give it a 30 s deadline (`timeout: 30_000`).',
    playbook: 'circuit-breaker-cascade#dependency-isolation',
    fix: 'Adds a 30 s deadline: `timeout: 30_000` (axios), `timeout: { request: 30_000 }` (got), `headersTimeout`/`bodyTimeout: 30_000` (undici), `signal: AbortSignal.timeout(30_000)` (node:http/https).',
    languages: ['typescript', 'python'],
  },
  check(ctx) {
    if (!importsAny(ctx, CLIENT_MODULES)) return;
    const axiosDefaultsTimeout = assignsDefaultsTimeout(ctx);
    const globalDispatcher = ctx.callsFrom(UNDICI).some(c => ctx.isCallTo(c, ['undici'], 'setGlobalDispatcher'));
    for (const call of ctx.callsFrom(CLIENT_MODULE_LIST)) {
      const callee = ctx.resolveCallee(call.expression);
      if (!callee || callee.module === null) continue;
      switch (callee.module) {
        case 'axios':
          checkAxios(ctx, call, callee.name, callee.object, axiosDefaultsTimeout);
          break;
        case 'got':
          checkGot(ctx, call, callee.name, callee.object);
          break;
        case 'http':
        case 'https':
          if ((callee.name === 'request' || callee.name === 'get') && !callee.object) checkNodeHttp(ctx, call, callee.module);
          break;
        case 'undici':
          if (callee.name in UNDICI_CALLS && !callee.object && !globalDispatcher) checkUndiciCall(ctx, call, callee.name);
          break;
      }
    }
    for (const ne of ctx.newExpressions) {
      const callee = ctx.resolveCallee(ne.expression);
      if (callee?.module === 'undici' && !callee.object && callee.name in UNDICI_CLASSES) checkUndiciDispatcher(ctx, ne, callee.name);
    }
  },
};

type OptionsState =
  | { state: 'absent' }
  | { state: 'unknown' }
  | { state: 'literal'; obj: ts.ObjectLiteralExpression; editable: boolean };

/** What an options argument is: missing, an object literal we can read (inline or a local const), or unknown. */
function optionsAt(ctx: RuleContext, arg: ts.Expression | undefined): OptionsState {
  if (!arg) return { state: 'absent' };
  const e = unwrap(ctx.ts, arg);
  if (e.kind === ctx.ts.SyntaxKind.UndefinedKeyword || (ctx.ts.isIdentifier(e) && e.text === 'undefined')) return { state: 'absent' };
  const resolved = resolveObjectLiteral(ctx, arg);
  if (!resolved || hasSpread(ctx.ts, resolved.obj)) return { state: 'unknown' };
  // Options in a typed variable may not accept the new property; edit only inferred ones.
  return { state: 'literal', obj: resolved.obj, editable: !resolved.declaration?.type };
}

/** `prop` is set to something other than literal 0. */
function setNonZero(ctx: RuleContext, obj: ts.ObjectLiteralExpression, name: string): boolean {
  const v = propertyValue(ctx.ts, findProperty(ctx.ts, obj, name));
  return v !== undefined && !isZeroLiteral(ctx.ts, v);
}

function zeroProperty(ctx: RuleContext, obj: ts.ObjectLiteralExpression, name: string): ts.PropertyAssignment | undefined {
  const p = findProperty(ctx.ts, obj, name);
  return p && ctx.ts.isPropertyAssignment(p) && isZeroLiteral(ctx.ts, p.initializer) ? p : undefined;
}

function fixOf(title: string, edits: TextEdit[] | undefined): Fix[] {
  return edits && edits.length > 0 ? [{ title, edits }] : [];
}

// ---- axios ----

/** `axios.defaults.timeout = n` (or `instance.defaults.timeout`) anywhere in the file: the dotted receivers that have it. */
function assignsDefaultsTimeout(ctx: RuleContext): Set<string> {
  const { ts } = ctx;
  const out = new Set<string>();
  for (const pa of ctx.propertyAccessesNamed('timeout')) {
    if (pa.name.text !== 'timeout' || !ts.isPropertyAccessExpression(pa.expression) || pa.expression.name.text !== 'defaults') continue;
    const p = pa.parent;
    if (!p || !ts.isBinaryExpression(p) || p.left !== pa || p.operatorToken.kind !== ts.SyntaxKind.EqualsToken || isZeroLiteral(ts, p.right)) continue;
    const receiver = ctx.dottedName(pa.expression.expression);
    if (receiver) out.add(receiver);
  }
  return out;
}

function checkAxios(ctx: RuleContext, call: ts.CallExpression, name: string, object: string | undefined, defaultsTimeout: Set<string>): void {
  const { ts } = ctx;
  if (object && object !== 'default') return;
  let index: number;
  if (name === 'default') {
    const first = call.arguments[0];
    if (!first) return;
    const state = optionsAt(ctx, first).state;
    if (state === 'literal' || ts.isObjectLiteralExpression(unwrap(ts, first))) index = 0;
    else if (isUrlLike(ctx, first)) index = 1;
    else return; // a config built elsewhere
  } else if (AXIOS_NO_DATA.has(name)) index = 1;
  else if (AXIOS_WITH_DATA.has(name)) index = 2;
  else if (name === 'request' || name === 'create') index = 0;
  else return;
  if (name === 'create') {
    if (instanceGetsDefaultsTimeout(ctx, call, defaultsTimeout)) return;
  } else {
    // The default instance: `axios.defaults.timeout = ...` in this file covers it.
    const root = ctx.dottedName(ts.isPropertyAccessExpression(call.expression) ? call.expression.expression : call.expression);
    if (root && defaultsTimeout.has(root)) return;
  }
  const opts = optionsAt(ctx, call.arguments[index]);
  if (opts.state === 'unknown') return;
  const property = `timeout: ${MS}`;
  const title = 'Add a 30 s timeout';
  const what = name === 'create' ? 'axios.create() without `timeout`: every request made through this instance' : 'This axios request';
  if (opts.state === 'absent') {
    if (name === 'request' || (name === 'default' && index === 0)) return; // config is required there
    if (call.arguments.length === 0 && name !== 'create') return; // a request needs its URL first
    let edits: TextEdit[] | undefined;
    if (index === 2 && call.arguments.length === 1) edits = [insertArgument(ctx, call, 1, `undefined, { ${property} }`)];
    else if (call.arguments.length === index) edits = [insertArgument(ctx, call, index, `{ ${property} }`)];
    else if (call.arguments[index]) edits = [replaceNode(ctx, call.arguments[index], `{ ${property} }`)]; // explicit `undefined`
    ctx.report({
      node: call,
      message: `${what} has no timeout (axios waits for ever by default), so a dependency that stops answering holds the tool call for ever. Add \`timeout: ${MS}\`.`,
      fixes: fixOf(title, edits),
    });
    return;
  }
  if (setNonZero(ctx, opts.obj, 'timeout') || findProperty(ts, opts.obj, 'signal')) return;
  const zero = zeroProperty(ctx, opts.obj, 'timeout');
  const edits = !opts.editable ? undefined : zero ? [replaceNode(ctx, zero.initializer, MS)] : [addObjectProperty(ctx, opts.obj, property)];
  ctx.report({
    node: call,
    message: zero
      ? `\`timeout: 0\` means no timeout in axios: ${what === 'This axios request' ? 'this request' : 'every request of this instance'} waits for ever on a dependency that stops answering. Use \`timeout: ${MS}\`.`
      : `${what} has no timeout (axios waits for ever by default), so a dependency that stops answering holds the tool call for ever. Add \`timeout: ${MS}\`.`,
    fixes: fixOf(title, edits),
  });
}

/** `const api = axios.create(...); api.defaults.timeout = 5000;` */
function instanceGetsDefaultsTimeout(ctx: RuleContext, create: ts.CallExpression, defaultsTimeout: Set<string>): boolean {
  const { ts } = ctx;
  let n: ts.Node = create;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent))) n = n.parent;
  const p = n.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return defaultsTimeout.has(p.name.text);
  if (p && ts.isBinaryExpression(p) && p.right === n) {
    const target = ctx.dottedName(p.left);
    return target !== undefined && defaultsTimeout.has(target);
  }
  if (p && ts.isPropertyDeclaration(p) && p.name && ts.isIdentifier(p.name)) return defaultsTimeout.has(`this.${p.name.text}`);
  return false;
}

// ---- got ----

function checkGot(ctx: RuleContext, call: ts.CallExpression, name: string, object: string | undefined): void {
  const { ts } = ctx;
  const isCall = (name === 'default' && !object) || (!object && GOT_METHODS.has(name)) || ((object === 'stream' || object === 'paginate') && (GOT_METHODS.has(name) || name === 'all'));
  const property = `timeout: { request: ${MS} }`;
  const title = 'Add a 30 s request timeout';
  if (name === 'extend' && !object) {
    if (call.arguments.length === 0) {
      ctx.report({ node: call, message: gotMessage('got.extend() without `timeout`: every request made through this instance'), fixes: fixOf(title, [insertArgument(ctx, call, 0, `{ ${property} }`)]) });
      return;
    }
    const all = call.arguments.map(a => optionsAt(ctx, a));
    if (all.some(o => o.state !== 'literal' || hasTimeoutOrSignal(ctx, o.obj))) return;
    const last = all[all.length - 1];
    const edits = last.state === 'literal' && last.editable ? [addObjectProperty(ctx, last.obj, property)] : undefined;
    ctx.report({ node: call, message: gotMessage('got.extend() without `timeout`: every request made through this instance'), fixes: fixOf(title, edits) });
    return;
  }
  if (!isCall || call.arguments.length === 0) return;
  // got(url, options?) or got(options)
  const first = optionsAt(ctx, call.arguments[0]);
  if (first.state !== 'literal' && !isUrlLike(ctx, call.arguments[0])) return; // options built elsewhere
  const index = first.state === 'literal' ? 0 : 1;
  const opts = index === 0 ? first : optionsAt(ctx, call.arguments[1]);
  if (opts.state === 'unknown') return;
  if (opts.state === 'absent') {
    ctx.report({ node: call, message: gotMessage('This got request'), fixes: fixOf(title, [call.arguments.length > 1 ? replaceNode(ctx, call.arguments[1], `{ ${property} }`) : insertArgument(ctx, call, 1, `{ ${property} }`)]) });
    return;
  }
  if (hasTimeoutOrSignal(ctx, opts.obj)) return;
  ctx.report({ node: call, message: gotMessage('This got request'), fixes: fixOf(title, opts.editable ? [addObjectProperty(ctx, opts.obj, property)] : undefined) });
}

function hasTimeoutOrSignal(ctx: RuleContext, obj: ts.ObjectLiteralExpression): boolean {
  const { ts } = ctx;
  if (findProperty(ts, obj, 'signal')) return true;
  const t = propertyValue(ts, findProperty(ts, obj, 'timeout'));
  if (!t) return false;
  const e = unwrap(ts, t);
  if (ts.isObjectLiteralExpression(e)) return hasSpread(ts, e) || e.properties.some(p => !ts.isPropertyAssignment(p) || !isZeroLiteral(ts, p.initializer));
  return !isZeroLiteral(ts, e);
}

function gotMessage(what: string): string {
  return `${what} has no timeout (got sets none by default), so a dependency that stops answering holds the tool call for ever. Add \`timeout: { request: ${MS} }\`.`;
}

// ---- node:http / node:https ----

function checkNodeHttp(ctx: RuleContext, call: ts.CallExpression, module: string): void {
  const { ts } = ctx;
  const [a0, a1] = call.arguments;
  if (!a0) return;
  let opts: OptionsState;
  let insertAt: number | undefined;
  const first = optionsAt(ctx, a0);
  if (first.state === 'literal') {
    opts = first;
  } else if (isUrlLike(ctx, a0)) {
    opts = a1 && !ctx.functionOf(a1) ? optionsAt(ctx, a1) : { state: 'absent' };
    insertAt = 1;
  } else {
    return; // options object built elsewhere
  }
  if (opts.state === 'unknown') return;
  const signalText = `signal: AbortSignal.timeout(${MS})`;
  const handle = requestHandleUse(ctx, call);
  if (handle.escapes || handle.deadline) return;
  let hasTimeoutOption = false;
  if (opts.state === 'literal') {
    if (findProperty(ts, opts.obj, 'signal')) return;
    hasTimeoutOption = setNonZero(ctx, opts.obj, 'timeout');
  }
  if ((hasTimeoutOption || handle.setTimeoutCall) && handle.timeoutListener) return;
  const title = 'Abort after 30 s (AbortSignal.timeout)';
  const edits =
    opts.state === 'absent'
      ? insertAt !== undefined
        ? [insertArgument(ctx, call, insertAt, `{ ${signalText} }`)]
        : undefined
      : opts.editable
        ? [addObjectProperty(ctx, opts.obj, signalText)]
        : undefined;
  const fn = `${module}.${ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : ctx.getText(call.expression)}`;
  const message =
    hasTimeoutOption || handle.setTimeoutCall
      ? `The \`timeout\` of ${fn}() only emits a 'timeout' event; nothing here listens and destroys the request, so it still waits for ever. Pass \`${signalText}\` (the request then fails with an AbortError on its 'error' event).`
      : `${fn}() has no timeout (node:${module} sets none), so a dependency that stops answering holds the tool call for ever. Pass \`${signalText}\` (the request then fails with an AbortError on its 'error' event).`;
  ctx.report({ node: call, message, fixes: fixOf(title, edits) });
}

/** A string, template, `new URL(...)`, or a name that holds or is named like one. */
function isUrlLike(ctx: RuleContext, arg: ts.Expression): boolean {
  const { ts, checker } = ctx;
  const e = unwrap(ts, arg);
  if (ts.isStringLiteralLike(e) || ts.isTemplateExpression(e) || (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken)) return true;
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'URL') return true;
  if (ts.isIdentifier(e)) {
    const init = localInitializer(ctx, e);
    if (init && isUrlLike(ctx, init)) return true;
  }
  if (checker) {
    try {
      const t = checker.getTypeAtLocation(e);
      if (t.flags & ts.TypeFlags.StringLike) return true;
      if (t.getProperty('href') && t.getProperty('searchParams')) return true;
      return false;
    } catch {
      return false;
    }
  }
  const name = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : '';
  return /(url|uri|href|endpoint)$/i.test(name);
}

interface HandleUse {
  /** Destroyed by a timer, or has `.setTimeout(ms, callback)`. */
  deadline: boolean;
  setTimeoutCall: boolean;
  timeoutListener: boolean;
  /** Handed to other code, which may set the deadline. */
  escapes: boolean;
}

/** How the ClientRequest a call returns is used: through a chain (`http.get(...).on(...)`) or a variable. */
function requestHandleUse(ctx: RuleContext, call: ts.CallExpression): HandleUse {
  const { ts } = ctx;
  const use: HandleUse = { deadline: false, setTimeoutCall: false, timeoutListener: false, escapes: false };
  const onMember = (member: ts.PropertyAccessExpression): ts.Node | undefined => {
    const c = member.parent;
    if (!c || !ts.isCallExpression(c) || c.expression !== member) return undefined;
    const m = member.name.text;
    if (m === 'setTimeout') {
      use.setTimeoutCall = true;
      if (c.arguments.length >= 2) use.timeoutListener = true;
    } else if ((m === 'on' || m === 'once' || m === 'addListener' || m === 'prependListener') && stringLiteralText(ts, c.arguments[0]) === 'timeout') {
      use.timeoutListener = true;
    }
    return c;
  };
  // Chained calls return the request again.
  let expr: ts.Node = call;
  for (;;) {
    let n = expr;
    while (n.parent && ts.isParenthesizedExpression(n.parent)) n = n.parent;
    const p = n.parent;
    if (p && ts.isPropertyAccessExpression(p) && p.expression === n) {
      const next = onMember(p);
      if (!next) break;
      const m = p.name.text;
      if (m === 'on' || m === 'once' || m === 'setTimeout' || m === 'addListener' || m === 'prependListener' || m === 'setHeader') {
        expr = next;
        continue;
      }
      break;
    }
    if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) {
      for (const ref of referencesTo(ctx, p, p.name.text)) {
        const rp = ref.parent;
        if (rp && ts.isPropertyAccessExpression(rp) && rp.expression === ref) {
          onMember(rp);
          if ((rp.name.text === 'destroy' || rp.name.text === 'abort') && insideTimerCallback(ctx, ref)) use.deadline = true;
        } else if (rp && (ts.isCallExpression(rp) || ts.isNewExpression(rp)) && rp.arguments?.includes(ref)) {
          use.escapes = true;
        } else if (rp && (ts.isReturnStatement(rp) || ts.isArrowFunction(rp) || ts.isPropertyAssignment(rp) || ts.isShorthandPropertyAssignment(rp) || (ts.isBinaryExpression(rp) && rp.right === ref))) {
          use.escapes = true;
        }
      }
    } else if (p && (ts.isReturnStatement(p) || ts.isArrowFunction(p) || ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(n as ts.Expression)) || ts.isPropertyAssignment(p) || (ts.isBinaryExpression(p) && p.right === n))) {
      use.escapes = true;
    }
    break;
  }
  return use;
}

function insideTimerCallback(ctx: RuleContext, node: ts.Node): boolean {
  const { ts } = ctx;
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && n.parent && ts.isCallExpression(n.parent)) {
      const callee = n.parent.expression;
      if (ts.isIdentifier(callee) && callee.text === 'setTimeout' && !resolveBinding(ctx, callee)) return true;
    }
  }
  return false;
}

// ---- undici ----

const UNDICI_PROPERTY = `headersTimeout: ${MS}, bodyTimeout: ${MS}`;

function undiciMessage(what: string): string {
  return `${what} waits up to 300 s (undici's default) for the response headers and again between body chunks. Set \`headersTimeout\` and \`bodyTimeout\` (the architect's budget is 30 s), or pass a \`signal\`.`;
}

function checkUndiciCall(ctx: RuleContext, call: ts.CallExpression, name: string): void {
  const { ts } = ctx;
  if (call.arguments.length === 0) return;
  const opts = optionsAt(ctx, call.arguments[UNDICI_CALLS[name]]);
  if (opts.state === 'unknown') return;
  const title = 'Add 30 s headers and body timeouts';
  const what = `This undici ${name}()`;
  if (opts.state === 'absent') {
    const edits = call.arguments.length === 1 ? [insertArgument(ctx, call, 1, `{ ${UNDICI_PROPERTY} }`)] : undefined;
    ctx.report({ node: call, message: undiciMessage(what), fixes: fixOf(title, edits) });
    return;
  }
  const o = opts.obj;
  if (findProperty(ts, o, 'signal') || findProperty(ts, o, 'dispatcher')) return;
  reportUndiciOptions(ctx, call, o, opts.editable, what, title);
}

function checkUndiciDispatcher(ctx: RuleContext, ne: ts.NewExpression, name: string): void {
  const index = UNDICI_CLASSES[name];
  const args = ne.arguments ?? [];
  if (index > 0 && args.length === 0) return; // not a valid call anyway
  const opts = optionsAt(ctx, args[index]);
  if (opts.state === 'unknown') return;
  const title = 'Add 30 s headers and body timeouts';
  const what = `Every request through this undici ${name}`;
  if (opts.state === 'absent') {
    ctx.report({ node: ne, message: undiciMessage(what), fixes: fixOf(title, args.length === index ? [insertArgument(ctx, ne, index, `{ ${UNDICI_PROPERTY} }`)] : undefined) });
    return;
  }
  reportUndiciOptions(ctx, ne, opts.obj, opts.editable, what, title);
}

function reportUndiciOptions(ctx: RuleContext, node: ts.Node, o: ts.ObjectLiteralExpression, editable: boolean, what: string, title: string): void {
  const { ts } = ctx;
  const zeros = ['headersTimeout', 'bodyTimeout'].map(n => zeroProperty(ctx, o, n)).filter((p): p is ts.PropertyAssignment => !!p);
  if (zeros.length > 0) {
    ctx.report({
      node,
      message: `\`${propertyNameOf(ctx, zeros[0])}: 0\` turns undici's timeout off: ${what.charAt(0).toLowerCase()}${what.slice(1)} can wait for ever. Use ${MS} ms.`,
      fixes: fixOf(title, editable ? zeros.map(z => replaceNode(ctx, z.initializer, MS)) : undefined),
    });
    return;
  }
  if (findProperty(ts, o, 'headersTimeout') || findProperty(ts, o, 'bodyTimeout')) return;
  ctx.report({ node, message: undiciMessage(what), fixes: fixOf(title, editable ? [addObjectProperty(ctx, o, UNDICI_PROPERTY)] : undefined) });
}

function propertyNameOf(ctx: RuleContext, p: ts.PropertyAssignment): string {
  return ctx.getText(p.name);
}
