// Synchronous fs / child_process / zlib / crypto calls inside MCP handlers stop the whole server while they run.
import type * as ts from 'typescript';
import type { Fix, Rule, TextEdit } from '../types';
import type { FunctionLike, RuleContext } from '../rule-context';
import { describeHandler, handlerAround, localFunction, nodesInside, registrationOf } from '../handler-inputs';
import { ensureNamedImport } from '../fix-helpers';

/** fs calls with a `fs/promises` twin taking the same arguments and resolving to the same value. */
const FS_ASYNC_TWIN: Record<string, string> = {
  readFileSync: 'readFile',
  writeFileSync: 'writeFile',
  appendFileSync: 'appendFile',
  readdirSync: 'readdir',
  statSync: 'stat',
  lstatSync: 'lstat',
  mkdirSync: 'mkdir',
  mkdtempSync: 'mkdtemp',
  rmSync: 'rm',
  rmdirSync: 'rmdir',
  unlinkSync: 'unlink',
  renameSync: 'rename',
  copyFileSync: 'copyFile',
  cpSync: 'cp',
  realpathSync: 'realpath',
  accessSync: 'access',
  chmodSync: 'chmod',
  chownSync: 'chown',
  readlinkSync: 'readlink',
  symlinkSync: 'symlink',
  linkSync: 'link',
  truncateSync: 'truncate',
  utimesSync: 'utimes',
};

/** crypto calls that are slow by design (key derivation, key generation). Fast ones (randomBytes for tokens, hashes) are left alone. */
const SLOW_CRYPTO = new Set(['pbkdf2Sync', 'scryptSync', 'generateKeyPairSync', 'generatePrimeSync', 'checkPrimeSync']);

type Family = 'fs' | 'child_process' | 'zlib' | 'crypto';

const FAMILY_OF_MODULE: Record<string, Family> = {
  fs: 'fs',
  'fs-extra': 'fs',
  'graceful-fs': 'fs',
  child_process: 'child_process',
  zlib: 'zlib',
  crypto: 'crypto',
};

const BLOCKING_MODULES = Object.keys(FAMILY_OF_MODULE);
/** The file imports fs with the `node:` prefix: new imports follow its style. */
const usesNodePrefix = (ctx: RuleContext): boolean => /['"]node:fs(\/promises)?['"]/.test(ctx.text);

export const rule: Rule = {
  meta: {
    id: 'blocking-io-in-handler',
    code: 61006,
    defaultSeverity: 'warning',
    description: 'Blocking synchronous I/O inside an MCP handler',
    message:
      'Synchronous I/O inside an MCP handler blocks the event loop: every other request to this server waits until it finishes. Use the async form.',
    playbook: 'ten-x-performance#async-patterns',
    fix: 'Inside an async function, replaces an fs `*Sync` call with `await` of its `fs/promises` twin (`readFileSync` -> `await fs.promises.readFile`), adding the import when needed.',
    languages: ['typescript', 'python'],
  },
  check(ctx) {
    if (ctx.handlers.length === 0) return;
    let reach: ReturnType<typeof reachableFromHandlers> | undefined;
    for (const call of ctx.callsFrom(BLOCKING_MODULES)) {
      const callee = ctx.resolveCallee(call.expression);
      if (!callee || callee.module === null || !callee.name.endsWith('Sync')) continue;
      const family = FAMILY_OF_MODULE[callee.module];
      if (!family) continue;
      if (family === 'crypto' && !SLOW_CRYPTO.has(callee.name)) continue;
      if (callee.object !== undefined) continue; // fs.promises.x, a member of some other object
      if (isStdioDescriptorWrite(ctx, call, callee.name)) continue;
      reach ??= reachableFromHandlers(ctx);
      const where = locate(ctx, call, reach);
      if (!where) continue;
      ctx.report({
        node: call,
        message: messageFor(ctx, family, callee.name, where),
        fixes: family === 'fs' ? asyncFix(ctx, call, callee.name) : [],
      });
    }
  },
};

/** `fs.writeSync(process.stderr.fd, ...)`: stdout/stderr writes are synchronous in Node anyway; this is logging, not file I/O. */
function isStdioDescriptorWrite(ctx: RuleContext, call: ts.CallExpression, name: string): boolean {
  if (name !== 'writeSync' && name !== 'fsyncSync') return false;
  const fd = call.arguments[0];
  if (!fd) return false;
  const text = ctx.getText(fd);
  return text === '1' || text === '2' || /^process\.(stdout|stderr)\.fd$/.test(text);
}

interface Location {
  handler: FunctionLike;
  /** The same-file function the call sits in when it is not the handler itself. */
  via?: string;
}

/** Same-file functions called by name from a handler (directly or through each other), with the handler that reaches them. */
function reachableFromHandlers(ctx: RuleContext): Map<ts.Node, { handler: FunctionLike; name: string }> {
  const { ts } = ctx;
  const reach = new Map<ts.Node, { handler: FunctionLike; name: string }>();
  const queue: Array<{ fn: ts.Node; handler: FunctionLike }> = ctx.handlers.map(h => ({ fn: h, handler: h }));
  const handlerSet = new Set<ts.Node>(ctx.handlers);
  for (let i = 0; i < queue.length; i++) {
    const { fn, handler } = queue[i];
    for (const call of nodesInside<ts.CallExpression>(ctx, fn, ts.SyntaxKind.CallExpression)) {
      if (!ts.isIdentifier(call.expression) || ctx.imports.has(call.expression.text)) continue;
      const target = localFunction(ctx, call.expression.text);
      if (!target || handlerSet.has(target) || reach.has(target)) continue;
      // A function nested in the caller is the caller's own code, found through the caller already.
      if (target.pos >= fn.pos && target.end <= fn.end) continue;
      reach.set(target, { handler, name: call.expression.text });
      queue.push({ fn: target, handler });
    }
  }
  return reach;
}

function locate(ctx: RuleContext, call: ts.CallExpression, reach: Map<ts.Node, { handler: FunctionLike; name: string }>): Location | undefined {
  const handler = handlerAround(ctx, call);
  if (handler) return { handler };
  for (let n: ts.Node | undefined = call.parent; n; n = n.parent) {
    const r = reach.get(n);
    if (r) return { handler: r.handler, via: r.name };
  }
  return undefined;
}

function messageFor(ctx: RuleContext, family: Family, name: string, where: Location): string {
  const handler = describeHandler(registrationOf(ctx, where.handler));
  const inWhat = where.via ? `in \`${where.via}()\` (called by ${handler})` : `inside ${handler}`;
  switch (family) {
    case 'fs': {
      const twin = FS_ASYNC_TWIN[name];
      const use = twin
        ? `\`await fs.promises.${twin}(...)\``
        : name === 'existsSync'
          ? '`await fs.promises.access(p)` (it rejects when the file is missing)'
          : 'the `fs/promises` API (`fs.promises.open` gives a FileHandle)';
      return `\`${name}\` blocks the event loop ${inWhat}: every other request to this server waits until the disk answers. Use ${use}.`;
    }
    case 'child_process':
      return `\`${name}\` blocks the whole server ${inWhat} until the child process exits: no other request is served meanwhile. Use \`await promisify(${name.replace(/Sync$/, '')})(...)\` or \`spawn\` with events.`;
    case 'zlib':
      return `\`${name}\` compresses on the event loop ${inWhat}: on large payloads every other request waits. Use \`await promisify(${name.replace(/Sync$/, '')})(...)\`, which runs on the libuv thread pool.`;
    case 'crypto':
      return `\`${name}\` is slow by design and runs on the event loop ${inWhat}: every other request waits for it. Use the callback form through \`await promisify(${name.replace(/Sync$/, '')})(...)\`, which runs on the libuv thread pool.`;
  }
}

/** `fs.readFileSync(a)` -> `await fs.promises.readFile(a)`; only where `await` is allowed and the result is the same. */
function asyncFix(ctx: RuleContext, call: ts.CallExpression, name: string): Fix[] {
  const { ts } = ctx;
  const twin = FS_ASYNC_TWIN[name];
  if (!twin) return [];
  const fn = ctx.enclosingFunction(call);
  if (!fn || !isAsync(ctx, fn)) return [];
  // Options the promise API does not have.
  if (name === 'statSync' || name === 'lstatSync') {
    const opts = call.arguments[1];
    if (opts && (!ts.isObjectLiteralExpression(opts) || opts.properties.some(p => !p.name || !ts.isIdentifier(p.name) || p.name.text !== 'bigint'))) return [];
  }
  // A numeric file descriptor has no promise twin (it takes a FileHandle).
  const first = call.arguments[0];
  if (first && ts.isNumericLiteral(first)) return [];
  if (first && ctx.checker) {
    try {
      const t = ctx.checker.getTypeAtLocation(first);
      if (t.flags & ts.TypeFlags.NumberLike) return [];
    } catch {
      return [];
    }
  }

  const callee = call.expression;
  const edits: TextEdit[] = [];
  let newCallee: string;
  const resolved = ctx.resolveCallee(callee);
  if (ts.isPropertyAccessExpression(callee) && resolved?.module === 'fs' && resolved.object === undefined) {
    newCallee = `${ctx.getText(callee.expression)}.promises.${twin}`;
  } else if (ts.isIdentifier(callee)) {
    // Follow the file's own style for built-in specifiers.
    const prefix = ctx.memo(usesNodePrefix, () => usesNodePrefix(ctx)) ? 'node:' : '';
    const imported = ensureNamedImport(ctx, 'fs/promises', twin, `${prefix}fs/promises`);
    if (!imported) return [];
    newCallee = imported.local;
    edits.push(...imported.edits);
  } else {
    return [];
  }
  const needsParens = needsParentheses(ctx, call);
  edits.push({ start: callee.getStart(ctx.sourceFile), end: callee.end, newText: `${needsParens ? '(' : ''}await ${newCallee}` });
  if (needsParens) edits.push({ start: call.end, end: call.end, newText: ')' });
  return [{ title: `Use await ${newCallee}(...)`, edits }];
}

function isAsync(ctx: RuleContext, fn: ts.SignatureDeclaration): boolean {
  const { ts } = ctx;
  return (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
}

/** `await x` binds looser than member access and calls: `fs.readFileSync(p).toString()` needs `(await ...)`. */
function needsParentheses(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const p = call.parent;
  if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === call) return true;
  if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.expression === call) return true;
  if (ts.isTaggedTemplateExpression(p) || (ts.isNonNullExpression(p) && p.expression === call)) return true;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken && p.left === call) return true;
  return false;
}
