// The rule registry. One rule per file, named by its id; keep this list sorted by code.
import type { Rule } from '../types';
import { rule as fetchWithoutTimeout } from './fetch-without-timeout';
import { rule as retryWithoutBackoff } from './retry-without-backoff';
import { rule as unhandledEntryRejection } from './unhandled-entry-rejection';
import { rule as missingGracefulShutdown } from './missing-graceful-shutdown';
import { rule as hardcodedSecret } from './hardcoded-secret';
import { rule as tokenPassthrough } from './token-passthrough';
import { rule as swallowedError } from './swallowed-error';
import { rule as unboundedCache } from './unbounded-cache';
import { rule as httpClientWithoutTimeout } from './http-client-without-timeout';
import { rule as blockingIoInHandler } from './blocking-io-in-handler';
import { rule as shellInjection } from './shell-injection';
import { rule as toolWithoutInputSchema } from './tool-without-input-schema';
import { rule as unprotectedHttpTransport } from './unprotected-http-transport';
import { rule as deprecatedSseTransport } from './deprecated-sse-transport';
import { rule as pathTraversal } from './path-traversal';
import { rule as dbClientWithoutTimeout } from './db-client-without-timeout';
import { rule as stdoutInStdioServer } from './stdout-in-stdio-server';
import { rule as unmanagedTimer } from './unmanaged-timer';
import { rule as unboundedConcurrency } from './unbounded-concurrency';

export const RULES: readonly Rule[] = [fetchWithoutTimeout, retryWithoutBackoff, unhandledEntryRejection, missingGracefulShutdown, hardcodedSecret, tokenPassthrough, swallowedError, unboundedCache, httpClientWithoutTimeout, blockingIoInHandler, shellInjection, toolWithoutInputSchema, unprotectedHttpTransport, deprecatedSseTransport, pathTraversal, dbClientWithoutTimeout, stdoutInStdioServer, unmanagedTimer, unboundedConcurrency].sort((a, b) => a.meta.code - b.meta.code);

export function ruleById(id: string): Rule | undefined {
  return RULES.find(r => r.meta.id === id);
}
