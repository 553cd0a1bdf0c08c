// Python: file paths built from MCP handler arguments reaching the file system with no containment check:
// `../` walks out of the directory the server means to expose.
import type { Node } from 'web-tree-sitter';
import { rule } from '../../rules/path-traversal';
import { type PyContext, type PyHandler, descendants, unparen } from '../context';
import type { PythonRule } from './index';

/** Calls that take a path as their first argument. */
const PATH_SINKS = new Set([
  'io.open', 'os.open', 'os.remove', 'os.unlink', 'os.rmdir', 'os.removedirs', 'os.mkdir', 'os.makedirs', 'os.listdir', 'os.scandir',
  'os.stat', 'os.rename', 'os.replace', 'os.chmod', 'os.walk', 'shutil.rmtree', 'shutil.copy', 'shutil.copy2', 'shutil.copyfile',
  'shutil.copytree', 'shutil.move', 'aiofiles.open', 'anyio.open_file', 'codecs.open', 'glob.glob',
]);
/** `Path(p).read_text()` and friends: file access through a pathlib / anyio path built from input. */
const PATH_CLASSES = new Set(['pathlib.Path', 'pathlib.PurePath', 'anyio.Path', 'aiopath.AsyncPath']);
const PATH_METHODS = new Set([
  'read_text', 'read_bytes', 'write_text', 'write_bytes', 'open', 'unlink', 'rmdir', 'mkdir', 'iterdir', 'glob', 'rglob', 'touch', 'rename', 'replace',
]);
/** Calls whose result no longer carries the input's directory parts. */
const SANITIZERS = new Set(['os.path.basename', 'werkzeug.utils.secure_filename', 'int', 'len', 'bool', 'float']);
/** Checks that confine a path: a normalised path compared against the root. */
const CONFINING_METHODS = new Set(['is_relative_to', 'relative_to', 'commonpath']);
const NORMALISING = /realpath|abspath|normpath|resolve/;
const CONFINING_NAME = /(inside|within|contain|confine|sandbox|jail)/i;
const CHECKING_NAME = /(safe|secure|allowed|permitted|assert|ensure|guard|verify|validat|check)/i;
const PATH_WORD = /(path|dir|file|root|folder|location|resolve)/i;

export const pythonRule: PythonRule = {
  meta: rule.meta,
  check(ctx) {
    for (const h of ctx.handlers) {
      if (h.params.length === 0) continue;
      checkHandler(ctx, h);
    }
  },
};

function checkHandler(ctx: PyContext, h: PyHandler): void {
  const body = h.fn.childForFieldName('body');
  if (!body) return;
  // Low-level `call_tool(name, arguments)`: the arguments dict is input; so is every parameter of a decorated tool.
  const tainted = new Set(h.params);
  // The handler's own calls and assignments (not those of functions nested in it), from the index.
  const { calls, assignments } = ctx.scopeContents(h.fn);
  let confined = false;
  const normalises = calls.some(c => NORMALISING.test(ctx.callee(c)?.dotted ?? ''));
  for (const c of calls) {
    const name = (ctx.callee(c)?.dotted ?? '').split('.').pop() ?? '';
    if (CONFINING_METHODS.has(name) || (name === 'startswith' && normalises)) confined = true;
    if (CONFINING_NAME.test(name) || (CHECKING_NAME.test(name) && PATH_WORD.test(name))) confined = true;
  }
  if (confined) return;
  // Taint flows through assignments, in order, twice (loops may assign before use); a second pass only when the
  // first tainted a name (otherwise it would find what the first found).
  for (let pass = 0; pass < 2; pass++) {
    const before = tainted.size;
    for (const a of assignments) {
      const left = a.childForFieldName('left');
      if (left?.type !== 'identifier' || tainted.has(left.text)) continue;
      const right = a.childForFieldName('right');
      if (right && carriesInput(ctx, right, tainted)) tainted.add(left.text);
    }
    if (tainted.size === before) break;
  }
  for (const c of calls) {
    const sinkArg = sinkArgument(ctx, c);
    if (!sinkArg || !carriesInput(ctx, sinkArg, tainted)) continue;
    ctx.report({
      node: c,
      message: `A path built from the arguments of MCP handler \`${h.name}\` reaches the file system without a containment check: \`../\` (or an absolute path) walks out of the directory this server means to expose. Resolve it (\`os.path.realpath\` / \`Path.resolve()\`) and check that it stays under the root (\`is_relative_to(root)\`) before using it.`,
    });
  }
}

/** The path argument of a file-system call, if `call` is one. */
function sinkArgument(ctx: PyContext, call: Node): Node | undefined {
  const args = ctx.argsOf(call);
  if (ctx.isBuiltinCall(call, 'open')) return args?.positional[0] ?? args?.keywords.get('file');
  const c = ctx.callee(call);
  if (c?.imported && PATH_SINKS.has(c.fqn)) return args?.positional[0] ?? args?.keywords.get('path');
  const fn = call.childForFieldName('function');
  if (fn?.type === 'attribute' && PATH_METHODS.has(fn.childForFieldName('attribute')?.text ?? '')) {
    const receiver = unparen(fn.childForFieldName('object'));
    if (receiver && isPathExpression(ctx, receiver)) return receiver;
  }
  return undefined;
}

/** `Path(...)`, `Path(root) / name`, `anyio.Path(...)`. */
function isPathExpression(ctx: PyContext, node: Node): boolean {
  const n = unparen(node);
  if (!n) return false;
  if (n.type === 'call') {
    const c = ctx.callee(n);
    return !!c?.imported && PATH_CLASSES.has(c.fqn);
  }
  if (n.type === 'binary_operator' && n.child(1)?.type === '/') return isPathExpression(ctx, n.childForFieldName('left')!);
  return false;
}

/** True when an expression carries a tainted name, not through a sanitiser. */
function carriesInput(ctx: PyContext, expr: Node, tainted: Set<string>): boolean {
  // Only a tainted name written in the expression can carry input: no walk when none is (most expressions).
  if (!mentionsAny(expr.text, tainted)) return false;
  let found = false;
  descendants(expr, n => {
    if (found) return false;
    if (n.type === 'call') {
      const c = ctx.callee(n);
      if (c && SANITIZERS.has(c.imported ? c.fqn : c.dotted)) return false;
      const method = c?.dotted.split('.').pop() ?? '';
      if (CONFINING_NAME.test(method) || (CHECKING_NAME.test(method) && PATH_WORD.test(method))) return false;
    }
    if (n.type === 'attribute') {
      // `args.path` is input when `args` is; `obj.attr` is looked at through its object only.
      const obj = n.childForFieldName('object');
      if (obj?.type === 'identifier' && tainted.has(obj.text)) found = true;
      return false;
    }
    if (n.type === 'keyword_argument') {
      const v = n.childForFieldName('value');
      if (v && carriesInput(ctx, v, tainted)) found = true;
      return false;
    }
    if (n.type === 'identifier' && tainted.has(n.text)) found = true;
    return true;
  });
  return found;
}

function mentionsAny(text: string, names: ReadonlySet<string>): boolean {
  for (const name of names) if (text.includes(name)) return true;
  return false;
}
