// Program facts of Python files for the editor, as the CLI merges them: a tool module (`from server import mcp`,
// `print(...)` in a tool) is checked with what its program does (serves stdio), which only another file says.
// The Python files of a program are those under one project folder; their facts come from open documents (their
// current text) and from the files on disk, read once per folder in the background. No `vscode` import: the
// extension passes the workspace folder in.
import * as path from 'node:path';
import { mergeFacts } from '../core/facts';
import { listProgramFiles } from '../core/program-files';
import { PackageIndex } from '../core/packages';
import { PYTHON_PROJECT_MARKERS } from '../core/python/project';
import { FactsByRoot, MAX_SCANNED_DIRS, MAX_SCANNED_FILES, readFactsFromDisk, sameFacts } from './program-scan';
import type { ProjectFacts } from '../core/types';

export { MAX_SCANNED_DIRS, MAX_SCANNED_FILES } from './program-scan';

export type PythonFactsOf = (fileName: string, text: string) => ProjectFacts;

export class PythonProgramFacts {
  /** project folder -> Python file -> its facts. */
  private readonly byRoot = new FactsByRoot();
  private readonly scans = new Map<string, Promise<boolean>>();

  /** Nearest project folders, looked up once per folder (the linter asks on every change of a document). */
  private packages = new PackageIndex();

  constructor(private readonly factsOf: PythonFactsOf) {}

  /**
   * The folder whose Python files form one program with `fileName`: the nearest folder with a pyproject.toml,
   * setup.py, setup.cfg or package.json, up to `folder` (the workspace folder); else `folder`; else the file's own.
   */
  programRoot(fileName: string, folder?: string): string {
    const file = path.resolve(fileName);
    const limit = folder && isInside(file, folder) ? path.resolve(folder) : undefined;
    const project = this.packages.pythonProjectOf(file);
    if (project && (!limit || project === limit || isInside(project, limit))) return project;
    return limit ?? path.dirname(file);
  }

  /** Forgets the project folders looked up so far (a project file was created or deleted). */
  forgetProjectFolders(): void {
    this.packages = new PackageIndex();
  }

  /** Records a file's facts from its current text; true when that changes what its program is known to do. */
  record(fileName: string, text: string, folder?: string): boolean {
    return this.recordFacts(fileName, this.factsOf(fileName, text), folder);
  }

  /** Records facts already derived from the file's current text (the analysis returns them). */
  recordFacts(fileName: string, facts: ProjectFacts, folder?: string): boolean {
    const root = this.programRoot(fileName, folder);
    const before = this.byRoot.merged(root);
    this.byRoot.files(root).set(path.resolve(fileName), facts);
    return !sameFacts(before, this.byRoot.merged(root));
  }

  /** Drops a file (deleted); true when that changes what its program is known to do. */
  forget(fileName: string, folder?: string): boolean {
    const root = this.programRoot(fileName, folder);
    const before = this.byRoot.merged(root);
    this.byRoot.files(root).delete(path.resolve(fileName));
    return !sameFacts(before, this.byRoot.merged(root));
  }

  /**
   * What the other files of the program of `fileName` are known to do (the file's own facts come from its current
   * text when it is analysed; its recorded ones may be stale).
   */
  factsOfOthers(fileName: string, folder?: string): ProjectFacts {
    const self = path.resolve(fileName);
    const files = this.byRoot.files(this.programRoot(fileName, folder));
    return mergeFacts([...files].filter(([f]) => f !== self).map(([, facts]) => facts));
  }

  /**
   * Reads the Python files of the program of `fileName` from disk, once per folder, a few at a time; files
   * already recorded (open documents) keep their recorded facts. Resolves true when the program's facts changed,
   * to the call that started the scan only: its caller checks the program's open documents again, and their checks,
   * which ask again, must not start another round (they would go on for ever).
   */
  scan(fileName: string, folder?: string): Promise<boolean> {
    const root = this.programRoot(fileName, folder);
    const running = this.scans.get(root);
    if (running) return running.then(() => false);
    const scan = this.scanFolder(root);
    this.scans.set(root, scan);
    return scan;
  }

  /** Forgets a folder's scan (files were created, changed or deleted on disk): the next `scan` reads it again. */
  invalidate(fileName: string, folder?: string): void {
    this.scans.delete(this.programRoot(fileName, folder));
  }

  private async scanFolder(root: string): Promise<boolean> {
    const before = this.byRoot.merged(root);
    await readFactsFromDisk(listPythonFiles(root, MAX_SCANNED_FILES), this.byRoot.files(root), this.factsOf);
    return !sameFacts(before, this.byRoot.merged(root));
  }
}

/** Python files under `root`, nearest first (see listProgramFiles): at most `max` files and MAX_SCANNED_DIRS folders. */
export function listPythonFiles(root: string, max: number): string[] {
  return listProgramFiles(root, { isSource: name => name.endsWith('.py'), markers: PYTHON_PROJECT_MARKERS, maxFiles: max, maxDirs: MAX_SCANNED_DIRS });
}

function isInside(file: string, folder: string): boolean {
  const rel = path.relative(path.resolve(folder), path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
