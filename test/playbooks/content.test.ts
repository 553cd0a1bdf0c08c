// The playbooks against their source: every part of the persona document has its playbook, every number it gives
// is in a threshold table, and every rule, snippet, trigger and cross-reference the playbooks name exists.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPlaybooks } from '../../src/core/playbook-loader';
import { THEMES, resolvePlaybookRef, type Playbook } from '../../src/core/playbooks';
import { RULES } from '../../src/core/rules';
import { REPO_ROOT } from '../helpers/rules';
import { numbersIn, proactiveTriggers, readPersonaOutline, type OutlineNode } from './persona-outline';

const PLAYBOOKS_DIR = path.join(REPO_ROOT, 'media/playbooks');

/** The rule → playbook#section links fixed for the rule set (rules link to these whether or not they are written yet). */
const RULE_LINKS: Readonly<Record<string, string>> = {
  'unbounded-cache': 'memory-management#bound-caches',
  'fetch-without-timeout': 'circuit-breaker-cascade#dependency-isolation',
  'http-client-without-timeout': 'circuit-breaker-cascade#dependency-isolation',
  'db-client-without-timeout': 'database-integration#connection-management',
  'stdout-in-stdio-server': 'observability-three-pillars#logging-strategy',
  'blocking-io-in-handler': 'ten-x-performance#async-patterns',
  'shell-injection': 'hard-won-wisdom#security-foundation',
  'tool-without-input-schema': 'federated-governance#technical-standards',
  'unprotected-http-transport': 'federated-governance#technical-standards',
  'deprecated-sse-transport': 'platform-generation-migration#future-proofing',
  'retry-without-backoff': 'circuit-breaker-cascade#mcp-server-circuit-breakers',
  'unhandled-entry-rejection': 'failure-assumption#architecture-response',
  'missing-graceful-shutdown': 'failure-assumption#architecture-response',
  'unbounded-concurrency': 'circuit-breaker-cascade#dependency-isolation',
  'unmanaged-timer': 'memory-management#monitor-memory-patterns',
  'hardcoded-secret': 'security-incident-response#response-procedures',
  'path-traversal': 'hard-won-wisdom#security-foundation',
  'token-passthrough': 'protocol-extensions#authentication-chain',
  'swallowed-error': 'observability-three-pillars#alerting-philosophy',
};

/** Sections other parts of the product link to, besides the rule links. */
const LINKED_SECTIONS = [
  'circuit-breaker-cascade#observability-requirements',
  'memory-management#graceful-degradation',
  'memory-management#fail-fast',
];

const PLAYBOOK_IDS = [
  'failure-assumption', 'political-technology-mapping', 'evolution-over-perfection', 'complexity-budget', 'knowledge-preservation',
  'strangler-fig-migration', 'circuit-breaker-cascade', 'federated-governance', 'ten-x-performance', 'memory-management',
  'database-integration', 'war-room-incident-response', 'security-incident-response', 'platform-generation-migration',
  'legacy-integration', 'mentorship', 'high-performance-teams', 'protocol-extensions', 'multi-region-coordination',
  'observability-three-pillars', 'real-time-performance-analysis', 'deliverables', 'success-criteria', 'hard-won-wisdom',
];

const SNIPPET_PREFIXES = [
  'mcp-server-stdio', 'mcp-server-http', 'mcp-tool', 'mcp-resource', 'mcp-prompt', 'mcp-circuit-breaker', 'mcp-ttl-cache',
  'mcp-memory-guard', 'mcp-fetch-timeout', 'mcp-retry-backoff', 'mcp-bulkhead', 'mcp-rate-limiter', 'mcp-adaptive-rate-limiter',
  'mcp-graceful-shutdown', 'mcp-logger', 'mcp-health-check', 'mcp-db-pool', 'mcp-deadlock-retry', 'mcp-strangler-router',
  'mcp-shadow-traffic', 'mcp-audit-trail', 'mcp-tenant-context', 'mcp-slo-monitor', 'mcp-graceful-degradation',
];

const playbooks = loadPlaybooks(PLAYBOOKS_DIR);
const byId = new Map(playbooks.map(p => [p.id, p]));
const outline = readPersonaOutline();

function playbookForHeading(heading: string): Playbook | undefined {
  return playbooks.find(p => p.source === heading);
}

function partSources(p: Playbook): string[] {
  return [...p.sections.map(s => s.source), ...p.checklists.map(c => c.source)].filter((s): s is string => !!s);
}

/**
 * Walks the outline. A heading maps to the playbook whose `source` it is; a heading under a playbook's heading maps
 * to a section or checklist of that playbook (or is a playbook of its own); a heading with sub-headings and no
 * playbook is a group whose sub-headings must map. Returns the unmapped headings and each playbook's text.
 */
function mapOutline(): { unmapped: string[]; textOf: Map<string, string[]>; unattributed: string[] } {
  const unmapped: string[] = [];
  const textOf = new Map<string, string[]>();
  const unattributed: string[] = [];
  const collect = (node: OutlineNode, owner: Playbook | undefined) => {
    const own = playbookForHeading(node.heading);
    if (own) owner = own;
    else if (owner && partSources(owner).includes(node.heading)) {
      // a section or checklist of the enclosing playbook
    } else if (owner) {
      unmapped.push(`"${node.heading}" (under "${owner.source}": no section or checklist has it as source)`);
    } else if (node.level >= 3 && !node.children.some(c => c.level <= 4)) {
      if (node.parent?.level !== 2 || node.level !== 5) unmapped.push(`"${node.heading}"`);
    }
    if (owner) textOf.set(owner.id, [...(textOf.get(owner.id) ?? []), ...node.lines]);
    else unattributed.push(...node.lines);
    for (const child of node.children) collect(child, owner);
  };
  for (const top of outline.nodes.filter(n => n.level === 2)) collect(top, undefined);
  return { unmapped, textOf, unattributed: [...unattributed, ...outline.preamble] };
}

/** Numbers a threshold states: its `number` and every number written in its value. */
function thresholdNumbers(p: Playbook): Set<number> {
  const out = new Set<number>();
  for (const t of p.thresholds) {
    if (t.number !== undefined) out.add(t.number);
    for (const n of numbersIn(t.value, [])) out.add(n);
  }
  return out;
}

describe('playbooks: coverage of the persona document', () => {
  const { unmapped, textOf, unattributed } = mapOutline();

  it('reads the outline of the persona document', () => {
    const headings = outline.nodes.map(n => n.heading);
    assert.equal(outline.nodes.filter(n => /^Senior Rule \d+:/.test(n.heading)).length, 5, 'five senior rules');
    assert.equal(outline.nodes.filter(n => /^\d+\. /.test(n.heading)).length, 10, 'ten hard-won lessons');
    assert.ok(headings.includes('Memory Management Mastery') && headings.includes('Technical Excellence Validation'));
    assert.ok(outline.nodes.filter(n => n.level === 4).length >= 20, `only ${outline.nodes.filter(n => n.level === 4).length} level-4 parts`);
  });

  it('has exactly the expected playbooks', () => {
    assert.deepEqual(playbooks.map(p => p.id).sort(), [...PLAYBOOK_IDS].sort());
  });

  it('gives every section, senior rule and sub-heading of the document a playbook, section or checklist', () => {
    assert.deepEqual(unmapped, [], `parts of the persona document without a playbook:\n${unmapped.join('\n')}`);
    for (const id of PLAYBOOK_IDS) assert.ok(textOf.has(id), `${id}: its source heading was not found in the document`);
  });

  it('names real headings as sources, one playbook per heading', () => {
    const headings = new Set(outline.nodes.map(n => n.heading));
    const seen = new Map<string, string>();
    for (const p of playbooks) {
      assert.ok(headings.has(p.source), `${p.id}: source "${p.source}" is not a heading of the persona document`);
      assert.ok(!seen.has(p.source), `${p.id} and ${seen.get(p.source)} both come from "${p.source}"`);
      seen.set(p.source, p.id);
      for (const s of partSources(p)) assert.ok(headings.has(s), `${p.id}: part source "${s}" is not a heading of the persona document`);
    }
  });

  it('carries the senior rule number of the senior-rule playbooks', () => {
    for (const p of playbooks) {
      const m = /^Senior Rule (\d+):/.exec(p.source);
      assert.equal(p.senior_rule, m ? Number(m[1]) : undefined, p.id);
    }
  });

  it("puts every number of a section into that playbook's thresholds", () => {
    const missing: string[] = [];
    for (const [id, lines] of textOf) {
      const have = thresholdNumbers(byId.get(id)!);
      const wanted = [...new Set(numbersIn(lines.join('\n')))];
      const absent = wanted.filter(n => !have.has(n));
      if (absent.length > 0) missing.push(`${id}: ${absent.join(', ')}`);
    }
    assert.deepEqual(missing, [], `numbers of the document missing from the playbook's thresholds:\n${missing.join('\n')}`);
  });

  it('puts the numbers of the parts without a playbook of their own (credentials, preamble) into some threshold', () => {
    const all = new Set(playbooks.flatMap(p => [...thresholdNumbers(p)]));
    const wanted = [...new Set(numbersIn(unattributed.join('\n')))];
    assert.ok(wanted.length >= 4, `expected the credentials' numbers, got ${wanted}`);
    assert.deepEqual(wanted.filter(n => !all.has(n)), []);
  });

  it('states threshold numbers consistently with their values, and only numbers the document gives', () => {
    const documentNumbers = new Set(numbersIn(fs.readFileSync(path.join(REPO_ROOT, 'media/persona.md'), 'utf8'), []));
    const cadence: Record<string, [number, string]> = { quarterly: [3, 'month'], monthly: [1, 'month'], weekly: [1, 'week'] };
    for (const p of playbooks) {
      for (const t of p.thresholds) {
        const where = `${p.id}: threshold "${t.name}"`;
        for (const n of numbersIn(t.value, [])) assert.ok(documentNumbers.has(n), `${where}: ${n} is not a number of the persona document`);
        if (t.number === undefined) continue;
        const word = /\b(quarterly|monthly|weekly)\b/i.exec(t.value.replace(/\bevery (quarter|month|week)\b/gi, '$1ly'))?.[1].toLowerCase();
        if (word) {
          assert.deepEqual([t.number, t.unit], cadence[word], `${where}: "${word}" is ${cadence[word].join(' ')}`);
          continue;
        }
        const written = [...t.value.matchAll(/(\d+(?:\.\d+)?)\s*([MK](?![A-Za-z]))?/g)].map(m => Number(m[1]) * (m[2] === 'M' ? 1e6 : m[2] === 'K' ? 1e3 : 1));
        assert.ok(written.includes(t.number), `${where}: value "${t.value}" does not state ${t.number}`);
      }
    }
  });

  it('answers every proactive trigger of the persona with some playbook', () => {
    const triggers = proactiveTriggers(outline);
    assert.equal(triggers.length, 10);
    const used = new Set<string>(playbooks.flatMap(p => p.triggers ?? []));
    assert.deepEqual(triggers.filter(t => !used.has(t)), []);
  });
});

describe('playbooks: links', () => {
  it('has the sections that rules and the product link to', () => {
    for (const ref of [...Object.values(RULE_LINKS), ...LINKED_SECTIONS]) {
      assert.ok(resolvePlaybookRef(playbooks, ref), `${ref} does not resolve`);
      // The rule pages' metadata check reads the YAML text itself.
      const [id, section] = ref.split('#');
      assert.match(fs.readFileSync(path.join(PLAYBOOKS_DIR, `${id}.yaml`), 'utf8'), new RegExp(`\\bid: ${section}\\b`));
    }
  });

  it('lists each rule in the playbook it links to', () => {
    for (const [ruleId, ref] of Object.entries(RULE_LINKS)) {
      const p = byId.get(ref.split('#')[0])!;
      assert.ok(p.rules.includes(ruleId), `${p.id} does not list ${ruleId}`);
    }
  });

  it('links only rules that exist (the fixed rule set, plus registered rules)', () => {
    const known = new Set([...Object.keys(RULE_LINKS), ...RULES.map(r => r.meta.id)]);
    for (const p of playbooks) {
      for (const r of p.rules) assert.ok(known.has(r), `${p.id}: unknown rule ${r}`);
      for (const c of p.checklists) {
        for (const item of c.items) {
          for (const r of item.rules ?? []) {
            assert.ok(known.has(r), `${p.id}/${c.id}/${item.id}: unknown rule ${r}`);
            assert.ok(p.rules.includes(r), `${p.id}/${c.id}/${item.id} cites ${r}, which the playbook does not list`);
          }
        }
      }
    }
  });

  it('is linked correctly by every registered rule', () => {
    for (const { meta } of RULES) {
      const resolved = resolvePlaybookRef(playbooks, meta.playbook);
      assert.ok(resolved, `${meta.id} links ${meta.playbook}, which does not exist`);
      assert.ok(resolved.playbook.rules.includes(meta.id), `${resolved.playbook.id} does not list ${meta.id}, which links to it`);
      if (RULE_LINKS[meta.id]) assert.equal(meta.playbook, RULE_LINKS[meta.id], meta.id);
    }
  });

  it('links only known snippet prefixes, and uses each of them somewhere', () => {
    const linked = new Set(playbooks.flatMap(p => p.snippets));
    for (const p of playbooks) for (const s of p.snippets) assert.ok(SNIPPET_PREFIXES.includes(s), `${p.id}: unknown snippet ${s}`);
    assert.deepEqual(SNIPPET_PREFIXES.filter(s => !linked.has(s)), [], 'snippets no playbook links');
  });

  it('links snippets that exist in snippets/*.json', function () {
    const dir = path.join(REPO_ROOT, 'snippets');
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter(f => f.endsWith('.json')) : [];
    assert.ok(files.length > 0, 'snippets/*.json exist');
    const prefixes = new Set<string>();
    for (const f of files) {
      const json = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Record<string, { prefix?: string | string[] }>;
      for (const s of Object.values(json)) for (const prefix of [s.prefix ?? []].flat()) prefixes.add(prefix);
    }
    for (const p of playbooks) for (const s of p.snippets) assert.ok(prefixes.has(s), `${p.id}: snippet ${s} is in no snippets/*.json`);
  });

  it('resolves every playbook reference written in the text', () => {
    const problems: string[] = [];
    for (const p of playbooks) {
      const texts = [
        p.summary, ...p.when_to_use, ...p.sections.flatMap(s => s.steps), ...p.thresholds.flatMap(t => [t.value, t.note ?? '']),
        ...p.checklists.flatMap(c => c.items.map(i => i.text)),
      ];
      for (const text of texts) {
        const refs = [
          ...[...text.matchAll(/\(([a-z0-9]+(?:-[a-z0-9]+)+(?:#[a-z0-9-]+)?)\)/g)].map(m => m[1]),
          ...[...text.matchAll(/\b([a-z0-9]+(?:-[a-z0-9]+)+#[a-z0-9-]+)/g)].map(m => m[1]),
        ];
        for (const ref of refs) if (!resolvePlaybookRef(playbooks, ref)) problems.push(`${p.id}: "${ref}" in "${text}"`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('uses every theme', () => {
    const used = new Set(playbooks.map(p => p.theme));
    assert.deepEqual(THEMES.filter(t => !used.has(t.id)).map(t => t.id), []);
  });
});
