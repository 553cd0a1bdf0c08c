// The JSON schema of the `mcpArchitect.rules` setting, generated from the rule registry so that every rule id
// is listed with its default severity. scripts/sync-manifest.ts writes it into package.json; a test keeps them equal.
import type { Rule } from '../core/types';
import { VULNERABLE_SDK_CHECK_ID } from './sdk-advisories';

export const SEVERITY_SETTINGS = ['off', 'hint', 'info', 'warning', 'error'] as const;

/** Checks the extension runs itself (not rules of the core), configurable like rules. */
export const EXTENSION_CHECKS = [
  {
    id: VULNERABLE_SDK_CHECK_ID,
    defaultSeverity: 'warning',
    description: 'package.json depends on an @modelcontextprotocol/sdk version with known security advisories',
  },
] as const;

export interface JsonSchema {
  [key: string]: unknown;
}

export function rulesSettingSchema(rules: readonly Rule[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const entries = [
    ...[...rules].sort((a, b) => a.meta.id.localeCompare(b.meta.id)).map(r => ({ id: r.meta.id, defaultSeverity: r.meta.defaultSeverity, description: `${r.meta.description} (${r.meta.code})` })),
    ...EXTENSION_CHECKS,
  ];
  for (const e of entries) {
    properties[e.id] = {
      type: 'string',
      enum: [...SEVERITY_SETTINGS],
      default: e.defaultSeverity,
      description: e.description,
    };
  }
  return {
    type: 'object',
    default: {},
    markdownDescription:
      'Severity per rule: `off`, `hint`, `info`, `warning` or `error`. Rules not listed keep their default. Example: `{ "unbounded-cache": "error", "stdout-in-stdio-server": "off" }`.',
    properties,
    additionalProperties: false,
    scope: 'resource',
    order: 2,
  };
}
