// Database clients whose defaults let an operation wait for ever: pg (no connect or pool-checkout timeout, no
// statement timeout), MongoDB (no socket timeout), ioredis (no command timeout), and any client where a timeout
// is explicitly set to 0 (mysql2, node-redis, MongoDB, pg).
import type * as ts from 'typescript';
import type { Fix, Rule, TextEdit } from '../types';
import type { RuleContext } from '../rule-context';
import { addObjectProperties, insertArgument, replaceNode } from '../fix-helpers';
import { findProperty, formatMs, hasSpread, importsAny, isFalseLiteral, isZeroLiteral, localInitializer, propertyValue, resolveObjectLiteral, stringLiteralText, unwrap } from '../syntax-helpers';

/** The persona's transaction ceiling: 30 s. */
export const STATEMENT_TIMEOUT_MS = 30_000;
/** Connecting either works in milliseconds or not at all; failing after 5 s leaves the 30 s budget for the call. */
export const CONNECT_TIMEOUT_MS = 5_000;
const STATEMENT = formatMs(STATEMENT_TIMEOUT_MS);
const CONNECT = formatMs(CONNECT_TIMEOUT_MS);

const DB_MODULES = new Set(['pg', 'pg-pool', 'mongodb', 'ioredis', 'mysql2', 'mysql2/promise', 'redis', '@redis/client']);

export const rule: Rule = {
  meta: {
    id: 'db-client-without-timeout',
    code: 61004,
    defaultSeverity: 'warning',
    description: 'Database client or pool whose operations can wait for ever',
    message:
      'This database client can wait for ever: a stalled connection or a slow query holds the tool call and its connection. Set connect and statement timeouts (30 s at most for a statement or transaction).',
    playbook: 'database-integration#connection-management',
    fix: 'Adds the missing options: pg `connectionTimeoutMillis: 5_000` and `statement_timeout: 30_000`; MongoDB `socketTimeoutMS: 30_000`; ioredis `commandTimeout: 30_000`; a timeout set to 0 gets a real value.',
    languages: ['typescript', 'python'],
  },
  check(ctx) {
    if (!importsAny(ctx, DB_MODULES)) return;
    for (const ne of ctx.newExpressions) {
      const callee = ctx.resolveCallee(ne.expression);
      if (!callee || callee.module === null || callee.object) continue;
      if ((callee.module === 'pg' && (callee.name === 'Pool' || callee.name === 'Client')) || (callee.module === 'pg-pool' && callee.name === 'default')) {
        checkPg(ctx, ne, callee.module === 'pg' && callee.name === 'Client' ? 'Client' : 'Pool');
      } else if (callee.module === 'mongodb' && callee.name === 'MongoClient') {
        checkMongo(ctx, ne);
      } else if (callee.module === 'ioredis' && (callee.name === 'default' || callee.name === 'Redis')) {
        checkIoredis(ctx, ne);
      }
    }
    for (const call of ctx.callsFrom(CLIENT_FACTORY_MODULES)) {
      const callee = ctx.resolveCallee(call.expression);
      if (!callee || callee.module === null) continue;
      if (callee.module === 'mongodb' && callee.name === 'connect' && callee.object === 'MongoClient') checkMongo(ctx, call);
      else if ((callee.module === 'mysql2' || callee.module === 'mysql2/promise') && !callee.object && ['createPool', 'createConnection', 'createPoolCluster'].includes(callee.name)) checkMysql2(ctx, call);
      else if ((callee.module === 'redis' || callee.module === '@redis/client') && !callee.object && ['createClient', 'createCluster', 'createSentinel'].includes(callee.name)) checkNodeRedis(ctx, call);
    }
  },
};

/** Modules whose client factories (`MongoClient.connect`, `createPool`, `createClient`...) the rule reads. */
const CLIENT_FACTORY_MODULES = ['mongodb', 'mysql2', 'mysql2/promise', 'redis', '@redis/client'];

type Options =
  | { state: 'absent' }
  | { state: 'unknown' }
  | { state: 'url'; text?: string }
  | { state: 'literal'; obj: ts.ObjectLiteralExpression; editable: boolean };

function readOptions(ctx: RuleContext, arg: ts.Expression | undefined): Options {
  const { ts } = ctx;
  if (!arg) return { state: 'absent' };
  const resolved = resolveObjectLiteral(ctx, arg);
  if (resolved) return hasSpread(ts, resolved.obj) ? { state: 'unknown' } : { state: 'literal', obj: resolved.obj, editable: !resolved.declaration?.type };
  const text = stringLiteralText(ts, arg) ?? (ts.isIdentifier(unwrap(ts, arg)) ? stringLiteralText(ts, localInitializer(ctx, unwrap(ts, arg) as ts.Identifier)) : undefined);
  if (text !== undefined) return { state: 'url', text };
  if (looksLikeConnectionString(ctx, arg)) return { state: 'url' };
  return { state: 'unknown' };
}

/** `process.env.DATABASE_URL`, a template, a `...Url` name, or (with a checker) anything typed string. */
function looksLikeConnectionString(ctx: RuleContext, arg: ts.Expression): boolean {
  const { ts, checker } = ctx;
  const e = unwrap(ts, arg);
  const text = ctx.dottedName(ts.isBinaryExpression(e) ? e.left : e) ?? '';
  if (ts.isTemplateExpression(e) || text.startsWith('process.env.') || ts.isElementAccessExpression(e) && ctx.dottedName(e.expression) === 'process.env') return true;
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return looksLikeConnectionString(ctx, e.left);
  if (checker) {
    try {
      return (checker.getTypeAtLocation(e).flags & ts.TypeFlags.StringLike) !== 0;
    } catch {
      return false;
    }
  }
  return /(url|uri|dsn|connectionString)$/i.test(text);
}

/** Query parameters of a connection URL literal, by name; lower-cased keys when `caseInsensitive`. */
function urlParams(text: string | undefined, caseInsensitive = false): Map<string, string> {
  const out = new Map<string, string>();
  if (!text) return out;
  const q = text.indexOf('?');
  if (q < 0) return out;
  for (const pair of text.slice(q + 1).split('#')[0].split('&')) {
    const [k, v = ''] = pair.split('=');
    let key = k;
    let value = v;
    try {
      key = decodeURIComponent(k);
      value = decodeURIComponent(v);
    } catch {
      // keep the raw text
    }
    out.set(caseInsensitive ? key.toLowerCase() : key, value);
  }
  return out;
}

function positiveParam(params: Map<string, string>, name: string): boolean {
  const v = params.get(name);
  return v !== undefined && Number(v) !== 0 && v !== 'false';
}

interface PropertyState {
  /** Set to something that is not 0 or false. */
  set: boolean;
  /** Set to literal 0 or false: the assignment to give a real value. */
  off?: ts.PropertyAssignment;
}

function property(ctx: RuleContext, obj: ts.ObjectLiteralExpression, path: string): PropertyState {
  const { ts } = ctx;
  let current: ts.ObjectLiteralExpression | undefined = obj;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    if (!current) return { set: false };
    const p = findProperty(ts, current, parts[i]);
    if (!p) return { set: false };
    const v = propertyValue(ts, p);
    if (i === parts.length - 1) {
      if (v && ts.isPropertyAssignment(p) && (isZeroLiteral(ts, v) || isFalseLiteral(ts, v))) return { set: false, off: p };
      return { set: true };
    }
    if (!v) return { set: true };
    const inner = unwrap(ts, v);
    if (!ts.isObjectLiteralExpression(inner) || hasSpread(ts, inner)) return { set: true }; // cannot see inside: trust it
    current = inner;
  }
  return { set: false };
}

function fixes(title: string, edits: TextEdit[] | undefined): Fix[] {
  return edits && edits.length > 0 ? [{ title, edits }] : [];
}

// ---- pg ----

function checkPg(ctx: RuleContext, ne: ts.NewExpression, kind: 'Pool' | 'Client'): void {
  const { ts } = ctx;
  const opts = readOptions(ctx, ne.arguments?.[0]);
  if (opts.state === 'unknown') return;
  if (opts.state === 'url' && kind === 'Pool') return; // a Pool takes a config object; leave odd code alone
  let connect: PropertyState = { set: false };
  let statement: PropertyState = { set: false };
  let envConnectionString = false;
  if (opts.state === 'literal') {
    connect = property(ctx, opts.obj, 'connectionTimeoutMillis');
    const st = property(ctx, opts.obj, 'statement_timeout');
    const qt = property(ctx, opts.obj, 'query_timeout');
    const options = stringLiteralText(ts, propertyValue(ts, findProperty(ts, opts.obj, 'options')));
    const cs = propertyValue(ts, findProperty(ts, opts.obj, 'connectionString'));
    const csText = stringLiteralText(ts, cs);
    const params = urlParams(csText);
    const fromString = positiveParam(params, 'statement_timeout') || positiveParam(params, 'query_timeout') || /statement_timeout/.test(params.get('options') ?? '');
    statement = st.set || qt.set || /statement_timeout\s*=\s*[1-9]/.test(options ?? '') || fromString ? { set: true } : (st.off ? st : qt.off ? qt : { set: false });
    envConnectionString = cs !== undefined && csText === undefined;
  } else if (opts.state === 'url') {
    const params = urlParams(opts.text);
    if (opts.text === undefined) envConnectionString = true;
    statement = { set: positiveParam(params, 'statement_timeout') || positiveParam(params, 'query_timeout') || /statement_timeout/.test(params.get('options') ?? '') };
  }
  if (connect.set && statement.set) return;
  const problems: string[] = [];
  if (!connect.set) {
    problems.push(
      connect.off
        ? '`connectionTimeoutMillis: 0` means no limit: it waits for ever to connect' + (kind === 'Pool' ? ' and for a free client when the pool is busy' : '')
        : 'no `connectionTimeoutMillis` (pg waits for ever to connect' + (kind === 'Pool' ? ', and for a free client when every client is busy' : '') + ')',
    );
  }
  if (!statement.set) {
    problems.push(
      statement.off
        ? `\`${ctx.getText(statement.off.name)}\` is turned off, so a slow query holds its connection however long it runs`
        : 'no `statement_timeout`, so a slow query holds its connection (and the tool call) however long it runs' + (envConnectionString ? ' — unless your connection string sets one' : ''),
    );
  }
  const message = `This pg ${kind} has ${problems.join(', and ')}. The architect caps statements and transactions at 30 s: set \`connectionTimeoutMillis: ${CONNECT}\` and \`statement_timeout: ${STATEMENT}\`.`;
  const add: string[] = [];
  const edits: TextEdit[] = [];
  if (!connect.set) {
    if (connect.off) edits.push(replaceNode(ctx, connect.off.initializer, CONNECT));
    else add.push(`connectionTimeoutMillis: ${CONNECT}`);
  }
  if (!statement.set) {
    if (statement.off) edits.push(replaceNode(ctx, statement.off.initializer, STATEMENT));
    else add.push(`statement_timeout: ${STATEMENT}`);
  }
  let fixEdits: TextEdit[] | undefined = edits;
  if (add.length > 0) {
    if (opts.state === 'absent') fixEdits.push(insertArgument(ctx, ne, 0, `{ ${add.join(', ')} }`));
    else if (opts.state === 'literal') fixEdits = opts.editable ? [...edits, addObjectProperties(ctx, opts.obj, add)] : undefined;
    else if (opts.state === 'url' && ne.arguments) {
      const arg = ne.arguments[0];
      fixEdits.push(replaceNode(ctx, arg, `{ connectionString: ${ctx.getText(arg)}, ${add.join(', ')} }`));
    }
  }
  ctx.report({ node: ne, message, fixes: fixes('Add connect (5 s) and statement (30 s) timeouts', fixEdits) });
}

// ---- MongoDB ----

function checkMongo(ctx: RuleContext, node: ts.NewExpression | ts.CallExpression): void {
  const args = node.arguments ?? [];
  if (args.length === 0) return;
  const url = readOptions(ctx, args[0]);
  if (url.state !== 'url') return;
  const params = urlParams(url.text, true);
  const opts = readOptions(ctx, args[1]);
  if (opts.state === 'unknown' || opts.state === 'url') return;
  const title = 'Add a 30 s socket timeout';
  if (opts.state === 'literal') {
    const off = ['connectTimeoutMS', 'socketTimeoutMS'].map(n => property(ctx, opts.obj, n).off).filter((p): p is ts.PropertyAssignment => !!p);
    if (off.length > 0) {
      const name = ctx.getText(off[0].name);
      ctx.report({
        node,
        message: `\`${name}: 0\` turns the MongoDB driver's ${name === 'connectTimeoutMS' ? 'connect' : 'socket'} timeout off: an operation on a stalled connection waits for ever. Use ${name === 'connectTimeoutMS' ? CONNECT : STATEMENT} ms.`,
        fixes: fixes(title, opts.editable ? off.map(p => replaceNode(ctx, p.initializer, ctx.getText(p.name) === 'connectTimeoutMS' ? CONNECT : STATEMENT)) : undefined),
      });
      return;
    }
    if (property(ctx, opts.obj, 'socketTimeoutMS').set) return;
  }
  if (positiveParam(params, 'sockettimeoutms')) return;
  const message =
    `This MongoClient has no \`socketTimeoutMS\`: the driver's default is 0, so an operation on a stalled connection waits for ever and holds the tool call${url.text === undefined ? ' (unless your connection string sets it)' : ''}. Server selection and connecting already give up after 30 s by default. Add \`socketTimeoutMS: ${STATEMENT}\`.`;
  const edits =
    opts.state === 'absent'
      ? args.length === 1
        ? [insertArgument(ctx, node, 1, `{ socketTimeoutMS: ${STATEMENT} }`)]
        : undefined
      : opts.editable
        ? [addObjectProperties(ctx, opts.obj, [`socketTimeoutMS: ${STATEMENT}`])]
        : undefined;
  ctx.report({ node, message, fixes: fixes(title, edits) });
}

// ---- ioredis ----

function checkIoredis(ctx: RuleContext, ne: ts.NewExpression): void {
  const { ts } = ctx;
  const args = ne.arguments ?? [];
  let opts: ts.ObjectLiteralExpression | undefined;
  let editable = true;
  let urlText: string | undefined;
  let envUrl = false;
  for (const arg of args) {
    const o = readOptions(ctx, arg);
    const e = unwrap(ts, arg);
    if (o.state === 'literal') {
      opts = o.obj;
      editable = o.editable;
    } else if (o.state === 'url') {
      if (o.text === undefined) envUrl = true;
      urlText = o.text ?? urlText;
    } else if (ts.isNumericLiteral(e) || (ts.isIdentifier(e) && /port$/i.test(e.text))) {
      // a port
    } else {
      return; // options built elsewhere
    }
  }
  if (opts && hasSpread(ts, opts)) return;
  const title = 'Add a 30 s command timeout';
  if (opts) {
    const off = property(ctx, opts, 'connectTimeout').off ?? property(ctx, opts, 'commandTimeout').off;
    if (off) {
      const name = ctx.getText(off.name);
      ctx.report({
        node: ne,
        message: `\`${name}: 0\` turns ioredis's ${name === 'connectTimeout' ? 'connect' : 'command'} timeout off: a stalled Redis holds the tool call for ever. Use ${name === 'connectTimeout' ? CONNECT : STATEMENT} ms.`,
        fixes: fixes(title, editable ? [replaceNode(ctx, off.initializer, name === 'connectTimeout' ? CONNECT : STATEMENT)] : undefined),
      });
      return;
    }
    if (property(ctx, opts, 'commandTimeout').set) return;
  }
  const params = urlParams(urlText);
  if (positiveParam(params, 'commandTimeout')) return;
  const message =
    `This ioredis client has no \`commandTimeout\` (ioredis sets none): a command sent to a Redis that stalls waits for ever and holds the tool call${envUrl ? ' (unless your URL sets it)' : ''}. Add \`commandTimeout\` (30 s is the architect's ceiling; Redis commands usually deserve far less).`;
  const edits = opts ? (editable ? [addObjectProperties(ctx, opts, [`commandTimeout: ${STATEMENT}`])] : undefined) : [insertArgument(ctx, ne, args.length, `{ commandTimeout: ${STATEMENT} }`)];
  ctx.report({ node: ne, message, fixes: fixes(title, edits) });
}

// ---- mysql2 and node-redis: sensible defaults, so only a timeout turned off is reported ----

function checkMysql2(ctx: RuleContext, call: ts.CallExpression): void {
  const opts = readOptions(ctx, call.arguments[0]);
  if (opts.state !== 'literal') return;
  const off = property(ctx, opts.obj, 'connectTimeout').off;
  if (!off) return;
  ctx.report({
    node: call,
    message: `\`connectTimeout: 0\` turns off mysql2's 10 s connect timeout: a database that does not answer holds the tool call for ever. Use ${CONNECT} ms (or drop the option to keep the default).`,
    fixes: fixes('Restore a 5 s connect timeout', opts.editable ? [replaceNode(ctx, off.initializer, CONNECT)] : undefined),
  });
}

function checkNodeRedis(ctx: RuleContext, call: ts.CallExpression): void {
  const opts = readOptions(ctx, call.arguments[0]);
  if (opts.state !== 'literal') return;
  const connectOff = property(ctx, opts.obj, 'socket.connectTimeout').off;
  const commandOff = property(ctx, opts.obj, 'commandOptions.timeout').off;
  const off = connectOff ?? commandOff;
  if (!off) return;
  const isConnect = off === connectOff;
  ctx.report({
    node: call,
    message: isConnect
      ? `\`connectTimeout: 0\` turns off node-redis's 5 s connect timeout: a Redis that does not answer holds the client (and the commands queued on it) for ever. Use ${CONNECT} ms.`
      : `\`commandOptions.timeout: 0\` turns off node-redis's command timeout: while Redis is unreachable, commands queue and their tool calls wait for ever. Use a real timeout.`,
    fixes: fixes(isConnect ? 'Restore a 5 s connect timeout' : 'Add a 30 s command timeout', opts.editable ? [replaceNode(ctx, off.initializer, isConnect ? CONNECT : STATEMENT)] : undefined),
  });
}
