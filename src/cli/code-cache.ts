// Loads the package's own bundles (dist/mcp-server.js, dist/typescript.js) with V8's code cache, so that every run
// after the first skips most of compiling them: TypeScript alone is 3.5 MB, about 140 ms to compile and run cold
// and 50 ms with the cache. Node 22.1+ has this built in (`module.enableCompileCache`, which tsc itself uses); on
// older Node the cache is kept here, in the OS temporary directory, one file per bundle and installation keyed by
// its path, size, mtime, the Node version and architecture. V8 checks the data and rejects any that does not fit,
// and the bundle is then compiled as usual and its entry rewritten; a cache that cannot be read or written is simply
// not used.
// NODE_DISABLE_COMPILE_CACHE=1 turns both off, as it does Node's own.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

type ModuleInternals = typeof Module & {
  enableCompileCache?: (dir?: string) => { status: number };
  wrap(source: string): string;
  _nodeModulePaths(dir: string): string[];
};
type CjsModule = InstanceType<typeof Module> & { filename: string; paths: string[]; loaded: boolean };

const NodeModule = Module as ModuleInternals;
export const CODE_CACHE_DIR_NAME = 'mcp-architect-code-cache';

let nodeCacheEnabled: boolean | undefined;

function disabled(): boolean {
  const v = process.env.NODE_DISABLE_COMPILE_CACHE;
  return v !== undefined && v !== '' && v !== '0';
}

/** Turns on Node's own compile cache where Node has one (22.1+); true when it is on. */
export function enableCompileCache(): boolean {
  if (nodeCacheEnabled !== undefined) return nodeCacheEnabled;
  nodeCacheEnabled = false;
  if (disabled() || typeof NodeModule.enableCompileCache !== 'function') return false;
  try {
    // Statuses: 0 failed, 1 enabled, 2 already enabled, 3 disabled by the environment.
    const { status } = NodeModule.enableCompileCache();
    nodeCacheEnabled = status === 1 || status === 2;
  } catch {
    // An unwritable cache directory: run without.
  }
  return nodeCacheEnabled;
}

/** The directory the Node 20 cache is kept in (one per user: the temporary directory is shared). */
export function codeCacheDir(): string {
  const uid = typeof process.getuid === 'function' ? `-${process.getuid()}` : '';
  return path.join(os.tmpdir(), `${CODE_CACHE_DIR_NAME}${uid}`);
}

/**
 * The cache directory, made if missing, when only this user can write to it; undefined otherwise. Code cache data
 * is compiled code, so a directory someone else could write into must not be read from.
 */
function privateCacheDir(): string | undefined {
  const dir = codeCacheDir();
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(dir);
    if (!stat.isDirectory()) return undefined;
    if (typeof process.getuid === 'function' && (stat.uid !== process.getuid() || (stat.mode & 0o022) !== 0)) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/**
 * `require(file)` for one of the package's bundles, through V8's code cache where Node has no compile cache of its
 * own. The module is entered in `require.cache`, so a later plain `require` of the same file gets this instance.
 */
export function requireBundle<T>(file: string): T {
  const filename = path.resolve(file);
  const loaded = require.cache[filename];
  if (loaded) return loaded.exports as T;
  if (enableCompileCache() || disabled()) return require(filename) as T;

  const dir = privateCacheDir();
  if (!dir) return require(filename) as T;
  let source: string;
  let cacheFile: string;
  try {
    source = fs.readFileSync(filename, 'utf8');
    const stat = fs.statSync(filename);
    const key = createHash('sha256').update(`${filename}\0${stat.size}\0${stat.mtimeMs}\0${process.version}\0${process.arch}`).digest('hex').slice(0, 32);
    // Entries are per installation (the bundle's directory): two copies of the package on one machine, a global
    // install and the extension's, keep their own instead of replacing each other's on every run.
    const installation = createHash('sha256').update(path.dirname(filename)).digest('hex').slice(0, 8);
    cacheFile = path.join(dir, `${path.basename(filename, '.js')}-${installation}-${key}.bin`);
  } catch {
    return require(filename) as T;
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // first run, or the cache was cleared
  }
  // No `importModuleDynamically`: Node 20 drops it for a script made from cached data anyway, so `import()` fails in
  // these bundles on every run alike, not only on cached ones (the bundles read files with fs, never with import()).
  const script = new vm.Script(NodeModule.wrap(source), { filename, cachedData });
  const mod = new Module(filename, module) as CjsModule;
  mod.filename = filename;
  mod.paths = NodeModule._nodeModulePaths(path.dirname(filename));
  require.cache[filename] = mod;
  try {
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => void;
    wrapper.call(mod.exports, mod.exports, Module.createRequire(filename), mod, filename, path.dirname(filename));
    mod.loaded = true;
  } catch (error) {
    delete require.cache[filename];
    throw error;
  }
  if (cachedData === undefined || script.cachedDataRejected) {
    // Written when the run is over: by then V8 has compiled the functions the run used (TypeScript's parser, the
    // rules), which it compiles lazily, on first call; a cache made right after loading would hold few of them.
    if (pending.size === 0) process.once('exit', flushCodeCache);
    pending.set(cacheFile, script);
  }
  return mod.exports as T;
}

const pending = new Map<string, vm.Script>();

/** Writes the cache entries this thread still owes (at exit, or earlier: a worker thread that is terminated has no exit). */
export function flushCodeCache(): void {
  for (const [cacheFile, script] of pending) {
    try {
      writeCache(cacheFile, script.createCachedData());
    } catch {
      // no cache this time
    }
  }
  pending.clear();
}

function writeCache(cacheFile: string, data: Buffer): void {
  // Written to a private name and renamed, so a concurrent reader (another worker, another run) never sees half a file.
  const temp = `${cacheFile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.writeFileSync(temp, data, { mode: 0o600 });
    fs.renameSync(temp, cacheFile);
    removeOtherVersions(cacheFile);
  } catch {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // nothing to clean up
    }
  }
}

/**
 * Entries of the same bundle of this installation for other builds (`typescript-<installation>-<key>.bin`), and
 * those of earlier releases, which named no installation (`typescript-<key>.bin`): one entry per bundle and
 * installation, so the cache stays small.
 */
function removeOtherVersions(cacheFile: string): void {
  const dir = path.dirname(cacheFile);
  const name = path.basename(cacheFile);
  const prefix = name.slice(0, name.lastIndexOf('-') + 1); // typescript-<installation>-
  const unplaced = prefix.slice(0, prefix.slice(0, -1).lastIndexOf('-') + 1); // typescript-
  const isKey = (rest: string) => /^[0-9a-f]{32}\.bin$/.test(rest);
  for (const other of fs.readdirSync(dir)) {
    if (other === name) continue;
    if ((other.startsWith(prefix) && isKey(other.slice(prefix.length))) || (other.startsWith(unplaced) && isKey(other.slice(unplaced.length)))) {
      fs.rmSync(path.join(dir, other), { force: true });
    }
  }
}
