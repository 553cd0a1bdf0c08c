// The playbooks the product ships. In bundles, scripts/esbuild-playbooks.mjs replaces this module with the parsed,
// validated media/playbooks/*.yaml as JSON (no fs, yaml or ajv in any bundle); run unbundled (tsx: tests, scripts)
// it loads the same files from disk. Either way: `import { PLAYBOOKS } from '../core/playbook-data'`.
import { loadPlaybooks } from './playbook-loader';
import type { Playbook } from './playbooks';

export const PLAYBOOKS: readonly Playbook[] = loadPlaybooks();
