// esbuild plugin: the playbooks as data. `import playbooks from 'mcp-architect:playbooks'` and the module
// src/core/playbook-data.ts both become the parsed, validated media/playbooks/*.yaml, inlined as JSON, so no bundle
// carries fs, yaml or ajv. Invalid playbooks fail the build, each problem reported at its file, line and column.
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VIRTUAL = 'mcp-architect-playbooks';

/** The loader is TypeScript (tests share it); tsx runs it here without a compile step. */
async function defaultLoad(dir) {
  const { tsImport } = await import('tsx/esm/api');
  const loader = await tsImport(path.join(root, 'src/core/playbook-loader.ts'), import.meta.url);
  return loader.loadPlaybooks(dir);
}

/**
 * @param {{ dir?: string, load?: (dir: string) => unknown[] | Promise<unknown[]> }} [options]
 *   dir: the playbooks directory (default media/playbooks); load: the read-parse-validate function (default the
 *   project's loader).
 * @returns {import('esbuild').Plugin}
 */
export function playbooksPlugin(options = {}) {
  const dir = options.dir ?? path.join(root, 'media/playbooks');
  const load = options.load ?? defaultLoad;

  async function contents(exportPrefix) {
    const watch = { watchDirs: [dir], watchFiles: listYaml(dir) };
    try {
      const playbooks = await load(dir);
      return { contents: `${exportPrefix} ${JSON.stringify(playbooks)};\n`, loader: 'js', ...watch };
    } catch (error) {
      const problems = Array.isArray(error?.problems) ? error.problems : null;
      if (!problems) return { errors: [{ text: `Cannot load the playbooks: ${error?.message ?? error}` }], ...watch };
      return {
        errors: problems.map(p => ({
          text: `Invalid playbook: ${p.path ? `${p.path}: ` : ''}${p.message}`,
          location: { file: path.relative(root, path.resolve(dir, p.file)), line: p.line ?? 1, column: Math.max((p.column ?? 1) - 1, 0) },
        })),
        ...watch,
      };
    }
  }

  return {
    name: 'mcp-architect-playbooks',
    setup(build) {
      build.onResolve({ filter: /^mcp-architect:playbooks$/ }, () => ({ path: 'playbooks', namespace: VIRTUAL }));
      build.onLoad({ filter: /.*/, namespace: VIRTUAL }, () => contents('export default'));
      build.onLoad({ filter: /[\\/]src[\\/]core[\\/]playbook-data\.ts$/ }, () => contents('export const PLAYBOOKS ='));
    },
  };
}

function listYaml(dir) {
  try {
    return readdirSync(dir).filter(f => f.endsWith('.yaml')).map(f => path.join(dir, f));
  } catch {
    return [];
  }
}
