// What the program of a file does, for analyze_file, as the CLI and the editor merge it: a tool module whose
// console.log is harmless alone is an error when its package's server serves stdio. The program is the file's
// package (nearest package.json) or, for Python, its project folder (PYTHON_PROJECT_MARKERS); only files inside the
// client's root are read, a bounded number of them, and each file's facts are kept until it changes on disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileFacts, mayHaveFacts, mergeFacts, NO_FACTS, packageJsonUsesMcp } from '../core/facts';
import { PackageIndex } from '../core/packages';
import { listProgramFiles } from '../core/program-files';
import { PYTHON_PROJECT_MARKERS } from '../core/python/project';
import type { ProjectFacts, TypeScriptModule } from '../core/types';
import { isLintableFile } from '../cli/lint/files';
import { isPythonFile } from '../cli/lint/python';

/** Files and folders one answer reads at most: a huge root costs a bounded time. */
export const MAX_PROGRAM_FILES = 2_000;
const MAX_PROGRAM_DIRS = 2_000;
const MAX_FILE_BYTES = 1_000_000;

export class ProgramFacts {
  private readonly known = new Map<string, { size: number; mtimeMs: number; facts: ProjectFacts }>();

  constructor(
    private readonly ts: TypeScriptModule,
    private readonly pythonFacts?: (fileName: string, text: string) => Promise<ProjectFacts>,
  ) {}

  /** Facts of the other files of `file`'s program (and of its package.json), read inside `root`. */
  async of(file: string, root: string): Promise<ProjectFacts> {
    const python = isPythonFile(file);
    const dir = programDir(file, root, python);
    const parts: ProjectFacts[] = [];
    const packageJson = path.join(dir, 'package.json');
    if (!python && fs.existsSync(packageJson)) {
      try {
        parts.push({ ...NO_FACTS, usesMcpServerSdk: packageJsonUsesMcp(fs.readFileSync(packageJson, 'utf8')) });
      } catch {
        // unreadable: it says nothing
      }
    }
    for (const other of programFiles(dir, python)) {
      if (other === file) continue;
      const facts = await this.factsOf(other, python);
      if (facts) parts.push(facts);
    }
    return mergeFacts(parts);
  }

  private async factsOf(file: string, python: boolean): Promise<ProjectFacts | undefined> {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return undefined;
    }
    const cached = this.known.get(file);
    if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return cached.facts;
    if (stat.size > MAX_FILE_BYTES) return undefined;
    let facts: ProjectFacts;
    try {
      const text = fs.readFileSync(file, 'utf8');
      if (python) facts = this.pythonFacts ? await this.pythonFacts(file, text) : { ...NO_FACTS };
      else facts = mayHaveFacts(text) ? fileFacts(this.ts, this.ts.createSourceFile(file, text, this.ts.ScriptTarget.Latest, false)) : { ...NO_FACTS };
    } catch {
      return undefined;
    }
    this.known.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, facts });
    return facts;
  }
}

/** The nearest package folder (or Python project folder) of `file` at or below `root`; `root` when there is none. */
export function programDir(file: string, root: string, python: boolean): string {
  const packages = new PackageIndex();
  const packageJson = python ? null : packages.packageJsonOf(file);
  const dir = python ? packages.pythonProjectOf(file) : packageJson && path.dirname(packageJson);
  if (!dir) return root;
  const rel = path.relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel)) ? dir : root;
}

/** The program's source files of one kind under `dir` (see listProgramFiles). */
function programFiles(dir: string, python: boolean): string[] {
  return listProgramFiles(dir, {
    isSource: name => isLintableFile(name) && isPythonFile(name) === python,
    markers: python ? PYTHON_PROJECT_MARKERS : ['package.json'],
    maxFiles: MAX_PROGRAM_FILES,
    maxDirs: MAX_PROGRAM_DIRS,
  });
}
