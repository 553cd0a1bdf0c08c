// Python: database clients whose defaults let an operation wait for ever: asyncpg without `command_timeout`,
// psycopg / psycopg2 without `connect_timeout` (libpq waits for ever to connect), redis-py without
// `socket_timeout`, a SQLAlchemy PostgreSQL engine without a connect timeout, `pool_timeout=None`.
import type { Node } from 'web-tree-sitter';
import type { Fix, TextEdit } from '../../types';
import { rule } from '../../rules/db-client-without-timeout';
import { type PyContext, stringValue, unparen } from '../context';
import { addKeywordArgument } from '../edits';
import type { PythonRule } from './index';

/** The persona's transaction ceiling, in seconds. */
export const STATEMENT_TIMEOUT_S = 30;
/** Connecting either works in milliseconds or not at all; failing after 5 s leaves the 30 s budget for the call. */
export const CONNECT_TIMEOUT_S = 5;

const ASYNCPG = new Set(['asyncpg.connect', 'asyncpg.create_pool', 'asyncpg.pool.create_pool', 'asyncpg.connection.connect']);
const PSYCOPG = new Set(['psycopg2.connect', 'psycopg.connect', 'psycopg.Connection.connect', 'psycopg.AsyncConnection.connect']);
const REDIS = new Set(['redis.Redis', 'redis.StrictRedis', 'redis.asyncio.Redis', 'redis.asyncio.StrictRedis', 'redis.client.Redis']);
const REDIS_FROM_URL = new Set(['redis.from_url', 'redis.Redis.from_url', 'redis.asyncio.from_url', 'redis.asyncio.Redis.from_url']);
const SQLALCHEMY = new Set(['sqlalchemy.create_engine', 'sqlalchemy.ext.asyncio.create_async_engine']);
const KNOWN = new Set([...ASYNCPG, ...PSYCOPG, ...REDIS, ...REDIS_FROM_URL, ...SQLALCHEMY]);

export const pythonRule: PythonRule = {
  meta: rule.meta,
  check(ctx) {
    for (const call of ctx.calls) {
      const c = ctx.callee(call);
      if (!c?.imported || !KNOWN.has(c.fqn)) continue;
      const args = ctx.argsOf(call);
      if (!args || args.hasDictSplat) continue;
      const kw = args.keywords;
      if (ASYNCPG.has(c.fqn)) {
        if (present(kw.get('command_timeout'))) continue;
        const dsn = stringValue(args.positional[0] ?? kw.get('dsn'));
        if (dsn !== undefined && /[?&]command_timeout=/.test(dsn)) continue;
        report(ctx, call, kw.get('command_timeout'), `command_timeout=${STATEMENT_TIMEOUT_S}`,
          `\`${c.dotted}\` has no \`command_timeout\`: a slow query or a stalled connection holds the tool call and its connection for ever. Set \`command_timeout=${STATEMENT_TIMEOUT_S}\` (30 s at most for a statement or transaction).`);
      } else if (PSYCOPG.has(c.fqn)) {
        if (present(kw.get('connect_timeout'))) continue;
        const dsn = stringValue(args.positional[0] ?? kw.get('dsn') ?? kw.get('conninfo'));
        if (dsn !== undefined && /connect_timeout=/.test(dsn)) continue;
        report(ctx, call, kw.get('connect_timeout'), `connect_timeout=${CONNECT_TIMEOUT_S}`,
          `\`${c.dotted}\` has no \`connect_timeout\`: libpq waits for ever for a database that does not answer, holding the tool call. Pass \`connect_timeout=${CONNECT_TIMEOUT_S}\`, and bound statements with \`options="-c statement_timeout=${STATEMENT_TIMEOUT_S * 1000}"\`.`);
      } else if (REDIS.has(c.fqn) || REDIS_FROM_URL.has(c.fqn)) {
        if (present(kw.get('socket_timeout'))) continue;
        const url = REDIS_FROM_URL.has(c.fqn) ? stringValue(args.positional[0] ?? kw.get('url')) : undefined;
        if (url !== undefined && /socket_timeout=/.test(url)) continue;
        if (REDIS_FROM_URL.has(c.fqn) && url === undefined && args.positional.length === 0 && !kw.has('url')) continue;
        report(ctx, call, kw.get('socket_timeout'), `socket_timeout=${STATEMENT_TIMEOUT_S}`,
          `This Redis client has no \`socket_timeout\`: a Redis that stops answering holds every command, and the tool call, for ever. Pass \`socket_timeout=${STATEMENT_TIMEOUT_S}\`.`);
      } else if (SQLALCHEMY.has(c.fqn)) {
        const poolTimeout = kw.get('pool_timeout');
        if (poolTimeout && isNone(poolTimeout)) {
          ctx.report({
            node: call,
            message: '`pool_timeout=None` lets a request wait for ever for a free connection when the pool is exhausted. Keep the 30 s default (or less).',
            fixes: [{ title: `Wait at most ${STATEMENT_TIMEOUT_S} s for a connection`, edits: [{ start: poolTimeout.startIndex, end: poolTimeout.endIndex, newText: String(STATEMENT_TIMEOUT_S) }] }],
          });
          continue;
        }
        const url = stringValue(args.positional[0] ?? kw.get('url'));
        // libpq-based dialects only: asyncpg and pg8000 have their own connect timeouts.
        if (url === undefined || !/^postgres(ql)?(\+(psycopg2?|psycopg2cffi))?:\/\//.test(url) || /connect_timeout=/.test(url) || kw.has('connect_args')) continue;
        const edit = addKeywordArgument(ctx, call, `connect_args={"connect_timeout": ${CONNECT_TIMEOUT_S}}`);
        ctx.report({
          node: call,
          message: `This PostgreSQL engine connects through libpq with no \`connect_timeout\`: a database that does not answer holds the tool call for ever. Pass \`connect_args={"connect_timeout": ${CONNECT_TIMEOUT_S}}\`.`,
          fixes: edit ? [{ title: `Add a ${CONNECT_TIMEOUT_S} s connect timeout`, edits: [edit] }] : [],
        });
      }
    }
  },
};

/** A keyword given a real value (not None). */
function present(node: Node | undefined): boolean {
  return !!node && !isNone(node);
}

function isNone(node: Node): boolean {
  return unparen(node)?.type === 'none';
}

function report(ctx: PyContext, call: Node, noneValue: Node | undefined, keyword: string, message: string): void {
  const [name, value] = keyword.split('=');
  let edit: TextEdit | undefined;
  if (noneValue) edit = { start: noneValue.startIndex, end: noneValue.endIndex, newText: value };
  else edit = addKeywordArgument(ctx, call, keyword);
  const fixes: Fix[] = edit ? [{ title: `Set ${name} to ${value} s`, edits: [edit] }] : [];
  ctx.report({ node: call, message, fixes });
}
