// code-server for the playbook sidebar tests, on ports 47200-47299 (the editor tests use 47100-47199), so that both
// suites can run at once, and the helpers that reach the playbook view's page inside the workbench.
import { type Frame, type Page } from 'playwright-core';
import { startEditor, type EditorSession } from './code-server';

export const SIDEBAR_PORTS = [47200, 47299] as const;

/** Fresh user data and extensions, the VSIX installed, the fixture copied, code-server and Chromium started. */
export function startSidebarEditor(opts: { vsix: string; fixture: string; settings: Record<string, unknown> }): Promise<EditorSession> {
  return startEditor({ ...opts, portRange: SIDEBAR_PORTS, viewport: { width: 1400, height: 900 }, dirPrefix: 'playbooks-' });
}

/**
 * The frame of the playbook view's page once it has its data. VS Code hosts each webview in an iframe
 * (`iframe.webview`, laid over the sidebar) whose inner frame holds the page; the page is found by its content.
 */
export async function playbookPageFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const isOurs = await frame.evaluate(() => !!document.getElementById('results') && document.getElementById('loading')?.hidden === true).catch(() => false);
      if (isOurs) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error('the playbook view page did not appear');
}

/** Errors of a frame that went away under an action (the webview or the whole window was re-created). */
const GONE = /frame (was|has been|got) detached|execution context was destroyed|target (page, context or browser )?(has been )?closed|navigating frame was detached/i;

/**
 * Runs `action` on the playbook view's page; if the frame goes away under it, finds the page again and runs the
 * action again, until `timeoutMs` is up. `action` must be safe to repeat.
 */
export async function withPlaybookPage<T>(page: Page, action: (frame: Frame) => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await playbookPageFrame(page, Math.max(5_000, deadline - Date.now()));
    try {
      return await action(frame);
    } catch (error) {
      if (!GONE.test(String(error)) || Date.now() >= deadline) throw error;
    }
  }
}

/**
 * Runs `reload` (which reloads the window) and returns once the new window has loaded and its workbench is up:
 * the old document carries a mark, so that nothing of it is mistaken for the new one.
 */
export async function reloadWorkbench(page: Page, reload: () => Promise<void>, timeoutMs = 120_000): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __beforeReload?: boolean }).__beforeReload = true));
  const loaded = page.waitForEvent('load', { timeout: timeoutMs });
  await reload();
  await loaded;
  await page.waitForFunction(() => !(window as unknown as { __beforeReload?: boolean }).__beforeReload && !!document.querySelector('.monaco-workbench .part.activitybar'), undefined, {
    timeout: timeoutMs,
    polling: 250,
  });
}
