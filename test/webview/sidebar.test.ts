// The playbook sidebar's page in headless Chromium: the real HTML (with its CSP) and the built dist/webview.js,
// talking to a host made of the extension's own allow-list, checklist state and init message.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PLAYBOOKS } from '../../src/core/playbook-data';
import { checklistItemKey, createSearchIndex, getPlaybook, type Playbook } from '../../src/core/playbooks';
import { CHECKLIST_STATE_KEY } from '../../src/extension/checklist-state';
import {
  DARK_MODERN,
  LIGHT_MODERN,
  MemoryMemento,
  SCREENSHOTS,
  applyTheme,
  ensureWebviewBundle,
  launchChromium,
  openView,
  startPageServer,
  type OpenedView,
  type PageServer,
} from './harness';

const CIRCUIT = getPlaybook(PLAYBOOKS, 'circuit-breaker-cascade')!;

async function optionTitles(page: Page): Promise<string[]> {
  return page.locator('#results [role="option"] .option-title').allTextContents();
}

async function optionIds(page: Page): Promise<string[]> {
  return page.locator('#results [role="option"]').evaluateAll(nodes => nodes.map(n => (n as HTMLElement).dataset.id ?? ''));
}

async function activeElementId(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.id ?? '');
}

async function openFromList(page: Page, title: string): Promise<void> {
  await page.locator('#results [role="option"]', { hasText: title }).first().click();
  await page.locator('#detail-view').waitFor({ state: 'visible' });
}

describe('playbook sidebar page (Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: PageServer;
  const opened: OpenedView[] = [];

  async function view(options: Partial<Parameters<typeof openView>[2]> = {}): Promise<OpenedView> {
    const v = await openView(browser, server, { playbooks: PLAYBOOKS, memento: new MemoryMemento(), ...options });
    opened.push(v);
    return v;
  }

  before(async function () {
    this.timeout(120_000);
    ensureWebviewBundle();
    server = await startPageServer();
    browser = await launchChromium();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterEach(async function () {
    // Every page of every test: no CSP violation, no console error, every message allowed.
    for (const v of opened.splice(0)) {
      const violations = await v.violations().catch(() => [] as string[]);
      const expectViolation = this.currentTest?.title.includes('CSP is in force');
      if (!expectViolation) assert.deepEqual(violations, [], 'CSP violations');
      assert.deepEqual(v.errors, [], 'console errors');
      assert.deepEqual(v.host.refused, [], 'messages refused by the allow-list');
      await v.page.context().close();
    }
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  describe('the page', () => {
    it('is served with a fresh nonce each time, and its script and stylesheet load under the CSP', async () => {
      const a = await view();
      const b = await view();
      assert.equal(server.nonces.length >= 2, true);
      assert.notEqual(server.nonces.at(-1), server.nonces.at(-2));
      const csp = await a.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      assert.match(csp!, /default-src 'none'/);
      assert.doesNotMatch(csp!, /unsafe-eval|unsafe-inline|\*/);
      // The script ran (it asked for its data) and the stylesheet applies (the search box is full width).
      assert.equal(a.host.messagesOf('ready').length, 1);
      const width = await b.page.locator('#search').evaluate(e => e.getBoundingClientRect().width);
      assert.ok(width > 300, `search box width ${width}`);
    });

    it('has the ARIA roles: labelled regions, a listbox of options in groups, a live region for the count', async () => {
      const { page } = await view();
      assert.equal(await page.locator('#list-view').getAttribute('aria-label'), 'Playbooks');
      assert.equal(await page.locator('#detail-view').getAttribute('aria-labelledby'), 'detail-title');
      assert.equal(await page.locator('#results').getAttribute('role'), 'listbox');
      assert.equal(await page.locator('#result-count').getAttribute('role'), 'status');
      assert.equal(await page.locator('#result-count').getAttribute('aria-live'), 'polite');
      assert.equal(await page.locator('#results [role="option"]').count(), PLAYBOOKS.length);
      const groups = page.locator('#results [role="group"]');
      assert.ok((await groups.count()) >= 5);
      for (const g of await groups.all()) {
        const labelId = await g.getAttribute('aria-labelledby');
        assert.ok(labelId && (await page.locator(`[id="${labelId}"]`).textContent())?.trim(), 'each group is labelled');
      }
      assert.match((await page.locator('#result-count').textContent())!, new RegExp(`^${PLAYBOOKS.length} playbooks in \\d+ themes\\.$`));
      // Each option says its checklist progress.
      const label = await page.locator(`[id="option-${CIRCUIT.id}"]`).getAttribute('aria-label');
      assert.match(label!, /Circuit Breaker Cascade Protection, 0 of 10 checklist items done/);
    });

    it('CSP is in force: an injected inline handler is blocked and reported (so the violation check can fail)', async () => {
      const v = await view();
      await v.page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<img id="probe" src="/nope.png" onerror="window.__pwned = 1">'));
      await v.page.waitForFunction(() => (window as unknown as { __violations: string[] }).__violations.length > 0, undefined, { timeout: 5_000 });
      const violations = await v.violations();
      assert.ok(violations.some(x => /^script-src/.test(x)), violations.join('\n'));
      assert.equal(await v.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      v.errors.length = 0; // the 404 of the probe image
    });
  });

  describe('search as you type', () => {
    it('filters by title, keystroke by keystroke, and highlights the match', async () => {
      const { page } = await view();
      await page.locator('#search').focus();
      const counts: number[] = [];
      for (const ch of 'circuit') {
        await page.keyboard.type(ch);
        counts.push(await page.locator('#results [role="option"]').count());
      }
      assert.ok(counts[0] <= PLAYBOOKS.length && counts.at(-1)! < counts[0], `counts per keystroke ${counts.join(', ')}`);
      const titles = await optionTitles(page);
      assert.equal(titles[0], CIRCUIT.title);
      assert.equal(await page.locator(`[id="option-${CIRCUIT.id}"] .option-title mark`).first().textContent(), 'Circuit');
      assert.match((await page.locator('#result-count').textContent())!, /^\d+ of 24 playbooks match\.$/);
    });

    it('finds words that are only in the text (not in any title)', async () => {
      const { page } = await view();
      const word = 'jitter';
      const expected = createSearchIndex(PLAYBOOKS).search(word).map(h => h.playbook.id);
      assert.ok(expected.length > 0 && !PLAYBOOKS.some(p => p.title.toLowerCase().includes(word)));
      await page.locator('#search').fill(word);
      const ids = await optionIds(page);
      assert.deepEqual([...ids].sort(), [...expected].sort());
      for (const id of ids) assert.match(JSON.stringify(getPlaybook(PLAYBOOKS, id)).toLowerCase(), /jitter/);
      // The line under each title shows where the word is, highlighted.
      const marks = await page.locator('#results .option-match mark').allTextContents();
      assert.ok(marks.length >= ids.length && marks.every(m => m.toLowerCase().startsWith('jitter')), marks.join(', '));
    });

    for (const query of ['200 ms', 'p99']) {
      it(`finds thresholds ("${query}") and opens the hit at the threshold's row`, async () => {
        const { page } = await view();
        await page.locator('#search').fill(query);
        const ids = await optionIds(page);
        assert.ok(ids.includes(CIRCUIT.id), `${CIRCUIT.id} among ${ids.join(', ')}`);
        const match = (await page.locator(`[id="option-${CIRCUIT.id}"] .option-match`).textContent())!;
        assert.match(match, /^Threshold: Latency alert: p99 > 200 ms/);
        await page.locator(`[id="option-${CIRCUIT.id}"]`).click();
        const row = CIRCUIT.thresholds.findIndex(t => t.name === 'Latency alert');
        await page.locator(`#threshold-${row}`).waitFor({ state: 'visible' });
        assert.equal(await activeElementId(page), `threshold-${row}`);
        assert.ok(await page.locator(`#threshold-${row}`).isVisible());
        assert.match((await page.locator(`#threshold-${row}`).textContent())!, /200 ms/);
      });
    }

    it('says so when nothing matches, and Escape clears the search', async () => {
      const { page } = await view();
      await page.locator('#search').fill('zzqqxx');
      assert.equal(await page.locator('#results [role="option"]').count(), 0);
      assert.equal(await page.locator('#result-count').textContent(), 'No playbook matches “zzqqxx”.');
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('#search').inputValue(), '');
      assert.equal(await page.locator('#results [role="option"]').count(), PLAYBOOKS.length);
    });

    it('keeps the query and the page across a reload (webview state)', async () => {
      const { page } = await view();
      await page.locator('#search').fill('bulkhead');
      const before = await optionIds(page);
      await page.reload();
      await page.locator('#loading').waitFor({ state: 'hidden' });
      assert.equal(await page.locator('#search').inputValue(), 'bulkhead');
      assert.deepEqual(await optionIds(page), before);
    });
  });

  describe('keyboard', () => {
    it('moves through the list with the arrow keys, opens with Enter, goes back with Escape', async () => {
      const { page } = await view();
      const ids = await optionIds(page);
      await page.locator('#search').focus();
      await page.keyboard.press('ArrowDown');
      assert.equal(await activeElementId(page), 'results');
      assert.equal(await page.locator('#results').getAttribute('aria-activedescendant'), `option-${ids[0]}`);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.locator('#results').getAttribute('aria-activedescendant'), `option-${ids[2]}`);
      assert.equal(await page.locator(`[id="option-${ids[2]}"]`).getAttribute('aria-selected'), 'true');
      assert.equal(await page.locator('[aria-selected="true"]').count(), 1);
      await page.keyboard.press('End');
      assert.equal(await page.locator('#results').getAttribute('aria-activedescendant'), `option-${ids.at(-1)}`);
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.locator('#results').getAttribute('aria-activedescendant'), `option-${ids[1]}`);

      await page.keyboard.press('Enter');
      await page.locator('#detail-view').waitFor({ state: 'visible' });
      assert.ok(await page.locator('#list-view').isHidden());
      assert.equal(await activeElementId(page), 'detail-title');
      assert.equal(await page.locator('#detail-title').textContent(), getPlaybook(PLAYBOOKS, ids[1])!.title);

      await page.keyboard.press('Escape');
      await page.locator('#list-view').waitFor({ state: 'visible' });
      assert.equal(await activeElementId(page), 'results', 'back on the list, on the same entry');
      assert.equal(await page.locator('#results').getAttribute('aria-activedescendant'), `option-${ids[1]}`);

      // ArrowUp from the first entry returns to the search box; typing in the list goes to the search box.
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowUp');
      assert.equal(await activeElementId(page), 'search');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.type('mem');
      assert.equal(await activeElementId(page), 'search');
      assert.equal(await page.locator('#search').inputValue(), 'mem');
      await page.keyboard.press('Enter');
      await page.locator('#detail-view').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#detail-title').textContent(), 'Memory Management');
    });

    it('reaches a checkbox with Tab, ticks it with Space, follows a related playbook and comes back', async () => {
      const { page, host } = await view();
      await page.locator('#search').fill('circuit breaker cascade');
      await page.keyboard.press('Enter');
      await page.locator('#detail-view').waitFor({ state: 'visible' });
      let tabs = 0;
      while ((await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)) !== 'checkbox' && tabs++ < 40) await page.keyboard.press('Tab');
      const first = checklistItemKey(CIRCUIT.id, CIRCUIT.checklists[0].id, CIRCUIT.checklists[0].items[0].id);
      assert.equal(await activeElementId(page), `item-${first}`);
      await page.keyboard.press('Space');
      await page.waitForFunction(() => document.getElementById('overall-progress')?.textContent === '1 of 10 done');
      assert.deepEqual(host.messagesOf('setChecked'), [{ type: 'setChecked', key: first, checked: true }]);
      assert.equal(await page.locator(`[data-count="${CIRCUIT.checklists[0].id}"]`).textContent(), `1 of ${CIRCUIT.checklists[0].items.length}`);
      assert.equal(await page.locator('.overall [role="progressbar"]').getAttribute('aria-valuenow'), '1');

      const related = CIRCUIT.related![0];
      const relatedTitle = getPlaybook(PLAYBOOKS, related)!.title;
      await page.locator(`button[data-playbook="${related}"]`).focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(t => document.getElementById('detail-title')?.textContent === t, relatedTitle);
      await page.keyboard.press('Escape');
      await page.waitForFunction(t => document.getElementById('detail-title')?.textContent === t, CIRCUIT.title);
      await page.keyboard.press('Escape');
      await page.locator('#list-view').waitFor({ state: 'visible' });
    });
  });

  describe('checklists', () => {
    it('post each toggle, persist in the extension state, and come back ticked in the next init', async () => {
      const memento = new MemoryMemento();
      const first = await view({ memento });
      await openFromList(first.page, CIRCUIT.title);
      const keys = [
        checklistItemKey(CIRCUIT.id, 'breaker-review', 'timeouts-everywhere'),
        checklistItemKey(CIRCUIT.id, 'cascade-alerting', 'p99-alert'),
        checklistItemKey(CIRCUIT.id, 'breaker-review', 'fallback-defined'),
      ];
      for (const key of keys) await first.page.locator(`[id="item-${key}"]`).check();
      await first.page.locator(`[id="item-${keys[2]}"]`).uncheck();
      await first.page.waitForFunction(() => document.getElementById('overall-progress')?.textContent === '2 of 10 done');
      assert.deepEqual(first.host.messagesOf('setChecked'), [
        { type: 'setChecked', key: keys[0], checked: true },
        { type: 'setChecked', key: keys[1], checked: true },
        { type: 'setChecked', key: keys[2], checked: true },
        { type: 'setChecked', key: keys[2], checked: false },
      ]);
      assert.deepEqual(memento.get(CHECKLIST_STATE_KEY), [keys[0], keys[1]]);

      // A new window on the same workspace state: a fresh page (no webview state) and a fresh ChecklistState.
      const second = await view({ memento });
      assert.match((await second.page.locator(`[id="option-${CIRCUIT.id}"] .option-progress`).textContent())!, /^2 of 10$/);
      await openFromList(second.page, CIRCUIT.title);
      assert.equal(await second.page.locator('#overall-progress').textContent(), '2 of 10 done');
      for (const key of keys.slice(0, 2)) assert.equal(await second.page.locator(`[id="item-${key}"]`).isChecked(), true, key);
      assert.equal(await second.page.locator(`[id="item-${keys[2]}"]`).isChecked(), false);
      assert.equal(await second.page.locator(`input[type="checkbox"]:checked`).count(), 2);
      assert.equal(await second.page.locator(`[data-count="breaker-review"]`).textContent(), '1 of 6');
      assert.equal(await second.page.locator(`[data-count="cascade-alerting"]`).textContent(), '1 of 4');
    });

    it('follow a `checked` message from the extension', async () => {
      const { page, host } = await view();
      await openFromList(page, CIRCUIT.title);
      const key = checklistItemKey(CIRCUIT.id, 'cascade-alerting', 'error-rate-alert');
      await host.send({ type: 'checked', checked: [key] });
      await page.waitForFunction(() => document.getElementById('overall-progress')?.textContent === '1 of 10 done');
      assert.equal(await page.locator(`[id="item-${key}"]`).isChecked(), true);
    });
  });

  describe('links', () => {
    it('ask the extension to insert a linked snippet, open a rule page and open the Markdown', async () => {
      const { page, host } = await view();
      await openFromList(page, CIRCUIT.title);
      await page.locator('button[data-prefix="mcp-circuit-breaker"]').click();
      await page.locator('#rules button[data-rule="fetch-without-timeout"]').click();
      await page.locator('.item-rules button[data-rule="retry-without-backoff"]').click();
      await page.locator('#open-markdown').click();
      assert.deepEqual(host.received.filter(m => m.type !== 'ready'), [
        { type: 'insertSnippet', prefix: 'mcp-circuit-breaker' },
        { type: 'openRuleDoc', ruleId: 'fetch-without-timeout' },
        { type: 'openRuleDoc', ruleId: 'retry-without-backoff' },
        { type: 'openMarkdown', playbookId: CIRCUIT.id },
      ]);
      // Languages are shown; a snippet missing from a language says where it exists.
      assert.match((await page.locator('li.snippet', { hasText: 'mcp-circuit-breaker' }).locator('.snippet-languages').textContent())!, /TypeScript/);
    });

    it('shows a rule without a shipped page as text, not as a link', async () => {
      const { page } = await view({ hasDoc: id => id !== 'unbounded-concurrency' });
      await openFromList(page, CIRCUIT.title);
      assert.equal(await page.locator('#rules button[data-rule="unbounded-concurrency"]').count(), 0);
      assert.equal(await page.locator('#rules code.rule-id', { hasText: 'unbounded-concurrency' }).count(), 1);
    });

    it('opens at a playbook section when revealed (init and later reveal messages)', async () => {
      const { page, host } = await view({ reveal: { playbookId: CIRCUIT.id, sectionId: 'dependency-isolation' } });
      await page.locator('#detail-view').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#detail-title').textContent(), CIRCUIT.title);
      assert.equal(await activeElementId(page), 'section-dependency-isolation-heading');
      assert.ok(await page.locator('#section-dependency-isolation').isVisible());
      const top = await page.locator('#section-dependency-isolation').evaluate(e => e.getBoundingClientRect().top);
      assert.ok(top < 200, `the section is scrolled to the top (top = ${top})`);
      await host.send({ type: 'reveal', location: { playbookId: 'memory-management', sectionId: 'bound-caches' } });
      await page.waitForFunction(() => document.getElementById('detail-title')?.textContent === 'Memory Management');
      assert.equal(await activeElementId(page), 'section-bound-caches-heading');
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('#results').getAttribute('aria-activedescendant'), 'option-memory-management');
    });
  });

  describe('hostile data', () => {
    it('renders markup in the data as text, in the list, the search hits and the detail page', async () => {
      const hostile = '<img src=x onerror="window.__pwned=1">';
      const playbooks: Playbook[] = JSON.parse(JSON.stringify(PLAYBOOKS));
      const target = playbooks.find(p => p.id === CIRCUIT.id)!;
      const title = `${hostile} Breakers`;
      Object.assign(target, {
        title,
        summary: `<script>window.__pwned=2</script> ${target.summary}`,
        when_to_use: [`<a href="javascript:window.__pwned=3">click</a>`, ...target.when_to_use],
      });
      (target.sections[0].steps as string[])[0] = `<iframe src="https://example.com"></iframe> ${target.sections[0].steps[0]}`;
      (target.thresholds[0] as { value: string }).value = `<b onmouseover="window.__pwned=4">5</b> failures`;
      (target.checklists[0].items[0] as { text: string }).text = `<svg onload="window.__pwned=5"></svg> breaker per dependency`;

      const { page } = await view({ playbooks });
      const option = page.locator(`[id="option-${CIRCUIT.id}"]`);
      assert.equal(await option.locator('.option-title').textContent(), title);
      await page.locator('#search').fill('onerror');
      assert.equal(await page.locator('#results [role="option"]').count(), 1);
      assert.equal(await option.locator('.option-title').textContent(), title);
      await option.click();
      await page.locator('#detail-view').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#detail-title').textContent(), title);
      assert.match((await page.locator('.summary').textContent())!, /^<script>window.__pwned=2<\/script>/);
      assert.match((await page.locator('#when li').first().textContent())!, /^<a href=/);
      assert.match((await page.locator('#threshold-0').textContent())!, /<b onmouseover=/);
      assert.match((await page.locator('.item').first().textContent())!, /<svg onload=/);
      const injected = await page.evaluate(() => ({
        elements: document.querySelectorAll('#app img, #app script, #app iframe, #app svg, #app a, #app b').length,
        scripts: document.scripts.length,
        pwned: (window as unknown as { __pwned?: number }).__pwned,
      }));
      assert.deepEqual(injected, { elements: 0, scripts: 1, pwned: undefined });
      await page.locator('.item').first().hover();
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    });
  });

  describe('screenshots', () => {
    for (const theme of [DARK_MODERN, LIGHT_MODERN]) {
      const name = theme.kind === 'vscode-dark' ? 'dark' : 'light';
      it(`of the list, a search and a detail page in the ${name} theme`, async () => {
        const memento = new MemoryMemento();
        const keys = [
          checklistItemKey(CIRCUIT.id, 'breaker-review', 'breaker-per-dependency'),
          checklistItemKey(CIRCUIT.id, 'breaker-review', 'timeouts-everywhere'),
          checklistItemKey(CIRCUIT.id, 'cascade-alerting', 'error-rate-alert'),
        ];
        await memento.update(CHECKLIST_STATE_KEY, keys);
        const { page } = await view({ memento, theme, viewport: { width: 340, height: 820 } });
        await applyTheme(page, theme);
        await page.locator('#search').focus();
        for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
        await page.screenshot({ path: path.join(SCREENSHOTS, `playbooks-list-${name}.png`) });

        await page.locator('#search').fill('p99 200 ms');
        await page.screenshot({ path: path.join(SCREENSHOTS, `playbooks-search-${name}.png`) });
        await page.locator('#search').fill('');

        await openFromList(page, CIRCUIT.title);
        await page.mouse.move(0, 0);
        await page.screenshot({ path: path.join(SCREENSHOTS, `playbooks-detail-${name}.png`) });
        await page.evaluate(() => document.getElementById('thresholds')!.scrollIntoView({ block: 'start' }));
        await page.screenshot({ path: path.join(SCREENSHOTS, `playbooks-detail-checklists-${name}.png`) });
        await page.evaluate(() => document.getElementById('rules')!.scrollIntoView({ block: 'start' }));
        await page.screenshot({ path: path.join(SCREENSHOTS, `playbooks-detail-links-${name}.png`) });
        // The theme colours are in use (not the browser's defaults).
        const colors = await page.evaluate(() => ({
          text: getComputedStyle(document.body).color,
          link: getComputedStyle(document.querySelector('.link-button')!).color,
        }));
        const hex = (v: string) => `rgb(${[1, 3, 5].map(i => parseInt(v.slice(i, i + 2), 16)).join(', ')})`;
        assert.equal(colors.text, hex(theme.vars['--vscode-foreground']));
        assert.equal(colors.link, hex(theme.vars['--vscode-textLink-foreground']));
      });
    }
  });
});
