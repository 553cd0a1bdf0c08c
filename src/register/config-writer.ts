// Applies a registration plan to files without losing anything: JSON(C) is edited in place with jsonc-parser
// (comments, other entries, indentation and line endings kept), malformed files are refused with the position of the
// error and left untouched, writes are atomic, the first version is backed up, and a second run changes nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, findNodeAtLocation, getNodeValue, modify, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { AGENT_MARKER, RegisterError, SERVER_KEY, type AgentTarget, type ClientPlan, type JsonTarget, type Target } from './clients';

export type ChangeAction = 'create' | 'update' | 'remove' | 'unchanged';

export interface Change {
  file: string;
  action: ChangeAction;
  /** The file's text before and after (after is undefined for a removed file). */
  before?: string;
  after?: string;
  /** Where the first version was saved, when this change made the backup. */
  backup?: string;
  message: string;
}

export interface ApplyOptions {
  mode: 'register' | 'unregister';
  dryRun?: boolean;
  /** Replace an existing, different entry or agent file (otherwise: a RegisterError asking for confirmation). */
  force?: boolean;
}

export const BACKUP_SUFFIX = '.mcp-architect.bak';

/** Works out every change first (so one bad file stops all of them), then writes. */
export function applyPlan(plan: ClientPlan, options: ApplyOptions): Change[] {
  const changes = plan.targets.map(t => computeChange(t, options));
  if (!options.dryRun) for (const c of changes) writeChange(c);
  return changes;
}

function computeChange(target: Target, options: ApplyOptions): Change {
  return target.kind === 'json' ? jsonChange(target, options) : agentChange(target, options);
}

/** The file a path names, following symlinks (so the link stays a link), or the path itself when it does not exist. */
function realTarget(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

function readExisting(file: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined;
  }
  if (!stat.isFile()) throw new RegisterError(`${file} is not a regular file; nothing was written.`);
  return fs.readFileSync(file, 'utf8');
}

function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${line}:${column}`;
}

function detectFormatting(text: string) {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  return { eol, insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length };
}

function parseConfig(file: string, text: string, strict: boolean) {
  const errors: ParseError[] = [];
  const body = text.replace(/^\uFEFF/, '');
  const root = body.trim() === '' ? undefined : parseTree(body, errors, { disallowComments: strict, allowTrailingComma: !strict, allowEmptyContent: true });
  if (errors.length > 0) {
    const e = errors[0];
    throw new RegisterError(
      `${file}:${position(body, e.offset)}: ${printParseErrorCode(e.error)}${strict ? ' (this client reads strict JSON: no comments or trailing commas)' : ''}. The file was left untouched.`,
    );
  }
  if (root && root.type !== 'object') throw new RegisterError(`${file}: the top level is not a JSON object. The file was left untouched.`);
  return { root, body, bom: text.startsWith('\uFEFF') ? '\uFEFF' : '' };
}

function jsonChange(t: JsonTarget, options: ApplyOptions): Change {
  const file = realTarget(t.file);
  const before = readExisting(file);
  const keyPath = [t.serversKey, SERVER_KEY];
  if (before === undefined) {
    if (options.mode === 'unregister') return { file, action: 'unchanged', message: `${t.file} does not exist; nothing to remove.` };
    const after = `${JSON.stringify({ [t.serversKey]: { [SERVER_KEY]: t.entry } }, null, 2)}\n`;
    return { file, action: 'create', after, message: `create ${t.file} with the ${SERVER_KEY} server` };
  }
  const { root, body, bom } = parseConfig(t.file, before, t.strictJson);
  const node = root ? findNodeAtLocation(root, keyPath) : undefined;
  const existing = node ? getNodeValue(node) : undefined;
  const formattingOptions = detectFormatting(body);
  if (options.mode === 'unregister') {
    if (existing === undefined) return { file, action: 'unchanged', message: `${t.file} has no ${SERVER_KEY} server; nothing to remove.` };
    const after = bom + applyEdits(body, modify(body, keyPath, undefined, { formattingOptions }));
    verify(t, after, undefined);
    return { file, action: 'update', before, after, message: `remove the ${SERVER_KEY} server from ${t.file}` };
  }
  if (existing !== undefined && deepEqual(existing, t.entry)) {
    return { file, action: 'unchanged', message: `${t.file} already registers ${SERVER_KEY} with this command.` };
  }
  if (existing !== undefined && !options.force) {
    throw new RegisterError(
      `${t.file} already has a different ${SERVER_KEY} entry (${JSON.stringify(existing)}). Nothing was written; confirm the replacement (--force) to overwrite it.`,
    );
  }
  const source = body.trim() === '' ? '{}' : body;
  let after = bom + applyEdits(source, modify(source, keyPath, t.entry, { formattingOptions }));
  if (!after.endsWith('\n') && before.endsWith('\n')) after += formattingOptions.eol;
  verify(t, after, t.entry);
  return { file, action: 'update', before, after, message: `${existing ? 'replace' : 'add'} the ${SERVER_KEY} server in ${t.file}` };
}

/** The edited text must parse as the client reads it and hold exactly the intended entry. */
function verify(t: JsonTarget, text: string, expected: unknown): void {
  const { root } = parseConfig(t.file, text, t.strictJson);
  const node = root ? findNodeAtLocation(root, [t.serversKey, SERVER_KEY]) : undefined;
  const value = node ? getNodeValue(node) : undefined;
  if (!deepEqual(value, expected)) throw new RegisterError(`internal error: the edit of ${t.file} did not produce the intended entry; nothing was written.`);
}

function agentChange(t: AgentTarget, options: ApplyOptions): Change {
  const file = realTarget(t.file);
  const before = readExisting(file);
  if (options.mode === 'unregister') {
    if (before === undefined) return { file, action: 'unchanged', message: `${t.file} does not exist; nothing to remove.` };
    if (!before.includes(AGENT_MARKER) && !options.force) {
      throw new RegisterError(`${t.file} was not written by mcp-server-architect; it was left in place (confirm with --force to remove it).`);
    }
    return { file, action: 'remove', before, message: `remove ${t.file}` };
  }
  if (before === undefined) return { file, action: 'create', after: t.content, message: `create ${t.file}` };
  const normalise = (s: string) => s.replace(/\r\n/g, '\n');
  if (normalise(before) === normalise(t.content)) return { file, action: 'unchanged', message: `${t.file} is up to date.` };
  if (!options.force) {
    throw new RegisterError(`${t.file} exists with different content. Nothing was written; confirm the replacement (--force) to overwrite it.`);
  }
  const after = before.includes('\r\n') ? t.content.replace(/\n/g, '\r\n') : t.content;
  return { file, action: 'update', before, after, message: `replace ${t.file}` };
}

function writeChange(c: Change): void {
  if (c.action === 'unchanged') return;
  if (c.before !== undefined) {
    const stat = fs.statSync(c.file);
    // Root can write anything, so look at the permission bits rather than asking access().
    if ((stat.mode & 0o222) === 0) throw new RegisterError(`${c.file} is read-only; nothing was written.`);
    const backup = c.file + BACKUP_SUFFIX;
    if (!fs.existsSync(backup)) {
      fs.copyFileSync(c.file, backup, fs.constants.COPYFILE_EXCL);
      c.backup = backup;
    }
  }
  if (c.action === 'remove') {
    fs.unlinkSync(c.file);
    return;
  }
  writeAtomic(c.file, c.after ?? '');
}

/** Writes a sibling temporary file, flushes it, then renames it over the target: readers see old or new, never half. */
export function writeAtomic(file: string, text: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const mode = fs.existsSync(file) ? fs.statSync(file).mode & 0o777 : 0o644;
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const fd = fs.openSync(tmp, 'wx', mode);
  try {
    fs.writeFileSync(fd, text, 'utf8');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every(k => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
