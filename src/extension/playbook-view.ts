// The playbook sidebar (a webview view in the MCP Architect activity-bar container) and its commands:
// `mcpArchitect.openPlaybook` reveals a playbook (or offers a quick pick of them all), `mcpArchitect.exportReview`
// writes the architecture review. Checklist state lives in workspaceState; every message from the page is
// checked against the allow-list in ./playbook-messages before anything happens.
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ruleDocPath, ruleDocUrl } from '../core/docs';
import { PLAYBOOKS } from '../core/playbook-data';
import { allChecklistItemKeys, getPlaybook, playbooksByTheme, playbookToMarkdown, type Playbook } from '../core/playbooks';
import { snippetLanguageOf, type SnippetLanguage } from '../core/snippets';
import type { ExtensionMessage, PlaybookLocation, ViewMessage } from '../webview/protocol';
import { architectureReviewWithFindings } from './architecture-review';
import { ChecklistState } from './checklist-state';
import { COMMAND_OPEN_RULE_DOC } from './code-actions';
import { createNonce, playbookPageHtml } from './playbook-html';
import { COMMAND_EXPORT_REVIEW, COMMAND_OPEN_PLAYBOOK, PLAYBOOK_VIEW_ID } from './playbook-ids';
import { knownIdsOf, parseViewMessage, type KnownIds } from './playbook-messages';
import { initMessage, locationOf } from './playbook-model';
import { workspaceFindings } from './review-export';
import { snippetLanguages, snippetsFromExtension, type SnippetLookup } from '../core/snippet-files';

const LANGUAGE_NAME: Readonly<Record<SnippetLanguage, string>> = { typescript: 'TypeScript', javascript: 'JavaScript', python: 'Python' };

export class PlaybookViewProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  /** The page has said `ready` since it was last (re)loaded. */
  private pageReady = false;
  /** Where to open once the page is ready. */
  private pendingReveal: PlaybookLocation | undefined;
  private readonly known: KnownIds;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly playbooks: readonly Playbook[],
    private readonly checklists: ChecklistState,
    private readonly snippets: SnippetLookup,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.known = knownIdsOf(playbooks);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.pageReady = false;
    const webview = view.webview;
    webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.joinPath(this.extensionUri, 'dist')],
    };
    webview.html = playbookPageHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'webview', 'playbooks.css')).toString(),
    });
    const subscriptions = [
      webview.onDidReceiveMessage(raw => void this.onMessage(raw)),
      // Hidden views are discarded (no retainContextWhenHidden); the reloaded page asks again with `ready`.
      view.onDidChangeVisibility(() => {
        if (!view.visible) this.pageReady = false;
      }),
    ];
    view.onDidDispose(() => {
      subscriptions.forEach(s => s.dispose());
      if (this.view === view) {
        this.view = undefined;
        this.pageReady = false;
      }
    });
  }

  /** Shows a playbook (at a section) in the sidebar, now or as soon as the page is ready. */
  async reveal(location: PlaybookLocation): Promise<void> {
    this.pendingReveal = location;
    if (this.view && this.pageReady) {
      this.view.show(true);
      if (await this.post({ type: 'reveal', location })) this.pendingReveal = undefined;
    }
  }

  private post(message: ExtensionMessage): Thenable<boolean> {
    return this.view ? this.view.webview.postMessage(message) : Promise.resolve(false);
  }

  private hasDoc = (ruleId: string): boolean => fs.existsSync(path.join(this.extensionUri.fsPath, ruleDocPath(ruleId)));

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = parseViewMessage(raw, this.known);
    if (!parsed.ok) {
      this.log.warn(`playbook view: message refused: ${parsed.error}`);
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (error) {
      this.log.error(`playbook view: ${parsed.message.type} failed: ${error instanceof Error ? error.message : String(error)}`);
      void vscode.window.showErrorMessage(`MCP Architect: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async handle(message: ViewMessage): Promise<void> {
    switch (message.type) {
      case 'ready': {
        const reveal = this.pendingReveal;
        const delivered = await this.post(initMessage(this.playbooks, this.checklists.keys(), { hasDoc: this.hasDoc, snippet: this.snippets, reveal }));
        this.pageReady = delivered;
        if (delivered && reveal === this.pendingReveal) this.pendingReveal = undefined;
        return;
      }
      case 'setChecked':
        await this.checklists.set(message.key, message.checked);
        return;
      case 'insertSnippet':
        await insertSnippet(message.prefix, this.snippets);
        return;
      case 'openRuleDoc':
        await vscode.commands.executeCommand(COMMAND_OPEN_RULE_DOC, message.ruleId, ruleDocUrl(message.ruleId));
        return;
      case 'openMarkdown': {
        const playbook = getPlaybook(this.playbooks, message.playbookId);
        if (!playbook) return;
        const content = playbookToMarkdown(playbook, {
          checked: this.checklists.keys(),
          titleOf: id => getPlaybook(this.playbooks, id)?.title,
        });
        const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
        await vscode.window.showTextDocument(doc, { preview: false });
        return;
      }
    }
  }
}

/** Inserts a snippet (in the active editor's language) at the cursor, or says why it cannot. */
export async function insertSnippet(prefix: string, lookup: SnippetLookup): Promise<boolean> {
  const editor = vscode.window.activeTextEditor ?? (vscode.window.visibleTextEditors.length === 1 ? vscode.window.visibleTextEditors[0] : undefined);
  const available = snippetLanguages(lookup, prefix);
  const availableText = available.map(l => LANGUAGE_NAME[l]).join(', ') || 'no language';
  if (!editor) {
    void vscode.window.showWarningMessage(`MCP Architect: open a file first — ${prefix} is inserted at the cursor of the active editor.`);
    return false;
  }
  const language = snippetLanguageOf(editor.document.languageId);
  if (!language) {
    void vscode.window.showWarningMessage(`MCP Architect: ${prefix} is a ${availableText} snippet; the active editor is ${editor.document.languageId}.`);
    return false;
  }
  const snippet = lookup(prefix, language);
  if (!snippet) {
    void vscode.window.showWarningMessage(`MCP Architect: ${prefix} has no ${LANGUAGE_NAME[language]} version (it exists for ${availableText}).`);
    return false;
  }
  // Focus the editor first, so that the snippet's tab stops are live after the insert.
  const shown = await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
  const inserted = await shown.insertSnippet(new vscode.SnippetString(snippet.body));
  if (!inserted) void vscode.window.showWarningMessage(`MCP Architect: ${prefix} could not be inserted (is the editor read-only?).`);
  return inserted;
}

async function pickPlaybook(playbooks: readonly Playbook[]): Promise<PlaybookLocation | undefined> {
  type Item = vscode.QuickPickItem & { playbookId?: string };
  const items: Item[] = [];
  for (const group of playbooksByTheme(playbooks)) {
    items.push({ label: group.theme.title, kind: vscode.QuickPickItemKind.Separator });
    for (const p of group.playbooks) items.push({ label: p.title, description: p.id, detail: p.summary, playbookId: p.id });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Open Playbook',
    placeHolder: 'Type to filter the playbooks by name',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.playbookId ? { playbookId: picked.playbookId } : undefined;
}

export interface PlaybookViewApi {
  /** Reveals a playbook: `ref` as for `mcpArchitect.openPlaybook`. */
  openPlaybook(ref?: string): Promise<PlaybookLocation | undefined>;
  exportReview(): Promise<{ uri: string; findings: number } | undefined>;
}

/** Registers the sidebar view and its commands. */
export function registerPlaybookView(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): PlaybookViewApi {
  const playbooks = PLAYBOOKS;
  const checklists = new ChecklistState(context.workspaceState, new Set(allChecklistItemKeys(playbooks)));
  const snippets = snippetsFromExtension(context.extensionUri.fsPath, message => log.error(message));
  const provider = new PlaybookViewProvider(context.extensionUri, playbooks, checklists, snippets, log);

  const openPlaybook = async (arg?: unknown): Promise<PlaybookLocation | undefined> => {
    let location: PlaybookLocation | undefined;
    if (typeof arg === 'string' || (arg && typeof arg === 'object' && 'playbook' in arg)) {
      location = locationOf(playbooks, arg);
      if (!location) {
        const shown = typeof arg === 'string' ? arg : JSON.stringify(arg);
        log.warn(`openPlaybook: no playbook ${shown}`);
        void vscode.window.showWarningMessage(`MCP Architect: there is no playbook ${shown}.`);
        return undefined;
      }
    } else {
      location = await pickPlaybook(playbooks);
      if (!location) return undefined;
    }
    await vscode.commands.executeCommand(`${PLAYBOOK_VIEW_ID}.focus`);
    await provider.reveal(location);
    return location;
  };

  const exportReview = async (): Promise<{ uri: string; findings: number } | undefined> => {
    const findings = workspaceFindings();
    const content = architectureReviewWithFindings(playbooks, findings, {
      subject: vscode.workspace.name,
      date: new Date().toISOString().slice(0, 10),
      checked: checklists.keys(),
    });
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    await vscode.window.showTextDocument(doc, { preview: false });
    log.info(`exported an architecture review with ${findings.length} finding(s)`);
    return { uri: doc.uri.toString(), findings: findings.length };
  };

  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider(PLAYBOOK_VIEW_ID, provider),
    vscode.commands.registerCommand(COMMAND_OPEN_PLAYBOOK, openPlaybook),
    vscode.commands.registerCommand(COMMAND_EXPORT_REVIEW, exportReview),
  );
  return { openPlaybook: ref => openPlaybook(ref), exportReview };
}
