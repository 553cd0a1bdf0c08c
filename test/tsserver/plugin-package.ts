// Builds the tsserver plugin bundle and lays it out as the installed package tsserver resolves by name:
// <probe>/node_modules/mcp-architect-tsserver-plugin/{package.json,index.js}.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PLUGIN_NAME = 'mcp-architect-tsserver-plugin';
export const REPO_ROOT = path.resolve(__dirname, '../..');

/** Same options as the tsserver-plugin entry of scripts/build.mjs: CommonJS for Node, TypeScript left out. */
export async function buildPluginBundle(outfile: string): Promise<void> {
  await esbuild.build({
    absWorkingDir: REPO_ROOT,
    entryPoints: ['src/tsserver-plugin/index.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['typescript'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

/** Creates `<probeDir>/node_modules/mcp-architect-tsserver-plugin/` from the built bundle; returns the package dir. */
export async function installPluginPackage(probeDir: string): Promise<string> {
  const pkgDir = path.join(probeDir, 'node_modules', PLUGIN_NAME);
  fs.mkdirSync(pkgDir, { recursive: true });
  await buildPluginBundle(path.join(pkgDir, 'index.js'));
  fs.copyFileSync(path.join(REPO_ROOT, 'src/tsserver-plugin/package.json'), path.join(pkgDir, 'package.json'));
  return pkgDir;
}
