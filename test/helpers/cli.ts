// Runs the built `mcp-architect` command as a real process over file trees made in temporary directories.
import * as assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './rules';

export const BIN = path.join(REPO_ROOT, 'bin', 'mcp-architect.js');
export const SERVER_FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'servers');

let built = false;

/** Builds the bundles once per test run (`node scripts/build.mjs`), as `npm test` does. */
export function buildOnce(): void {
  if (built) return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `build failed:\n${r.stdout}\n${r.stderr}`);
  built = true;
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], cwd: string, extra: SpawnSyncOptions = {}): CliRun {
  const bin = extra.uid !== undefined && unprivilegedBin ? unprivilegedBin : BIN;
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
    timeout: 60_000,
    ...extra,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** A file tree: relative path -> contents. Directories are created as needed. */
export type Tree = Record<string, string>;

const made: string[] = [];

export function makeTree(tree: Tree): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-cli-')));
  fs.chmodSync(root, 0o755);
  made.push(root);
  writeTree(root, tree);
  return root;
}

export function writeTree(root: string, tree: Tree): void {
  for (const [rel, text] of Object.entries(tree)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

/** Removes every tree made so far (call from an `after` hook). */
export function removeTrees(): void {
  for (const root of made.splice(0)) {
    // Give back permissions a test took away, or the removal fails.
    for (const p of listAll(root)) fs.chmodSync(p, fs.lstatSync(p).isDirectory() ? 0o755 : 0o644);
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function listAll(dir: string): string[] {
  const out = [dir];
  try {
    fs.chmodSync(dir, 0o755);
  } catch {
    // gone already
  }
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    if (e.isDirectory()) out.push(...listAll(p));
    else out.push(p);
  }
  return out;
}

export function fixture(name: string): string {
  return fs.readFileSync(path.join(SERVER_FIXTURES, name), 'utf8');
}

export const SDK_PACKAGE_JSON = JSON.stringify({ name: 'server', private: true, dependencies: { '@modelcontextprotocol/sdk': '^1.32.0', zod: '^3.25.0' } });
export const PLAIN_PACKAGE_JSON = JSON.stringify({ name: 'plain', private: true, dependencies: { express: '^5.0.0' } });

/** 1-based line and column of the first occurrence of `needle` in `text`. */
export function positionOf(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `'${needle}' not in text`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

let unprivilegedProbe: { uid: number; gid: number } | null | undefined;
let unprivilegedBin: string | undefined;

/**
 * Spawn options that make file permissions bite: as root, the CLI runs as `nobody` (root reads everything). When
 * `nobody` cannot read this checkout (e.g. it lies under /root), the built CLI is copied to a world-readable
 * temporary folder and run from there. Null only when even that copy cannot run.
 */
export function unprivileged(): { uid: number; gid: number } | Record<string, never> | null {
  if (process.getuid?.() !== 0) return {};
  if (unprivilegedProbe === undefined) {
    const as = { uid: 65534, gid: 65534 };
    const probe = (bin: string) => spawnSync(process.execPath, [bin, '--version'], { ...as, cwd: os.tmpdir(), encoding: 'utf8' }).status === 0;
    if (probe(BIN)) unprivilegedProbe = as;
    else {
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-cli-copy-'));
      made.push(copy);
      for (const rel of ['bin/mcp-architect.js', 'dist/cli.js', 'dist/mcp-server.js', 'dist/typescript.js']) {
        fs.mkdirSync(path.dirname(path.join(copy, rel)), { recursive: true });
        fs.copyFileSync(path.join(REPO_ROOT, rel), path.join(copy, rel));
      }
      for (const dir of [copy, path.join(copy, 'bin'), path.join(copy, 'dist')]) fs.chmodSync(dir, 0o755);
      unprivilegedBin = path.join(copy, 'bin', 'mcp-architect.js');
      unprivilegedProbe = probe(unprivilegedBin) ? as : null;
    }
  }
  return unprivilegedProbe;
}
