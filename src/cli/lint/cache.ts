// `mcp-architect lint --cache`: remembers, per file, a hash of its content, its own program facts and its result,
// so that a later run parses only the files that changed (and analyses again those whose program changed). The
// whole cache is dropped when the tool (its build), the options (scope, rule severities) or the working directory
// differ, and a cache file that cannot be read or understood is ignored and written anew: never a wrong report.
import { hash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProjectFacts, SeveritySetting } from '../../core/types';
import { VERSION } from '../version';
import type { KnownFile, LintResult, LintedFile } from './lint';

export const DEFAULT_CACHE_FILE = '.mcp-architect-cache';
const FORMAT = 1;

interface CacheEntry {
  hash: string;
  facts: ProjectFacts;
  program?: string;
  result?: LintedFile;
}

interface CacheFile {
  format: number;
  /** The build of the tool and the options of the run: any change makes every entry stale. */
  key: string;
  files: Record<string, CacheEntry>;
}

/** The cache file for `--cache-location` (a file, or a directory to put the default name in), relative to `cwd`. */
export function cacheFileFor(location: string | undefined, cwd: string): string {
  const target = path.resolve(cwd, location ?? DEFAULT_CACHE_FILE);
  try {
    if (fs.statSync(target).isDirectory()) return path.join(target, DEFAULT_CACHE_FILE);
  } catch {
    // does not exist yet: a file
  }
  return target;
}

export class LintCache {
  private readonly entries: Record<string, CacheEntry>;
  private readonly hashes = new Map<string, string>();

  private constructor(
    private readonly file: string,
    private readonly key: string,
    entries: Record<string, CacheEntry>,
  ) {
    this.entries = entries;
  }

  /** Reads the cache file; a missing, unreadable, malformed or stale one gives an empty cache. */
  static open(file: string, options: { cwd: string; scope: string; severities: Record<string, SeveritySetting> }): LintCache {
    const key = cacheKey(options);
    let entries: Record<string, CacheEntry> = {};
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<CacheFile>;
      if (parsed && parsed.format === FORMAT && parsed.key === key && parsed.files && typeof parsed.files === 'object') entries = parsed.files;
    } catch {
      // first run, or a cache from something else: start afresh
    }
    return new LintCache(file, key, entries);
  }

  /** Files whose content is what the cache saw: their facts, and their result when there is one. */
  known(files: readonly string[]): Map<string, KnownFile> {
    const known = new Map<string, KnownFile>();
    for (const file of files) {
      const entry = this.entries[file];
      if (!entry || !isFacts(entry.facts)) continue;
      const hash = this.hashOf(file);
      if (hash === undefined || hash !== entry.hash) continue;
      known.set(file, {
        facts: entry.facts,
        result: entry.result && typeof entry.program === 'string' && entry.result.path === file ? { program: entry.program, file: entry.result } : undefined,
      });
    }
    return known;
  }

  /**
   * Replaces the cache file with what this run found (files of other runs are kept while they exist). Returns why
   * it could not be written, if it could not: the report is right either way, only the next run is slower.
   */
  save(result: LintResult): string | undefined {
    const files: Record<string, CacheEntry> = {};
    for (const [file, entry] of Object.entries(this.entries)) {
      if (fs.existsSync(file)) files[file] = entry;
    }
    for (const linted of result.files) {
      const note = result.programs?.get(linted.path);
      const hash = this.hashOf(linted.path);
      if (!note || hash === undefined) continue;
      // A result with a rule that failed or a file that could not be analysed is found again next time, not kept.
      const keep = linted.ruleErrors.length === 0 && !linted.findings.some(f => f.fatal && f.ruleId === null && /^Python analysis is unavailable/.test(f.message));
      files[linted.path] = { hash, facts: note.facts, ...(keep ? { program: note.program, result: linted } : {}) };
    }
    const data: CacheFile = { format: FORMAT, key: this.key, files };
    const temp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(temp, JSON.stringify(data));
      fs.renameSync(temp, this.file);
      return undefined;
    } catch (error) {
      try {
        fs.rmSync(temp, { force: true });
      } catch {
        // nothing was written
      }
      return `cannot write the lint cache ${this.file}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  private hashOf(file: string): string | undefined {
    let digest = this.hashes.get(file);
    if (digest === undefined) {
      try {
        digest = sha256(fs.readFileSync(file));
      } catch {
        return undefined; // unreadable: the lint reports it
      }
      this.hashes.set(file, digest);
    }
    return digest;
  }
}

function sha256(data: string | Buffer): string {
  return hash('sha256', data, 'hex');
}

/** The tool's build (version and the bundle's size and time) and the run's options. */
function cacheKey(options: { cwd: string; scope: string; severities: Record<string, SeveritySetting> }): string {
  let build = '';
  try {
    const stat = fs.statSync(__filename);
    build = `${stat.size}:${stat.mtimeMs}`;
  } catch {
    // no file to stat (an unusual loader): the version alone
  }
  const severities = Object.keys(options.severities)
    .sort()
    .map(id => `${id}=${options.severities[id]}`)
    .join(',');
  return sha256(JSON.stringify([VERSION, build, path.resolve(options.cwd), options.scope, severities]));
}

function isFacts(v: unknown): v is ProjectFacts {
  const f = v as ProjectFacts | undefined;
  return !!f && typeof f.usesMcpServerSdk === 'boolean' && typeof f.servesStdio === 'boolean' && typeof f.servesHttp === 'boolean';
}
