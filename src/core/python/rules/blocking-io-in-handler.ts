// Python: blocking calls inside `async def` MCP handlers. The event loop runs every request of the server: while
// `time.sleep`, a `requests` call, a subprocess or file I/O blocks it, every other request waits.
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../types';
import { rule } from '../../rules/blocking-io-in-handler';
import type { Callee, PyContext, PyHandler } from '../context';
import { ensureModuleImport, replaceNode } from '../edits';
import type { PythonRule } from './index';

const REQUESTS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'].map(m => `requests.${m}`));
const SUBPROCESS = new Set(['run', 'call', 'check_call', 'check_output', 'getoutput', 'getstatusoutput'].map(m => `subprocess.${m}`));
const OS_SHELL = new Set(['os.system', 'os.popen']);
const URLOPEN = new Set(['urllib.request.urlopen']);

type Kind = 'sleep' | 'http' | 'process' | 'file';

export const pythonRule: PythonRule = {
  meta: rule.meta,
  check(ctx) {
    if (!ctx.handlers.some(h => h.isAsync)) return;
    for (const call of ctx.calls) {
      const c = ctx.callee(call);
      if (!c) continue;
      const kind = kindOf(ctx, call, c);
      if (!kind) continue;
      const handler = ctx.handlerOf(call);
      if (!handler?.isAsync) continue;
      ctx.report({ node: call, message: messageFor(kind, c, handler), fixes: fixesFor(ctx, call, kind) });
    }
  },
};

function kindOf(ctx: PyContext, call: Node, c: Callee): Kind | undefined {
  if (c.imported) {
    if (c.fqn === 'time.sleep') return 'sleep';
    if (REQUESTS.has(c.fqn) || URLOPEN.has(c.fqn)) return 'http';
    if (SUBPROCESS.has(c.fqn) || OS_SHELL.has(c.fqn)) return 'process';
  }
  if (ctx.isBuiltinCall(call, 'open')) return 'file';
  return undefined;
}

function messageFor(kind: Kind, c: Callee, h: PyHandler): string {
  const where = `async MCP handler \`${h.name}\``;
  switch (kind) {
    case 'sleep':
      return `\`${c.dotted}\` in the ${where} blocks the event loop: every other request to this server waits while it sleeps. Use \`await asyncio.sleep(...)\`.`;
    case 'http':
      return `\`${c.dotted}\` is a blocking HTTP call in the ${where}: every other request to this server waits until it returns. Use an async client (\`httpx.AsyncClient\`, \`aiohttp\`) or \`await asyncio.to_thread(...)\`.`;
    case 'process':
      return `\`${c.dotted}\` blocks the ${where} until the process ends: every other request to this server waits. Use \`asyncio.create_subprocess_exec\` or \`await asyncio.to_thread(...)\`.`;
    default:
      return `\`open()\` does blocking file I/O in the ${where}: every other request to this server waits on the disk. Use \`anyio.Path\` / \`aiofiles\`, or read in \`await asyncio.to_thread(...)\`.`;
  }
}

/** Only where the call stands as its own statement, an assignment's value or a return value: there `await` reads right. */
function fixesFor(ctx: PyContext, call: Node, kind: Kind): Fix[] {
  if (kind === 'file') return [];
  const p = call.parent;
  const simple = p?.type === 'expression_statement' || p?.type === 'return_statement' || (p?.type === 'assignment' && p.childForFieldName('right')?.id === call.id);
  if (!simple || call.parent?.type === 'await') return [];
  const fn = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  if (!fn || !args || args.type !== 'argument_list') return [];
  const asyncio = ensureModuleImport(ctx, 'asyncio');
  if (kind === 'sleep') {
    return [{ title: 'Use await asyncio.sleep(...)', edits: [replaceNode(call, `await ${asyncio.local}.sleep${args.text}`), ...asyncio.edits] }];
  }
  const inner = args.text.slice(1, -1).trim();
  const newText = `await ${asyncio.local}.to_thread(${fn.text}${inner ? `, ${inner}` : ''})`;
  return [{ title: 'Run it in a worker thread (asyncio.to_thread)', edits: [replaceNode(call, newText), ...asyncio.edits] }];
}
