// Where scripts/setup-e2e.mjs installs the real-editor test tools, shared with test/e2e/.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_MAJOR = 24;
export const CODE_SERVER_VERSION = '4.139.1';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cache = path.join(root, '.e2e-cache');

export const E2E_PATHS = {
  cache,
  nodeDir: path.join(cache, `node${NODE_MAJOR}`),
  node: path.join(cache, `node${NODE_MAJOR}`, 'node_modules', '.bin', 'node'),
  codeServerPrefix: path.join(cache, 'code-server'),
  codeServer: path.join(cache, 'code-server', 'bin', 'code-server'),
  chromium: '/usr/bin/chromium',
  // The MCP Inspector CLI, an independent MCP client for test/mcp/inspector.test.ts (needs Node >= 22.19).
  inspectorPrefix: path.join(cache, 'inspector'),
  inspector: path.join(cache, 'inspector', 'node_modules', '.bin', 'mcp-inspector'),
};
export const INSPECTOR_VERSION = '2.12.0';
