// The allow-list for messages from the playbook sidebar. The webview is a web page: whatever it posts is checked
// here (type, exact argument shapes, and ids against the shipped data) before the extension acts on it.
// No `vscode` import, so that every rejected shape is unit-tested.
import { allChecklistItemKeys, type Playbook } from '../core/playbooks';
import type { ViewMessage, ViewMessageType } from '../webview/protocol';

/** The ids a message may name: everything else is refused. */
export interface KnownIds {
  playbookIds: ReadonlySet<string>;
  checklistKeys: ReadonlySet<string>;
  snippetPrefixes: ReadonlySet<string>;
  ruleIds: ReadonlySet<string>;
}

/** Ids named by the playbooks: their checklist keys, linked snippets and rules (item rules included). */
export function knownIdsOf(playbooks: readonly Playbook[]): KnownIds {
  return {
    playbookIds: new Set(playbooks.map(p => p.id)),
    checklistKeys: new Set(allChecklistItemKeys(playbooks)),
    snippetPrefixes: new Set(playbooks.flatMap(p => p.snippets)),
    ruleIds: new Set(playbooks.flatMap(p => [...p.rules, ...p.checklists.flatMap(c => c.items.flatMap(i => i.rules ?? []))])),
  };
}

export type ParsedViewMessage = { ok: true; message: ViewMessage } | { ok: false; error: string };

/** Longest string argument accepted; the longest real id is far shorter. */
export const MAX_ID_LENGTH = 200;

type Field = 'key' | 'checked' | 'prefix' | 'ruleId' | 'playbookId';

/** The fields each message type carries, exactly. */
const SHAPES: Readonly<Record<ViewMessageType, readonly Field[]>> = {
  ready: [],
  setChecked: ['key', 'checked'],
  insertSnippet: ['prefix'],
  openRuleDoc: ['ruleId'],
  openMarkdown: ['playbookId'],
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function knownString(message: Record<string, unknown>, field: Field, known: ReadonlySet<string>, what: string): string | undefined {
  const value = message[field];
  if (typeof value !== 'string') return `"${field}" must be a string, not ${describe(value)}`;
  if (value.length === 0 || value.length > MAX_ID_LENGTH) return `"${field}" has a length of ${value.length}`;
  if (!known.has(value)) return `unknown ${what} ${JSON.stringify(value.slice(0, 80))}`;
  return undefined;
}

/** Checks one message from the webview; `ok: false` says why it was refused. */
export function parseViewMessage(raw: unknown, known: KnownIds): ParsedViewMessage {
  const refuse = (error: string): ParsedViewMessage => ({ ok: false, error });
  if (!isPlainObject(raw)) return refuse(`a message must be a plain object, not ${describe(raw)}`);
  const type = raw.type;
  if (typeof type !== 'string') return refuse(`"type" must be a string, not ${describe(type)}`);
  if (!Object.prototype.hasOwnProperty.call(SHAPES, type)) return refuse(`unknown message type ${JSON.stringify(type.slice(0, 80))}`);
  const fields = SHAPES[type as ViewMessageType];
  const keys = Object.keys(raw);
  const extra = keys.filter(k => k !== 'type' && !(fields as readonly string[]).includes(k));
  if (extra.length > 0) return refuse(`${type}: unexpected field${extra.length > 1 ? 's' : ''} ${extra.map(k => JSON.stringify(k.slice(0, 40))).join(', ')}`);
  const missing = fields.filter(f => !keys.includes(f));
  if (missing.length > 0) return refuse(`${type}: missing field${missing.length > 1 ? 's' : ''} ${missing.map(f => `"${f}"`).join(', ')}`);

  let error: string | undefined;
  switch (type as ViewMessageType) {
    case 'ready':
      return { ok: true, message: { type: 'ready' } };
    case 'setChecked':
      error = knownString(raw, 'key', known.checklistKeys, 'checklist item');
      if (error) return refuse(`setChecked: ${error}`);
      if (typeof raw.checked !== 'boolean') return refuse(`setChecked: "checked" must be a boolean, not ${describe(raw.checked)}`);
      return { ok: true, message: { type: 'setChecked', key: raw.key as string, checked: raw.checked } };
    case 'insertSnippet':
      error = knownString(raw, 'prefix', known.snippetPrefixes, 'snippet');
      return error ? refuse(`insertSnippet: ${error}`) : { ok: true, message: { type: 'insertSnippet', prefix: raw.prefix as string } };
    case 'openRuleDoc':
      error = knownString(raw, 'ruleId', known.ruleIds, 'rule');
      return error ? refuse(`openRuleDoc: ${error}`) : { ok: true, message: { type: 'openRuleDoc', ruleId: raw.ruleId as string } };
    case 'openMarkdown':
      error = knownString(raw, 'playbookId', known.playbookIds, 'playbook');
      return error ? refuse(`openMarkdown: ${error}`) : { ok: true, message: { type: 'openMarkdown', playbookId: raw.playbookId as string } };
  }
}
