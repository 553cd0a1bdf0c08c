// Python: HTTP requests that can wait for ever. requests and urllib have no default timeout; aiohttp's session
// waits 5 minutes by default; httpx has a 5 s default, so only an explicit `timeout=None` is reported there.
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../types';
import { rule } from '../../rules/http-client-without-timeout';
import { type PyContext, unparen } from '../context';
import { addKeywordArgument, moduleMember, replaceNode } from '../edits';
import type { PythonRule } from './index';

export const TIMEOUT_SECONDS = 30; // the persona's 30 s dependency timeout

const REQUESTS_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];
const REQUESTS_CALLS = new Set(REQUESTS_METHODS.map(m => `requests.${m}`).concat(REQUESTS_METHODS.map(m => `requests.api.${m}`)));
const SESSION_CLASSES = new Set(['requests.Session', 'requests.session', 'requests.sessions.Session']);
const HTTPX_CALLS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'stream', 'Client', 'AsyncClient', 'Timeout'].map(m => `httpx.${m}`));
const AIOHTTP_SESSIONS = new Set(['aiohttp.ClientSession', 'aiohttp.client.ClientSession']);
const URLOPEN = new Set(['urllib.request.urlopen']);
const KNOWN = new Set([...REQUESTS_CALLS, ...HTTPX_CALLS, ...AIOHTTP_SESSIONS, ...URLOPEN]);

export const pythonRule: PythonRule = {
  meta: rule.meta,
  check(ctx) {
    const sessions = sessionNames(ctx);
    for (const call of ctx.calls) {
      const c = ctx.callee(call);
      if (!c || !(c.imported ? KNOWN.has(c.fqn) : sessions.size > 0)) continue;
      const args = ctx.argsOf(call);
      if (!args) continue;
      const timeout = args.keywords.get('timeout');
      if (c.imported && REQUESTS_CALLS.has(c.fqn)) {
        reportMissingOrNone(ctx, call, timeout, args.hasDictSplat, `\`${c.dotted}\` has no timeout: requests waits for ever on a dependency that stops answering, holding the tool call. Pass \`timeout=${TIMEOUT_SECONDS}\`.`);
      } else if (isSessionMethod(ctx, call, sessions)) {
        reportMissingOrNone(ctx, call, timeout, args.hasDictSplat, `\`${c.dotted}\` has no timeout: a requests session waits for ever on a dependency that stops answering (it has no default timeout). Pass \`timeout=${TIMEOUT_SECONDS}\`.`);
      } else if (c.imported && URLOPEN.has(c.fqn)) {
        if (args.positional.length >= 3 || args.hasListSplat) continue;
        reportMissingOrNone(ctx, call, timeout, args.hasDictSplat, `\`${c.dotted}\` without \`timeout\` waits for ever on a server that stops answering. Pass \`timeout=${TIMEOUT_SECONDS}\`.`);
      } else if (c.imported && HTTPX_CALLS.has(c.fqn)) {
        const value = c.fqn === 'httpx.Timeout' ? (timeout ?? args.positional[0]) : timeout;
        if (!value || !isNone(value)) continue;
        ctx.report({
          node: call,
          message: `\`timeout=None\` turns httpx's 5 s default off: a dependency that stops answering holds the tool call for ever. Give it a ${TIMEOUT_SECONDS} s deadline.`,
          fixes: [{ title: `Set a ${TIMEOUT_SECONDS} s timeout`, edits: [replaceNode(value, String(TIMEOUT_SECONDS))] }],
        });
      } else if (c.imported && AIOHTTP_SESSIONS.has(c.fqn)) {
        if (timeout && !isNone(timeout)) continue;
        if (!timeout && args.hasDictSplat) continue;
        const ct = moduleMember(ctx, 'aiohttp', 'ClientTimeout');
        const value = `${ct.expr}(total=${TIMEOUT_SECONDS})`;
        const edit = timeout ? replaceNode(timeout, value) : addKeywordArgument(ctx, call, `timeout=${value}`);
        ctx.report({
          node: call,
          message: `This aiohttp session ${timeout ? 'has `timeout=None`: its requests wait for ever' : 'uses aiohttp\'s default 5-minute timeout'}, so a dependency that stops answering holds the tool call far past any client's patience. Pass \`timeout=aiohttp.ClientTimeout(total=${TIMEOUT_SECONDS})\`.`,
          fixes: edit ? [{ title: `Give the session a ${TIMEOUT_SECONDS} s timeout`, edits: [edit, ...ct.edits] }] : [],
        });
      }
    }
  },
};

function reportMissingOrNone(ctx: PyContext, call: Node, timeout: Node | undefined, hasDictSplat: boolean, message: string): void {
  let fix: Fix | undefined;
  if (timeout) {
    if (!isNone(timeout)) return;
    fix = { title: `Set a ${TIMEOUT_SECONDS} s timeout`, edits: [replaceNode(timeout, String(TIMEOUT_SECONDS))] };
  } else {
    // `**kwargs` may carry the timeout.
    if (hasDictSplat) return;
    const edit = addKeywordArgument(ctx, call, `timeout=${TIMEOUT_SECONDS}`);
    if (edit) fix = { title: `Add a ${TIMEOUT_SECONDS} s timeout`, edits: [edit] };
  }
  ctx.report({ node: call, message, fixes: fix ? [fix] : [] });
}

function isNone(node: Node): boolean {
  return unparen(node)?.type === 'none';
}

/** Names bound to requests sessions: `s = requests.Session()`, `self.s = requests.Session()`, `with requests.Session() as s`. */
function sessionNames(ctx: PyContext): Set<string> {
  const names = new Set<string>();
  for (const a of ctx.nodesOfType('assignment')) {
    const right = unparen(a.childForFieldName('right'));
    if (right?.type !== 'call' || !ctx.isCallTo(right, SESSION_CLASSES)) continue;
    const name = ctx.dotted(a.childForFieldName('left'));
    if (name) names.add(name);
  }
  for (const call of ctx.calls) {
    if (!ctx.isCallTo(call, SESSION_CLASSES)) continue;
    const p = call.parent;
    if (p?.type !== 'as_pattern') continue;
    const target = p.childForFieldName('alias')?.namedChildren[0];
    const name = ctx.dotted(target);
    if (name) names.add(name);
  }
  return names;
}

function isSessionMethod(ctx: PyContext, call: Node, sessions: Set<string>): boolean {
  if (sessions.size === 0) return false;
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return false;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  const receiver = ctx.dotted(fn.childForFieldName('object'));
  return REQUESTS_METHODS.includes(method) && receiver !== undefined && sessions.has(receiver);
}
