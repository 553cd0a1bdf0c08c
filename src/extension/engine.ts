// Which engine reports findings for TypeScript/JavaScript: the tsserver plugin (inside VS Code's TypeScript
// server, with the type checker) or the extension itself. Also passes the settings to the plugin at once.
import * as vscode from 'vscode';
import type { ArchitectSettings } from './settings';

export const TSSERVER_PLUGIN_NAME = 'mcp-architect-tsserver-plugin';
export const TS_EXTENSION_ID = 'vscode.typescript-language-features';
export const TS_NATIVE_PREVIEW_EXTENSION_ID = 'TypeScriptTeam.native-preview';

/** Languages the analysis core handles. */
export const TS_LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'] as const;

export function isTsLanguage(languageId: string): boolean {
  return (TS_LANGUAGES as readonly string[]).includes(languageId);
}

/** What the plugin receives through `configurePlugin`. */
export interface PluginConfiguration {
  enabled: boolean;
  scope: 'mcp' | 'all';
  severities: Record<string, string>;
}

interface TypeScriptExtensionApi {
  configurePlugin(pluginId: string, configuration: unknown): void;
}

export interface EngineState {
  /** The extension analyses these languages itself; the tsserver plugin handles the others. */
  extensionLanguages: Set<string>;
  /** Why, for the log. */
  reason: string;
  pluginEnabled: boolean;
}

/** TypeScript 7 (the native port) runs no tsserver plugins. Older builds read the first key, newer the second. */
export function nativeTypeScriptEnabled(): boolean {
  const c = vscode.workspace.getConfiguration();
  return c.get<boolean>('typescript.experimental.useTsgo') === true || c.get<boolean>('js/ts.experimental.useTsgo') === true;
}

export function decideEngine(settings: ArchitectSettings): EngineState {
  const all = new Set<string>(TS_LANGUAGES);
  if (!settings.enable) return { extensionLanguages: new Set(), reason: 'mcpArchitect.enable is false', pluginEnabled: false };
  if (settings.engine === 'extension') return { extensionLanguages: all, reason: 'mcpArchitect.engine is "extension"', pluginEnabled: false };
  if (settings.engine === 'tsserver') return { extensionLanguages: new Set(), reason: 'mcpArchitect.engine is "tsserver"', pluginEnabled: true };

  const tsExtension = vscode.extensions.getExtension(TS_EXTENSION_ID);
  if (!tsExtension) return { extensionLanguages: all, reason: `${TS_EXTENSION_ID} is not available`, pluginEnabled: false };
  if (nativeTypeScriptEnabled()) {
    return { extensionLanguages: all, reason: 'TypeScript 7 (native preview) is on and loads no tsserver plugins', pluginEnabled: false };
  }
  // With validation off, VS Code drops every tsserver diagnostic of that language, the plugin's too.
  const c = vscode.workspace.getConfiguration();
  const languages = new Set<string>();
  const reasons: string[] = [];
  if (c.get<boolean>('typescript.validate.enable') === false) {
    languages.add('typescript').add('typescriptreact');
    reasons.push('typescript.validate.enable is false');
  }
  if (c.get<boolean>('javascript.validate.enable') === false) {
    languages.add('javascript').add('javascriptreact');
    reasons.push('javascript.validate.enable is false');
  }
  return {
    extensionLanguages: languages,
    reason: reasons.length ? `tsserver plugin, extension engine where ${reasons.join(' and ')}` : 'tsserver plugin',
    pluginEnabled: languages.size < all.size,
  };
}

export function pluginConfiguration(settings: ArchitectSettings, state: EngineState): PluginConfiguration {
  return { enabled: state.pluginEnabled, scope: settings.scope, severities: { ...settings.rules } };
}

/** Sends the configuration to the tsserver plugin; TypeScript's extension replays it when its server restarts. */
export async function configureTsserverPlugin(config: PluginConfiguration, log: vscode.LogOutputChannel): Promise<boolean> {
  const ext = vscode.extensions.getExtension<{ getAPI?(version: 0): TypeScriptExtensionApi | undefined }>(TS_EXTENSION_ID);
  if (!ext) return false;
  try {
    const exports = ext.isActive ? ext.exports : await ext.activate();
    const api = exports?.getAPI?.(0);
    if (!api) {
      log.warn(`${TS_EXTENSION_ID} exposes no API version 0; the tsserver plugin keeps its previous settings`);
      return false;
    }
    api.configurePlugin(TSSERVER_PLUGIN_NAME, config);
    log.info(`tsserver plugin configured: ${JSON.stringify(config)}`);
    return true;
  } catch (error) {
    log.error(`could not configure the tsserver plugin: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}
