// The plugin's settings: from the tsconfig.json plugin entry and from the editor (`configurePlugin`).
// Both have the same shape; editor settings win key by key, and per rule for `severities`.
import type { SeveritySetting } from '../core/types';

export const PLUGIN_NAME = 'mcp-architect-tsserver-plugin';

export interface PluginSettings {
  /** false: the plugin adds nothing and TypeScript's results pass through untouched. */
  enabled: boolean;
  /** 'mcp': only programs that use an MCP server SDK or framework; 'all': every file. */
  scope: 'mcp' | 'all';
  /** Per-rule severity by rule id; rules not listed keep their default severity. */
  severities: Record<string, SeveritySetting>;
}

export const DEFAULT_SETTINGS: PluginSettings = { enabled: true, scope: 'mcp', severities: {} };

const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'hint', 'info', 'warning', 'error'];

/**
 * Reads the known keys of a raw configuration object. Invalid values are dropped with a message through
 * `warn` (they never stop the other keys from applying); unknown keys such as tsconfig's `name` are ignored.
 */
export function readSettings(raw: unknown, origin: string, warn: (message: string) => void): Partial<PluginSettings> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    warn(`${origin}: expected an object, got ${JSON.stringify(raw)}; ignored`);
    return {};
  }
  const input = raw as Record<string, unknown>;
  const out: Partial<PluginSettings> = {};
  if (input.enabled !== undefined) {
    if (typeof input.enabled === 'boolean') out.enabled = input.enabled;
    else warn(`${origin}: "enabled" must be true or false, got ${JSON.stringify(input.enabled)}; ignored`);
  }
  if (input.scope !== undefined) {
    if (input.scope === 'mcp' || input.scope === 'all') out.scope = input.scope;
    else warn(`${origin}: "scope" must be "mcp" or "all", got ${JSON.stringify(input.scope)}; ignored`);
  }
  if (input.severities !== undefined) {
    const sev = input.severities;
    if (sev && typeof sev === 'object' && !Array.isArray(sev)) {
      out.severities = {};
      for (const [id, value] of Object.entries(sev as Record<string, unknown>)) {
        if (typeof value === 'string' && (SEVERITY_SETTINGS as readonly string[]).includes(value)) out.severities[id] = value as SeveritySetting;
        else warn(`${origin}: severity of "${id}" must be one of ${SEVERITY_SETTINGS.join(', ')}, got ${JSON.stringify(value)}; ignored`);
      }
    } else {
      warn(`${origin}: "severities" must be an object of rule id to severity, got ${JSON.stringify(sev)}; ignored`);
    }
  }
  return out;
}

/** Defaults, then each layer in order (later layers win). */
export function mergeSettings(...layers: Array<Partial<PluginSettings>>): PluginSettings {
  const out: PluginSettings = { ...DEFAULT_SETTINGS, severities: {} };
  for (const layer of layers) {
    if (layer.enabled !== undefined) out.enabled = layer.enabled;
    if (layer.scope !== undefined) out.scope = layer.scope;
    if (layer.severities) Object.assign(out.severities, layer.severities);
  }
  return out;
}
