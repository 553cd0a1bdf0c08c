// Which files `mcp-architect lint` reads: the given files, and the TypeScript/JavaScript/Python files under the given
// directories, minus node_modules, .git and whatever the .gitignore files (the repository's and nested ones) exclude.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { UsageError } from '../command';
import { ALWAYS_SKIPPED_DIRECTORIES, isLintableFile, LINTABLE_EXTENSIONS } from './lintable';

export { isLintableFile, LINTABLE_EXTENSIONS } from './lintable';
// Git matches case-insensitively where the file system does.
const IGNORE_CASE = process.platform === 'win32' || process.platform === 'darwin';

/** The rules of one .gitignore file, which apply to paths relative to its directory. */
interface IgnoreLevel {
  dir: string;
  rules: Ignore;
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'not a directory';
  return error instanceof Error ? error.message : String(error);
}

function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

class GitignoreReader {
  private readonly cache = new Map<string, IgnoreLevel | null>();

  /** The rules of `<dir>/.gitignore`, or null when there is none. An unreadable .gitignore is an error. */
  levelOf(dir: string): IgnoreLevel | null {
    let level = this.cache.get(dir);
    if (level !== undefined) return level;
    const file = path.join(dir, '.gitignore');
    let text: string | undefined;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EISDIR') {
        throw new UsageError(`cannot read ${file}: ${describe(error)}`, false);
      }
    }
    level = text === undefined ? null : { dir, rules: ignore({ ignorecase: IGNORE_CASE }).add(text) };
    this.cache.set(dir, level);
    return level;
  }

  /** .gitignore levels of the directories above `dir`, from `base` down to `dir`'s parent. */
  ancestorLevels(base: string, dir: string): IgnoreLevel[] {
    const chain: string[] = [];
    for (let d = dir; d !== base && path.dirname(d) !== d; ) {
      d = path.dirname(d);
      chain.unshift(d);
    }
    return chain.map(d => this.levelOf(d)).filter((l): l is IgnoreLevel => l !== null);
  }
}

/** Git's precedence: the deepest .gitignore that says anything about a path decides. */
function isIgnored(levels: readonly IgnoreLevel[], absolute: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const level of levels) {
    const rel = toPosix(path.relative(level.dir, absolute));
    if (rel === '' || rel.startsWith('..')) continue;
    const r = level.rules.test(isDirectory ? `${rel}/` : rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

/** The nearest directory at or above `dir` that holds a `.git` entry (the repository root), if any. */
function repositoryRoot(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Absolute paths of the files to lint, sorted, without duplicates. Files named explicitly are linted even when a
 * .gitignore excludes them. Missing or unreadable paths throw UsageError (exit code 2).
 */
export function collectFiles(paths: readonly string[], cwd: string): string[] {
  const found = new Set<string>();
  const gitignores = new GitignoreReader();

  /** `above`: the .gitignore levels of the directories above `dir`; its own .gitignore is added here. */
  const walk = (dir: string, above: IgnoreLevel[]): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      throw new UsageError(`cannot read directory ${path.relative(cwd, dir) || '.'}: ${describe(error)}`, false);
    }
    const own = gitignores.levelOf(dir);
    const levels = own ? [...above, own] : above;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const absolute = path.join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        // Linked files are linted; linked directories are not followed (they can form cycles).
        try {
          isFile = fs.statSync(absolute).isFile();
        } catch {
          isFile = false; // a dangling link
        }
        isDirectory = false;
      }
      if (isDirectory) {
        if (ALWAYS_SKIPPED_DIRECTORIES.has(entry.name) || isIgnored(levels, absolute, true)) continue;
        walk(absolute, levels);
      } else if (isFile && isLintableFile(entry.name) && !isIgnored(levels, absolute, false)) {
        found.add(absolute);
      }
    }
  };

  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (error) {
      throw new UsageError(`cannot read ${given}: ${describe(error)}`, false);
    }
    if (stat.isDirectory()) {
      // .gitignore files above the directory apply too: up to the repository root, or the working directory.
      const base = repositoryRoot(absolute) ?? (isInside(absolute, cwd) ? cwd : absolute);
      walk(absolute, gitignores.ancestorLevels(base, absolute));
    } else if (stat.isFile()) {
      if (!isLintableFile(absolute)) {
        throw new UsageError(`${given} is not a TypeScript or JavaScript source file, nor a Python one (${LINTABLE_EXTENSIONS.join(' ')}; not .d.ts)`, false);
      }
      try {
        fs.accessSync(absolute, fs.constants.R_OK);
      } catch (error) {
        throw new UsageError(`cannot read ${given}: ${describe(error)}`, false);
      }
      found.add(absolute);
    } else {
      throw new UsageError(`${given} is neither a file nor a directory`, false);
    }
  }
  return [...found].sort();
}
