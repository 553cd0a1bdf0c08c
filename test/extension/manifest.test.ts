// The extension manifest (package.json): settings schema in sync with the rule registry, contributions that
// point at real files, commands that the extension registers, activation without `*`, a real 128x128 icon.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../src/core/rules';
import { rulesSettingSchema } from '../../src/extension/settings-schema';
import { VULNERABLE_SDK_CHECK_ID } from '../../src/extension/sdk-advisories';
import { REPO_ROOT } from '../helpers/rules';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const contributes = manifest.contributes;

describe('extension manifest', () => {
  it('lists every rule id (and the SDK advisory check) in the mcpArchitect.rules schema, with the severities', () => {
    const schema = contributes.configuration.properties['mcpArchitect.rules'] as { properties: Record<string, { enum: string[]; default: string }> };
    assert.deepEqual(schema, rulesSettingSchema(RULES) as unknown, 'package.json is out of date: run `npm run sync:manifest`');
    const ids = Object.keys(schema.properties).sort();
    assert.deepEqual(ids, [...RULES.map(r => r.meta.id), VULNERABLE_SDK_CHECK_ID].sort());
    for (const rule of RULES) {
      const p = schema.properties[rule.meta.id];
      assert.deepEqual(p.enum, ['off', 'hint', 'info', 'warning', 'error']);
      assert.equal(p.default, rule.meta.defaultSeverity);
    }
  });

  it('declares the other settings with their choices', () => {
    const props = contributes.configuration.properties;
    assert.equal(props['mcpArchitect.enable'].type, 'boolean');
    assert.deepEqual(props['mcpArchitect.scope'].enum, ['mcp', 'all']);
    assert.deepEqual(props['mcpArchitect.engine'].enum, ['auto', 'tsserver', 'extension']);
  });

  it('contributes the tsserver plugin by the name the plugin and the extension use', () => {
    assert.deepEqual(contributes.typescriptServerPlugins, [{ name: 'mcp-architect-tsserver-plugin', enableForWorkspaceTypeScriptVersions: true }]);
    const pluginSource = fs.readFileSync(path.join(REPO_ROOT, 'src/extension/engine.ts'), 'utf8');
    assert.match(pluginSource, /TSSERVER_PLUGIN_NAME = 'mcp-architect-tsserver-plugin'/);
  });

  it('activates on languages, package.json and commands, never on *', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
    for (const lang of ['typescript', 'javascript', 'python']) assert.ok(manifest.activationEvents.includes(`onLanguage:${lang}`));
  });

  it('registers every contributed command in the extension, and contributes every registered one', () => {
    const sources = fs
      .readdirSync(path.join(REPO_ROOT, 'src/extension'))
      .filter(f => f.endsWith('.ts'))
      .map(f => fs.readFileSync(path.join(REPO_ROOT, 'src/extension', f), 'utf8'))
      .join('\n');
    const declared = contributes.commands.map((c: { command: string }) => c.command).sort();
    const ids = [...sources.matchAll(/export const COMMAND_\w+ = '([\w.]+)'/g)].map(m => m[1]).sort();
    assert.deepEqual(declared, ids);
    assert.ok(declared.includes('mcpArchitect.analyzeWorkspace'));
  });

  it('contributes snippets for TypeScript, JavaScript (and React) and Python from files that exist', () => {
    const langs = contributes.snippets.map((s: { language: string }) => s.language).sort();
    assert.deepEqual(langs, ['javascript', 'javascriptreact', 'python', 'typescript', 'typescriptreact']);
    for (const s of contributes.snippets) assert.ok(fs.existsSync(path.join(REPO_ROOT, s.path)), s.path);
  });

  it('declares limited support in untrusted workspaces, the license, repository and a 128x128 PNG icon', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(manifest.capabilities.untrustedWorkspaces.description.length > 20);
    assert.equal(manifest.license, 'MIT');
    assert.ok(fs.readFileSync(path.join(REPO_ROOT, 'LICENSE'), 'utf8').startsWith('MIT License'));
    assert.match(manifest.repository.url, /github\.com\/mcp-architect\/mcp-server-architect/);
    assert.equal(manifest.engines.vscode, '^1.101.0');
    assert.equal(manifest.main, './dist/extension.js');
    const png = fs.readFileSync(path.join(REPO_ROOT, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
    assert.equal(png.readUInt32BE(16), 128, 'width');
    assert.equal(png.readUInt32BE(20), 128, 'height');
  });
});
