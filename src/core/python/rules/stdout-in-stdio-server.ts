// Python: a stdio MCP server (`mcp.run()`, `mcp.run(transport="stdio")`, `stdio_server()`) speaks JSON-RPC on
// stdout; `print(...)`, `sys.stdout.write(...)` and friends corrupt that stream.
import type { Node } from 'web-tree-sitter';
import type { Fix, TextEdit } from '../../types';
import { rule } from '../../rules/stdout-in-stdio-server';
import type { PyContext } from '../context';
import { addKeywordArgument, moduleMember, replaceNode } from '../edits';
import type { PythonRule } from './index';

const STDOUT_WRITERS = new Set(['write', 'writelines']);

export const pythonRule: PythonRule = {
  meta: rule.meta,
  check(ctx) {
    if (!ctx.project.servesStdio) return;
    for (const call of ctx.calls) {
      if (ctx.isBuiltinCall(call, 'print')) checkPrint(ctx, call);
      else checkStreamWrite(ctx, call);
    }
  },
};

const MESSAGE =
  'This program serves MCP over stdio, where stdout carries the JSON-RPC stream: this output corrupts it and the client drops the message or the connection. Write to stderr instead (`file=sys.stderr`, or `logging`, which logs to stderr).';

function checkPrint(ctx: PyContext, call: Node): void {
  const args = ctx.argsOf(call);
  if (!args) return;
  const file = args.keywords.get('file');
  if (file) {
    if (!isStdout(ctx, file)) return;
    const stderr = moduleMember(ctx, 'sys', 'stderr');
    ctx.report({ node: call, message: MESSAGE, fixes: [{ title: 'Print to sys.stderr', edits: [replaceNode(file, stderr.expr), ...stderr.edits] }] });
    return;
  }
  // `print(*a, **kw)`: kw may hold `file`, and adding one would then fail at run time.
  if (args.hasDictSplat) return;
  const stderr = moduleMember(ctx, 'sys', 'stderr');
  const add = addKeywordArgument(ctx, call, `file=${stderr.expr}`);
  const fixes: Fix[] = add ? [{ title: 'Print to sys.stderr', edits: [add, ...stderr.edits] }] : [];
  ctx.report({ node: call, message: MESSAGE, fixes });
}

/** `sys.stdout.write(...)`, `sys.stdout.writelines(...)`, `sys.stdout.buffer.write(...)`, `pprint.pprint(x)`. */
function checkStreamWrite(ctx: PyContext, call: Node): void {
  const method = ctx.methodCall(call)?.method;
  const c = ctx.callee(call);
  const isPprint = !!c?.imported && (c.fqn === 'pprint.pprint' || c.fqn === 'pprint.pp');
  if (!isPprint && !(method && STDOUT_WRITERS.has(method))) return;
  const fn = call.childForFieldName('function');
  const receiver = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  if (method && STDOUT_WRITERS.has(method) && receiver) {
    let stream: Node | null = receiver;
    if (stream.type === 'attribute' && stream.childForFieldName('attribute')?.text === 'buffer') stream = stream.childForFieldName('object');
    if (!stream || !isStdout(ctx, stream)) return;
    const stderr = moduleMember(ctx, 'sys', 'stderr');
    const edits: TextEdit[] = [replaceNode(stream, stderr.expr), ...stderr.edits];
    ctx.report({ node: call, message: MESSAGE, fixes: [{ title: 'Write to sys.stderr', edits }] });
    return;
  }
  if (isPprint) {
    const args = ctx.argsOf(call);
    if (!args || args.hasDictSplat || args.positional.length > 1) return;
    const stream = args.keywords.get('stream');
    if (stream && !isStdout(ctx, stream)) return;
    const stderr = moduleMember(ctx, 'sys', 'stderr');
    const edit = stream ? replaceNode(stream, stderr.expr) : addKeywordArgument(ctx, call, `stream=${stderr.expr}`);
    ctx.report({ node: call, message: MESSAGE, fixes: edit ? [{ title: 'Print to sys.stderr', edits: [edit, ...stderr.edits] }] : [] });
  }
}

/** `sys.stdout`, `sys.__stdout__`, or `stdout` imported from sys. */
function isStdout(ctx: PyContext, node: Node): boolean {
  const q = ctx.qualify(node);
  return !!q && q.imported && (q.fqn === 'sys.stdout' || q.fqn === 'sys.__stdout__');
}
