// The extension's settings (`mcpArchitect.*`), read and validated in one place.
import * as vscode from 'vscode';
import type { SeveritySetting } from '../core/types';
import { SEVERITY_SETTINGS } from './settings-schema';

export const SECTION = 'mcpArchitect';

export type Engine = 'auto' | 'tsserver' | 'extension';
export type Scope = 'mcp' | 'all';

export interface ArchitectSettings {
  enable: boolean;
  scope: Scope;
  /** Valid per-rule severities only; invalid entries are dropped (and logged by `readSettings`). */
  rules: Record<string, SeveritySetting>;
  engine: Engine;
}

export function readSettings(resource?: vscode.Uri, log?: vscode.LogOutputChannel): ArchitectSettings {
  const c = vscode.workspace.getConfiguration(SECTION, resource);
  const scope = c.get<string>('scope', 'mcp');
  const engine = c.get<string>('engine', 'auto');
  const rawRules = c.get<unknown>('rules', {});
  const rules: Record<string, SeveritySetting> = {};
  if (rawRules && typeof rawRules === 'object' && !Array.isArray(rawRules)) {
    for (const [id, value] of Object.entries(rawRules as Record<string, unknown>)) {
      if (typeof value === 'string' && (SEVERITY_SETTINGS as readonly string[]).includes(value)) rules[id] = value as SeveritySetting;
      else log?.warn(`mcpArchitect.rules: ignoring ${JSON.stringify(id)}: ${JSON.stringify(value)} (use one of ${SEVERITY_SETTINGS.join(', ')})`);
    }
  }
  return {
    enable: c.get<boolean>('enable', true) !== false,
    scope: scope === 'all' ? 'all' : 'mcp',
    rules,
    engine: engine === 'tsserver' || engine === 'extension' ? engine : 'auto',
  };
}

export function affectsSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}
