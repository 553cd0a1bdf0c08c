// Playbooks: the architect's patterns as data (media/playbooks/*.yaml, schema in playbook-schema.json).
// Pure functions over a `Playbook[]`: look-up, grouping, search, Markdown, checklist keys. No `vscode`, no fs.
// The data comes from `./playbook-data` (bundled at build time) or, in Node tools and tests, `loadPlaybooks()`.
import { ruleDocUrl } from './docs';

export type ThemeId =
  | 'principles'
  | 'resilience'
  | 'performance'
  | 'data'
  | 'operations'
  | 'security'
  | 'migration'
  | 'people'
  | 'protocol'
  | 'observability'
  | 'outcomes';

export interface ThemeInfo {
  id: ThemeId;
  title: string;
  description: string;
}

/** Sidebar groups, in display order. */
export const THEMES: readonly ThemeInfo[] = [
  { id: 'principles', title: 'Principles', description: 'The senior rules and hard-won lessons every design decision is checked against.' },
  { id: 'resilience', title: 'Resilience', description: 'Keeping one failure from taking the rest down.' },
  { id: 'performance', title: 'Performance', description: 'Where the order-of-magnitude wins are, and keeping memory bounded.' },
  { id: 'data', title: 'Data', description: 'Databases: pools, queries and transactions.' },
  { id: 'operations', title: 'Operations', description: 'Running production incidents.' },
  { id: 'security', title: 'Security', description: 'Detecting, containing and recovering from security incidents.' },
  { id: 'migration', title: 'Migration & integration', description: 'Moving off legacy systems and across platform generations.' },
  { id: 'people', title: 'Teams & governance', description: 'Ownership, standards, mentoring and how teams decide.' },
  { id: 'protocol', title: 'Protocol & topology', description: 'Enterprise protocol extensions and multi-region deployments.' },
  { id: 'observability', title: 'Observability', description: 'Metrics, logs, traces and alerts that help during an incident.' },
  { id: 'outcomes', title: 'Deliverables & success', description: 'What the architect delivers and how success is judged.' },
];

export type ThresholdKind = 'limit' | 'trigger' | 'target' | 'window' | 'cadence' | 'allocation' | 'impact' | 'scale';

export const THRESHOLD_KINDS: Readonly<Record<ThresholdKind, string>> = {
  limit: 'a bound to configure',
  trigger: 'the level at which something fires',
  target: 'a goal or deadline',
  window: 'how long something is kept or supported',
  cadence: 'how often',
  allocation: 'a share or budget of time, traffic or scope',
  impact: 'the size of an effect',
  scale: 'the scale the advice was proven at',
};

/** Units of `Threshold.number`: time, share, memory, multiplier, rates and counts. */
export const THRESHOLD_UNITS = [
  'ms',
  's',
  'min',
  'h',
  'day',
  'week',
  'month',
  'year',
  '%',
  'MB',
  'x',
  'entries',
  'failures',
  'requests/day',
  'transactions/day',
  'count',
] as const;

export type ThresholdUnit = (typeof THRESHOLD_UNITS)[number];

export interface Threshold {
  name: string;
  /** As people read it, e.g. "> 200 ms at p99". */
  value: string;
  /** The quantity, when the value is one (always together with `unit`). */
  number?: number;
  unit?: ThresholdUnit;
  kind: ThresholdKind;
  /** Section of the same playbook the threshold belongs to. */
  section?: string;
  note?: string;
}

export interface PlaybookSection {
  /** Anchor for links such as `circuit-breaker-cascade#dependency-isolation`. */
  id: string;
  title: string;
  /** The persona sub-heading the section comes from, when it has one. */
  source?: string;
  steps: readonly string[];
}

export interface ChecklistItem {
  /** Stable within its checklist: checked state is stored under `checklistItemKey(...)`. */
  id: string;
  text: string;
  /** Rules whose silence is evidence for this item. */
  rules?: readonly string[];
}

export interface Checklist {
  id: string;
  title: string;
  source?: string;
  items: readonly ChecklistItem[];
}

export type ProactiveTrigger =
  | 'mission_critical_mcp_architecture_required'
  | 'enterprise_scale_mcp_deployment_needed'
  | 'complex_multi_team_mcp_coordination_required'
  | 'mcp_protocol_extension_or_customization_needed'
  | 'mcp_performance_crisis_or_scale_emergency'
  | 'mcp_security_incident_response_required'
  | 'legacy_system_mcp_integration_challenges'
  | 'mcp_technology_migration_strategy_needed'
  | 'cross_platform_mcp_standardization_required'
  | 'mcp_team_mentorship_and_knowledge_transfer';

export interface Playbook {
  id: string;
  title: string;
  theme: ThemeId;
  /** The persona heading the playbook comes from. */
  source: string;
  senior_rule?: number;
  provenance?: string;
  summary: string;
  when_to_use: readonly string[];
  triggers?: readonly ProactiveTrigger[];
  sections: readonly PlaybookSection[];
  thresholds: readonly Threshold[];
  checklists: readonly Checklist[];
  /** Ids of the rules that implement the playbook. */
  rules: readonly string[];
  /** Prefixes of the snippets that implement it. */
  snippets: readonly string[];
  related?: readonly string[];
}

// ---------------------------------------------------------------------------------------------- look-up

export function getPlaybook(playbooks: readonly Playbook[], id: string): Playbook | undefined {
  return playbooks.find(p => p.id === id);
}

/** Resolves "<playbook-id>" or "<playbook-id>#<section-id>" (the form rules link with). */
export function resolvePlaybookRef(
  playbooks: readonly Playbook[],
  ref: string,
): { playbook: Playbook; section?: PlaybookSection } | undefined {
  const [id, sectionId] = ref.split('#', 2);
  const playbook = getPlaybook(playbooks, id);
  if (!playbook) return undefined;
  if (!sectionId) return { playbook };
  const section = playbook.sections.find(s => s.id === sectionId);
  return section ? { playbook, section } : undefined;
}

export function themeInfo(theme: ThemeId): ThemeInfo {
  return THEMES.find(t => t.id === theme) ?? { id: theme, title: theme, description: '' };
}

export interface ThemeGroup {
  theme: ThemeInfo;
  playbooks: Playbook[];
}

/** Playbooks grouped by theme, themes in `THEMES` order, playbooks by title; empty themes are left out. */
export function playbooksByTheme(playbooks: readonly Playbook[]): ThemeGroup[] {
  return THEMES.map(theme => ({
    theme,
    playbooks: playbooks.filter(p => p.theme === theme.id).sort((a, b) => a.title.localeCompare(b.title, 'en')),
  })).filter(g => g.playbooks.length > 0);
}

export function playbooksForRule(playbooks: readonly Playbook[], ruleId: string): Playbook[] {
  return playbooks.filter(p => p.rules.includes(ruleId));
}

export function playbooksForSnippet(playbooks: readonly Playbook[], prefix: string): Playbook[] {
  return playbooks.filter(p => p.snippets.includes(prefix));
}

export interface ThresholdEntry {
  playbook: Playbook;
  threshold: Threshold;
}

/** Every threshold with its playbook, optionally only of some kinds or units. */
export function allThresholds(
  playbooks: readonly Playbook[],
  filter: { kinds?: readonly ThresholdKind[]; units?: readonly ThresholdUnit[] } = {},
): ThresholdEntry[] {
  const out: ThresholdEntry[] = [];
  for (const playbook of playbooks) {
    for (const threshold of playbook.thresholds) {
      if (filter.kinds && !filter.kinds.includes(threshold.kind)) continue;
      if (filter.units && (!threshold.unit || !filter.units.includes(threshold.unit))) continue;
      out.push({ playbook, threshold });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- checklists

/** The key under which a checklist item's state is stored: "<playbook>/<checklist>/<item>". */
export function checklistItemKey(playbookId: string, checklistId: string, itemId: string): string {
  return `${playbookId}/${checklistId}/${itemId}`;
}

export function parseChecklistItemKey(key: string): { playbookId: string; checklistId: string; itemId: string } | undefined {
  const parts = key.split('/');
  if (parts.length !== 3 || parts.some(p => p.length === 0)) return undefined;
  return { playbookId: parts[0], checklistId: parts[1], itemId: parts[2] };
}

/** Keys of every checklist item of one playbook, in order. */
export function checklistItemKeys(playbook: Playbook): string[] {
  return playbook.checklists.flatMap(c => c.items.map(i => checklistItemKey(playbook.id, c.id, i.id)));
}

/** Keys of every checklist item of every playbook (to prune stored state of items that no longer exist). */
export function allChecklistItemKeys(playbooks: readonly Playbook[]): string[] {
  return playbooks.flatMap(checklistItemKeys);
}

export function checklistProgress(playbook: Playbook, checked: Iterable<string>): { done: number; total: number } {
  const set = toSet(checked);
  const keys = checklistItemKeys(playbook);
  return { done: keys.filter(k => set.has(k)).length, total: keys.length };
}

function toSet(keys: Iterable<string> | undefined): ReadonlySet<string> {
  return keys instanceof Set ? keys : new Set(keys ?? []);
}

// ---------------------------------------------------------------------------------------------- search

export type MatchField =
  | 'title'
  | 'id'
  | 'theme'
  | 'source'
  | 'provenance'
  | 'summary'
  | 'when_to_use'
  | 'section'
  | 'step'
  | 'threshold'
  | 'checklist'
  | 'item'
  | 'rule'
  | 'snippet';

export interface SearchMatch {
  field: MatchField;
  /** The whole text that matched (for a threshold "name: value"). */
  text: string;
  /** [start, end) offsets into `text` of the matched words, for highlighting. */
  ranges: Array<[number, number]>;
  sectionId?: string;
  checklistId?: string;
  itemId?: string;
  /** Index into `playbook.thresholds`. */
  thresholdIndex?: number;
}

export interface SearchHit {
  playbook: Playbook;
  score: number;
  /** Best matches first. */
  matches: SearchMatch[];
}

export interface SearchOptions {
  /** Most hits returned (default 50). */
  limit?: number;
  /** Most matches listed per hit (default 5). */
  matchesPerHit?: number;
}

const FIELD_WEIGHT: Readonly<Record<MatchField, number>> = {
  title: 10,
  id: 8,
  threshold: 6,
  section: 5,
  source: 5,
  rule: 4,
  snippet: 4,
  theme: 3,
  summary: 3,
  checklist: 3,
  step: 2,
  item: 2,
  when_to_use: 2,
  provenance: 2,
};

export interface SearchToken {
  text: string;
  /** Offsets into the original text. */
  start: number;
  end: number;
}

interface IndexedField {
  field: MatchField;
  text: string;
  tokens: SearchToken[];
  ref: Pick<SearchMatch, 'sectionId' | 'checklistId' | 'itemId' | 'thresholdIndex'>;
}

interface Term {
  text: string;
  numeric: boolean;
  /** The word being typed: may match a word's beginning. */
  open: boolean;
}

/**
 * Case- and accent-insensitive words and numbers of `text`, with their offsets in `text`.
 * Letters and digits split ("p99" is "p" and "99", "200ms" is "200" and "ms"); "99.9" stays one number; "%" is a word.
 */
export function searchTokens(text: string): SearchToken[] {
  let folded = '';
  const origin: number[] = []; // origin[i]: offset in `text` of folded[i]
  const originEnd: number[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const f = foldChar(ch);
    // A combining mark folds to nothing; it still belongs to the letter before it.
    if (f.length === 0 && originEnd.length > 0) originEnd[originEnd.length - 1] = i + ch.length;
    for (let k = 0; k < f.length; k++) {
      origin.push(i);
      originEnd.push(i + ch.length);
    }
    folded += f;
    i += ch.length;
  }
  const tokens: SearchToken[] = [];
  for (const m of folded.matchAll(/\p{L}+|\p{N}+(?:\.\p{N}+)?|%/gu)) {
    const s = m.index!;
    const e = s + m[0].length;
    tokens.push({ text: m[0], start: origin[s], end: originEnd[e - 1] });
  }
  return tokens;
}

function foldChar(ch: string): string {
  if (ch === '×') return 'x';
  return ch.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

function indexPlaybook(p: Playbook): IndexedField[] {
  const fields: IndexedField[] = [];
  const add = (field: MatchField, text: string, ref: IndexedField['ref'] = {}) => fields.push({ field, text, tokens: searchTokens(text), ref });
  add('title', p.title);
  add('id', p.id);
  const theme = themeInfo(p.theme);
  add('theme', theme.id === theme.title.toLowerCase() ? theme.title : `${theme.title} (${theme.id})`);
  add('source', p.source);
  if (p.provenance) add('provenance', p.provenance);
  add('summary', p.summary);
  for (const w of p.when_to_use) add('when_to_use', w);
  for (const s of p.sections) {
    add('section', s.title, { sectionId: s.id });
    for (const step of s.steps) add('step', step, { sectionId: s.id });
  }
  p.thresholds.forEach((t, i) => add('threshold', thresholdText(t), { thresholdIndex: i, sectionId: t.section }));
  for (const c of p.checklists) {
    add('checklist', c.title, { checklistId: c.id });
    for (const item of c.items) add('item', item.text, { checklistId: c.id, itemId: item.id });
  }
  for (const r of p.rules) add('rule', r);
  for (const s of p.snippets) add('snippet', s);
  return fields;
}

function thresholdText(t: Threshold): string {
  return `${t.name}: ${t.value}${t.note ? ` (${t.note})` : ''}`;
}

/** 1 for the same word, 0.7 for a word being typed that begins one, 0.3 for a longer word found inside one, else 0. */
function termQuality(term: Term, token: string): number {
  if (token === term.text) return 1;
  if (term.numeric) return term.open && token.startsWith(term.text) && /^\d/.test(token) ? 0.7 : 0;
  if (token.startsWith(term.text) && (term.open || term.text.length >= 4)) return 0.7;
  if (term.text.length >= 3 && token.includes(term.text)) return 0.3;
  return 0;
}

function queryTerms(query: string): Term[] {
  const tokens = searchTokens(query);
  const endsOpen = !/\s$/.test(query);
  return tokens.map((t, i) => ({ text: t.text, numeric: /^\d/.test(t.text), open: endsOpen && i === tokens.length - 1 }));
}

export interface PlaybookSearchIndex {
  search(query: string, options?: SearchOptions): SearchHit[];
}

/** Pre-tokenises every playbook once; `search` then runs per keystroke. */
export function createSearchIndex(playbooks: readonly Playbook[]): PlaybookSearchIndex {
  const indexed = playbooks.map(p => ({ playbook: p, fields: indexPlaybook(p) }));
  return {
    search(query, options = {}) {
      const terms = queryTerms(query);
      if (terms.length === 0) return [];
      const hits: SearchHit[] = [];
      for (const { playbook, fields } of indexed) {
        const hit = scorePlaybook(playbook, fields, terms, options.matchesPerHit ?? 5);
        if (hit) hits.push(hit);
      }
      hits.sort((a, b) => b.score - a.score || a.playbook.title.localeCompare(b.playbook.title, 'en'));
      return hits.slice(0, options.limit ?? 50);
    },
  };
}

const indexCache = new WeakMap<readonly Playbook[], PlaybookSearchIndex>();

/**
 * As-you-type search over titles, summaries, sections, steps, thresholds (names, values and numbers), checklists,
 * rule ids and snippet prefixes. Every word of the query must occur in the playbook; the last word may be
 * unfinished. Ranked by where the words occur (title first) and whether they occur together. Empty query: no hits.
 */
export function searchPlaybooks(playbooks: readonly Playbook[], query: string, options?: SearchOptions): SearchHit[] {
  let index = indexCache.get(playbooks);
  if (!index) {
    index = createSearchIndex(playbooks);
    indexCache.set(playbooks, index);
  }
  return index.search(query, options);
}

function scorePlaybook(playbook: Playbook, fields: IndexedField[], terms: Term[], matchesPerHit: number): SearchHit | undefined {
  const best = new Array<number>(terms.length).fill(0);
  const total = new Array<number>(terms.length).fill(0);
  const scored: Array<{ match: SearchMatch; termsMatched: number; fieldScore: number; order: number }> = [];
  let bonus = 0;
  fields.forEach((f, order) => {
    const weight = FIELD_WEIGHT[f.field];
    const perTerm = terms.map(term => {
      let q = 0;
      const ranges: Array<[number, number]> = [];
      for (const tok of f.tokens) {
        const tq = termQuality(term, tok.text);
        if (tq > 0) ranges.push([tok.start, tok.end]);
        if (tq > q) q = tq;
      }
      return { q, ranges };
    });
    let termsMatched = 0;
    let fieldScore = 0;
    perTerm.forEach(({ q }, i) => {
      if (q > 0) termsMatched++;
      fieldScore += weight * q;
      total[i] += weight * q;
      best[i] = Math.max(best[i], weight * q);
    });
    if (termsMatched === 0) return;
    // Words that occur together in one field, better still in order, outrank words scattered over the playbook.
    if (terms.length > 1 && termsMatched === terms.length) {
      const together = weight * (hasPhrase(f.tokens, terms) ? 1.5 : 0.5);
      fieldScore += together;
      bonus = Math.max(bonus, together);
    }
    const ranges = mergeRanges(perTerm.flatMap(t => t.ranges));
    scored.push({ match: { field: f.field, text: f.text, ranges, ...definedOnly(f.ref) }, termsMatched, fieldScore, order });
  });
  if (best.some(b => b === 0)) return undefined;
  scored.sort((a, b) => b.termsMatched - a.termsMatched || b.fieldScore - a.fieldScore || a.order - b.order);
  // A word that recurs across the playbook adds a little, never more than half its best match again.
  const breadth = best.reduce((s, b, i) => s + Math.min((total[i] - b) * 0.1, b * 0.5), 0);
  const score = Math.round((best.reduce((s, b) => s + b, 0) + bonus + breadth) * 100) / 100;
  return { playbook, score, matches: scored.slice(0, matchesPerHit).map(s => s.match) };
}

function hasPhrase(tokens: SearchToken[], terms: Term[]): boolean {
  outer: for (let i = 0; i + terms.length <= tokens.length; i++) {
    for (let k = 0; k < terms.length; k++) {
      const t = terms[k];
      const tok = tokens[i + k].text;
      const ok = tok === t.text || (k === terms.length - 1 && t.open && tok.startsWith(t.text));
      if (!ok) continue outer;
    }
    return true;
  }
  return false;
}

function mergeRanges(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ---------------------------------------------------------------------------------------------- Markdown

export interface PlaybookMarkdownOptions {
  /** Level of the playbook's title heading (default 1); the rest nests under it. */
  headingLevel?: number;
  /** Checked item keys (`checklistItemKey`), rendered `[x]`. */
  checked?: Iterable<string>;
  /** `<a id="section-id"></a>` before each section heading, so `playbook#section` links land (default true). */
  anchors?: boolean;
  /** Link target for a rule id; default the rule's documentation page. Return undefined for no link. */
  ruleLink?: (ruleId: string) => string | undefined;
  /** Playbook titles for the related list (default: the ids alone). */
  titleOf?: (playbookId: string) => string | undefined;
}

/** The whole playbook as Markdown (an MCP resource, a document to export). */
export function playbookToMarkdown(playbook: Playbook, options: PlaybookMarkdownOptions = {}): string {
  const level = Math.min(Math.max(options.headingLevel ?? 1, 1), 4);
  const h = (n: number) => '#'.repeat(Math.min(level + n, 6));
  const anchors = options.anchors ?? true;
  const ruleLink = options.ruleLink ?? ruleDocUrl;
  const checked = toSet(options.checked);
  const out: string[] = [];

  out.push(`${h(0)} ${playbook.title}`, '', playbook.summary.trim(), '');
  const meta = [`**Theme:** ${themeInfo(playbook.theme).title}`, `**From:** ${playbook.source}`];
  if (playbook.senior_rule !== undefined) meta.push(`**Senior Rule ${playbook.senior_rule}**`);
  out.push(meta.join(' · '));
  if (playbook.provenance) out.push('', `*${playbook.provenance.trim()}*`);
  out.push('', `${h(1)} When to use`, '', ...playbook.when_to_use.map(w => `- ${w}`), '');

  for (const s of playbook.sections) {
    if (anchors) out.push(`<a id="${s.id}"></a>`, '');
    out.push(`${h(1)} ${s.title}`, '', ...s.steps.map((step, i) => `${i + 1}. ${step}`), '');
  }

  if (playbook.thresholds.length > 0) {
    out.push(`${h(1)} Thresholds`, '', thresholdTable(playbook), '');
  }

  out.push(`${h(1)} Checklists`, '');
  for (const c of playbook.checklists) {
    out.push(`${h(2)} ${c.title}`, '');
    for (const item of c.items) {
      const box = checked.has(checklistItemKey(playbook.id, c.id, item.id)) ? '[x]' : '[ ]';
      const rules = item.rules?.length ? ` (${item.rules.map(r => `\`${r}\``).join(', ')})` : '';
      out.push(`- ${box} ${item.text}${rules}`);
    }
    out.push('');
  }

  if (playbook.rules.length > 0) {
    out.push(`${h(1)} Rules`, '');
    for (const r of playbook.rules) {
      const link = ruleLink(r);
      out.push(link ? `- [\`${r}\`](${link})` : `- \`${r}\``);
    }
    out.push('');
  }
  if (playbook.snippets.length > 0) {
    out.push(`${h(1)} Snippets`, '', playbook.snippets.map(s => `\`${s}\``).join(', '), '');
  }
  if (playbook.related?.length) {
    out.push(`${h(1)} Related playbooks`, '');
    for (const id of playbook.related) {
      const title = options.titleOf?.(id);
      out.push(title ? `- ${title} (\`${id}\`)` : `- \`${id}\``);
    }
    out.push('');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** The thresholds of a playbook as a Markdown table. */
export function thresholdTable(playbook: Playbook): string {
  const sectionTitle = (id?: string) => (id ? (playbook.sections.find(s => s.id === id)?.title ?? id) : '');
  // The note column only when some threshold has a note.
  const notes = playbook.thresholds.some(t => t.note);
  const rows = playbook.thresholds.map(
    t => `| ${cell(t.name)} | ${cell(t.value)} | ${t.kind} | ${cell(sectionTitle(t.section))} |${notes ? ` ${cell(t.note ?? '')} |` : ''}`,
  );
  const head = notes ? ['| Threshold | Value | Kind | Section | Note |', '|---|---|---|---|---|'] : ['| Threshold | Value | Kind | Section |', '|---|---|---|---|'];
  return [...head, ...rows].join('\n');
}

function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

export interface ArchitectureReviewOptions {
  /** What is being reviewed (a project or service name). */
  subject?: string;
  /** Date line, e.g. "2025-06-01"; left out when absent (the functions here read no clock). */
  date?: string;
  /** Checked item keys. */
  checked?: Iterable<string>;
  /** Notes per item key, rendered under the item. */
  notes?: Readonly<Record<string, string>>;
  /** Include each playbook's threshold table (default true). */
  thresholds?: boolean;
}

/**
 * An architecture review: progress per playbook, then each playbook's checklists with their state and notes,
 * its thresholds, and finally every open item.
 */
export function architectureReviewMarkdown(playbooks: readonly Playbook[], options: ArchitectureReviewOptions = {}): string {
  const checked = toSet(options.checked);
  const notes = options.notes ?? {};
  const out: string[] = [`# Architecture review${options.subject ? `: ${options.subject}` : ''}`, ''];
  if (options.date) out.push(`Date: ${options.date}`, '');

  let done = 0;
  let total = 0;
  const rows: string[] = [];
  for (const p of playbooks) {
    const progress = checklistProgress(p, checked);
    done += progress.done;
    total += progress.total;
    rows.push(`| ${cell(p.title)} | ${themeInfo(p.theme).title} | ${progress.done}/${progress.total} |`);
  }
  out.push(`${done} of ${total} checklist items done.`, '', '| Playbook | Theme | Done |', '|---|---|---|', ...rows, '');

  const open: string[] = [];
  for (const p of playbooks) {
    out.push(`## ${p.title}`, '', p.summary.trim(), '');
    for (const c of p.checklists) {
      out.push(`### ${c.title}`, '');
      for (const item of c.items) {
        const key = checklistItemKey(p.id, c.id, item.id);
        const isDone = checked.has(key);
        out.push(`- [${isDone ? 'x' : ' '}] ${item.text}`);
        const note = notes[key]?.trim();
        if (note) out.push(`  - ${note.replace(/\s*\n\s*/g, ' ')}`);
        if (!isDone) open.push(`- **${p.title}** — ${item.text}`);
      }
      out.push('');
    }
    if ((options.thresholds ?? true) && p.thresholds.length > 0) out.push('### Thresholds', '', thresholdTable(p), '');
  }
  out.push('## Open items', '', ...(open.length > 0 ? open : ['None.']), '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
