// Fault injection for the plugin's tests, so they can prove that a failure inside the plugin never breaks
// tsserver. Read once when the plugin is created; without the environment variable nothing here is used.
//
//   MCP_ARCHITECT_TSSERVER_PLUGIN_TEST_FAULT=throwing-rule      adds a rule whose check always throws
//   MCP_ARCHITECT_TSSERVER_PLUGIN_TEST_FAULT=throwing-analysis  makes the plugin's own analysis step throw
import type { Rule } from '../core/types';

export const TEST_FAULT_ENV = 'MCP_ARCHITECT_TSSERVER_PLUGIN_TEST_FAULT';
export const THROWING_RULE_ID = 'test-throwing-rule';
export const THROWING_RULE_CODE = 61999;

export interface TestFaults {
  extraRules: Rule[];
  /** Called before each analysis; throws under `throwing-analysis`. */
  beforeAnalysis?: () => void;
}

export function readTestFaults(env: NodeJS.ProcessEnv, log: (message: string) => void): TestFaults {
  const fault = env[TEST_FAULT_ENV];
  if (!fault) return { extraRules: [] };
  log(`${TEST_FAULT_ENV}=${fault}: test fault injection is on`);
  if (fault === 'throwing-rule') return { extraRules: [throwingRule()] };
  if (fault === 'throwing-analysis') {
    return {
      extraRules: [],
      beforeAnalysis: () => {
        throw new Error(`${TEST_FAULT_ENV}: injected analysis failure`);
      },
    };
  }
  log(`${TEST_FAULT_ENV}: unknown fault ${JSON.stringify(fault)} (use throwing-rule or throwing-analysis); ignored`);
  return { extraRules: [] };
}

function throwingRule(): Rule {
  return {
    meta: {
      id: THROWING_RULE_ID,
      code: THROWING_RULE_CODE,
      defaultSeverity: 'error',
      description: 'Test rule that always throws',
      message: 'This rule exists only under test fault injection and never reports.',
      playbook: 'failure-assumption',
      fix: null,
      languages: ['typescript'],
    },
    check() {
      throw new Error(`${THROWING_RULE_ID}: injected rule failure`);
    },
  };
}
