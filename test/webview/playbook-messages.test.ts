// The allow-list for messages from the playbook sidebar: every accepted shape, and every way a message is refused.
import * as assert from 'node:assert/strict';
import { PLAYBOOKS } from '../../src/core/playbook-data';
import { allChecklistItemKeys, checklistItemKey } from '../../src/core/playbooks';
import { MAX_ID_LENGTH, knownIdsOf, parseViewMessage } from '../../src/extension/playbook-messages';

const known = knownIdsOf(PLAYBOOKS);
const KEY = checklistItemKey('circuit-breaker-cascade', 'breaker-review', 'timeouts-everywhere');

function refused(raw: unknown, why: RegExp): void {
  const r = parseViewMessage(raw, known);
  assert.equal(r.ok, false, `accepted ${JSON.stringify(raw)}`);
  if (!r.ok) assert.match(r.error, why);
}

describe('playbook view message allow-list', () => {
  describe('known ids', () => {
    it('come from the shipped playbooks', () => {
      assert.equal(known.playbookIds.size, PLAYBOOKS.length);
      assert.equal(known.checklistKeys.size, allChecklistItemKeys(PLAYBOOKS).length);
      assert.ok(known.checklistKeys.has(KEY));
      assert.ok(known.snippetPrefixes.has('mcp-circuit-breaker'));
      assert.ok(known.ruleIds.has('fetch-without-timeout'));
      // A rule named only by a checklist item is known too.
      const itemRules = PLAYBOOKS.flatMap(p => p.checklists.flatMap(c => c.items.flatMap(i => i.rules ?? [])));
      for (const r of itemRules) assert.ok(known.ruleIds.has(r), r);
    });
  });

  describe('accepts', () => {
    const cases: unknown[] = [
      { type: 'ready' },
      { type: 'setChecked', key: KEY, checked: true },
      { type: 'setChecked', key: KEY, checked: false },
      { type: 'insertSnippet', prefix: 'mcp-circuit-breaker' },
      { type: 'openRuleDoc', ruleId: 'fetch-without-timeout' },
      { type: 'openMarkdown', playbookId: 'circuit-breaker-cascade' },
    ];
    for (const raw of cases) {
      it(JSON.stringify(raw), () => {
        const r = parseViewMessage(raw, known);
        assert.ok(r.ok, r.ok ? '' : r.error);
        assert.deepEqual(r.message, raw);
        assert.notEqual(r.message, raw, 'a fresh object, not the one posted');
      });
    }
    it('a message with a null prototype', () => {
      const raw = Object.assign(Object.create(null) as object, { type: 'ready' });
      assert.ok(parseViewMessage(raw, known).ok);
    });
  });

  describe('refuses what is not a plain object', () => {
    for (const [name, raw] of [
      ['undefined', undefined],
      ['null', null],
      ['a number', 42],
      ['a string', 'ready'],
      ['a boolean', true],
      ['an array', [{ type: 'ready' }]],
      ['an array with a type property', Object.assign([], { type: 'ready' })],
      ['a Date', new Date()],
      ['an object of a class', new (class Message { type = 'ready'; })()],
      ['an object with an inherited type', Object.create({ type: 'ready' })],
      ['a function', () => ({ type: 'ready' })],
    ] as Array<[string, unknown]>) {
      it(name, () => refused(raw, /plain object|"type" must be a string/));
    }
  });

  describe('refuses a missing or unknown type', () => {
    it('no type', () => refused({}, /"type" must be a string, not undefined/));
    it('a numeric type', () => refused({ type: 1 }, /"type" must be a string/));
    it('a null type', () => refused({ type: null }, /"type" must be a string, not null/));
    it('an object type', () => refused({ type: { toString: () => 'ready' } }, /"type" must be a string, not an object/));
    for (const type of ['Ready', 'READY', ' ready', 'runCommand', 'executeCommand', 'exportReview', 'constructor', '__proto__', 'toString', 'hasOwnProperty', '']) {
      it(`type ${JSON.stringify(type)}`, () => refused({ type }, /unknown message type/));
    }
  });

  describe('refuses extra and missing fields', () => {
    it('ready with an argument', () => refused({ type: 'ready', command: 'workbench.action.terminal.new' }, /ready: unexpected field "command"/));
    it('setChecked with an extra field', () => refused({ type: 'setChecked', key: KEY, checked: true, all: true }, /unexpected field "all"/));
    it('insertSnippet with a body of its own', () => refused({ type: 'insertSnippet', prefix: 'mcp-circuit-breaker', body: 'rm -rf /' }, /unexpected field "body"/));
    it('openRuleDoc with a path', () => refused({ type: 'openRuleDoc', ruleId: 'fetch-without-timeout', path: '/etc/passwd' }, /unexpected field "path"/));
    it('openMarkdown with content', () => refused({ type: 'openMarkdown', playbookId: 'deliverables', content: '# x' }, /unexpected field "content"/));
    it('an own __proto__ field (from JSON)', () => refused(JSON.parse('{"type":"ready","__proto__":{"x":1}}'), /unexpected field "__proto__"/));
    it('several extra fields, all named', () => refused({ type: 'ready', a: 1, b: 2 }, /unexpected fields "a", "b"/));
    it('setChecked without key', () => refused({ type: 'setChecked', checked: true }, /setChecked: missing field "key"/));
    it('setChecked without checked', () => refused({ type: 'setChecked', key: KEY }, /setChecked: missing field "checked"/));
    it('setChecked with neither', () => refused({ type: 'setChecked' }, /missing fields "key", "checked"/));
    it('insertSnippet without prefix', () => refused({ type: 'insertSnippet' }, /missing field "prefix"/));
    it('openRuleDoc without ruleId', () => refused({ type: 'openRuleDoc' }, /missing field "ruleId"/));
    it('openMarkdown without playbookId', () => refused({ type: 'openMarkdown' }, /missing field "playbookId"/));
  });

  describe('refuses arguments of the wrong type', () => {
    it('a numeric key', () => refused({ type: 'setChecked', key: 1, checked: true }, /"key" must be a string, not number 1/));
    it('an array key', () => refused({ type: 'setChecked', key: [KEY], checked: true }, /"key" must be a string, not an array/));
    it('checked as a string', () => refused({ type: 'setChecked', key: KEY, checked: 'true' }, /"checked" must be a boolean/));
    it('checked as a number', () => refused({ type: 'setChecked', key: KEY, checked: 1 }, /"checked" must be a boolean, not number 1/));
    it('checked as null', () => refused({ type: 'setChecked', key: KEY, checked: null }, /"checked" must be a boolean, not null/));
    it('a prefix array', () => refused({ type: 'insertSnippet', prefix: ['mcp-circuit-breaker'] }, /"prefix" must be a string/));
    it('a ruleId object', () => refused({ type: 'openRuleDoc', ruleId: { id: 'fetch-without-timeout' } }, /"ruleId" must be a string, not an object/));
    it('a null playbookId', () => refused({ type: 'openMarkdown', playbookId: null }, /"playbookId" must be a string, not null/));
    it('an empty key', () => refused({ type: 'setChecked', key: '', checked: true }, /length of 0/));
    it(`a key longer than ${MAX_ID_LENGTH}`, () => refused({ type: 'setChecked', key: 'a'.repeat(MAX_ID_LENGTH + 1), checked: true }, /length of 201/));
  });

  describe('refuses unknown ids', () => {
    it('a checklist item of no playbook', () => refused({ type: 'setChecked', key: 'nope/breaker-review/timeouts-everywhere', checked: true }, /unknown checklist item/));
    it('a checklist key that is only a prefix', () => refused({ type: 'setChecked', key: 'circuit-breaker-cascade/breaker-review', checked: true }, /unknown checklist item/));
    it('a checklist key with a path', () => refused({ type: 'setChecked', key: `${KEY}/../../x`, checked: true }, /unknown checklist item/));
    it('a checklist key of another case', () => refused({ type: 'setChecked', key: KEY.toUpperCase(), checked: true }, /unknown checklist item/));
    it('an unknown snippet prefix', () => refused({ type: 'insertSnippet', prefix: 'mcp-nope' }, /unknown snippet "mcp-nope"/));
    it('snippet syntax instead of a prefix', () => refused({ type: 'insertSnippet', prefix: '${1:x}' }, /unknown snippet/));
    it('a rule id the playbooks do not link', () => refused({ type: 'openRuleDoc', ruleId: 'vulnerable-mcp-sdk' }, /unknown rule/));
    it('a rule id with a path', () => refused({ type: 'openRuleDoc', ruleId: '../../package' }, /unknown rule/));
    it('a playbook ref with a section instead of an id', () => refused({ type: 'openMarkdown', playbookId: 'circuit-breaker-cascade#dependency-isolation' }, /unknown playbook/));
    it('an unknown playbook', () => refused({ type: 'openMarkdown', playbookId: 'constructor' }, /unknown playbook "constructor"/));
  });
});
