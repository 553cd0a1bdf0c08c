// The bundled MCP server in VS Code's own MCP server list (no file written), and the
// "Register with MCP Client..." command that writes it into other clients' configurations.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CLIENT_IDS, RegisterError, type ClientId, type Scope } from '../register/clients';
import { describeChange, findNodeOnPath, runRegistration, serverLaunch } from '../register/register';

export const MCP_PROVIDER_ID = 'mcpArchitect.server';
export const COMMAND_REGISTER_CLIENT = 'mcpArchitect.registerMcpClient';

const CLIENT_LABELS: Record<ClientId, { label: string; detail: string; scopes: Scope[] }> = {
  vscode: { label: 'VS Code (.vscode/mcp.json)', detail: 'Shares the server with everyone who opens this workspace.', scopes: ['workspace'] },
  'claude-code': { label: 'Claude Code', detail: '.mcp.json and the persona as a subagent in .claude/agents/', scopes: ['workspace', 'user'] },
  'claude-desktop': { label: 'Claude Desktop', detail: 'claude_desktop_config.json', scopes: ['user'] },
  cursor: { label: 'Cursor', detail: '.cursor/mcp.json or ~/.cursor/mcp.json', scopes: ['workspace', 'user'] },
  windsurf: { label: 'Windsurf', detail: '~/.codeium/windsurf/mcp_config.json', scopes: ['user'] },
  copilot: { label: 'GitHub Copilot custom agent', detail: '.github/agents/mcp-server-architect.agent.md', scopes: ['workspace'] },
};

function serverScript(context: vscode.ExtensionContext): string {
  return vscode.Uri.joinPath(context.extensionUri, 'dist', 'mcp-server.js').fsPath;
}

/** In VS Code desktop the extension host runs in Electron, which becomes Node with ELECTRON_RUN_AS_NODE=1. */
function isElectron(): boolean {
  return Boolean(process.versions.electron);
}

export function registerMcpIntegration(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const disposables: vscode.Disposable[] = [];
  const lm = vscode.lm as Partial<typeof vscode.lm> | undefined;
  if (typeof lm?.registerMcpServerDefinitionProvider === 'function') {
    disposables.push(
      lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
        provideMcpServerDefinitions: () => {
          const env: Record<string, string> = isElectron() ? { ELECTRON_RUN_AS_NODE: '1' } : {};
          const def = new vscode.McpStdioServerDefinition('MCP Server Architect', process.execPath, [serverScript(context)], env, context.extension.packageJSON.version);
          const folder = vscode.workspace.workspaceFolders?.[0];
          if (folder && folder.uri.scheme === 'file') def.cwd = folder.uri;
          return [def];
        },
      }),
    );
    log.info(`MCP server registered with VS Code (${process.execPath} ${serverScript(context)})`);
  } else {
    log.warn('this VS Code has no MCP server API (vscode.lm.registerMcpServerDefinitionProvider); use "Register with MCP Client..." instead');
  }
  disposables.push(vscode.commands.registerCommand(COMMAND_REGISTER_CLIENT, (client?: unknown) => registerWithClient(context, log, client)));
  return disposables;
}

async function registerWithClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, preset?: unknown): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('MCP Architect: registering writes configuration files, which needs a trusted workspace.');
    return;
  }
  let client = typeof preset === 'string' && (CLIENT_IDS as readonly string[]).includes(preset) ? (preset as ClientId) : undefined;
  if (!client) {
    const pick = await vscode.window.showQuickPick(
      CLIENT_IDS.map(id => ({ id, label: CLIENT_LABELS[id].label, detail: CLIENT_LABELS[id].detail })),
      { title: 'Register MCP Server Architect with…', placeHolder: 'Choose the MCP client' },
    );
    if (!pick) return;
    client = pick.id;
  }
  const scopes = CLIENT_LABELS[client].scopes;
  let scope: Scope = scopes[0];
  if (scopes.length > 1) {
    const pick = await vscode.window.showQuickPick(
      scopes.map(s => ({ label: s === 'workspace' ? 'This workspace' : 'My user settings', scope: s })),
      { title: `Where should ${CLIENT_LABELS[client].label} find it?` },
    );
    if (!pick) return;
    scope = pick.scope;
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder && scope === 'workspace') {
    void vscode.window.showWarningMessage('MCP Architect: open a folder to register the server for a workspace.');
    return;
  }
  const launch = serverLaunch(serverScript(context), { execPath: process.execPath, isElectron: isElectron(), nodeOnPath: findNodeOnPath() });
  const commandLine = [launch.command, ...launch.args].map(a => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
  const request = {
    client,
    scope,
    workspace: folder?.uri.fsPath ?? process.cwd(),
    launch,
    agentPrompt: fs.readFileSync(path.join(context.extensionPath, 'media', 'persona.md'), 'utf8'),
    mode: 'register' as const,
  };
  let force = false;
  let preview;
  try {
    preview = runRegistration({ ...request, dryRun: true });
  } catch (error) {
    if (!(error instanceof RegisterError) || !/--force/.test(error.message)) return fail(log, error);
    const replace = await vscode.window.showWarningMessage(error.message.replace(/ \(--force\)/, ''), { modal: true }, 'Replace');
    if (replace !== 'Replace') return;
    force = true;
    try {
      preview = runRegistration({ ...request, dryRun: true, force });
    } catch (again) {
      return fail(log, again);
    }
  }
  const pending = preview.filter(c => c.action !== 'unchanged');
  if (pending.length === 0) {
    void vscode.window.showInformationMessage(`MCP Architect: ${CLIENT_LABELS[client].label} already has the server (${commandLine}).`);
    return;
  }
  const detail = `Command: ${commandLine}${launch.env ? ` (env ${Object.entries(launch.env).map(([k, v]) => `${k}=${v}`).join(' ')})` : ''}\n\n${pending.map(c => `${c.action}: ${c.file}`).join('\n')}`;
  const ok = await vscode.window.showInformationMessage(`Register MCP Server Architect with ${CLIENT_LABELS[client].label}?`, { modal: true, detail }, 'Register');
  if (ok !== 'Register') return;
  try {
    const changes = runRegistration({ ...request, force });
    for (const c of changes) log.info(describeChange(c));
    const written = changes.filter(c => c.action !== 'unchanged');
    void vscode.window.showInformationMessage(`MCP Architect: registered with ${CLIENT_LABELS[client].label} (${written.map(c => path.basename(c.file)).join(', ')}).`);
  } catch (error) {
    fail(log, error);
  }
}

function fail(log: vscode.LogOutputChannel, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  log.error(`registration failed: ${message}`);
  void vscode.window.showErrorMessage(`MCP Architect: ${message}`);
}
