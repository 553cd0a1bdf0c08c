// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one run, every rule described in `tool.driver.rules`,
// one result per finding with a location relative to %SRCROOT% (the working directory), fingerprints and fixes.
// Files that could not be parsed, and rules that failed, are tool execution notifications.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPOSITORY_URL, playbookUrl, ruleDocUrl } from '../../core/docs';
import type { Rule, Severity, SeveritySetting } from '../../core/types';
import { CLI_NAME, VERSION } from '../version';
import type { LineColumnRange, LintedFile, LintResult } from './lint';
import { tagsOf, taxonomyOf } from './rule-taxonomy';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export function sarifLevel(severity: SeveritySetting): SarifLevel {
  switch (severity) {
    case 'error':
      return 'error';
    case 'warning':
      return 'warning';
    case 'off':
      return 'none';
    default:
      return 'note';
  }
}

/** GitHub's `problem.severity`: error, warning or recommendation. */
function problemSeverity(severity: Severity): string {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'recommendation';
}

/** PascalCase name of a rule id (`fetch-without-timeout` -> `FetchWithoutTimeout`), SARIF's `name`. */
export function ruleName(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

function region(r: LineColumnRange) {
  return { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn };
}

export interface SarifOptions {
  cwd: string;
  rules: readonly Rule[];
  /** `--rule` overrides, shown as rule configuration overrides of the invocation. */
  severities: Record<string, SeveritySetting>;
}

export function formatSarif(result: LintResult, options: SarifOptions): string {
  const { rules } = options;
  const ruleIndex = new Map(rules.map((r, i) => [r.meta.id, i]));

  const artifactLocation = (file: LintedFile) => {
    const rel = path.relative(options.cwd, file.path);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { uri: pathToFileURL(file.path).href };
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  };

  const results: object[] = [];
  const notifications: object[] = [];
  for (const file of result.files) {
    const location = artifactLocation(file);
    for (const f of file.findings) {
      const physicalLocation = { artifactLocation: location, region: region(f) };
      if (f.fatal || f.ruleId === null) {
        notifications.push({
          descriptor: { id: 'parse-error' },
          level: 'error',
          message: { text: f.message },
          locations: [{ physicalLocation }],
        });
        continue;
      }
      const index = ruleIndex.get(f.ruleId);
      results.push({
        ruleId: f.ruleId,
        ...(index !== undefined ? { ruleIndex: index } : {}),
        level: sarifLevel(f.severity),
        message: { text: f.message },
        locations: [{ physicalLocation }],
        partialFingerprints: { 'mcpArchitectFindingHash/v1': f.fingerprint },
        ...(f.fixes.length
          ? {
              fixes: f.fixes.map(fix => ({
                description: { text: fix.title },
                artifactChanges: [
                  {
                    artifactLocation: location,
                    replacements: fix.edits.map(e => ({ deletedRegion: region(e), insertedContent: { text: e.newText } })),
                  },
                ],
              })),
            }
          : {}),
      });
    }
    for (const e of file.ruleErrors) {
      const index = ruleIndex.get(e.ruleId);
      notifications.push({
        descriptor: { id: 'rule-error' },
        ...(index !== undefined ? { associatedRule: { id: e.ruleId, index } } : {}),
        level: 'warning',
        message: { text: `Rule ${e.ruleId} failed on this file and was skipped: ${e.message}` },
        locations: [{ physicalLocation: { artifactLocation: location } }],
      });
    }
  }

  const overrides = Object.entries(options.severities)
    .filter(([id]) => ruleIndex.has(id))
    .map(([id, severity]) => ({
      descriptor: { id, index: ruleIndex.get(id)! },
      configuration: severity === 'off' ? { enabled: false } : { level: sarifLevel(severity) },
    }));

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: CLI_NAME,
            fullName: 'MCP Server Architect',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: REPOSITORY_URL,
            rules: rules.map(r => ruleDescriptor(r)),
            notifications: [
              {
                id: 'parse-error',
                name: 'ParseError',
                shortDescription: { text: 'The file could not be parsed and was not analysed.' },
                defaultConfiguration: { level: 'error' },
              },
              {
                id: 'rule-error',
                name: 'RuleError',
                shortDescription: { text: 'A rule failed on a file and was skipped for it.' },
                defaultConfiguration: { level: 'warning' },
              },
            ],
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            ...(overrides.length ? { ruleConfigurationOverrides: overrides } : {}),
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(options.cwd).href.replace(/\/?$/, '/') } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function ruleDescriptor(rule: Rule) {
  const { meta } = rule;
  const taxonomy = taxonomyOf(meta.id);
  const docUrl = ruleDocUrl(meta.id);
  const fix = meta.fix ? `Quick fix: ${meta.fix}` : 'No automatic fix: the change needs a decision in the code.';
  return {
    id: meta.id,
    name: ruleName(meta.id),
    shortDescription: { text: meta.description },
    fullDescription: { text: meta.message },
    helpUri: docUrl,
    help: {
      text: `${meta.message}\n\n${fix}\n\nRule documentation: ${docUrl}\nPlaybook: ${playbookUrl(meta.playbook)}`,
      markdown: `${meta.message}\n\n${fix}\n\n[Rule documentation](${docUrl}) · [Playbook](${playbookUrl(meta.playbook)})`,
    },
    defaultConfiguration: { level: sarifLevel(meta.defaultSeverity) },
    properties: {
      tags: taxonomy.category === 'security' ? ['security', ...tagsOf(meta.id).filter(t => t !== 'security')] : tagsOf(meta.id),
      precision: taxonomy.precision,
      'problem.severity': problemSeverity(meta.defaultSeverity),
      ...(taxonomy.securitySeverity ? { 'security-severity': taxonomy.securitySeverity } : {}),
      code: meta.code,
    },
  };
}
