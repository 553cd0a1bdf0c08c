// How code-scanning dashboards should classify each rule: tags, precision and, for security rules, a CVSS-like
// `security-severity` with its CWE. Rules missing here get the defaults (reliability, high precision).

export type Precision = 'very-high' | 'high' | 'medium' | 'low';

export interface RuleTaxonomy {
  category: 'security' | 'reliability' | 'performance' | 'correctness' | 'maintainability';
  precision: Precision;
  /** 0.0-10.0 as a string, as GitHub code scanning reads it; security rules only. */
  securitySeverity?: string;
  cwe?: number;
}

const TAXONOMY: Record<string, RuleTaxonomy> = {
  'shell-injection': { category: 'security', precision: 'high', securitySeverity: '9.8', cwe: 78 },
  'path-traversal': { category: 'security', precision: 'high', securitySeverity: '7.5', cwe: 22 },
  'hardcoded-secret': { category: 'security', precision: 'medium', securitySeverity: '7.5', cwe: 798 },
  'token-passthrough': { category: 'security', precision: 'high', securitySeverity: '8.1', cwe: 441 },
  'unprotected-http-transport': { category: 'security', precision: 'high', securitySeverity: '8.2', cwe: 306 },
  'unbounded-cache': { category: 'performance', precision: 'high', cwe: 770 },
  'blocking-io-in-handler': { category: 'performance', precision: 'high' },
  'unbounded-concurrency': { category: 'performance', precision: 'high', cwe: 770 },
  'unmanaged-timer': { category: 'reliability', precision: 'high', cwe: 401 },
  'stdout-in-stdio-server': { category: 'correctness', precision: 'high' },
  'tool-without-input-schema': { category: 'correctness', precision: 'high', cwe: 20 },
  'deprecated-sse-transport': { category: 'maintainability', precision: 'very-high' },
  'swallowed-error': { category: 'reliability', precision: 'medium', cwe: 390 },
  'fetch-without-timeout': { category: 'reliability', precision: 'high', cwe: 400 },
  'http-client-without-timeout': { category: 'reliability', precision: 'high', cwe: 400 },
  'db-client-without-timeout': { category: 'reliability', precision: 'high', cwe: 400 },
};

const DEFAULT_TAXONOMY: RuleTaxonomy = { category: 'reliability', precision: 'high' };

export function taxonomyOf(ruleId: string): RuleTaxonomy {
  return TAXONOMY[ruleId] ?? DEFAULT_TAXONOMY;
}

/** SARIF `properties.tags` of a rule: `mcp`, its category and, where known, its CWE as GitHub writes it. */
export function tagsOf(ruleId: string): string[] {
  const t = taxonomyOf(ruleId);
  const tags = ['mcp', t.category];
  if (t.cwe !== undefined) tags.push(`external/cwe/cwe-${String(t.cwe).padStart(3, '0')}`);
  return tags;
}
