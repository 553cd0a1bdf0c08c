// Program facts of Python files for the editor, as the CLI merges them: a tool module (`from server import mcp`,
// `print(...)` in a tool) is checked with what its program does (serves stdio), which only another file says.
// The Python files of a program are those under one project folder; their facts come from open documents (their
// current text) and from the files on disk, read once per folder in the background. No `vscode` import: the
// extension passes the workspace folder in.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mergeFacts } from '../core/facts';
import { listProgramFiles } from '../core/program-files';
import { PackageIndex } from '../core/packages';
import { PYTHON_PROJECT_MARKERS } from '../core/python/project';
import type { ProjectFacts } from '../core/types';

/** A folder's scan reads at most this many Python files (a large tree is still checked file by file as opened). */
export const MAX_SCANNED_FILES = 300;
const MAX_SCANNED_BYTES = 1_000_000;
/** Folders a scan lists at most. */
export const MAX_SCANNED_DIRS = 1_000;
/** Files read between two turns of the event loop, so that a scan never holds the extension host for long. */
const FILES_PER_TURN = 20;

export type PythonFactsOf = (fileName: string, text: string) => ProjectFacts;

export class PythonProgramFacts {
  /** project folder -> Python file -> its facts. */
  private readonly byRoot = new Map<string, Map<string, ProjectFacts>>();
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
    const before = this.mergedOf(root);
    this.files(root).set(path.resolve(fileName), facts);
    return !sameFacts(before, this.mergedOf(root));
  }

  /** Drops a file (deleted); true when that changes what its program is known to do. */
  forget(fileName: string, folder?: string): boolean {
    const root = this.programRoot(fileName, folder);
    const before = this.mergedOf(root);
    this.byRoot.get(root)?.delete(path.resolve(fileName));
    return !sameFacts(before, this.mergedOf(root));
  }

  /**
   * What the other files of the program of `fileName` are known to do (the file's own facts come from its current
   * text when it is analysed; its recorded ones may be stale).
   */
  factsOfOthers(fileName: string, folder?: string): ProjectFacts {
    const self = path.resolve(fileName);
    const files = this.byRoot.get(this.programRoot(fileName, folder));
    return mergeFacts(files ? [...files].filter(([f]) => f !== self).map(([, facts]) => facts) : []);
  }

  /**
   * Reads the Python files of the program of `fileName` from disk, once per folder, a few at a time; files
   * already recorded (open documents) keep their recorded facts. Resolves true when the program's facts changed.
   */
  scan(fileName: string, folder?: string): Promise<boolean> {
    const root = this.programRoot(fileName, folder);
    let scan = this.scans.get(root);
    if (!scan) {
      scan = this.scanFolder(root);
      this.scans.set(root, scan);
    }
    return scan;
  }

  /** Forgets a folder's scan (files were created, changed or deleted on disk): the next `scan` reads it again. */
  invalidate(fileName: string, folder?: string): void {
    this.scans.delete(this.programRoot(fileName, folder));
  }

  private async scanFolder(root: string): Promise<boolean> {
    const before = this.mergedOf(root);
    const files = this.files(root);
    const found = listPythonFiles(root, MAX_SCANNED_FILES);
    for (const [i, file] of found.entries()) {
      if (i > 0 && i % FILES_PER_TURN === 0) await new Promise(resolve => setImmediate(resolve));
      if (files.has(file)) continue;
      let text: string;
      try {
        if (fs.statSync(file).size > MAX_SCANNED_BYTES) continue;
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue; // gone or unreadable: it says nothing about the program
      }
      // The file may have been opened (and recorded from its live text) while this scan waited.
      if (!files.has(file)) files.set(file, this.factsOf(file, text));
    }
    return !sameFacts(before, this.mergedOf(root));
  }

  private files(root: string): Map<string, ProjectFacts> {
    let files = this.byRoot.get(root);
    if (!files) this.byRoot.set(root, (files = new Map()));
    return files;
  }

  private mergedOf(root: string): ProjectFacts {
    return mergeFacts(this.byRoot.get(root)?.values() ?? []);
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

function sameFacts(a: ProjectFacts, b: ProjectFacts): boolean {
  return a.usesMcpServerSdk === b.usesMcpServerSdk && a.servesStdio === b.servesStdio && a.servesHttp === b.servesHttp;
}
