// MCP Server Architect for VS Code: wires the analysis engines, code actions, commands and settings together.
import * as vscode from 'vscode';
import { ruleById } from '../core/rules';
import { ruleDocPath } from '../core/docs';
import { ProjectFactsStore } from './project-facts';
import { ArchitectCodeActionProvider, COMMAND_OPEN_RULE_DOC, COMMAND_TURN_OFF_RULE } from './code-actions';
import { configureTsserverPlugin, decideEngine, nativeTypeScriptEnabled, pluginConfiguration, type EngineState } from './engine';
import { LiveLinter } from './live-linter';
import { PythonEngine } from './python-engine';
import * as path from 'node:path';
import { SECTION, affectsSettings, readSettings } from './settings';
import { WorkspaceAnalyzer } from './workspace-analysis';
import { registerMcpIntegration } from './mcp-registration';
import { registerPlaybookView } from './playbook-view';

export const COMMAND_ANALYZE_WORKSPACE = 'mcpArchitect.analyzeWorkspace';
export const COMMAND_SHOW_OUTPUT = 'mcpArchitect.showOutput';

const DOCUMENT_SELECTOR: vscode.DocumentSelector = [
  { language: 'typescript' },
  { language: 'typescriptreact' },
  { language: 'javascript' },
  { language: 'javascriptreact' },
  { language: 'python' },
  { language: 'json', pattern: '**/package.json' },
];

export interface ArchitectApi {
  /** Which engine reports for TypeScript/JavaScript right now (for tests and other extensions). */
  engineState(): EngineState;
  analyzeWorkspace(): Promise<{ files: number; findings: number; rules: string[]; packageJsonFindings: number; cancelled: boolean }>;
}

export function activate(context: vscode.ExtensionContext): ArchitectApi {
  const log = vscode.window.createOutputChannel('MCP Architect', { log: true });
  context.subscriptions.push(log);
  log.info(`activating MCP Server Architect ${context.extension.packageJSON.version} (VS Code ${vscode.version})`);

  const facts = new ProjectFactsStore();
  let state = decideEngine(readSettings(undefined, log));
  const python = new PythonEngine(path.join(context.extensionPath, 'dist'), log);
  const linter = new LiveLinter(facts, log, () => state, python);
  const workspace = new WorkspaceAnalyzer(facts, log, python);
  context.subscriptions.push(linter, workspace);

  const applyEngine = async (why: string): Promise<void> => {
    const settings = readSettings(undefined, log);
    state = decideEngine(settings);
    log.info(`${why}: engine = ${state.reason}; extension analyses [${[...state.extensionLanguages].join(', ')}]`);
    if (settings.engine === 'tsserver' && nativeTypeScriptEnabled()) {
      log.warn('mcpArchitect.engine is "tsserver" but TypeScript 7 (native preview) loads no tsserver plugins: no findings will be shown for TypeScript/JavaScript. Use "auto".');
    }
    await configureTsserverPlugin(pluginConfiguration(settings, state), log);
    linter.invalidate();
    linter.refreshAll();
  };

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(e => {
      if (
        affectsSettings(e) ||
        e.affectsConfiguration('typescript.experimental.useTsgo') ||
        e.affectsConfiguration('js/ts.experimental.useTsgo') ||
        e.affectsConfiguration('typescript.validate.enable') ||
        e.affectsConfiguration('javascript.validate.enable')
      ) {
        void applyEngine('settings changed');
        if (affectsSettings(e) && !readSettings().enable) workspace.clear();
      }
    }),
    vscode.extensions.onDidChange(() => void applyEngine('extensions changed')),
    vscode.workspace.onDidGrantWorkspaceTrust(() => log.info('workspace trusted: quick fixes and setting changes are available')),
    vscode.languages.registerCodeActionsProvider(DOCUMENT_SELECTOR, new ArchitectCodeActionProvider(linter), ArchitectCodeActionProvider.metadata),

    vscode.commands.registerCommand(COMMAND_ANALYZE_WORKSPACE, async () => {
      const s = await workspace.run();
      // The run learnt every file's program facts: open documents are checked again with them.
      if (!s.cancelled) linter.refreshAll();
      const text = s.cancelled
        ? 'MCP Architect: workspace analysis cancelled.'
        : `MCP Architect: ${s.findings} finding(s) of ${s.rules.size} rule(s) in ${s.files} file(s)` +
          (s.packageJsonFindings ? `, ${s.packageJsonFindings} vulnerable MCP SDK dependenc${s.packageJsonFindings === 1 ? 'y' : 'ies'}` : '') +
          '.';
      if (!s.cancelled && s.findings + s.packageJsonFindings > 0) {
        void vscode.window.showInformationMessage(text, 'Show Problems').then(choice => {
          if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
        });
      } else {
        void vscode.window.showInformationMessage(text);
      }
      return { files: s.files, findings: s.findings, rules: [...s.rules], packageJsonFindings: s.packageJsonFindings, cancelled: s.cancelled };
    }),

    vscode.commands.registerCommand(COMMAND_TURN_OFF_RULE, async (ruleId: unknown, resource?: vscode.Uri) => {
      if (typeof ruleId !== 'string' || !ruleId) return;
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage('MCP Architect: settings can be changed once the workspace is trusted.');
        return;
      }
      const config = vscode.workspace.getConfiguration(SECTION, resource);
      const inspect = config.inspect<Record<string, string>>('rules');
      const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
      const current = (target === vscode.ConfigurationTarget.Workspace ? inspect?.workspaceValue : inspect?.globalValue) ?? {};
      await config.update('rules', { ...current, [ruleId]: 'off' }, target);
      log.info(`turned ${ruleId} off in ${target === vscode.ConfigurationTarget.Workspace ? 'workspace' : 'user'} settings`);
      void vscode.window.showInformationMessage(`MCP Architect: ${ruleId} is off (${target === vscode.ConfigurationTarget.Workspace ? 'workspace' : 'user'} settings).`);
    }),

    vscode.commands.registerCommand(COMMAND_OPEN_RULE_DOC, async (ruleId: unknown, fallbackUrl?: string) => {
      if (typeof ruleId !== 'string') return;
      if (!ruleById(ruleId)) {
        if (fallbackUrl) await vscode.env.openExternal(vscode.Uri.parse(fallbackUrl));
        return;
      }
      const page = vscode.Uri.joinPath(context.extensionUri, ruleDocPath(ruleId));
      try {
        await vscode.workspace.fs.stat(page);
      } catch {
        log.warn(`no documentation page ${page.fsPath}`);
        void vscode.window.showWarningMessage(`MCP Architect: the page of ${ruleId} is missing from this installation.`);
        return;
      }
      await vscode.commands.executeCommand('markdown.showPreview', page);
    }),

    vscode.commands.registerCommand(COMMAND_SHOW_OUTPUT, () => log.show()),
    ...registerMcpIntegration(context, log),
  );

  registerPlaybookView(context, log);

  void applyEngine('activated');

  return {
    engineState: () => state,
    analyzeWorkspace: () => vscode.commands.executeCommand(COMMAND_ANALYZE_WORKSPACE) as ReturnType<ArchitectApi['analyzeWorkspace']>,
  };
}

export function deactivate(): void {
  // Disposables are released through context.subscriptions.
}
