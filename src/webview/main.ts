// The playbook sidebar's page script (bundled to dist/webview.js, runs in the webview). It gets the playbooks and
// the workspace's checklist state from the extension in an `init` message, renders the searchable list and the
// detail pages, and posts back only the small messages of ./protocol.ts, which the extension checks again.
import {
  checklistItemKey,
  checklistProgress,
  createSearchIndex,
  playbooksByTheme,
  themeInfo,
  THRESHOLD_KINDS,
  type Checklist,
  type MatchField,
  type Playbook,
  type PlaybookSearchIndex,
  type SearchHit,
  type SearchMatch,
} from '../core/playbooks';
import { append, el, excerpt, highlighted } from './dom';
import type { ExtensionMessage, InitMessage, PlaybookLocation, RuleSummary, SnippetSummary, ViewMessage } from './protocol';

interface VsCodeApi {
  postMessage(message: ViewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type Route = { view: 'list' } | { view: 'detail'; playbookId: string; target?: string };

interface SavedState {
  query: string;
  route: Route;
  activeId?: string;
  history: Route[];
}

const FIELD_LABEL: Readonly<Record<MatchField, string>> = {
  title: 'Title',
  id: 'Id',
  theme: 'Theme',
  source: 'Source',
  provenance: 'Background',
  summary: 'Summary',
  when_to_use: 'When to use',
  section: 'Section',
  step: 'Step',
  threshold: 'Threshold',
  checklist: 'Checklist',
  item: 'Checklist item',
  rule: 'Rule',
  snippet: 'Snippet',
};

const LANGUAGE_NAME: Readonly<Record<string, string>> = { typescript: 'TypeScript', javascript: 'JavaScript', python: 'Python' };
const PAGE_STEP = 10;

const api = acquireVsCodeApi();

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page lacks #${id}`);
  return node as T;
}

const ui = {
  listView: byId<HTMLElement>('list-view'),
  detailView: byId<HTMLElement>('detail-view'),
  search: byId<HTMLInputElement>('search'),
  count: byId<HTMLElement>('result-count'),
  results: byId<HTMLElement>('results'),
  detail: byId<HTMLElement>('detail'),
  back: byId<HTMLButtonElement>('back'),
  openMarkdown: byId<HTMLButtonElement>('open-markdown'),
  loading: byId<HTMLElement>('loading'),
};

const model = {
  playbooks: [] as readonly Playbook[],
  byId: new Map<string, Playbook>(),
  rules: new Map<string, RuleSummary>(),
  snippets: new Map<string, SnippetSummary>(),
  checked: new Set<string>(),
  index: undefined as PlaybookSearchIndex | undefined,
  /** The last search's hits by playbook id, to open a hit at the part that matched. */
  hits: new Map<string, SearchHit>(),
};

let route: Route = { view: 'list' };
let history: Route[] = [];
let activeId: string | undefined;

function post(message: ViewMessage): void {
  api.postMessage(message);
}

function save(): void {
  const state: SavedState = { query: ui.search.value, route, activeId, history };
  api.setState(state);
}

function readSaved(): SavedState | undefined {
  const raw = api.getState() as Partial<SavedState> | undefined;
  if (!raw || typeof raw !== 'object') return undefined;
  const validRoute = (r: unknown): r is Route => {
    const x = r as Route | undefined;
    return !!x && (x.view === 'list' || (x.view === 'detail' && typeof x.playbookId === 'string' && model.byId.has(x.playbookId)));
  };
  return {
    query: typeof raw.query === 'string' ? raw.query : '',
    route: validRoute(raw.route) ? raw.route : { view: 'list' },
    activeId: typeof raw.activeId === 'string' && model.byId.has(raw.activeId) ? raw.activeId : undefined,
    history: Array.isArray(raw.history) ? raw.history.filter(validRoute) : [],
  };
}

// ---------------------------------------------------------------------------------------------- ids

const optionId = (playbookId: string) => `option-${playbookId}`;
const sectionDomId = (sectionId: string) => `section-${sectionId}`;
const thresholdDomId = (index: number) => `threshold-${index}`;
const checklistDomId = (checklistId: string) => `checklist-${checklistId}`;
const itemDomId = (key: string) => `item-${key}`;

function progressText(done: number, total: number): string {
  return `${done} of ${total}`;
}

// ---------------------------------------------------------------------------------------------- list

interface ListGroup {
  key: string;
  title: string;
  items: Array<{ playbook: Playbook; hit?: SearchHit }>;
}

function listGroups(query: string): ListGroup[] {
  if (!query.trim() || !model.index) {
    return playbooksByTheme(model.playbooks).map(g => ({ key: g.theme.id, title: g.theme.title, items: g.playbooks.map(playbook => ({ playbook })) }));
  }
  const hits = model.index.search(query, { limit: model.playbooks.length, matchesPerHit: 4 });
  // Themes in the order of their best hit, so the best hit is always first.
  const groups = new Map<string, ListGroup>();
  for (const hit of hits) {
    const theme = themeInfo(hit.playbook.theme);
    let group = groups.get(theme.id);
    if (!group) groups.set(theme.id, (group = { key: theme.id, title: theme.title, items: [] }));
    group.items.push({ playbook: hit.playbook, hit });
  }
  return [...groups.values()];
}

/** The match worth showing under the title: the best one that is not the title itself. */
function shownMatch(hit: SearchHit | undefined): SearchMatch | undefined {
  return hit?.matches.find(m => m.field !== 'title' && m.field !== 'id');
}

function optionNode(playbook: Playbook, hit: SearchHit | undefined): HTMLElement {
  const { done, total } = checklistProgress(playbook, model.checked);
  const titleMatch = hit?.matches.find(m => m.field === 'title');
  const match = shownMatch(hit);
  const label = `${playbook.title}, ${done} of ${total} checklist items done${match ? `. ${FIELD_LABEL[match.field]}: ${match.text}` : ''}`;
  let second: HTMLElement;
  if (match) {
    const cut = excerpt(match.text, match.ranges);
    second = el('div', { class: 'option-match' }, el('span', { class: 'match-field' }, `${FIELD_LABEL[match.field]}: `), highlighted(cut.text, cut.ranges));
  } else {
    second = el('div', { class: 'option-summary' }, playbook.summary);
  }
  return el(
    'div',
    { role: 'option', id: optionId(playbook.id), class: 'option', 'aria-selected': 'false', 'aria-label': label, 'data-id': playbook.id },
    el(
      'div',
      { class: 'option-row' },
      el('span', { class: 'option-title' }, titleMatch ? highlighted(playbook.title, titleMatch.ranges) : playbook.title),
      el('span', { class: done > 0 ? 'option-progress started' : 'option-progress', 'aria-hidden': 'true' }, progressText(done, total)),
    ),
    second,
  );
}

function optionIds(): string[] {
  return Array.from(ui.results.querySelectorAll<HTMLElement>('[role="option"]')).map(o => o.dataset.id ?? '');
}

function renderList(): void {
  const query = ui.search.value;
  const groups = listGroups(query);
  model.hits = new Map(groups.flatMap(g => g.items.filter(i => i.hit).map(i => [i.playbook.id, i.hit!] as const)));
  ui.results.replaceChildren(
    ...groups.map(g =>
      el(
        'div',
        { role: 'group', class: 'group', 'aria-labelledby': `group-${g.key}` },
        el('div', { class: 'group-heading', id: `group-${g.key}`, role: 'presentation' }, g.title),
        ...g.items.map(i => optionNode(i.playbook, i.hit)),
      ),
    ),
  );
  const shown = groups.reduce((n, g) => n + g.items.length, 0);
  ui.count.textContent = query.trim()
    ? shown === 0
      ? `No playbook matches “${query.trim()}”.`
      : `${shown} of ${model.playbooks.length} playbooks match.`
    : `${model.playbooks.length} playbooks in ${groups.length} themes.`;
  ui.results.classList.toggle('empty', shown === 0);
  const ids = optionIds();
  const keep = activeId && ids.includes(activeId) ? activeId : query.trim() ? ids[0] : undefined;
  setActive(keep, false);
}

function setActive(id: string | undefined, scroll = true): void {
  for (const node of Array.from(ui.results.querySelectorAll<HTMLElement>('[role="option"].active'))) {
    node.classList.remove('active');
    node.setAttribute('aria-selected', 'false');
  }
  activeId = id;
  const node = id ? document.getElementById(optionId(id)) : null;
  if (node) {
    node.classList.add('active');
    node.setAttribute('aria-selected', 'true');
    ui.results.setAttribute('aria-activedescendant', node.id);
    if (scroll) node.scrollIntoView({ block: 'nearest' });
  } else {
    ui.results.removeAttribute('aria-activedescendant');
  }
  save();
}

function moveActive(to: number): void {
  const ids = optionIds();
  if (ids.length === 0) return;
  setActive(ids[Math.max(0, Math.min(ids.length - 1, to))]);
}

function showList(focus: boolean): void {
  route = { view: 'list' };
  history = [];
  ui.detailView.hidden = true;
  ui.listView.hidden = false;
  renderList(); // progress may have changed on the detail page
  if (activeId) document.getElementById(optionId(activeId))?.scrollIntoView({ block: 'nearest' });
  if (focus) (activeId ? ui.results : ui.search).focus({ preventScroll: true });
  save();
}

ui.search.addEventListener('input', () => {
  renderList();
  save();
});

ui.search.addEventListener('keydown', e => {
  const ids = optionIds();
  switch (e.key) {
    case 'ArrowDown':
      if (ids.length === 0) return;
      e.preventDefault();
      ui.results.focus({ preventScroll: true });
      setActive(activeId && ids.includes(activeId) ? activeId : ids[0]);
      break;
    case 'Enter':
      if (ids.length === 0) return;
      e.preventDefault();
      openFromList(activeId && ids.includes(activeId) ? activeId : ids[0]);
      break;
    case 'Escape':
      if (ui.search.value) {
        e.preventDefault();
        ui.search.value = '';
        renderList();
        save();
      }
      break;
  }
});

ui.results.addEventListener('focus', () => {
  if (!activeId) moveActive(0);
});

ui.results.addEventListener('keydown', e => {
  const ids = optionIds();
  const i = activeId ? ids.indexOf(activeId) : -1;
  switch (e.key) {
    case 'ArrowDown':
      moveActive(i + 1);
      break;
    case 'ArrowUp':
      if (i <= 0) ui.search.focus({ preventScroll: true });
      else moveActive(i - 1);
      break;
    case 'Home':
      moveActive(0);
      break;
    case 'End':
      moveActive(ids.length - 1);
      break;
    case 'PageDown':
      moveActive(i + PAGE_STEP);
      break;
    case 'PageUp':
      moveActive(Math.max(0, i - PAGE_STEP));
      break;
    case 'Enter':
    case ' ':
      if (activeId) openFromList(activeId);
      break;
    case 'Escape':
      ui.search.focus({ preventScroll: true });
      break;
    default:
      // Typing in the list goes on in the search box.
      if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) ui.search.focus({ preventScroll: true });
      return;
  }
  e.preventDefault();
});

ui.results.addEventListener('click', e => {
  const option = (e.target as Element).closest<HTMLElement>('[role="option"]');
  if (!option?.dataset.id) return;
  setActive(option.dataset.id, false);
  openFromList(option.dataset.id);
});

/** Opens a list entry; a search hit opens at the part that matched (a section, threshold or checklist item). */
function openFromList(playbookId: string): void {
  setActive(playbookId, false);
  const match = shownMatch(model.hits.get(playbookId));
  history = [];
  openPlaybook(playbookId, match ? targetOf(playbookId, match) : undefined, true);
}

function targetOf(playbookId: string, match: SearchMatch): string | undefined {
  if (match.thresholdIndex !== undefined) return thresholdDomId(match.thresholdIndex);
  if (match.checklistId && match.itemId) return itemDomId(checklistItemKey(playbookId, match.checklistId, match.itemId));
  if (match.checklistId) return checklistDomId(match.checklistId);
  if (match.sectionId) return sectionDomId(match.sectionId);
  return undefined;
}

// ---------------------------------------------------------------------------------------------- detail

function currentPlaybook(): Playbook | undefined {
  return route.view === 'detail' ? model.byId.get(route.playbookId) : undefined;
}

function openPlaybook(playbookId: string, target: string | undefined, focus: boolean): void {
  const playbook = model.byId.get(playbookId);
  if (!playbook) return;
  route = { view: 'detail', playbookId, ...(target ? { target } : {}) };
  renderDetail(playbook);
  ui.listView.hidden = true;
  ui.detailView.hidden = false;
  const targetNode = target ? document.getElementById(target) : null;
  if (targetNode) {
    targetNode.scrollIntoView({ block: 'start' });
    // Show where a search hit or a reveal landed (not when the page merely comes back).
    if (focus) targetNode.classList.add('flash');
    const focusable = targetNode.matches('input, [tabindex]') ? targetNode : targetNode.querySelector<HTMLElement>('h3[tabindex], h4[tabindex]');
    if (focus) (focusable ?? targetNode).focus({ preventScroll: true });
  } else {
    window.scrollTo(0, 0);
    if (focus) byId('detail-title').focus({ preventScroll: true });
  }
  save();
}

function back(): void {
  const previous = history.pop();
  if (previous?.view === 'detail' && model.byId.has(previous.playbookId)) {
    const keep = history;
    openPlaybook(previous.playbookId, previous.target, true);
    history = keep;
    save();
    return;
  }
  showList(true);
}

function heading(level: 'h3' | 'h4', id: string, text: string): HTMLElement {
  return el(level, { id, tabindex: -1 }, text);
}

function block(id: string, title: string, ...children: Node[]): HTMLElement {
  return el('section', { class: 'block', id, 'aria-labelledby': `${id}-heading` }, heading('h3', `${id}-heading`, title), ...children);
}

function progressBar(done: number, total: number, label: string): HTMLElement {
  const bar = el('div', { class: 'bar' });
  // CSSOM, not a style attribute: the policy allows no inline styles.
  bar.style.width = `${total > 0 ? Math.round((done / total) * 100) : 0}%`;
  return el(
    'div',
    { class: 'progress', role: 'progressbar', 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': done, 'aria-valuetext': `${progressText(done, total)} done` },
    bar,
  );
}

function ruleButton(ruleId: string, compact: boolean): HTMLElement {
  const rule = model.rules.get(ruleId);
  if (rule && !rule.hasDoc) return el('code', { class: 'rule-id', title: rule.description || undefined }, ruleId);
  return el(
    'button',
    {
      type: 'button',
      class: compact ? 'link-button rule-link compact' : 'link-button rule-link',
      'data-action': 'rule',
      'data-rule': ruleId,
      title: `Open the documentation of ${ruleId}`,
    },
    ruleId,
  );
}

function checklistNode(playbook: Playbook, checklist: Checklist): HTMLElement {
  const keys = checklist.items.map(i => checklistItemKey(playbook.id, checklist.id, i.id));
  const done = keys.filter(k => model.checked.has(k)).length;
  const headingId = `${checklistDomId(checklist.id)}-heading`;
  return el(
    'div',
    { class: 'checklist', role: 'group', id: checklistDomId(checklist.id), 'aria-labelledby': headingId, 'data-checklist': checklist.id },
    el(
      'div',
      { class: 'checklist-head' },
      el('h4', { id: headingId, tabindex: -1 }, checklist.title),
      el('span', { class: 'count', 'data-count': checklist.id }, progressText(done, keys.length)),
    ),
    el(
      'ul',
      { class: 'items' },
      ...checklist.items.map((item, i) => {
        const key = keys[i];
        const box = el('input', { type: 'checkbox', id: itemDomId(key), 'data-key': key });
        box.checked = model.checked.has(key);
        return el(
          'li',
          { class: 'item' },
          el('label', { for: itemDomId(key) }, box, el('span', { class: 'item-text' }, item.text)),
          item.rules?.length ? el('div', { class: 'item-rules' }, ...item.rules.map(r => ruleButton(r, true))) : null,
        );
      }),
    ),
  );
}

function thresholdTable(playbook: Playbook): HTMLElement {
  const sectionTitle = (id?: string) => (id ? playbook.sections.find(s => s.id === id)?.title : undefined);
  return el(
    'table',
    { class: 'thresholds' },
    el('caption', { class: 'visually-hidden' }, `Thresholds of ${playbook.title}`),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Threshold'), el('th', { scope: 'col' }, 'Value'), el('th', { scope: 'col' }, 'Kind'))),
    el(
      'tbody',
      {},
      ...playbook.thresholds.map((t, i) => {
        const section = sectionTitle(t.section);
        return el(
          'tr',
          { id: thresholdDomId(i), tabindex: -1 },
          el('th', { scope: 'row' }, t.name, section ? el('span', { class: 'cell-note' }, section) : null),
          el('td', {}, t.value, t.note ? el('span', { class: 'cell-note' }, t.note) : null),
          el('td', { class: 'kind', title: THRESHOLD_KINDS[t.kind] ?? '' }, t.kind),
        );
      }),
    ),
  );
}

function snippetNode(prefix: string): HTMLElement {
  const snippet = model.snippets.get(prefix);
  const languages = snippet?.languages ?? [];
  return el(
    'li',
    { class: 'snippet' },
    el(
      'div',
      { class: 'snippet-head' },
      el('code', { class: 'snippet-prefix' }, prefix),
      el(
        'button',
        {
          type: 'button',
          class: 'button',
          'data-action': 'snippet',
          'data-prefix': prefix,
          disabled: languages.length === 0,
          'aria-label': `Insert the ${prefix} snippet at the cursor`,
          title: 'Insert at the cursor of the active editor',
        },
        'Insert',
      ),
    ),
    snippet?.name && snippet.name !== prefix ? el('div', { class: 'snippet-name' }, snippet.name) : null,
    snippet?.description ? el('div', { class: 'snippet-description' }, snippet.description) : null,
    el('div', { class: 'snippet-languages' }, languages.length ? languages.map(l => LANGUAGE_NAME[l] ?? l).join(' · ') : 'Not in any snippet file'),
  );
}

function renderDetail(p: Playbook): void {
  const { done, total } = checklistProgress(p, model.checked);
  const theme = themeInfo(p.theme);
  const related = (p.related ?? []).filter(id => model.byId.has(id));
  ui.detail.replaceChildren();
  append(
    ui.detail,
    el(
      'header',
      { class: 'detail-header' },
      el('h2', { id: 'detail-title', tabindex: -1 }, p.title),
      el('p', { class: 'meta' }, theme.title, p.senior_rule !== undefined ? ` · Senior Rule ${p.senior_rule}` : ''),
      el(
        'div',
        { class: 'overall' },
        progressBar(done, total, 'Checklist progress'),
        el('span', { class: 'overall-text', id: 'overall-progress' }, `${progressText(done, total)} done`),
      ),
    ),
    el('p', { class: 'summary' }, p.summary),
    p.provenance ? el('p', { class: 'provenance' }, p.provenance) : null,
    el('p', { class: 'source' }, 'From: ', p.source),
    block('when', 'When to use', el('ul', {}, ...p.when_to_use.map(w => el('li', {}, w)))),
    ...p.sections.map(s =>
      el(
        'section',
        { class: 'block playbook-section', id: sectionDomId(s.id), 'aria-labelledby': `${sectionDomId(s.id)}-heading` },
        heading('h3', `${sectionDomId(s.id)}-heading`, s.title),
        el('ol', {}, ...s.steps.map(step => el('li', {}, step))),
      ),
    ),
    p.thresholds.length ? block('thresholds', 'Thresholds', thresholdTable(p)) : null,
    block('checklists', 'Checklists', ...p.checklists.map(c => checklistNode(p, c))),
    p.rules.length
      ? block(
          'rules',
          'Rules',
          el(
            'ul',
            { class: 'rules' },
            ...p.rules.map(r => el('li', {}, ruleButton(r, false), model.rules.get(r)?.description ? el('span', { class: 'rule-description' }, model.rules.get(r)!.description) : null)),
          ),
        )
      : null,
    p.snippets.length ? block('snippets', 'Snippets', el('ul', { class: 'snippets' }, ...p.snippets.map(snippetNode))) : null,
    related.length
      ? block(
          'related',
          'Related playbooks',
          el(
            'ul',
            { class: 'related' },
            ...related.map(id => el('li', {}, el('button', { type: 'button', class: 'link-button', 'data-action': 'playbook', 'data-playbook': id }, model.byId.get(id)!.title))),
          ),
        )
      : null,
  );
}

/** After a checkbox changed: the counts and bar, without re-rendering (focus stays on the checkbox). */
function updateProgress(p: Playbook): void {
  const { done, total } = checklistProgress(p, model.checked);
  const overall = document.getElementById('overall-progress');
  if (overall) overall.textContent = `${progressText(done, total)} done`;
  const bar = ui.detail.querySelector<HTMLElement>('.overall .progress');
  if (bar) bar.replaceWith(progressBar(done, total, 'Checklist progress'));
  for (const c of p.checklists) {
    const count = ui.detail.querySelector<HTMLElement>(`[data-count="${CSS.escape(c.id)}"]`);
    const n = c.items.filter(i => model.checked.has(checklistItemKey(p.id, c.id, i.id))).length;
    if (count) count.textContent = progressText(n, c.items.length);
  }
}

ui.detail.addEventListener('change', e => {
  const box = e.target;
  if (!(box instanceof HTMLInputElement) || box.type !== 'checkbox' || !box.dataset.key) return;
  const key = box.dataset.key;
  if (box.checked) model.checked.add(key);
  else model.checked.delete(key);
  post({ type: 'setChecked', key, checked: box.checked });
  const p = currentPlaybook();
  if (p) updateProgress(p);
});

ui.detail.addEventListener('click', e => {
  const button = (e.target as Element).closest<HTMLElement>('[data-action]');
  if (!button) return;
  switch (button.dataset.action) {
    case 'rule':
      if (button.dataset.rule) post({ type: 'openRuleDoc', ruleId: button.dataset.rule });
      break;
    case 'snippet':
      if (button.dataset.prefix) post({ type: 'insertSnippet', prefix: button.dataset.prefix });
      break;
    case 'playbook': {
      const id = button.dataset.playbook;
      if (!id || !model.byId.has(id)) return;
      if (route.view === 'detail') history.push({ view: 'detail', playbookId: route.playbookId, target: `related` });
      const keep = history;
      openPlaybook(id, undefined, true);
      history = keep;
      save();
      break;
    }
  }
});

ui.back.addEventListener('click', () => back());
ui.openMarkdown.addEventListener('click', () => {
  const p = currentPlaybook();
  if (p) post({ type: 'openMarkdown', playbookId: p.id });
});

ui.detailView.addEventListener('keydown', e => {
  if (e.key === 'Escape' || (e.altKey && e.key === 'ArrowLeft')) {
    e.preventDefault();
    back();
  }
});

// ---------------------------------------------------------------------------------------------- messages

function reveal(location: PlaybookLocation): void {
  if (!model.byId.has(location.playbookId)) return;
  history = [];
  setActive(location.playbookId, false);
  model.hits.clear();
  openPlaybook(location.playbookId, location.sectionId ? sectionDomId(location.sectionId) : undefined, true);
}

function init(message: InitMessage): void {
  model.playbooks = message.playbooks;
  model.byId = new Map(message.playbooks.map(p => [p.id, p]));
  model.rules = new Map(message.rules.map(r => [r.id, r]));
  model.snippets = new Map(message.snippets.map(s => [s.prefix, s]));
  model.checked = new Set(message.checked);
  model.index = createSearchIndex(message.playbooks);
  ui.loading.hidden = true;

  const saved = readSaved();
  ui.search.value = saved?.query ?? '';
  activeId = saved?.activeId;
  renderList();
  if (message.reveal) {
    reveal(message.reveal);
  } else if (saved?.route.view === 'detail') {
    const keepHistory = saved.history;
    openPlaybook(saved.route.playbookId, saved.route.target, false);
    history = keepHistory;
    save();
  } else {
    showList(false);
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data as ExtensionMessage | undefined;
  if (!message || typeof message !== 'object') return;
  switch (message.type) {
    case 'init':
      init(message);
      break;
    case 'checked': {
      model.checked = new Set(message.checked);
      const p = currentPlaybook();
      if (p) renderDetail(p);
      else renderList();
      break;
    }
    case 'reveal':
      reveal(message.location);
      break;
  }
});

post({ type: 'ready' });
