// Registration as one call for the CLI and the extension: plan the targets for a client, then apply or preview them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyPlan, type Change } from './config-writer';
import { defaultEnvironment, planRegistration, type ClientId, type Environment, type Scope, type ServerLaunch } from './clients';

export interface RegisterRequest {
  client: ClientId;
  mode: 'register' | 'unregister';
  scope?: Scope;
  configFile?: string;
  dryRun?: boolean;
  force?: boolean;
  workspace: string;
  launch: ServerLaunch;
  agentPrompt: string;
  env?: Environment;
}

export function runRegistration(r: RegisterRequest): Change[] {
  const plan = planRegistration({
    client: r.client,
    scope: r.scope,
    configFile: r.configFile ? path.resolve(r.workspace, r.configFile) : undefined,
    launch: r.launch,
    agentPrompt: r.agentPrompt,
    env: r.env ?? defaultEnvironment(r.workspace),
  });
  return applyPlan(plan, { mode: r.mode, dryRun: r.dryRun, force: r.force });
}

/**
 * The command line that starts the bundled server. `runtime` is the Node executable; inside VS Code desktop the
 * extension host's executable is Electron, which runs as Node with ELECTRON_RUN_AS_NODE=1.
 */
export function serverLaunch(serverScript: string, runtime: { execPath: string; isElectron: boolean; nodeOnPath?: string }): ServerLaunch {
  if (!runtime.isElectron) return { command: runtime.execPath, args: [serverScript] };
  if (runtime.nodeOnPath) return { command: runtime.nodeOnPath, args: [serverScript] };
  return { command: runtime.execPath, args: [serverScript], env: { ELECTRON_RUN_AS_NODE: '1' } };
}

/** Absolute path of `node` on PATH, if there is one. */
export function findNodeOnPath(envPath = process.env.PATH ?? '', platform = process.platform): string | undefined {
  const names = platform === 'win32' ? ['node.exe', 'node.cmd'] : ['node'];
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    for (const n of names) {
      const candidate = path.join(dir, n);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** A unified-diff-like preview of one change, for --dry-run and the confirmation dialog. */
export function describeChange(c: Change): string {
  const head = `${c.action.toUpperCase()} ${c.file}: ${c.message}`;
  if (c.action === 'unchanged') return head;
  const before = (c.before ?? '').replace(/\r\n/g, '\n').split('\n');
  const after = (c.after ?? '').replace(/\r\n/g, '\n').split('\n');
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  const lines = [...before.slice(start, endB).map(l => `- ${l}`), ...after.slice(start, endA).map(l => `+ ${l}`)];
  return `${head}\n@@ line ${start + 1} @@\n${lines.join('\n')}`;
}
