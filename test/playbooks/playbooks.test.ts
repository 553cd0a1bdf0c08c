// Access functions over the shipped playbooks: look-up, grouping, search, Markdown and checklist keys.
import * as assert from 'node:assert/strict';
import { ruleDocUrl } from '../../src/core/docs';
import { loadPlaybooks } from '../../src/core/playbook-loader';
import {
  THEMES,
  allChecklistItemKeys,
  allThresholds,
  architectureReviewMarkdown,
  checklistItemKey,
  checklistItemKeys,
  checklistProgress,
  createSearchIndex,
  getPlaybook,
  parseChecklistItemKey,
  playbookToMarkdown,
  playbooksByTheme,
  playbooksForRule,
  playbooksForSnippet,
  resolvePlaybookRef,
  searchPlaybooks,
  searchTokens,
  type Playbook,
} from '../../src/core/playbooks';

const playbooks = loadPlaybooks();
const get = (id: string): Playbook => {
  const p = getPlaybook(playbooks, id);
  assert.ok(p, `no playbook ${id}`);
  return p;
};
const ids = (query: string) => searchPlaybooks(playbooks, query).map(h => h.playbook.id);

describe('playbooks: look-up and grouping', () => {
  it('gets a playbook by id and resolves id#section references', () => {
    assert.equal(get('memory-management').title, 'Memory Management');
    assert.equal(getPlaybook(playbooks, 'nope'), undefined);
    const ref = resolvePlaybookRef(playbooks, 'memory-management#bound-caches');
    assert.equal(ref?.playbook.id, 'memory-management');
    assert.equal(ref?.section?.title, 'Bound every cache aggressively');
    assert.equal(resolvePlaybookRef(playbooks, 'memory-management')?.section, undefined);
    assert.equal(resolvePlaybookRef(playbooks, 'memory-management#nope'), undefined);
    assert.equal(resolvePlaybookRef(playbooks, 'nope#bound-caches'), undefined);
  });

  it('groups by theme in display order, every playbook exactly once, by title within a theme', () => {
    const groups = playbooksByTheme(playbooks);
    assert.deepEqual(groups.map(g => g.theme.id), THEMES.map(t => t.id));
    assert.deepEqual(groups.flatMap(g => g.playbooks.map(p => p.id)).sort(), playbooks.map(p => p.id).sort());
    for (const g of groups) {
      assert.deepEqual(g.playbooks.map(p => p.title), [...g.playbooks.map(p => p.title)].sort((a, b) => a.localeCompare(b, 'en')));
      for (const p of g.playbooks) assert.equal(p.theme, g.theme.id);
    }
    assert.deepEqual(playbooksByTheme(playbooks.filter(p => p.theme === 'data')).map(g => g.theme.id), ['data'], 'empty themes left out');
  });

  it('finds the playbooks of a rule and of a snippet', () => {
    assert.deepEqual(playbooksForRule(playbooks, 'unbounded-cache').map(p => p.id).sort(), ['memory-management', 'ten-x-performance']);
    assert.ok(playbooksForSnippet(playbooks, 'mcp-circuit-breaker').some(p => p.id === 'circuit-breaker-cascade'));
    assert.deepEqual(playbooksForRule(playbooks, 'no-such-rule'), []);
  });

  it('lists thresholds across playbooks, filtered by kind and unit', () => {
    const memory = allThresholds(playbooks, { units: ['MB'] });
    assert.ok(memory.some(e => e.playbook.id === 'memory-management' && e.threshold.number === 800));
    assert.ok(memory.every(e => e.threshold.unit === 'MB'));
    const windows = allThresholds(playbooks, { kinds: ['window'] });
    assert.ok(windows.some(e => e.threshold.number === 7 && e.threshold.unit === 'year'));
    assert.ok(windows.every(e => e.threshold.kind === 'window'));
    assert.equal(allThresholds(playbooks).length, playbooks.reduce((n, p) => n + p.thresholds.length, 0));
  });
});

describe('playbooks: checklist keys', () => {
  it('gives every item a unique key that parses back', () => {
    const keys = allChecklistItemKeys(playbooks);
    assert.equal(new Set(keys).size, keys.length);
    assert.ok(keys.length > 150, `${keys.length} items`);
    for (const key of keys) {
      const parsed = parseChecklistItemKey(key);
      assert.ok(parsed);
      assert.equal(checklistItemKey(parsed.playbookId, parsed.checklistId, parsed.itemId), key);
    }
    assert.equal(parseChecklistItemKey('a/b'), undefined);
    assert.equal(parseChecklistItemKey('a//c'), undefined);
  });

  it('counts progress from checked keys, ignoring keys of other playbooks', () => {
    const p = get('war-room-incident-response');
    const keys = checklistItemKeys(p);
    assert.deepEqual(checklistProgress(p, []), { done: 0, total: keys.length });
    assert.deepEqual(checklistProgress(p, [keys[0], keys[2], 'other/x/y']), { done: 2, total: keys.length });
    assert.equal(keys[0], 'war-room-incident-response/readiness/paging-ack');
  });
});

describe('playbooks: search', () => {
  it('tokenises case- and accent-insensitively, splitting letters from digits', () => {
    assert.deepEqual(searchTokens('p99 > 200ms, 99.9% Café'), [
      { text: 'p', start: 0, end: 1 },
      { text: '99', start: 1, end: 3 },
      { text: '200', start: 6, end: 9 },
      { text: 'ms', start: 9, end: 11 },
      { text: '99.9', start: 13, end: 17 },
      { text: '%', start: 17, end: 18 },
      { text: 'cafe', start: 19, end: 23 },
    ]);
    const decomposed = 'Cafe\u0301 ×2';
    assert.deepEqual(searchTokens(decomposed).map(t => [t.text, decomposed.slice(t.start, t.end)]), [['cafe', 'Cafe\u0301'], ['x', '×'], ['2', '2']]);
  });

  it('finds by title, ranking the title match first, also while the word is being typed', () => {
    assert.equal(ids('circuit breaker')[0], 'circuit-breaker-cascade');
    assert.equal(ids('circ')[0], 'circuit-breaker-cascade');
    assert.equal(ids('strangl')[0], 'strangler-fig-migration');
    assert.equal(ids('war room')[0], 'war-room-incident-response');
    const hit = searchPlaybooks(playbooks, 'mentor')[0];
    assert.equal(hit.playbook.id, 'mentorship');
    assert.equal(hit.matches[0].field, 'title');
  });

  it('ignores case and accents in the query', () => {
    assert.deepEqual(ids('CÍRCUIT BRÉAKER'), ids('circuit breaker'));
    assert.equal(ids('ÉBCDIC')[0], 'legacy-integration');
  });

  it('finds by text, pointing at the section and the matched word', () => {
    const [hit, ...rest] = searchPlaybooks(playbooks, 'ebcdic');
    assert.equal(hit.playbook.id, 'legacy-integration');
    assert.equal(rest.length, 0);
    const match = hit.matches.find(m => m.field === 'step');
    assert.ok(match);
    assert.equal(match.sectionId, 'protocol-bridging');
    assert.deepEqual(match.ranges.map(([s, e]) => match.text.slice(s, e)), ['EBCDIC']);
  });

  it('finds by threshold values and numbers', () => {
    const top = (q: string) => searchPlaybooks(playbooks, q)[0];
    const mb = top('800 MB');
    assert.equal(mb.playbook.id, 'memory-management');
    const m = mb.matches[0];
    assert.equal(m.field, 'threshold');
    assert.equal(mb.playbook.thresholds[m.thresholdIndex!].number, 800);
    assert.deepEqual(m.ranges.map(([s, e]) => m.text.slice(s, e)), ['800', 'MB']);
    assert.equal(top('48 hours').playbook.id, 'war-room-incident-response');
    assert.equal(top('99.9%').playbook.id, 'strangler-fig-migration');
    assert.equal(top('1000 entries').playbook.id, 'memory-management');
    assert.equal(top('consecutive failures').playbook.id, 'circuit-breaker-cascade');
    assert.ok(ids('p99 200ms').slice(0, 2).includes('circuit-breaker-cascade'));
    assert.ok(ids('7 years').includes('observability-three-pillars'));
  });

  it('requires every word, and finds nothing for nothing', () => {
    assert.deepEqual(ids('ebcdic jaeger'), []);
    assert.deepEqual(ids(''), []);
    assert.deepEqual(ids('  \t'), []);
    assert.deepEqual(ids('zzzzqx'), []);
  });

  it('matches numbers exactly unless they are being typed', () => {
    // "30" typed at the end may still become "300"; followed by a space it is the number 30.
    const typing = createSearchIndex([get('memory-management')]).search('30');
    assert.equal(typing.length, 1, '"30" being typed matches 300');
    assert.deepEqual(createSearchIndex([get('memory-management')]).search('30 '), []);
  });

  it('finds rule ids and snippet prefixes', () => {
    assert.ok(ids('unbounded-cache').slice(0, 2).includes('memory-management'));
    assert.equal(searchPlaybooks(playbooks, 'mcp-shadow-traffic')[0].playbook.id, 'strangler-fig-migration');
  });

  it('limits hits and matches', () => {
    const all = searchPlaybooks(playbooks, 'the');
    assert.ok(all.length > 3);
    assert.equal(searchPlaybooks(playbooks, 'the', { limit: 3 }).length, 3);
    assert.ok(searchPlaybooks(playbooks, 'the', { matchesPerHit: 2 }).every(h => h.matches.length <= 2));
    assert.deepEqual(all.map(h => h.score), [...all.map(h => h.score)].sort((a, b) => b - a), 'ranked by score');
  });
});

describe('playbooks: Markdown', () => {
  it('renders every part of every playbook', () => {
    for (const p of playbooks) {
      const md = playbookToMarkdown(p);
      const missing = [
        p.title, p.summary, p.source, ...p.when_to_use,
        ...p.sections.flatMap(s => [s.title, ...s.steps]),
        ...p.checklists.flatMap(c => [c.title, ...c.items.map(i => `- [ ] ${i.text}`)]),
        ...p.thresholds.flatMap(t => [t.name, t.value.replace(/\|/g, '\\|'), ...(t.note ? [t.note] : [])]),
        ...p.rules.map(r => `[\`${r}\`](${ruleDocUrl(r)})`), ...p.snippets,
      ].filter(s => !md.includes(s));
      assert.deepEqual(missing, [], `${p.id}: not in its Markdown`);
      assert.ok(md.endsWith('\n') && !md.includes('\n\n\n'));
    }
  });

  it('renders headings, anchors, the threshold table and checked items', () => {
    const p = get('circuit-breaker-cascade');
    const key = checklistItemKey(p.id, 'breaker-review', 'timeouts-everywhere');
    const md = playbookToMarkdown(p, { checked: [key] });
    assert.ok(md.startsWith('# Circuit Breaker Cascade Protection\n'));
    assert.ok(md.includes('<a id="dependency-isolation"></a>\n\n## Dependency isolation\n\n1. Give each MCP server'));
    assert.ok(md.includes('| Threshold | Value | Kind | Section |\n|---|---|---|---|\n| Breaker failure threshold | 5 consecutive failures | trigger | Circuit breakers |\n'));
    const withNotes = playbookToMarkdown(get('real-time-performance-analysis'));
    assert.ok(withNotes.includes('| Threshold | Value | Kind | Section | Note |\n|---|---|---|---|---|\n| User-facing latency alert | p99 above 200 ms | trigger | Monitor the right things | The line set by circuit-breaker-cascade#observability-requirements. |'));
    assert.ok(md.includes('- [x] Every outbound call has a timeout. (`fetch-without-timeout`, `http-client-without-timeout`, `db-client-without-timeout`)'));
    assert.ok(md.includes('- [ ] Retries use exponential backoff'));
    assert.ok(playbookToMarkdown(get('failure-assumption')).includes('**Senior Rule 21**'));
  });

  it('nests under a given heading level and can leave out anchors and links', () => {
    const md = playbookToMarkdown(get('memory-management'), { headingLevel: 2, anchors: false, ruleLink: () => undefined, titleOf: id => getPlaybook(playbooks, id)?.title });
    assert.ok(md.startsWith('## Memory Management\n'));
    assert.ok(md.includes('\n### Bound every cache aggressively\n'));
    assert.ok(md.includes('\n#### Memory review\n'));
    assert.ok(!md.includes('<a id='));
    assert.ok(md.includes('- `unbounded-cache`'));
    assert.ok(md.includes('- The 10x Rule for MCP Performance (`ten-x-performance`)'));
  });

  it('escapes table cells', () => {
    const p: Playbook = { ...get('memory-management'), thresholds: [{ name: 'a | b', value: 'x\ny', kind: 'limit', note: 'n|m' }] };
    assert.ok(playbookToMarkdown(p).includes('| a \\| b | x y | limit |  | n\\|m |'));
  });

  it('renders an architecture review with progress, notes, thresholds and open items', () => {
    const chosen = [get('circuit-breaker-cascade'), get('memory-management')];
    const done = checklistItemKeys(chosen[1]);
    const noteKey = checklistItemKey('circuit-breaker-cascade', 'breaker-review', 'pools-per-server');
    const md = architectureReviewMarkdown(chosen, { subject: 'billing-mcp', date: '2025-06-01', checked: done, notes: { [noteKey]: 'Shared pool\nuntil Q3.' } });
    const total = chosen.reduce((n, p) => n + checklistItemKeys(p).length, 0);
    assert.ok(md.startsWith('# Architecture review: billing-mcp\n\nDate: 2025-06-01\n'));
    assert.ok(md.includes(`${done.length} of ${total} checklist items done.`));
    assert.ok(md.includes(`| Memory Management | Performance | ${done.length}/${done.length} |`));
    assert.ok(md.includes('- [ ] Database pools are per MCP server, never shared.\n  - Shared pool until Q3.'));
    assert.ok(md.includes('- [x] Every cache has a size bound and a time-to-live.'));
    assert.ok(md.includes('### Thresholds'));
    const open = md.slice(md.indexOf('## Open items'));
    assert.equal(open.split('\n').filter(l => l.startsWith('- **')).length, total - done.length);
    assert.ok(!open.includes('Memory Management**'));
    assert.ok(!architectureReviewMarkdown(chosen, { thresholds: false }).includes('### Thresholds'));
    assert.ok(architectureReviewMarkdown([get('memory-management')], { checked: done }).includes('## Open items\n\nNone.'));
  });
});
