// Python: retry loops that go round again at once or after a constant sleep, and tenacity `@retry` without a
// `wait=`: every failing caller retries in lock-step against a dependency that is already struggling.
import type { Node } from 'web-tree-sitter';
import type { Fix, TextEdit } from '../../types';
import { rule } from '../../rules/retry-without-backoff';
import { type PyContext, descendants, unparen } from '../context';
import { addKeywordArgument, ensureModuleImport, moduleMember } from '../edits';
import type { PythonRule } from './index';

export const BACKOFF_CAP_S = 30; // the persona's 30 s circuit-breaker open time bounds the longest wait

const RETRY_NAME = /attempt|retr(y|ies)|tries|trycount/i;
const SLEEPS = new Set(['time.sleep', 'asyncio.sleep', 'anyio.sleep', 'trio.sleep']);
const BACKOFF_WORD = /backoff|jitter|random|uniform|\*\*|pow|exp/i;
const TENACITY_RETRY = new Set(['tenacity.retry', 'tenacity.Retrying', 'tenacity.AsyncRetrying']);

export const pythonRule: PythonRule = {
  meta: rule.meta,
  check(ctx) {
    for (const loop of [...ctx.nodesOfType('for_statement'), ...ctx.nodesOfType('while_statement')]) checkLoop(ctx, loop);
    checkTenacity(ctx);
  },
};

/** The attempt counter of a retry loop: `for attempt in range(n)`, `while retries < n`, `while True` with `attempt += 1`. */
function counterOf(ctx: PyContext, loop: Node): string | undefined {
  if (loop.type === 'for_statement') {
    const left = loop.childForFieldName('left');
    const right = unparen(loop.childForFieldName('right'));
    if (left?.type === 'identifier' && RETRY_NAME.test(left.text) && right?.type === 'call' && ctx.callee(right)?.fqn === 'range') return left.text;
    return undefined;
  }
  const cond = loop.childForFieldName('condition');
  let found: string | undefined;
  if (cond) descendants(cond, n => {
    if (!found && n.type === 'identifier' && RETRY_NAME.test(n.text)) found = n.text;
  });
  if (found) return found;
  // while True: ... attempt += 1
  const body = loop.childForFieldName('body');
  if (body && unparen(cond)?.type === 'true') {
    descendants(body, n => {
      if (n.type === 'function_definition' || n.type === 'lambda') return false;
      if (!found && n.type === 'augmented_assignment') {
        const left = n.childForFieldName('left');
        if (left?.type === 'identifier' && RETRY_NAME.test(left.text)) found = left.text;
      }
    });
  }
  return found;
}

function checkLoop(ctx: PyContext, loop: Node): void {
  const counter = counterOf(ctx, loop);
  if (!counter) return;
  const body = loop.childForFieldName('body');
  if (!body) return;
  // A retry loop catches a failure and goes round again.
  let catches = false;
  const sleeps: Node[] = [];
  descendants(body, n => {
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type === 'except_clause') catches = true;
    if (n.type === 'call') {
      const c = ctx.callee(n);
      if (c && ((c.imported && SLEEPS.has(c.fqn)) || /sleep|wait|delay/i.test(c.dotted.split('.').pop() ?? ''))) sleeps.push(n);
    }
  });
  if (!catches) return;
  if (sleeps.some(s => BACKOFF_WORD.test(s.childForFieldName('arguments')?.text ?? '') || /backoff|jitter/i.test(ctx.callee(s)?.dotted ?? ''))) return;
  const head = loop.type === 'for_statement' ? `for ${counter} in ...` : `while ...${counter}...`;
  const sleep = sleeps[0];
  if (!sleep) {
    ctx.report({
      start: loop.startIndex,
      end: loop.childForFieldName('body')?.startIndex ?? loop.endIndex,
      message: `This retry loop (\`${head}\`) goes round again at once after a failure: every failing caller hammers a dependency that is already down. Wait \`min(${BACKOFF_CAP_S}, base * 2 ** ${counter}) * random.random()\` seconds between attempts.`,
    });
    return;
  }
  const args = ctx.argsOf(sleep);
  const delay = args?.positional[0];
  // A delay that grows with the counter (`2 * attempt`) is linear, still lock-step; a constant one the same.
  const fix = delay && !args.hasListSplat ? backoffFix(ctx, delay, counter, loop) : undefined;
  ctx.report({
    node: sleep,
    message: `This retry waits \`${delay?.text ?? 'a fixed time'}\` between attempts, without exponential backoff and jitter: every failing caller retries in lock-step against a dependency that is already struggling. Wait \`min(${BACKOFF_CAP_S}, base * 2 ** ${counter}) * random.random()\`.`,
    fixes: fix ? [fix] : [],
  });
}

/** Replaces a constant delay with full-jitter exponential backoff capped at 30 s, for a numeric counter. */
function backoffFix(ctx: PyContext, delay: Node, counter: string, loop: Node): Fix | undefined {
  const d = unparen(delay);
  if (!d || (d.type !== 'integer' && d.type !== 'float' && d.type !== 'identifier')) return undefined;
  if (d.type === 'identifier' && d.text === counter) return undefined;
  // The counter must be a number: `range(...)` in a for loop, or compared / incremented in a while loop.
  if (loop.type !== 'for_statement' && !/[<>]=?|\+=/.test(loop.text)) return undefined;
  const random = ensureModuleImport(ctx, 'random');
  const edits: TextEdit[] = [{ start: delay.startIndex, end: delay.endIndex, newText: `min(${BACKOFF_CAP_S}, ${d.text} * 2 ** ${counter}) * ${random.local}.random()` }, ...random.edits];
  return { title: 'Back off exponentially with full jitter (capped at 30 s)', edits };
}

/** tenacity's `@retry(...)` / `Retrying(...)` without `wait=`: it retries at once. */
function checkTenacity(ctx: PyContext): void {
  for (const call of ctx.calls) {
    if (!ctx.isCallTo(call, TENACITY_RETRY)) continue;
    const args = ctx.argsOf(call);
    if (!args || args.hasDictSplat || args.keywords.has('wait') || args.positional.length > 0) continue;
    const wait = moduleMember(ctx, 'tenacity', 'wait_random_exponential');
    const edit = addKeywordArgument(ctx, call, `wait=${wait.expr}(multiplier=1, max=${BACKOFF_CAP_S})`);
    ctx.report({
      node: call,
      message: `tenacity retries at once when no \`wait=\` is given: every failing caller retries in lock-step against a dependency that is already struggling. Add \`wait=wait_random_exponential(multiplier=1, max=${BACKOFF_CAP_S})\`.`,
      fixes: edit ? [{ title: 'Wait with exponential backoff and jitter', edits: [edit, ...wait.edits] }] : [],
    });
  }
  // Bare `@retry`: retries for ever, at once.
  for (const dec of ctx.nodesOfType('decorated_definition').flatMap(d => d.namedChildren.filter((c): c is Node => c?.type === 'decorator'))) {
    const expr = unparen(dec.namedChildren[0]);
    if (!expr || expr.type === 'call') continue;
    const q = ctx.qualify(expr);
    if (!q?.imported || q.fqn !== 'tenacity.retry') continue;
    const wait = moduleMember(ctx, 'tenacity', 'wait_random_exponential');
    const stop = moduleMember(ctx, 'tenacity', 'stop_after_attempt');
    ctx.report({
      node: dec,
      message: `A bare \`@retry\` retries for ever and at once: every failing caller hammers a dependency that is already down. Bound it and back off: \`@retry(wait=wait_random_exponential(multiplier=1, max=${BACKOFF_CAP_S}), stop=stop_after_attempt(5))\`.`,
      fixes: [
        {
          title: 'Back off exponentially with jitter and stop after 5 attempts',
          edits: [{ start: expr.endIndex, end: expr.endIndex, newText: `(wait=${wait.expr}(multiplier=1, max=${BACKOFF_CAP_S}), stop=${stop.expr}(5))` }, ...mergeImports(wait.edits, stop.edits)],
        },
      ],
    });
  }
}

/** Two insertions of `import tenacity` at the same place become one. */
function mergeImports(a: TextEdit[], b: TextEdit[]): TextEdit[] {
  const out = [...a];
  for (const e of b) if (!out.some(x => x.start === e.start && x.newText === e.newText)) out.push(e);
  return out;
}
