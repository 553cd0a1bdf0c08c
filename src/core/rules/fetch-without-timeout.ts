// fetch() with no `signal` waits forever on a dependency that stopped answering.
import type * as ts from 'typescript';
import type { Rule } from '../types';
import { addObjectProperty } from '../fix-helpers';
import { formatMs } from '../syntax-helpers';

export const DEFAULT_TIMEOUT_MS = 30_000; // the persona's 30 s dependency timeout

/** Names a fetch call is made by: the global `fetch`, or an import of a fetch package (named or default). */
const FETCH_NAMES = ['fetch', 'default'];

export const rule: Rule = {
  meta: {
    id: 'fetch-without-timeout',
    code: 61002,
    defaultSeverity: 'warning',
    description: 'fetch() without a timeout signal',
    message:
      'fetch() has no `signal`, so a dependency that stops answering holds this request forever. Pass `signal: AbortSignal.timeout(30_000)`.',
    playbook: 'circuit-breaker-cascade#dependency-isolation',
    fix: 'Adds `signal: AbortSignal.timeout(30_000)` to the request options.',
    languages: ['typescript'],
  },
  check(ctx) {
    const { ts } = ctx;
    for (const call of ctx.callsNamed(FETCH_NAMES)) {
      const callee = ctx.resolveCallee(call.expression);
      if (!callee) continue;
      const isGlobalFetch =
        (callee.module === null && callee.name === 'fetch' && (!callee.object || callee.object === 'globalThis' || callee.object === 'window')) ||
        (callee.module !== null && ['node-fetch', 'undici', 'cross-fetch', 'isomorphic-fetch'].includes(callee.module) && (callee.name === 'fetch' || callee.name === 'default'));
      if (!isGlobalFetch || call.arguments.length === 0) continue;
      // A locally declared function named fetch is not the global one.
      if (callee.module === null && !callee.object && ctx.memo(isLocallyDeclared, () => isLocallyDeclared(ctx.ts, ctx.sourceFile, 'fetch'))) continue;
      const init = call.arguments[1];
      if (!init) {
        ctx.report({
          node: call,
          fixes: [
            {
              title: 'Add a 30 s timeout (AbortSignal.timeout)',
              edits: [{ start: call.arguments[0].end, end: call.arguments[0].end, newText: `, { signal: AbortSignal.timeout(${formatMs(DEFAULT_TIMEOUT_MS)}) }` }],
            },
          ],
        });
        continue;
      }
      if (!ts.isObjectLiteralExpression(init)) continue; // options built elsewhere: cannot tell
      const hasSignal = init.properties.some(
        p => ts.isSpreadAssignment(p) || (p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === 'signal'),
      );
      if (hasSignal) continue;
      ctx.report({
        node: call,
        fixes: [{ title: 'Add a 30 s timeout (AbortSignal.timeout)', edits: [addObjectProperty(ctx, init, `signal: AbortSignal.timeout(${formatMs(DEFAULT_TIMEOUT_MS)})`)] }],
      });
    }
  },
};

function isLocallyDeclared(ts: typeof import('typescript'), sf: ts.SourceFile, name: string): boolean {
  return sf.statements.some(
    s =>
      (ts.isFunctionDeclaration(s) && s.name?.text === name) ||
      (ts.isVariableStatement(s) && s.declarationList.declarations.some(d => ts.isIdentifier(d.name) && d.name.text === name)),
  );
}
