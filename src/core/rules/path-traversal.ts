// File paths built from handler arguments with no containment check: `../` reads or writes outside the served root.
import type * as ts from 'typescript';
import type { Rule } from '../types';
import type { RuleContext } from '../rule-context';
import { InputFlow, assignmentsTo, declarationOf, describeHandler, handlerAround, initializerOf, nodesInside, registrationOf, unwrap, type Declaration, type Sanitizer } from '../handler-inputs';

const FS_MODULE_LIST = ['fs', 'fs/promises', 'fs-extra', 'graceful-fs'];
const FS_MODULES = new Set(FS_MODULE_LIST);

/** File operations and the positions of their path arguments. */
const ONE_PATH = [
  'readFile', 'writeFile', 'appendFile', 'readdir', 'stat', 'lstat', 'open', 'opendir', 'unlink', 'rm', 'rmdir', 'mkdir',
  'createReadStream', 'createWriteStream', 'access', 'exists', 'chmod', 'chown', 'lchown', 'truncate', 'utimes', 'lutimes',
  'readlink', 'watch', 'watchFile',
  // fs-extra
  'readJson', 'readJSON', 'writeJson', 'writeJSON', 'outputFile', 'outputJson', 'outputJSON', 'remove', 'ensureDir', 'ensureFile',
  'emptyDir', 'pathExists', 'mkdirp', 'mkdirs',
];
const TWO_PATHS = ['rename', 'copyFile', 'cp', 'symlink', 'link', 'copy', 'move'];
const PATH_ARGS = new Map<string, number[]>();
for (const n of ONE_PATH) {
  PATH_ARGS.set(n, [0]);
  PATH_ARGS.set(`${n}Sync`, [0]);
}
for (const n of TWO_PATHS) {
  PATH_ARGS.set(n, [0, 1]);
  PATH_ARGS.set(`${n}Sync`, [0, 1]);
}

/** Path functions whose result is normalised: a `startsWith(root)` on it is a real containment check. */
const NORMALISING = new Set(['resolve', 'normalize', 'join', 'realpath', 'realpathSync']);
/**
 * Helper functions that check or confine a path, by name: `assertInsideRoot`, `isWithin`, `validatePath`,
 * `resolveSafePath`. A checking word alone is not enough (`safeParse` validates a shape, not a location).
 */
const CONFINING_NAME = /(inside|within|contain|confine|sandbox|jail)/i;
const CHECKING_NAME = /(safe|secure|allowed|permitted|assert|ensure|guard|verify|validat|check)/i;
const PATH_WORD = /(path|dir|file|root|folder|location|resolve)/i;

function isCheckingHelperName(name: string): boolean {
  return CONFINING_NAME.test(name) || (CHECKING_NAME.test(name) && PATH_WORD.test(name));
}

export const rule: Rule = {
  meta: {
    id: 'path-traversal',
    code: 61017,
    defaultSeverity: 'error',
    description: 'File access with a path from handler arguments and no containment check',
    message:
      'A file path built from client input reaches the file system without a containment check: `../` walks out of the directory this server means to expose. Resolve the path and check it stays under the root.',
    playbook: 'hard-won-wisdom#security-foundation',
    fix: null,
    languages: ['typescript', 'python'],
  },
  check(ctx) {
    if (ctx.handlers.length === 0) return;
    const flows = new Map<ts.Node, InputFlow | undefined>();
    const reported = new Map<string, { count: number; finding: { node: ts.Node; build: (more: number) => string } }>();

    for (const call of ctx.callsFrom(FS_MODULE_LIST)) {
      const positions = sinkPositions(ctx, call);
      if (!positions) continue;
      const handler = handlerAround(ctx, call);
      if (!handler) continue;
      if (!flows.has(handler)) {
        const reg = registrationOf(ctx, handler);
        flows.set(handler, reg ? new InputFlow(ctx, reg, isPathSafeCall) : undefined);
      }
      const flow = flows.get(handler);
      if (!flow?.hasInput) continue;
      for (const i of positions) {
        const arg = call.arguments[i];
        if (!arg) continue;
        const refs = flow.references(arg);
        if (refs.length === 0) continue;
        const lineage = lineageOf(ctx, flow, arg);
        const check = findCheck(ctx, flow, handler, call.getStart(ctx.sourceFile), lineage);
        if (check === 'checked') continue;
        const source = flow.origin(arg)?.text ?? ctx.getText(refs[0]);
        const op = operationName(ctx, call);
        // One finding per unchecked value in a handler; the others are counted into its message.
        const key = `${handler.pos}:${ctx.getText(unwrap(ctx.ts, arg))}`;
        const seen = reported.get(key);
        if (seen) {
          seen.count++;
          continue;
        }
        const handlerName = describeHandler(flow.registration);
        const rawCheck = check === 'raw-startsWith';
        reported.set(key, {
          count: 0,
          finding: {
            node: arg,
            build: more =>
              `\`${op}\` ${more > 0 ? `(and ${more} more file operation${more > 1 ? 's' : ''} on the same path) ` : ''}uses a path built from \`${source}\`, which the client chooses in ${handlerName}, ${
                rawCheck
                  ? 'checked with `startsWith` before it is resolved: a value that starts with the allowed prefix and goes on with `../../` passes that check and still walks out of the root.'
                  : 'with no containment check: `../../.ssh/id_rsa` walks out of the directory this server means to expose.'
              } Resolve it, then check it stays inside: \`const full = path.resolve(root, p); if (!full.startsWith(root + path.sep)) throw ...\`.`,
          },
        });
        break;
      }
    }
    for (const { count, finding } of reported.values()) ctx.report({ node: finding.node, message: finding.build(count) });
  },
};

/** Argument positions that are paths when `call` is a file operation. */
function sinkPositions(ctx: RuleContext, call: ts.CallExpression): number[] | undefined {
  const r = ctx.resolveCallee(call.expression);
  if (!r || r.module === null || !FS_MODULES.has(r.module)) return undefined;
  if (r.object !== undefined && r.object !== 'promises') return undefined;
  return PATH_ARGS.get(r.name);
}

function operationName(ctx: RuleContext, call: ts.CallExpression): string {
  const r = ctx.resolveCallee(call.expression);
  return r?.name ?? ctx.getText(call.expression);
}

/** path.basename strips directories; a checking helper confines its result. */
const isPathSafeCall: Sanitizer = (ctx, call) => {
  const r = ctx.resolveCallee(call.expression);
  if (!r) return false;
  if (r.module === 'path' && (r.name === 'basename' || r.name === 'extname')) return true;
  if (r.module === null && !r.object && ['Number', 'parseInt', 'parseFloat', 'Boolean'].includes(r.name)) return true;
  const name = r.name === 'default' ? '' : r.name;
  return (isCheckingHelperName(name) && !(r.module !== null && FS_MODULES.has(r.module))) || confinesFirstArgument(ctx, call);
};

/**
 * A function of this file that checks its first parameter's location, whatever its name (`runbookPath(name)`):
 * its body resolves the parameter (path.resolve/normalize/join, realpath) and checks the result with `startsWith`
 * or `path.relative`, or rejects `..` in it. Its result, and its argument after the call, count as confined.
 */
function confinesFirstArgument(ctx: RuleContext, call: ts.CallExpression): boolean {
  const fn = ctx.functionOf(call.expression);
  if (!fn || !fn.body) return false;
  const verdicts = ctx.memo(confinesFirstArgument, () => new Map<ts.Node, boolean>());
  let verdict = verdicts.get(fn);
  if (verdict === undefined) {
    verdict = false; // while computing: a recursive helper does not confine by calling itself
    verdicts.set(fn, verdict);
    verdict = checksParameterLocation(ctx, fn);
    verdicts.set(fn, verdict);
  }
  return verdict;
}

function checksParameterLocation(ctx: RuleContext, fn: ts.SignatureDeclaration): boolean {
  const { ts } = ctx;
  const param = fn.parameters[0];
  if (!param || !ts.isIdentifier(param.name)) return false;
  // The parameter and the variables computed from it, in order of declaration.
  const derived = new Set<string>([param.name.text]);
  const normalised = new Set<string>();
  const mentionsDerived = (e: ts.Node): boolean => {
    if (ts.isIdentifier(e)) return derived.has(e.text);
    return ts.forEachChild(e, c => (mentionsDerived(c) ? true : undefined)) ?? false;
  };
  for (const d of ctx.nodesInside<ts.VariableDeclaration>(fn, ts.SyntaxKind.VariableDeclaration)) {
    if (!ts.isIdentifier(d.name) || !d.initializer || !mentionsDerived(d.initializer)) continue;
    derived.add(d.name.text);
    const init = unwrapAwait(ts, d.initializer);
    if (ts.isCallExpression(init) && isNormalisedCall(ctx, init)) normalised.add(d.name.text);
  }
  for (const c of ctx.nodesInside<ts.CallExpression>(fn, ts.SyntaxKind.CallExpression)) {
    const r = ctx.resolveCallee(c.expression);
    if (r && r.module === 'path' && r.name === 'relative' && c.arguments.slice(1).some(mentionsDerived)) return true;
    if (!ts.isPropertyAccessExpression(c.expression)) continue;
    const method = c.expression.name.text;
    const recv = unwrapAwait(ts, c.expression.expression);
    if (method === 'startsWith') {
      if (ts.isIdentifier(recv) && normalised.has(recv.text)) return true;
      if (ts.isCallExpression(recv) && isNormalisedCall(ctx, recv) && mentionsDerived(recv)) return true;
    }
    const first = c.arguments[0];
    if ((method === 'includes' || method === 'indexOf') && first && ts.isStringLiteralLike(first) && first.text.includes('..') && mentionsDerived(recv)) return true;
    if (method === 'test' && ts.isRegularExpressionLiteral(recv) && recv.text.includes('\\.\\.') && c.arguments.some(mentionsDerived)) return true;
  }
  return false;
}

function unwrapAwait(ts: typeof import('typescript'), e: ts.Expression): ts.Expression {
  let x = unwrap(ts, e);
  while (ts.isAwaitExpression(x)) x = unwrap(ts, x.expression);
  return x;
}

/**
 * The values a path argument is made of: its own client-input references and, through the variables
 * it reads, everything those were built from. A check on any of them counts.
 */
function lineageOf(ctx: RuleContext, flow: InputFlow, arg: ts.Expression): Set<Declaration | string> {
  const { ts } = ctx;
  const out = new Set<Declaration | string>();
  const queue: ts.Expression[] = [arg];
  for (let guard = 0; queue.length > 0 && guard < 50; guard++) {
    const e = queue.shift()!;
    for (const ref of flow.references(e)) {
      const key = refKey(ctx, ref);
      if (key === undefined || out.has(key)) continue;
      out.add(key);
      const root = rootIdentifier(ts, ref);
      const d = root && declarationOf(ctx, root);
      if (d && typeof key !== 'string') {
        const init = initializerOf(ctx, d);
        if (init) queue.push(init);
        for (const a of assignmentsTo(ctx, d)) queue.push(a);
      }
    }
  }
  return out;
}

/** A declaration for a plain variable; `<declaration pos>.<property path>` for `args.path`. */
function refKey(ctx: RuleContext, ref: ts.Expression): Declaration | string | undefined {
  const { ts } = ctx;
  const e = unwrap(ts, ref);
  if (ts.isIdentifier(e)) return declarationOf(ctx, e);
  if (ts.isPropertyAccessExpression(e)) {
    const root = rootIdentifier(ts, e);
    const d = root && declarationOf(ctx, root);
    if (!d) return undefined;
    const dotted = ctx.dottedName(e);
    return dotted === undefined ? undefined : `${d.pos}:${dotted.slice(dotted.indexOf('.'))}`;
  }
  return undefined;
}

function rootIdentifier(ts: typeof import('typescript'), e: ts.Expression): ts.Identifier | undefined {
  let x = unwrap(ts, e);
  while (ts.isPropertyAccessExpression(x)) x = unwrap(ts, x.expression);
  return ts.isIdentifier(x) ? x : undefined;
}

type CheckResult = 'checked' | 'raw-startsWith' | 'none';

/** A containment check on the path's lineage, written before `before` inside the handler. */
function findCheck(ctx: RuleContext, flow: InputFlow, handler: ts.Node, before: number, lineage: Set<Declaration | string>): CheckResult {
  const { ts } = ctx;
  // Related: built from a value of the path's lineage (the same variable, or one computed from the same input).
  const related = (e: ts.Expression | undefined): boolean => {
    if (!e) return false;
    for (const key of lineageOf(ctx, flow, e)) if (lineage.has(key)) return true;
    return false;
  };
  let result: CheckResult = 'none';
  for (const call of nodesInside<ts.CallExpression>(ctx, handler, ts.SyntaxKind.CallExpression)) {
    if (call.end > before) continue;
    const callee = call.expression;
    const r = ctx.resolveCallee(callee);
    // path.relative(root, p) is only ever computed to see whether p leaves root.
    if (r && r.module === 'path' && r.name === 'relative' && call.arguments.slice(1).some(related)) return 'checked';
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const recv = unwrap(ts, callee.expression);
      if (method === 'startsWith' && related(recv)) {
        if (isNormalisedCall(ctx, recv) || isNormalised(ctx, recv) || isRelativeResult(ctx, recv)) return 'checked';
        result = 'raw-startsWith';
      }
      // Rejecting `..` outright: p.includes('..'), p.split(sep).includes('..'), /\.\./.test(p).
      if ((method === 'includes' || method === 'indexOf') && call.arguments[0] && ts.isStringLiteralLike(call.arguments[0]) && call.arguments[0].text.includes('..')) {
        if (related(recv)) return 'checked';
      }
      if (method === 'test' && ts.isRegularExpressionLiteral(recv) && recv.text.includes('\\.\\.') && call.arguments.some(related)) return 'checked';
      // An allowlist: ALLOWED.has(name), ALLOWED.includes(name).
      if ((method === 'has' || method === 'includes') && call.arguments.some(related) && !flow.source(recv)) return 'checked';
    }
    // A helper that checks or confines the path: assertInsideRoot(full), isSafePath(p), or one whose body does.
    const name = r?.name ?? '';
    if (isCheckingHelperName(name) && !(r?.module && FS_MODULES.has(r.module)) && call.arguments.some(related)) return 'checked';
    if (call.arguments.length > 0 && related(call.arguments[0]) && confinesFirstArgument(ctx, call)) return 'checked';
  }
  return result;
}

/** A variable holding the result of path.resolve/normalize/join or realpath. */
function isNormalised(ctx: RuleContext, e: ts.Expression): boolean {
  return resultOf(ctx, e, call => isNormalisedCall(ctx, call));
}

/** A variable holding path.relative(...). */
function isRelativeResult(ctx: RuleContext, e: ts.Expression): boolean {
  return resultOf(ctx, e, call => {
    const r = ctx.resolveCallee(call.expression);
    return !!r && r.module === 'path' && r.name === 'relative';
  });
}

function resultOf(ctx: RuleContext, e: ts.Expression, test: (call: ts.CallExpression) => boolean): boolean {
  const { ts } = ctx;
  const x = unwrap(ts, e);
  if (!ts.isIdentifier(x)) return false;
  const d = declarationOf(ctx, x);
  const init = d && initializerOf(ctx, d);
  const value = init && unwrap(ts, init);
  return !!value && ts.isCallExpression(value) && test(value);
}

function isNormalisedCall(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const x = unwrap(ts, e);
  if (!ts.isCallExpression(x)) return false;
  const r = ctx.resolveCallee(x.expression);
  if (!r || r.module === null || !NORMALISING.has(r.name)) return false;
  if (r.module === 'path') return r.name !== 'realpath' && r.name !== 'realpathSync';
  return FS_MODULES.has(r.module) && (r.name === 'realpath' || r.name === 'realpathSync');
}
