// The extension inside VS Code's extension host: activation, its own engine, code actions, settings, commands.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'mcp-architect.mcp-server-architect';
const workspace = process.env.MCP_ARCHITECT_TEST_WORKSPACE!;
const serverUri = vscode.Uri.file(path.join(workspace, 'src/server.ts'));

async function until<T>(probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise(r => setTimeout(r, 200));
  }
}

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter(d => d.source === 'mcp-architect');
const ruleOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

describe('MCP Architect in the extension host', () => {
  before(async () => {
    await vscode.workspace.getConfiguration('mcpArchitect').update('engine', 'extension', vscode.ConfigurationTarget.Global);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'installed');
    await ext.activate();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(serverUri));
  });

  after(async () => {
    const c = vscode.workspace.getConfiguration('mcpArchitect');
    await c.update('engine', undefined, vscode.ConfigurationTarget.Global);
    await c.update('rules', undefined, vscode.ConfigurationTarget.Global);
  });

  it('publishes its own diagnostics with the rule id and a documentation link', async () => {
    const diags = await until(() => (ours(serverUri).length >= 5 ? ours(serverUri) : undefined));
    const fetchDiag = diags.find(d => ruleOf(d) === 'fetch-without-timeout');
    assert.ok(fetchDiag);
    assert.ok(typeof fetchDiag.code === 'object' && fetchDiag.code.target.toString().endsWith('/docs/rules/fetch-without-timeout.md'));
  });

  it('offers the fix, disable-for-line, turn-off and playbook actions, and the fix clears the warning', async () => {
    const fetchDiag = ours(serverUri).find(d => ruleOf(d) === 'fetch-without-timeout')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', serverUri, fetchDiag.range);
    const titles = actions.map(a => a.title);
    for (const t of ['Add a 30 s timeout (AbortSignal.timeout)', 'Disable fetch-without-timeout for this line', 'Turn off fetch-without-timeout in settings', 'Open the fetch-without-timeout playbook']) {
      assert.ok(titles.includes(t), `${t} in ${JSON.stringify(titles)}`);
    }
    const fix = actions.find(a => a.title.startsWith('Add a 30 s timeout'))!;
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    await until(() => !ours(serverUri).some(d => ruleOf(d) === 'fetch-without-timeout') || undefined, 10_000);
  });

  it('drops a rule set to off, at once', async () => {
    const target = ours(serverUri).map(ruleOf).find(id => id !== 'fetch-without-timeout')!;
    await vscode.workspace.getConfiguration('mcpArchitect').update('rules', { [target]: 'off' }, vscode.ConfigurationTarget.Global);
    await until(() => !ours(serverUri).some(d => ruleOf(d) === target) || undefined, 10_000);
  });

  it('Analyze Workspace reports the vulnerable SDK range of package.json', async () => {
    const result = await vscode.commands.executeCommand<{ files: number; packageJsonFindings: number }>('mcpArchitect.analyzeWorkspace');
    assert.ok(result.files >= 1);
    assert.equal(result.packageJsonFindings, 1);
  });
});
