// The command-line options `lint` takes, for node:util's parseArgs: read by the option parser (options.ts), and by
// the relaunch (v8-pool.ts), which looks at the paths before anything else is loaded.
export const LINT_ARGUMENTS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'max-warnings': { type: 'string' },
  scope: { type: 'string' },
  rule: { type: 'string', multiple: true },
  concurrency: { type: 'string' },
  cache: { type: 'boolean' },
  'cache-location': { type: 'string' },
} as const;
