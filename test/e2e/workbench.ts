// Playwright helpers for the VS Code workbench served by code-server: quick open, Problems panel rows, files.
import type { Page } from 'playwright-core';

export interface ProblemRow {
  file: string;
  message: string;
  source: string;
  code: string;
  line: number;
  column: number;
}

export async function openFile(page: Page, relativePath: string): Promise<void> {
  const name = relativePath.split('/').pop()!;
  // Quick open can close again under the test when focus moves (a webview taking it, a notification): try again.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(relativePath, { timeout: 5_000 });
      // Enter only once the filtered list has the file on top (the list first shows recently opened files).
      await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: name }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  await editorFor(page, relativePath).waitFor({ timeout: 15_000 });
  await page.locator('.monaco-editor.focused').first().waitFor({ timeout: 10_000 });
}

/** The code editor showing a file whose path ends with `pathSuffix`. */
export function editorFor(page: Page, pathSuffix: string) {
  return page.locator(`.monaco-editor[data-uri$="${pathSuffix}"]`).first();
}

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 10_000 });
  await row.click();
}

export async function goToLine(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * Opens the quick fix menu (Ctrl+.) at a line and column of a file and waits for the row titled `title`.
 * The menu can fail to come up, or come up without that row, while focus moves or the language server
 * is still loading: it is closed and asked for again until `timeoutMs` has passed.
 */
export async function openQuickFixMenu(page: Page, relativePath: string, line: number, column: number, title: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  await openFile(page, relativePath);
  for (;;) {
    try {
      await goToLine(page, line, column);
      await page.locator('.monaco-editor.focused').first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Control+.');
      const widget = page.locator('.action-widget:not(.action-list-submenu-panel)').first();
      await widget.waitFor({ state: 'visible', timeout: 10_000 });
      const item = widget.locator('.monaco-list-row', { hasText: title }).first();
      await item.waitFor({ timeout: 10_000 });
      return { widget, item, titles: await widget.locator('.monaco-list-row').allInnerTexts() };
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await openFile(page, relativePath);
    }
  }
}

export async function showProblems(page: Page): Promise<void> {
  if (await page.locator('.markers-panel').isVisible().catch(() => false)) return;
  await runCommand(page, 'View: Focus Problems');
  await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 10_000 });
}

/** Every row of the Problems panel: the list is virtual, so it is scrolled from top to bottom while rows are read. */
export async function problemRows(page: Page): Promise<ProblemRow[]> {
  await showProblems(page);
  const panel = page.locator('.markers-panel');
  const box = await panel.boundingBox();
  if (!box) return [];
  // Over the list's scrollbar: no row under the pointer, so no hover pops up to swallow the wheel.
  await page.mouse.move(box.x + box.width - 6, box.y + box.height / 2);
  for (let i = 0; i < 20; i++) await page.mouse.wheel(0, -2000);
  // Rows carry their absolute position in the virtual list: gather them by position, then resolve file headers.
  const byTop = new Map<number, { label: string; text: string }>();
  let lastSize = -1;
  for (let step = 0; step < 80; step++) {
    const rows = await page.$$eval('.markers-panel .monaco-list-row:not(.monaco-tree-sticky-row)', els => // sticky group headers repeat real rows
      els.map(e => ({ top: parseFloat((e as HTMLElement).style.top) || 0, label: e.getAttribute('aria-label') ?? '', text: (e as HTMLElement).innerText })),
    );
    for (const r of rows) byTop.set(r.top, { label: r.label, text: r.text });
    if (byTop.size === lastSize && step > 0) break;
    lastSize = byTop.size;
    await page.mouse.wheel(0, 150);
    await page.waitForTimeout(150);
  }
  const out: ProblemRow[] = [];
  let file = '';
  for (const [, r] of [...byTop].sort((a, b) => a[0] - b[0])) {
    const header = /problems? in file (.+?) of folder/.exec(r.label);
    if (header) {
      file = header[1];
      continue;
    }
    const lines = r.text.split('\n').map(s => s.trim()).filter(Boolean);
    const posIndex = lines.findIndex(l => /^\[Ln \d+, Col \d+\]$/.test(l));
    if (posIndex < 1) continue;
    const pos = /^\[Ln (\d+), Col (\d+)\]$/.exec(lines[posIndex])!;
    out.push({
      file,
      message: lines[0],
      source: posIndex >= 3 ? lines[posIndex - 2] : lines[posIndex - 1],
      code: posIndex >= 3 ? lines[posIndex - 1] : '',
      line: Number(pos[1]),
      column: Number(pos[2]),
    });
  }
  return out;
}

export async function scrollProblemsToTop(page: Page): Promise<void> {
  const box = await page.locator('.markers-panel').boundingBox();
  if (!box) return;
  await page.mouse.move(box.x + box.width - 6, box.y + box.height / 2);
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, -2000);
  await page.mouse.move(box.x + box.width / 2, 2); // away from the rows, so that no hover covers them
  await page.waitForTimeout(800);
}

/** Polls `probe` until it returns a truthy value or the time is up; returns the last value. */
export async function waitFor<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!ok(last) && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, intervalMs));
    last = await probe();
  }
  return last;
}
