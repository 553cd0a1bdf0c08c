// The playbook sidebar in a real editor: code-server with the packaged VSIX, driven through Chromium.
// Needs `npm run setup:e2e` (code-server, Node 24, chromium); without it these tests fail and say so.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { Frame, Page } from 'playwright-core';
import { analyzeText } from '../../src/core/analyzer';
import { PLAYBOOKS } from '../../src/core/playbook-data';
import { ruleById } from '../../src/core/rules';
import { allChecklistItemKeys, checklistItemKey, getPlaybook } from '../../src/core/playbooks';
import { REPO_ROOT, SCREENSHOTS, missingTools, packageVsix, TEST_SETTINGS, type EditorSession } from './code-server';
import { playbookPageFrame, reloadWorkbench, startSidebarEditor, withPlaybookPage } from './playbook-session';
import { openFile, openQuickFixMenu, problemRows, runCommand, waitFor } from './workbench';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/e2e-workspace');
const SERVER_FILE = 'src/server.ts';
const CIRCUIT = getPlaybook(PLAYBOOKS, 'circuit-breaker-cascade')!;
const TICKED = checklistItemKey(CIRCUIT.id, 'breaker-review', 'timeouts-everywhere');


async function openSidebar(page: Page): Promise<Frame> {
  const item = page.locator('.activitybar .action-item .action-label[aria-label^="MCP Architect"]').first();
  await item.waitFor({ timeout: 60_000 });
  // Clicking the item of the open container closes the sidebar, and after a reload the workbench may restore the
  // container a moment later: click until the container is showing, checking after each click.
  const title = page.locator('.part.sidebar .title-label', { hasText: 'MCP Architect' });
  const deadline = Date.now() + 60_000;
  while (!(await title.isVisible().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('the MCP Architect sidebar did not open from the activity bar');
    await item.click();
    await title.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
  }
  return playbookPageFrame(page, 60_000);
}

async function detailTitle(frame: Frame): Promise<string> {
  return (await frame.locator('#detail-view:not([hidden]) #detail-title').textContent({ timeout: 15_000 })) ?? '';
}

/** The playbook view showing the circuit breaker playbook, whatever it showed before. */
async function showCircuitBreaker(page: Page): Promise<void> {
  await openSidebar(page);
  await withPlaybookPage(page, async frame => {
    if ((await frame.locator('#detail-view').isVisible()) && (await detailTitle(frame)) === CIRCUIT.title) return;
    if (await frame.locator('#detail-view').isVisible()) await frame.locator('#back').click();
    await frame.locator('#list-view:not([hidden])').waitFor({ timeout: 15_000 });
    await frame.locator('#search').fill('circuit breaker');
    await frame.locator('#search').press('Enter');
    await frame.locator('#detail-view:not([hidden])').waitFor({ timeout: 15_000 });
  });
  assert.equal(await withPlaybookPage(page, detailTitle), CIRCUIT.title);
}

/** The playbook view showing its list. */
async function showPlaybookList(page: Page): Promise<void> {
  await openSidebar(page);
  await withPlaybookPage(page, async frame => {
    if (await frame.locator('#detail-view').isVisible()) await frame.locator('#back').click();
    await frame.locator('#list-view:not([hidden])').waitFor({ timeout: 15_000 });
  });
}

/** Waits until the tsserver plugin's warnings for the fixture are in (the fetch() without timeout among them). */
async function waitForPluginFindings(page: Page): Promise<void> {
  const code = String(ruleById('fetch-without-timeout')!.meta.code);
  const has = (rows: Awaited<ReturnType<typeof problemRows>>) => rows.some(r => r.source === 'mcp-architect' && r.file === 'server.ts' && (r.code === code || r.code === 'fetch-without-timeout'));
  const rows = await waitFor(() => problemRows(page), has, 120_000, 2_000);
  assert.ok(has(rows), `the Problems panel shows the fetch-without-timeout warning of server.ts:\n${rows.map(r => `${r.file}:${r.line} ${r.source}(${r.code})`).join('\n')}`);
  // The editor gets its height back, so that the document opened next shows enough lines.
  await runCommand(page, 'View: Hide Panel');
  await page.locator('.markers-panel').waitFor({ state: 'hidden', timeout: 10_000 });
}

describe('playbook sidebar (code-server + VSIX)', function () {
  this.timeout(180_000);
  let session: EditorSession;

  before(async function () {
    this.timeout(300_000);
    const missing = missingTools();
    if (missing.length) throw new Error(`The editor tests need ${missing.join(', ')}. Install them with \`npm run setup:e2e\`.`);
    const vsix = packageVsix();
    session = await startSidebarEditor({ vsix, fixture: FIXTURE, settings: TEST_SETTINGS });
    fs.writeFileSync(path.join(session.workspace, 'src', 'scratch.ts'), '');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });

  let failed = false;
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !session) return;
    failed = true;
    await session.page.screenshot({ path: path.join(session.dir, `failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
  });

  after(async () => {
    await session?.close();
    if (session?.dir && !failed) fs.rmSync(session.dir, { recursive: true, force: true });
    else if (session?.dir) console.log(`playbook sidebar test run kept in ${session.dir}`);
  });

  it('opens from the activity bar with every playbook, grouped by theme', async () => {
    await openSidebar(session.page);
    const list = await withPlaybookPage(session.page, async frame => ({
      count: (await frame.locator('#result-count').textContent()) ?? '',
      options: await frame.locator('#results [role="option"]').count(),
      groups: await frame.locator('#results [role="group"]').count(),
    }));
    assert.match(list.count, new RegExp(`^${PLAYBOOKS.length} playbooks in \\d+ themes\\.$`));
    assert.equal(list.options, PLAYBOOKS.length);
    assert.ok(list.groups > 5);
    await session.page.mouse.move(900, 500); // no hover tooltip in the picture
    await session.page.screenshot({ path: path.join(SCREENSHOTS, 'playbooks-sidebar.png') });
  });

  it('opens a playbook, ticks a checklist item, and the item is still ticked after the window reloads', async () => {
    const page = session.page;
    await showCircuitBreaker(page);
    // Ticked by keyboard, once: a repeat after a lost frame must not untick it.
    await withPlaybookPage(page, async frame => {
      const box = frame.locator(`[id="item-${TICKED}"]`);
      if (!(await box.isChecked())) {
        await box.scrollIntoViewIfNeeded();
        await box.focus();
        await page.keyboard.press('Space');
      }
      await frame.waitForFunction(() => document.getElementById('overall-progress')?.textContent === '1 of 10 done', undefined, { timeout: 15_000 });
    });
    await page.waitForTimeout(1_000); // workspaceState is written through to storage

    await reloadWorkbench(page, () => runCommand(page, 'Developer: Reload Window'));
    // The page may come back where it was (webview state) or at its list; the tick comes from the extension's workspaceState.
    await showCircuitBreaker(page);
    const state = await withPlaybookPage(page, async frame => {
      const box = frame.locator(`[id="item-${TICKED}"]`);
      await waitFor(() => box.isChecked(), c => c, 15_000, 250);
      return {
        ticked: await box.isChecked(),
        progress: await frame.locator('#overall-progress').textContent(),
        checked: await frame.locator('input[type="checkbox"]:checked').count(),
      };
    });
    assert.equal(state.ticked, true, 'still ticked after the reload');
    assert.equal(state.progress, '1 of 10 done');
    assert.equal(state.checked, 1);
    await page.mouse.move(900, 500);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'playbooks-sidebar-detail.png') });
  });

  it('reaches the playbook section from the "Open the … playbook" code action on a warning', async () => {
    const page = session.page;
    await showPlaybookList(page); // start from the list, so the reveal shows
    const file = path.join(FIXTURE, SERVER_FILE);
    const finding = analyzeText(ts, file, fs.readFileSync(file, 'utf8'), { project: { usesMcpServerSdk: true, servesStdio: true, servesHttp: false } }).find(
      f => f.ruleId === 'fetch-without-timeout',
    );
    assert.ok(finding, 'the fixture has a fetch() without timeout');
    const title = 'Open the fetch-without-timeout playbook';
    // The warning appears once the TypeScript server has loaded the plugin.
    const { item } = await openQuickFixMenu(page, SERVER_FILE, finding.range.start.line + 1, finding.range.start.character + 3, title, 90_000);
    await item.click();
    // The section the rule links to (meta.playbook "circuit-breaker-cascade#dependency-isolation").
    const [playbookId, section] = ruleById('fetch-without-timeout')!.meta.playbook.split('#');
    assert.equal(playbookId, CIRCUIT.id);
    const revealed = await withPlaybookPage(page, async frame => {
      const title = await detailTitle(frame);
      await frame.waitForFunction(id => document.activeElement?.id === id, `section-${section}-heading`, { timeout: 15_000 });
      return { title, sectionVisible: await frame.locator(`#section-${section}`).isVisible() };
    });
    assert.equal(revealed.title, CIRCUIT.title);
    assert.ok(revealed.sectionVisible);
    await page.mouse.move(900, 500);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'playbooks-from-code-action.png') });
  });

  it('inserts a linked snippet at the cursor of the active editor', async () => {
    const page = session.page;
    await openFile(page, 'src/scratch.ts');
    await showCircuitBreaker(page);
    await withPlaybookPage(page, frame => frame.locator('button[data-prefix="mcp-fetch-timeout"]').click());
    await page.locator('.monaco-editor.focused[data-uri$="src/scratch.ts"]').waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+S');
    const body = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'snippets/typescript.json'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
    const snippet = Object.values(body).find(s => s.prefix === 'mcp-fetch-timeout')!;
    const plain = snippet.body.map(l => l.trim()).filter(l => l && !l.includes('$')).sort((a, b) => b.length - a.length)[0];
    const scratch = path.join(session.workspace, 'src/scratch.ts');
    const text = await waitFor(async () => fs.readFileSync(scratch, 'utf8'), t => t.includes(plain), 15_000, 250);
    assert.ok(text.includes(plain), `scratch.ts lacks "${plain}":\n${text.slice(0, 400)}`);
  });

  it('offers every playbook in a quick pick (MCP Architect: Open Playbook...) and reveals the one picked', async () => {
    const page = session.page;
    await runCommand(page, 'MCP Architect: Open Playbook...');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    const rows = page.locator('.quick-input-widget .monaco-list-row');
    await rows.first().waitFor();
    await input.fill('Memory Management');
    await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Memory Management' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    const title = await withPlaybookPage(page, frame => waitFor(() => detailTitle(frame), t => t === 'Memory Management', 15_000, 250));
    assert.equal(title, 'Memory Management');
  });

  it('exports the architecture review (MCP Architect: Export Architecture Review) as a Markdown document', async () => {
    const page = session.page;
    await openFile(page, SERVER_FILE);
    // The export takes the diagnostics known at the time: wait until the tsserver plugin has reported server.ts.
    await waitForPluginFindings(page);
    await runCommand(page, 'MCP Architect: Export Architecture Review');
    const editor = page.locator('.monaco-editor[data-uri^="untitled:"]').first();
    await editor.waitFor({ timeout: 15_000 });
    // Monaco renders spaces as no-break spaces.
    const text = () => editor.locator('.view-lines').innerText().then(t => t.replace(/\u00a0/g, ' '));
    const lines = await waitFor(text, t => t.includes('Architecture review'), 10_000, 250);
    assert.match(lines, /# Architecture review: workspace/);
    assert.match(lines, new RegExp(`\\*\\*[1-9]\\d* findings?\\*\\* of \\d+ rules? in \\d+ files? · \\*\\*1 of ${allChecklistItemKeys(PLAYBOOKS).length}\\*\\* checklist items done`));
    assert.match(lines, /\| Circuit Breaker Cascade Protection \| Resilience \| [1-9]\d* \| 1 of 10 \|/);
  });
});
