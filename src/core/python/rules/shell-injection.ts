// Python: shell command lines built from variable parts. `os.system`, `os.popen`, `subprocess.getoutput`,
// `asyncio.create_subprocess_shell` and `subprocess.*(..., shell=True)` hand the string to /bin/sh.
import type { Node } from 'web-tree-sitter';
import { rule } from '../../rules/shell-injection';
import { type PyContext, isWithin, stringValue, unparen } from '../context';
import type { PythonRule } from './index';

const ALWAYS_SHELL = new Set(['os.system', 'os.popen', 'subprocess.getoutput', 'subprocess.getstatusoutput', 'asyncio.create_subprocess_shell', 'commands.getoutput']);
const SHELL_OPTION = new Set(['run', 'call', 'check_call', 'check_output', 'Popen'].map(m => `subprocess.${m}`));
/** Functions whose result is one safely quoted shell word or a number. */
const QUOTING = new Set(['shlex.quote', 'shlex.join', 'pipes.quote']);
const NUMERIC = new Set(['int', 'float', 'len', 'abs', 'round', 'bool']);

export const pythonRule: PythonRule = {
  meta: rule.meta,
  check(ctx) {
    for (const call of ctx.calls) {
      const c = ctx.callee(call);
      if (!c?.imported) continue;
      const always = ALWAYS_SHELL.has(c.fqn);
      if (!always && !SHELL_OPTION.has(c.fqn)) continue;
      const args = ctx.argsOf(call);
      if (!args) continue;
      if (!always) {
        const shell = args.keywords.get('shell');
        if (!shell || unparen(shell)?.type === 'false' || unparen(shell)?.type === 'none') continue;
      }
      const command = args.positional[0] ?? args.keywords.get('args') ?? args.keywords.get('cmd') ?? args.keywords.get('command');
      if (!command) continue;
      const why = builtFrom(ctx, command, call, 0);
      if (!why) continue;
      ctx.report({
        node: command,
        message: `This shell command is built from ${why}: quotes, \`;\`, \`|\` or \`$()\` in it run as shell syntax. Run the program with an argument list and no shell (\`subprocess.run([...])\`, \`asyncio.create_subprocess_exec\`), or quote each part with \`shlex.quote\`.`,
      });
    }
  },
};

/** Why the command is not a fixed string (a description), or undefined when it is fixed or safely quoted. */
function builtFrom(ctx: PyContext, expr: Node, site: Node, depth: number): string | undefined {
  const e = unparen(expr);
  if (!e || depth > 4) return undefined;
  switch (e.type) {
    case 'string':
    case 'concatenated_string': {
      if (stringValue(e) !== undefined) return undefined;
      const parts = e.descendantsOfType('interpolation');
      const unsafe = parts.find(p => {
        const inner = p?.childForFieldName('expression');
        return !!inner && !isSafePart(ctx, inner);
      });
      return unsafe ? `an f-string with \`{${unsafe.childForFieldName('expression')?.text ?? '...'}}\`` : undefined;
    }
    case 'binary_operator': {
      const op = e.child(1)?.type;
      const left = e.childForFieldName('left');
      const right = e.childForFieldName('right');
      if (op === '+') {
        for (const side of [left, right]) {
          if (!side) continue;
          const s = unparen(side);
          if (s && (stringValue(s) !== undefined || isSafePart(ctx, s))) continue;
          return builtFrom(ctx, side, site, depth + 1) ?? `\`${s?.text ?? side.text}\``;
        }
        return undefined;
      }
      if (op === '%' && left && stringValue(left) !== undefined) return right && isSafePart(ctx, right) ? undefined : '`%` formatting';
      return undefined;
    }
    case 'call': {
      // "...".format(x)
      const fn = e.childForFieldName('function');
      if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format' && stringValue(fn.childForFieldName('object')) !== undefined) {
        const args = ctx.argsOf(e);
        const all = [...(args?.positional ?? []), ...(args?.keywords.values() ?? [])];
        return all.every(a => isSafePart(ctx, a)) && !args?.hasDictSplat && !args?.hasListSplat ? undefined : '`str.format`';
      }
      if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'join' && stringValue(fn.childForFieldName('object')) !== undefined) {
        const list = unparen(ctx.argsOf(e)?.positional[0]);
        const fixedList = list && (list.type === 'list' || list.type === 'tuple') && list.namedChildren.every(x => !!x && isSafePart(ctx, x));
        return fixedList ? undefined : '`str.join` of variable parts';
      }
      return undefined;
    }
    case 'identifier': {
      const value = assignedValue(ctx, e.text, site);
      if (value === null) return `\`${e.text}\`, which comes from the caller`;
      if (value === undefined) return undefined; // assigned in several places or elsewhere: cannot tell
      return builtFrom(ctx, value, site, depth + 1);
    }
    default:
      return undefined;
  }
}

/** A part that cannot inject: a literal, a number, `shlex.quote(...)`, `int(...)`. */
function isSafePart(ctx: PyContext, node: Node): boolean {
  const n = unparen(node);
  if (!n) return false;
  if (n.type === 'integer' || n.type === 'float' || stringValue(n) !== undefined) return true;
  if (n.type === 'call') {
    const c = ctx.callee(n);
    if (!c) return false;
    if (c.imported && QUOTING.has(c.fqn)) return true;
    if (!c.imported && NUMERIC.has(c.fqn)) return true;
  }
  return false;
}

/**
 * What a name holds at `site`: the value of its only assignment in the same function (or module), null when it is a
 * parameter of that function (input), undefined when that cannot be told.
 */
function assignedValue(ctx: PyContext, name: string, site: Node): Node | null | undefined {
  const fn = ctx.enclosingFunction(site);
  if (fn) {
    const params = fn.childForFieldName('parameters');
    for (const p of params?.namedChildren ?? []) {
      const n = p?.type === 'identifier' ? p : (p?.childForFieldName('name') ?? p?.namedChildren.find(c => c?.type === 'identifier'));
      if (n?.text === name) return null;
    }
  }
  const assignments = ctx.scopeContents(fn).assignments.filter(a => {
    const left = a.childForFieldName('left');
    return left?.type === 'identifier' && left.text === name && !isWithin(site, a);
  });
  if (assignments.length !== 1) return undefined;
  return assignments[0].childForFieldName('right') ?? undefined;
}
