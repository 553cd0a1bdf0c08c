// Lints with several worker threads: each reads and parses its share of the files and reports their facts; the
// main thread merges the facts of each package; each worker then analyses its files with their program's facts.
// Worth it on large trees only: every worker loads TypeScript itself.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { NO_FACTS } from '../../core/facts';
import type { ProjectFacts, TypeScriptModule } from '../../core/types';
import { flushCodeCache, requireBundle } from '../code-cache';
import { UsageError } from '../command';
import { FileAnalyser, groupByPackage, programKey, programsOf, resultOf, reuse, type KnownFile, type LintResult, type LintRunOptions, type LintedFile } from './lint';
import { isPythonFile, loadPythonForLint } from './python';

export const LINT_WORKER_ROLE = 'mcp-architect-lint-worker';
const MAX_WORKERS = 8;
// Source characters per worker below which another thread costs more (loading TypeScript, a cold JIT) than it saves.
const CHARS_PER_WORKER = 750_000;
// Cores one linting thread keeps busy, with V8's garbage collection and compilation helpers (see autoThreads).
const CORES_PER_THREAD = 1.5;

type ToWorker =
  // The first message; `python`: whether any file of the worker's share is a Python file (load the parser).
  | { type: 'load'; files: string[]; python: boolean }
  | { type: 'analyse'; items: Array<{ file: string; project: ProjectFacts; inScope: boolean }> };
type FromWorker =
  // null: a file whose facts cannot add to its program's, derived when it is analysed.
  | { type: 'loaded'; facts: Array<ProjectFacts | null> }
  | { type: 'analysed'; files: Array<{ file: LintedFile; facts: ProjectFacts | undefined }> }
  | { type: 'failed'; message: string; usage: boolean };

/**
 * TypeScript, loaded on first use: with worker threads only the workers need it. In the package it is the bundle
 * next to this one (see scripts/build.mjs), loaded through the code cache; from sources, the dependency. `require`
 * and not `import()`: Node scans a CommonJS module imported from ESM for its export names, seconds for
 * TypeScript's 9 MB; and the module object itself, where a bundler's namespace object would reach every `ts.x`
 * through a getter.
 */
export function loadTypeScript(): TypeScriptModule {
  const bundled = path.join(__dirname, 'typescript.js');
  return (fs.existsSync(bundled) ? requireBundle(bundled) : require('typescript')) as TypeScriptModule;
}

/** How many threads to lint `files` with: `requested` ('auto' or a number), bounded by the work and the machine. */
export function workerCount(files: readonly string[], requested: number | 'auto'): number {
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  if (requested !== 'auto') return Math.max(1, Math.min(requested, MAX_WORKERS, files.length));
  const busy = busyThreads();
  // Where the cores allow one thread only (any 2-core machine), the files' sizes are not looked up.
  if (autoThreads(Number.POSITIVE_INFINITY, cpus, busy) === 1) return 1;
  let chars = 0;
  for (const f of files) {
    try {
      chars += fs.statSync(f).size;
    } catch {
      // reported when the file is read
    }
  }
  return autoThreads(chars, cpus, busy);
}

/**
 * Threads for `chars` characters of source on `cpus` cores of which `busy` are taken by other work: one per
 * CHARS_PER_WORKER, and one per CORES_PER_THREAD idle cores. A linting thread keeps more than one core busy: V8
 * collects garbage and compiles hot code on helper threads beside it (measured: 1.5 to 1.7 seconds of CPU per
 * second on a 2-core machine); each worker also pays its own TypeScript load and a cold start. So a 2-core machine
 * lints fastest on one thread, a 4-core one on two.
 */
export function autoThreads(chars: number, cpus: number, busy: number): number {
  const idle = Math.max(0, Math.min(cpus, cpus - busy));
  return Math.max(1, Math.min(Math.floor(idle / CORES_PER_THREAD), MAX_WORKERS, Math.floor(chars / CHARS_PER_WORKER)));
}

/**
 * Threads of other programs running now. Linux tells it in /proc/loadavg ("0.61 0.40 0.32 3/412 9876": 3
 * runnable, this one among them); the one-minute load average, which elsewhere stands in, still counts work that
 * ended a minute ago. 0 where neither is known (Windows).
 */
function busyThreads(): number {
  try {
    const runnable = Number(/^\S+ \S+ \S+ (\d+)\//.exec(fs.readFileSync('/proc/loadavg', 'utf8'))?.[1]);
    if (Number.isFinite(runnable)) return Math.max(0, runnable - 1);
  } catch {
    // not Linux
  }
  const load = os.loadavg()[0];
  return load > 0 ? load : 0;
}

/** Splits files into `n` shares of about equal size (largest first onto the lightest share). */
function shares(files: readonly string[], n: number): string[][] {
  const sized = files.map(f => {
    let size = 0;
    try {
      size = fs.statSync(f).size;
    } catch {
      // reported when the file is read
    }
    return { f, size };
  });
  sized.sort((a, b) => b.size - a.size || (a.f < b.f ? -1 : 1));
  const out = Array.from({ length: n }, () => ({ files: [] as string[], size: 0 }));
  for (const { f, size } of sized) {
    const lightest = out.reduce((a, b) => (b.size < a.size ? b : a));
    lightest.files.push(f);
    lightest.size += size + 1;
  }
  return out.map(s => s.files);
}

class LintWorker {
  private readonly worker: Worker;
  private pending?: { resolve: (m: FromWorker) => void; reject: (e: Error) => void };

  constructor(script: string, options: LintRunOptions) {
    const { extraRules: _notTransferable, ...plain } = options;
    this.worker = new Worker(script, { workerData: { role: LINT_WORKER_ROLE, options: plain } });
    this.worker.on('message', (m: FromWorker) => this.settle(p => p.resolve(m)));
    this.worker.on('error', e => this.settle(p => p.reject(e)));
    this.worker.on('exit', code => this.settle(p => p.reject(new Error(`lint worker exited with code ${code}`))));
  }

  private settle(fn: (p: NonNullable<LintWorker['pending']>) => void): void {
    const p = this.pending;
    this.pending = undefined;
    if (p) fn(p);
  }

  async ask(message: ToWorker): Promise<FromWorker> {
    const reply = await new Promise<FromWorker>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(message);
    });
    if (reply.type === 'failed') throw reply.usage ? new UsageError(reply.message, false) : new Error(reply.message);
    return reply;
  }

  async stop(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

export async function lintFilesInWorkers(
  files: readonly string[],
  options: LintRunOptions,
  script: string,
  count: number,
  known?: ReadonlyMap<string, KnownFile>,
): Promise<LintResult> {
  const parts = shares(files, count).filter(p => p.length > 0);
  const workers = parts.map(() => new LintWorker(script, options));
  try {
    // Files the lint cache knows unchanged are not loaded: their facts are known.
    const toLoad = parts.map(part => part.filter(f => !known?.has(f)));
    const loaded = await Promise.all(workers.map((w, i) => w.ask({ type: 'load', files: toLoad[i], python: parts[i].some(isPythonFile) })));
    const factsOf = new Map<string, ProjectFacts>();
    for (const [f, k] of known ?? []) factsOf.set(f, k.facts);
    loaded.forEach((reply, i) => {
      if (reply.type !== 'loaded') throw new Error(`unexpected reply ${reply.type}`);
      toLoad[i].forEach((f, j) => {
        const facts = reply.facts[j];
        if (facts) factsOf.set(f, facts);
      });
    });
    const programOf = new Map<string, { project: ProjectFacts; inScope: boolean; key: string }>();
    for (const group of groupByPackage(files)) {
      // A file a worker did not parse cannot add to its program's facts: the others' are the program's.
      const programs = programsOf(group, group.files.map(f => factsOf.get(f) ?? NO_FACTS), options.scope);
      group.files.forEach((f, i) => programOf.set(f, { ...programs[i], key: programKey(programs[i].project, programs[i].inScope) }));
    }
    const byPath = new Map<string, LintedFile>();
    for (const f of files) {
      const reused = reuse(known?.get(f), programOf.get(f)!.key, options.cwd);
      if (reused) byPath.set(f, reused);
    }
    const analysed = await Promise.all(
      workers.map((w, i) => {
        const items = parts[i].filter(file => !byPath.has(file)).map(file => ({ file, project: programOf.get(file)!.project, inScope: programOf.get(file)!.inScope }));
        return w.ask({ type: 'analyse', items });
      }),
    );
    for (const reply of analysed) {
      if (reply.type !== 'analysed') throw new Error(`unexpected reply ${reply.type}`);
      for (const { file, facts } of reply.files) {
        byPath.set(file.path, file);
        if (facts && !factsOf.has(file.path)) factsOf.set(file.path, facts);
      }
    }
    const programs = new Map(files.map(f => [f, { facts: factsOf.get(f) ?? { ...NO_FACTS }, program: programOf.get(f)!.key }]));
    return { ...resultOf(files.map(f => byPath.get(f)!)), programs };
  } finally {
    await Promise.all(workers.map(w => w.stop()));
  }
}

/**
 * Facts of a worker's share of the files, program by program (see FileAnalyser.loadProgram): the facts known in
 * this share are a part of those of the whole program, so a file that cannot add to them cannot add to the
 * program's either. Facts in the same order as the files, null for a file not parsed yet.
 */
function loadShare(analyser: FileAnalyser, files: readonly string[]): Array<ProjectFacts | null> {
  const factsOf = new Map<string, ProjectFacts | undefined>();
  for (const group of groupByPackage(files)) {
    const facts = analyser.loadProgram(group.files, group.facts);
    group.files.forEach((f, i) => factsOf.set(f, facts[i]));
  }
  return files.map(f => factsOf.get(f) ?? null);
}

/** True in a thread started by lintFilesInWorkers. */
export function isLintWorker(): boolean {
  return parentPort !== null && (workerData as { role?: string } | null)?.role === LINT_WORKER_ROLE;
}

/** The worker side: answers `load` and `analyse` messages until terminated. */
export function serveLintWorker(tsModule: TypeScriptModule): void {
  const { options } = workerData as { options: LintRunOptions };
  let analyser: FileAnalyser | undefined;
  parentPort!.on('message', async (message: ToWorker) => {
    let reply: FromWorker;
    try {
      // The first message tells whether this worker has Python files: load the parser (asynchronously) only then.
      if (!analyser) {
        const python = message.type === 'load' ? message.python : message.items.some(i => isPythonFile(i.file));
        analyser = new FileAnalyser(tsModule, options, python ? await loadPythonForLint() : undefined);
      }
      const a = analyser;
      reply =
        message.type === 'load'
          ? { type: 'loaded', facts: loadShare(a, message.files) }
          : { type: 'analysed', files: message.items.map(i => a.analyse(i.file, i.project, i.inScope)) };
    } catch (error) {
      reply = { type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error), usage: error instanceof UsageError };
      if (error instanceof UsageError) reply.message = error.message;
    }
    // The last message: the thread is terminated once it has answered, with no exit event to write the cache at.
    if (reply.type !== 'loaded') flushCodeCache();
    parentPort!.postMessage(reply);
  });
}
