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
import { REPO_ROOT, SCREENSHOTS, missingTools, type EditorSession } from './code-server';
import { packageSidebarVsix, playbookPageFrame, startSidebarEditor } from './playbook-session';
import { goToLine, openFile, runCommand, waitFor } from './workbench';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/e2e-workspace');
const SERVER_FILE = 'src/server.ts';
const CIRCUIT = getPlaybook(PLAYBOOKS, 'circuit-breaker-cascade')!;
const TICKED = checklistItemKey(CIRCUIT.id, 'breaker-review', 'timeouts-everywhere');

const SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': 'off',
  'files.autoSave': 'off',
};

async function openSidebar(page: Page): Promise<Frame> {
  const item = page.locator('.activitybar .action-item .action-label[aria-label^="MCP Architect"]').first();
  await item.waitFor({ timeout: 30_000 });
  // Clicking the item of the open container would close the sidebar.
  const open = await page.locator('.part.sidebar .title-label', { hasText: 'MCP Architect' }).isVisible().catch(() => false);
  if (!open) await item.click();
  return playbookPageFrame(page);
}

async function detailTitle(frame: Frame): Promise<string> {
  return (await frame.locator('#detail-view:not([hidden]) #detail-title').textContent({ timeout: 15_000 })) ?? '';
}

describe('playbook sidebar (code-server + VSIX)', function () {
  this.timeout(180_000);
  let session: EditorSession;

  before(async function () {
    this.timeout(300_000);
    const missing = missingTools();
    if (missing.length) throw new Error(`The editor tests need ${missing.join(', ')}. Install them with \`npm run setup:e2e\`.`);
    const vsix = packageSidebarVsix();
    session = await startSidebarEditor({ vsix, fixture: FIXTURE, settings: SETTINGS });
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
    const frame = await openSidebar(session.page);
    assert.match((await frame.locator('#result-count').textContent())!, new RegExp(`^${PLAYBOOKS.length} playbooks in \\d+ themes\\.$`));
    assert.equal(await frame.locator('#results [role="option"]').count(), PLAYBOOKS.length);
    assert.ok((await frame.locator('#results [role="group"]').count()) > 5);
    await session.page.mouse.move(900, 500); // no hover tooltip in the picture
    await session.page.screenshot({ path: path.join(SCREENSHOTS, 'playbooks-sidebar.png') });
  });

  it('opens a playbook, ticks a checklist item, and the item is still ticked after the window reloads', async () => {
    const page = session.page;
    let frame = await openSidebar(page);
    await frame.locator('#search').fill('circuit breaker');
    await frame.locator('#search').press('Enter');
    assert.equal(await detailTitle(frame), CIRCUIT.title);
    const box = frame.locator(`[id="item-${TICKED}"]`);
    await box.scrollIntoViewIfNeeded();
    await box.focus();
    await page.keyboard.press('Space');
    await frame.waitForFunction(() => document.getElementById('overall-progress')?.textContent === '1 of 10 done');
    await page.waitForTimeout(1_000); // workspaceState is written through to storage

    await runCommand(page, 'Developer: Reload Window');
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    frame = await openSidebar(page);
    // The page comes back where it was (webview state); the tick comes from the extension's workspaceState.
    if (!(await frame.locator('#detail-view').isVisible())) {
      await frame.locator('#search').fill('circuit breaker');
      await frame.locator('#search').press('Enter');
    }
    assert.equal(await detailTitle(frame), CIRCUIT.title);
    await waitFor(() => frame.locator(`[id="item-${TICKED}"]`).isChecked(), c => c, 15_000, 250);
    assert.equal(await frame.locator(`[id="item-${TICKED}"]`).isChecked(), true, 'still ticked after the reload');
    assert.equal(await frame.locator('#overall-progress').textContent(), '1 of 10 done');
    assert.equal(await frame.locator('input[type="checkbox"]:checked').count(), 1);
    await page.mouse.move(900, 500);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'playbooks-sidebar-detail.png') });
  });

  it('reaches the playbook section from the "Open the … playbook" code action on a warning', async () => {
    const page = session.page;
    const frame = await openSidebar(page);
    await frame.locator('#back').click(); // start from the list, so the reveal shows
    await frame.locator('#list-view:not([hidden])').waitFor();
    const file = path.join(FIXTURE, SERVER_FILE);
    const finding = analyzeText(ts, file, fs.readFileSync(file, 'utf8'), { project: { usesMcpServerSdk: true, servesStdio: true, servesHttp: false } }).find(
      f => f.ruleId === 'fetch-without-timeout',
    );
    assert.ok(finding, 'the fixture has a fetch() without timeout');
    await openFile(page, SERVER_FILE);
    const title = 'Open the fetch-without-timeout playbook';
    // The warning appears once the TypeScript server has loaded the plugin.
    const shown = await waitFor(
      async () => {
        await page.keyboard.press('Escape');
        await goToLine(page, finding.range.start.line + 1, finding.range.start.character + 3);
        await page.keyboard.press('Control+.');
        const row = page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
        return row.waitFor({ timeout: 5_000 }).then(
          () => true,
          () => false,
        );
      },
      ok => ok,
      90_000,
      1_000,
    );
    assert.ok(shown, `the quick fix menu offers "${title}"`);
    await page.locator('.action-widget .monaco-list-row', { hasText: title }).first().click();
    const revealed = await playbookPageFrame(page);
    assert.equal(await detailTitle(revealed), CIRCUIT.title);
    // The section the rule links to (meta.playbook "circuit-breaker-cascade#dependency-isolation").
    const [playbookId, section] = ruleById('fetch-without-timeout')!.meta.playbook.split('#');
    assert.equal(playbookId, CIRCUIT.id);
    await revealed.waitForFunction(id => document.activeElement?.id === id, `section-${section}-heading`, { timeout: 10_000 });
    assert.ok(await revealed.locator(`#section-${section}`).isVisible());
    await page.mouse.move(900, 500);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'playbooks-from-code-action.png') });
  });

  it('inserts a linked snippet at the cursor of the active editor', async () => {
    const page = session.page;
    await openFile(page, 'src/scratch.ts');
    const frame = await openSidebar(page);
    if ((await detailTitle(frame).catch(() => '')) !== CIRCUIT.title) {
      await frame.locator('#search').fill('circuit breaker');
      await frame.locator('#search').press('Enter');
    }
    await frame.locator('button[data-prefix="mcp-fetch-timeout"]').click();
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
    const frame = await playbookPageFrame(page);
    await waitFor(() => detailTitle(frame), t => t === 'Memory Management', 15_000, 250);
    assert.equal(await detailTitle(frame), 'Memory Management');
  });

  it('exports the architecture review (MCP Architect: Export Architecture Review) as a Markdown document', async () => {
    const page = session.page;
    await openFile(page, SERVER_FILE);
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
