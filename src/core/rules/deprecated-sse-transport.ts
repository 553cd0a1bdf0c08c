// The HTTP+SSE transport was replaced by Streamable HTTP in protocol revision 2025-03-26.
import type * as ts from 'typescript';
import type { Rule } from '../types';
import type { RuleContext } from '../rule-context';
import { propertyValue, unwrap } from '../handler-inputs';

const STREAMABLE_NAMES = ['StreamableHTTPServerTransport', 'NodeStreamableHTTPServerTransport', 'WebStandardStreamableHTTPServerTransport'];

export const rule: Rule = {
  meta: {
    id: 'deprecated-sse-transport',
    code: 61010,
    defaultSeverity: 'info',
    description: 'Deprecated HTTP+SSE server transport',
    message:
      'The HTTP+SSE transport is deprecated (protocol revision 2025-03-26) in favour of Streamable HTTP. Serve Streamable HTTP next to the old endpoint, move clients over, then retire SSE.',
    playbook: 'platform-generation-migration#future-proofing',
    fix: null,
    languages: ['typescript'],
  },
  check(ctx) {
    const { ts } = ctx;
    // A file that already serves Streamable HTTP beside SSE is the migration in progress (the strangler fig): leave it be.
    const servesStreamable = ctx.newExpressions.some(n => isSdkClass(ctx, n.expression, STREAMABLE_NAMES));
    if (servesStreamable) return;

    let constructed = false;
    for (const n of ctx.newExpressions) {
      if (!isSdkClass(ctx, n.expression, ['SSEServerTransport'])) continue;
      constructed = true;
      ctx.report({
        node: n,
        message:
          '`SSEServerTransport` serves the HTTP+SSE transport, deprecated since protocol revision 2025-03-26: new clients speak Streamable HTTP, and the SDK keeps SSE only for backwards compatibility. Add a `StreamableHTTPServerTransport` endpoint (snippet `mcp-server-http`) beside `/sse` and `/messages`, move clients over, and retire SSE once no client uses it.',
      });
    }
    // Imported and handed to other code (a factory, a map of transports) without being constructed here.
    if (!constructed) {
      for (const decl of ctx.nodesOfKind<ts.ImportDeclaration>(ts.SyntaxKind.ImportDeclaration)) {
        if (!ts.isStringLiteral(decl.moduleSpecifier) || !/^@modelcontextprotocol\/sdk\/server\/sse(\.js)?$/.test(decl.moduleSpecifier.text)) continue;
        const clause = decl.importClause;
        if (!clause || clause.isTypeOnly) continue;
        const nb = clause.namedBindings;
        const spec = nb && ts.isNamedImports(nb) ? nb.elements.find(el => (el.propertyName ?? el.name).text === 'SSEServerTransport' && !el.isTypeOnly) : undefined;
        if (!spec || !isUsedAsValue(ctx, spec.name.text)) continue;
        ctx.report({
          node: spec,
          message:
            '`SSEServerTransport` is the HTTP+SSE transport, deprecated since protocol revision 2025-03-26. Serve Streamable HTTP (`StreamableHTTPServerTransport`, snippet `mcp-server-http`) beside the SSE endpoint, move clients over, then retire SSE.',
        });
      }
    }

    // FastMCP: start({ transportType: 'sse' }) (FastMCP 4 serves SSE compatibility through 'httpStream').
    if (![...ctx.imports.values()].some(b => b.module === 'fastmcp')) return;
    for (const call of ctx.calls) {
      if (!ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'start') continue;
      const opts = call.arguments[0] && unwrap(ts, call.arguments[0]);
      if (!opts || !ts.isObjectLiteralExpression(opts)) continue;
      const type = propertyValue(ctx, opts, 'transportType');
      if (!type || !ts.isStringLiteralLike(type) || type.text !== 'sse') continue;
      ctx.report({
        node: type,
        message:
          "`transportType: 'sse'` serves the deprecated HTTP+SSE transport. Use `transportType: 'httpStream'`: FastMCP then serves Streamable HTTP at `/mcp` and keeps an SSE endpoint for old clients while they move over.",
      });
    }
  },
};

/** `new X(...)` where X is one of `names` imported from the MCP SDK. */
function isSdkClass(ctx: RuleContext, expr: ts.Expression, names: string[]): boolean {
  const r = ctx.resolveCallee(expr);
  return !!r && r.module !== null && r.module.startsWith('@modelcontextprotocol/') && names.includes(r.name) && r.object === undefined;
}

function isUsedAsValue(ctx: RuleContext, name: string): boolean {
  const { ts } = ctx;
  return ctx.identifiersNamed(name).some(id => {
    const p = id.parent;
    return !ts.isImportSpecifier(p) && !ts.isTypeReferenceNode(p) && !ts.isTypeQueryNode(p) && !ts.isExpressionWithTypeArguments(p) && !ts.isQualifiedName(p);
  });
}
