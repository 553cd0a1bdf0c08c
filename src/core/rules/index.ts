// The rule registry. One rule per file, named by its id; keep this list sorted by code.
import type { Rule } from '../types';
import { rule as fetchWithoutTimeout } from './fetch-without-timeout';

export const RULES: readonly Rule[] = [fetchWithoutTimeout].sort((a, b) => a.meta.code - b.meta.code);

export function ruleById(id: string): Rule | undefined {
  return RULES.find(r => r.meta.id === id);
}
