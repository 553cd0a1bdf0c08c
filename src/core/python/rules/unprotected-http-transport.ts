// Python: MCP over HTTP reachable from the network or from web pages. FastMCP (official SDK) binds to 127.0.0.1 and
// turns DNS-rebinding protection on by itself for a loopback host; `host="0.0.0.0"` or
// `TransportSecuritySettings(enable_dns_rebinding_protection=False)` without authentication undoes that.
import type { Node } from 'web-tree-sitter';
import { rule } from '../../rules/unprotected-http-transport';
import { type PyContext, stringValue, unparen } from '../context';
import { replaceNode } from '../edits';
import type { PythonRule } from './index';

const ALL_INTERFACES = new Set(['0.0.0.0', '::', '']);
const AUTH_KEYWORDS = ['auth', 'auth_server_provider', 'token_verifier'];
const AUTH_NAMES = /^(BearerAuthBackend|RequireAuthMiddleware|AuthenticationMiddleware|BearerAuthProvider|JWTVerifier|StaticTokenVerifier|RemoteAuthProvider|OAuthProxy|TokenVerifier)$/;
const SECURITY_SETTINGS = new Set(['mcp.server.transport_security.TransportSecuritySettings', 'mcp.server.fastmcp.server.TransportSecuritySettings']);
const UVICORN_RUN = new Set(['uvicorn.run', 'uvicorn.Config']);
const RUN_METHODS = new Set(['run', 'run_async', 'run_http_async', 'run_streamable_http_async', 'run_sse_async']);
/** Last names of the calls looked at: server classes, run methods, uvicorn, TransportSecuritySettings. */
const CANDIDATES = new Set([...RUN_METHODS, 'FastMCP', 'MCPServer', 'Server', 'LowLevelServer', 'Config', 'TransportSecuritySettings']);

export const pythonRule: PythonRule = {
  meta: rule.meta,
  check(ctx) {
    if (!ctx.file.servesHttp || hasAuthentication(ctx)) return;
    const reported = new Set<number>();
    const reportHost = (host: Node, where: string): void => {
      if (reported.has(host.id)) return;
      reported.add(host.id);
      ctx.report({
        node: host,
        message: `${where} binds every network interface, and nothing here authenticates requests: anyone who can reach this machine can call this MCP server's tools, and a non-loopback host also turns FastMCP's DNS-rebinding protection off. Bind to \`127.0.0.1\`, or require a token (\`auth=\` / \`token_verifier=\`).`,
        fixes: [{ title: 'Bind to 127.0.0.1', edits: [replaceNode(host, quoteLike(host, '127.0.0.1'))] }],
      });
    };

    for (const call of ctx.calls) {
      const c = ctx.callee(call);
      if (!c) continue;
      const last = c.dotted.slice(c.dotted.lastIndexOf('.') + 1);
      if (!CANDIDATES.has(last)) continue;
      const args = ctx.argsOf(call);
      if (!args) continue;
      const host = args.keywords.get('host');
      // FastMCP("x", host="0.0.0.0"), mcp.run(transport="http", host="0.0.0.0"), uvicorn.run(app, host="0.0.0.0")
      if (host && ALL_INTERFACES.has(stringValue(host) ?? '-')) {
        if (ctx.isServerConstruction(call)) reportHost(host, `\`${ctx.callee(call)?.dotted}(host=${host.text})\``);
        else if (isServerRunOverHttp(ctx, call)) reportHost(host, `\`${ctx.callee(call)?.dotted}(host=${host.text})\``);
        else if (ctx.isCallTo(call, UVICORN_RUN)) reportHost(host, `\`${ctx.callee(call)?.dotted}(host=${host.text})\``);
      }
      // TransportSecuritySettings(enable_dns_rebinding_protection=False)
      if (ctx.isCallTo(call, SECURITY_SETTINGS)) {
        const flag = args.keywords.get('enable_dns_rebinding_protection');
        if (flag && unparen(flag)?.type === 'false') {
          ctx.report({
            node: flag,
            message:
              'DNS-rebinding protection is off and nothing here authenticates requests: any web page open in the user\'s browser can call this server\'s tools, even on 127.0.0.1. Keep it on and list the host names clients use in `allowed_hosts`, or require a token (`auth=` / `token_verifier=`).',
          });
        }
      }
    }
    // mcp.settings.host = "0.0.0.0"
    for (const a of ctx.nodesOfType('assignment')) {
      const left = a.childForFieldName('left');
      const right = a.childForFieldName('right');
      const d = ctx.dotted(left);
      if (!d || !right || !/\.settings\.host$/.test(d) || !ALL_INTERFACES.has(stringValue(right) ?? '-')) continue;
      reportHost(right, `\`${d} = ${right.text}\``);
    }
  },
};

function isServerRunOverHttp(ctx: PyContext, call: Node): boolean {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || !ctx.isServerRef(fn.childForFieldName('object'))) return false;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  if (!RUN_METHODS.has(method)) return false;
  return method !== 'run' && method !== 'run_async' ? true : ctx.transportOfRun(call) === 'http';
}

/** Authentication anywhere in the file: an auth provider or verifier on the server, or the SDK's auth middleware. */
function hasAuthentication(ctx: PyContext): boolean {
  for (const b of ctx.imports.values()) {
    if (/^(mcp\.server\.auth|fastmcp\.server\.auth)/.test(b.module)) return true;
  }
  for (const local of ctx.imports.keys()) if (AUTH_NAMES.test(local)) return true;
  for (const call of ctx.calls) {
    if (!ctx.isServerConstruction(call)) continue;
    const args = ctx.argsOf(call);
    if (args?.hasDictSplat) return true;
    for (const k of AUTH_KEYWORDS) {
      const v = args?.keywords.get(k);
      if (v && unparen(v)?.type !== 'none') return true;
    }
  }
  return false;
}

/** A string literal in the quote style of `like`. */
function quoteLike(like: Node, value: string): string {
  const q = like.text.trim().endsWith("'") ? "'" : '"';
  return `${q}${value}${q}`;
}
