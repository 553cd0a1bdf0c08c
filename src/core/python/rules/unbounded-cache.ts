// Python: caches without a bound. `functools.lru_cache(maxsize=None)` and `functools.cache` keep every result for
// the life of the process; so does a module-level dict, set or list that handlers add to and nothing removes from.
import type { Node } from 'web-tree-sitter';
import type { TextEdit } from '../../types';
import { rule } from '../../rules/unbounded-cache';
import { type PyContext, unparen } from '../context';
import { insertImport, replaceNode } from '../edits';
import type { PythonRule } from './index';

/** The persona's cache bound: TTLCache(maxsize=1000, ttl=300). */
export const CACHE_MAX_ENTRIES = 1000;

const LRU = new Set(['functools.lru_cache']);
const CACHE = new Set(['functools.cache']);
const CONTAINER_CALLS = new Set(['dict', 'set', 'list', 'collections.defaultdict', 'collections.OrderedDict', 'collections.Counter', 'collections.deque']);
const GROW = new Set(['setdefault', 'update', 'add', 'append', 'extend', 'insert', 'appendleft', 'extendleft', '__setitem__']);
const EVICT = new Set(['pop', 'popitem', 'clear', 'remove', 'discard', 'popleft', '__delitem__']);
const CACHE_NAME = /cache|memo/i;

export const pythonRule: PythonRule = {
  meta: rule.meta,
  check(ctx) {
    checkDecorators(ctx);
    checkModuleContainers(ctx);
  },
};

function checkDecorators(ctx: PyContext): void {
  for (const dd of ctx.nodesOfType('decorated_definition')) {
    for (const dec of dd.namedChildren) {
      if (dec?.type !== 'decorator') continue;
      const expr = unparen(dec.namedChildren.find(c => c?.type !== 'comment'));
      if (!expr) continue;
      if (expr.type === 'call' && ctx.isCallTo(expr, LRU)) {
        const args = ctx.argsOf(expr);
        if (!args) continue;
        const maxsize = args.keywords.get('maxsize') ?? args.positional[0];
        if (!maxsize || unparen(maxsize)?.type !== 'none') continue;
        ctx.report({
          node: dec,
          message: `\`lru_cache(maxsize=None)\` never evicts: every distinct argument adds an entry for the life of the process, and memory grows until the server dies. Bound it (\`maxsize=${CACHE_MAX_ENTRIES}\`).`,
          fixes: [{ title: `Bound the cache to ${CACHE_MAX_ENTRIES} entries`, edits: [replaceNode(maxsize, String(CACHE_MAX_ENTRIES))] }],
        });
      } else if ((expr.type === 'identifier' || expr.type === 'attribute') && isQualified(ctx, expr, CACHE)) {
        const edits = lruCacheEdits(ctx, expr);
        ctx.report({
          node: dec,
          message: `\`functools.cache\` never evicts: every distinct argument adds an entry for the life of the process, and memory grows until the server dies. Use \`functools.lru_cache(maxsize=${CACHE_MAX_ENTRIES})\`.`,
          fixes: edits ? [{ title: `Use lru_cache(maxsize=${CACHE_MAX_ENTRIES})`, edits }] : [],
        });
      } else if (expr.type === 'call' && isQualified(ctx, expr.childForFieldName('function'), CACHE)) {
        // `@cache()` is a TypeError at import; nothing to report.
      }
    }
  }
}

function isQualified(ctx: PyContext, node: Node | null | undefined, names: ReadonlySet<string>): boolean {
  const q = ctx.qualify(node);
  return !!q && q.imported && names.has(q.fqn);
}

/** `@cache` -> `@lru_cache(maxsize=1000)` with the name from the file's functools import. */
function lruCacheEdits(ctx: PyContext, expr: Node): TextEdit[] | undefined {
  if (expr.type === 'attribute') {
    const obj = expr.childForFieldName('object');
    return obj ? [replaceNode(expr, `${obj.text}.lru_cache(maxsize=${CACHE_MAX_ENTRIES})`)] : undefined;
  }
  for (const [local, b] of ctx.imports) {
    if (b.module === 'functools' && b.name === 'lru_cache') return [replaceNode(expr, `${local}(maxsize=${CACHE_MAX_ENTRIES})`)];
  }
  for (const [local, b] of ctx.imports) {
    if (b.module === 'functools' && b.name === '*') return [replaceNode(expr, `${local}.lru_cache(maxsize=${CACHE_MAX_ENTRIES})`)];
  }
  if (ctx.isRebound('lru_cache')) return undefined;
  return [replaceNode(expr, `lru_cache(maxsize=${CACHE_MAX_ENTRIES})`), insertImport(ctx, 'from functools import lru_cache')];
}

interface Container {
  name: string;
  assignment: Node;
}

/** Module-level `NAME = {}` / `dict()` / `set()` / `[]` / `defaultdict(...)`, with or without an annotation. */
function moduleContainers(ctx: PyContext): Container[] {
  const out: Container[] = [];
  for (const a of ctx.nodesOfType('assignment')) {
    if (a.parent?.type !== 'expression_statement' || a.parent.parent?.type !== 'module') continue;
    const left = a.childForFieldName('left');
    const right = unparen(a.childForFieldName('right'));
    if (left?.type !== 'identifier' || !right) continue;
    const empty =
      (right.type === 'dictionary' || right.type === 'set' || right.type === 'list') && right.namedChildCount === 0
        ? true
        : right.type === 'call' && isContainerCall(ctx, right);
    if (empty) out.push({ name: left.text, assignment: a });
  }
  return out;
}

function isContainerCall(ctx: PyContext, call: Node): boolean {
  const c = ctx.callee(call);
  if (!c) return false;
  if (!c.imported && ['dict', 'set', 'list'].includes(c.fqn) && !ctx.isRebound(c.fqn)) return (ctx.argsOf(call)?.positional.length ?? 1) === 0;
  if (!c.imported || !CONTAINER_CALLS.has(c.fqn)) return false;
  // A deque with maxlen is bounded.
  if (c.fqn === 'collections.deque') return !ctx.argsOf(call)?.keywords.has('maxlen') && (ctx.argsOf(call)?.positional.length ?? 0) < 2;
  return true;
}

function checkModuleContainers(ctx: PyContext): void {
  const containers = moduleContainers(ctx);
  if (containers.length === 0) return;
  const byName = new Map(containers.map(c => [c.name, c]));
  const growth = new Map<string, Node[]>();
  const evicted = new Set<string>();
  const note = (name: string, kind: 'grow' | 'evict', at: Node): void => {
    if (!byName.has(name)) return;
    const fn = ctx.enclosingFunction(at);
    if (fn && ctx.localNames(fn).has(name)) return;
    if (kind === 'evict') evicted.add(name);
    else {
      let list = growth.get(name);
      if (!list) growth.set(name, (list = []));
      list.push(at);
    }
  };
  // NAME[key] = value, NAME[key] += value
  for (const type of ['assignment', 'augmented_assignment']) {
    for (const a of ctx.nodesOfType(type)) {
      const left = a.childForFieldName('left');
      if (left?.type === 'subscript') {
        const target = left.childForFieldName('value');
        if (target?.type === 'identifier' && byName.has(target.text) && ctx.enclosingFunction(a)) note(target.text, 'grow', a);
      } else if (left?.type === 'identifier' && byName.has(left.text) && a !== byName.get(left.text)!.assignment && ctx.enclosingFunction(a)) {
        // Rebinding it inside a function (`global CACHE; CACHE = {}`) resets it.
        evicted.add(left.text);
      }
    }
  }
  // NAME.setdefault(...), NAME.add(...), NAME.pop(...), NAME.clear()
  for (const call of ctx.calls) {
    // `NAME.method(...)`: a callee whose dotted name (which every rule reads) has one dot.
    const dotted = ctx.callee(call)?.dotted;
    const dot = dotted?.indexOf('.') ?? -1;
    if (dotted === undefined || dot === -1 || dotted.includes('.', dot + 1)) continue;
    const obj = dotted.slice(0, dot);
    const method = dotted.slice(dot + 1);
    if (!byName.has(obj)) continue;
    if (EVICT.has(method)) note(obj, 'evict', call);
    else if (GROW.has(method) && ctx.enclosingFunction(call)) note(obj, 'grow', call);
  }
  for (const d of ctx.nodesOfType('delete_statement')) {
    for (const t of d.namedChildren) {
      const target = t?.type === 'subscript' ? t.childForFieldName('value') : t;
      if (target?.type === 'identifier') note(target.text, 'evict', d);
    }
  }
  for (const [name, sites] of growth) {
    if (evicted.has(name)) continue;
    // Grown while serving requests (in a handler), or grown anywhere at run time when its name says it is a cache.
    const inHandler = sites.some(s => ctx.handlerOf(s));
    if (!inHandler && !(CACHE_NAME.test(name) && ctx.handlers.length > 0)) continue;
    const c = byName.get(name)!;
    const where = inHandler ? `MCP handler \`${ctx.handlerOf(sites.find(s => ctx.handlerOf(s))!)!.name}\`` : 'code that runs per request';
    ctx.report({
      node: c.assignment,
      message: `\`${name}\` lives as long as the process, gains entries in ${where} and never loses one: memory grows until the server dies. Bound it (e.g. \`cachetools.TTLCache(maxsize=${CACHE_MAX_ENTRIES}, ttl=300)\`) or remove entries when they are done.`,
    });
  }
}
