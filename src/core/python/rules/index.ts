// The Python rule registry: one checker per file, named by the id of the rule it implements. Each reuses the
// metadata (id, code, severity, message, playbook) of that rule in src/core/rules/<id>.ts.
import type { RuleMeta } from '../../types';
import type { PyContext } from '../context';
import { pythonRule as unboundedCache } from './unbounded-cache';
import { pythonRule as httpClientWithoutTimeout } from './http-client-without-timeout';
import { pythonRule as dbClientWithoutTimeout } from './db-client-without-timeout';
import { pythonRule as stdoutInStdioServer } from './stdout-in-stdio-server';
import { pythonRule as blockingIoInHandler } from './blocking-io-in-handler';
import { pythonRule as shellInjection } from './shell-injection';
import { pythonRule as unprotectedHttpTransport } from './unprotected-http-transport';
import { pythonRule as retryWithoutBackoff } from './retry-without-backoff';
import { pythonRule as hardcodedSecret } from './hardcoded-secret';
import { pythonRule as pathTraversal } from './path-traversal';
import { pythonRule as swallowedError } from './swallowed-error';

export interface PythonRule {
  meta: RuleMeta;
  check(ctx: PyContext): void;
}

export const PYTHON_RULES: readonly PythonRule[] = [
  unboundedCache,
  httpClientWithoutTimeout,
  dbClientWithoutTimeout,
  stdoutInStdioServer,
  blockingIoInHandler,
  shellInjection,
  unprotectedHttpTransport,
  retryWithoutBackoff,
  hardcodedSecret,
  pathTraversal,
  swallowedError,
].sort((a, b) => a.meta.code - b.meta.code);

export function pythonRuleById(id: string): PythonRule | undefined {
  return PYTHON_RULES.find(r => r.meta.id === id);
}
