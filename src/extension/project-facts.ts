// Program facts of TypeScript/JavaScript files for the extension's own engine, as the CLI merges them: a tool
// module's console.log is an error when its package's server serves stdio, which only another file says. A program
// is the files under the nearest folder with a package.json; their facts come from the package.json, from open
// documents (their current text) and from the files on disk, read once per folder in the background. No `vscode`
// import: the extension passes the workspace folder in.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tsTypes from 'typescript';
import { fileFacts, mayHaveFacts, mergeFacts, NO_FACTS, packageJsonUsesMcp } from '../core/facts';
import { PackageIndex } from '../core/packages';
import { isSkippedProgramDir, listProgramFiles } from '../core/program-files';
import type { ProjectFacts, TypeScriptModule } from '../core/types';
import { isLintableFile } from '../cli/lint/lintable';
import { FactsByRoot, MAX_SCANNED_DIRS, MAX_SCANNED_FILES, readFactsFromDisk, sameFacts } from './program-scan';

export { MAX_SCANNED_DIRS, MAX_SCANNED_FILES } from './program-scan';

export function isTypeScriptOrJavaScriptFile(fileName: string): boolean {
  return isLintableFile(fileName) && !fileName.toLowerCase().endsWith('.py');
}

export class ProjectFactsStore {
  private readonly packageJsonFacts = new Map<string, { mtimeMs: number; usesMcp: boolean }>();
  /** project root -> file path -> facts of that file. */
  private readonly byRoot = new FactsByRoot();
  private readonly scans = new Map<string, Promise<boolean>>();

  /** Nearest package.json per folder, looked up once per folder (the linter asks on every change of a document). */
  private packages = new PackageIndex();

  /** The folder of the nearest package.json above `fileName`, or the file's own folder. */
  projectRoot(fileName: string): string {
    const file = path.resolve(fileName);
    const packageJson = this.packages.packageJsonOf(file);
    return path.dirname(packageJson ?? file);
  }

  /** Forgets the package folders looked up so far (a package.json was created or deleted). */
  forgetProjectFolders(): void {
    this.packages = new PackageIndex();
  }

  private packageFacts(root: string): ProjectFacts | undefined {
    const file = path.join(root, 'package.json');
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return undefined;
    }
    let cached = this.packageJsonFacts.get(root);
    if (!cached || cached.mtimeMs !== stat.mtimeMs) {
      let usesMcp = false;
      try {
        usesMcp = packageJsonUsesMcp(fs.readFileSync(file, 'utf8'));
      } catch {
        // unreadable package.json: no facts from it
      }
      cached = { mtimeMs: stat.mtimeMs, usesMcp };
      this.packageJsonFacts.set(root, cached);
    }
    return { ...NO_FACTS, usesMcpServerSdk: cached.usesMcp };
  }

  /** Records the facts of one file (call with the file's current text); true when that changes its program's. */
  record(fileName: string, sourceFile: tsTypes.SourceFile, ts: TypeScriptModule): boolean {
    return this.recordFacts(fileName, fileFacts(ts, sourceFile));
  }

  /** Records a file's facts from its text on disk (changed outside the editor); true when its program's changed. */
  recordText(fileName: string, text: string, ts: TypeScriptModule): boolean {
    return this.recordFacts(fileName, factsOfText(ts, fileName, text));
  }

  /** Drops a file (deleted); true when that changes what its program is known to do. */
  forget(fileName: string): boolean {
    const root = this.projectRoot(fileName);
    const before = this.byRoot.merged(root);
    this.byRoot.files(root).delete(path.resolve(fileName));
    return !sameFacts(before, this.byRoot.merged(root));
  }

  private recordFacts(fileName: string, facts: ProjectFacts): boolean {
    const root = this.projectRoot(fileName);
    const before = this.byRoot.merged(root);
    this.byRoot.files(root).set(path.resolve(fileName), facts);
    return !sameFacts(before, this.byRoot.merged(root));
  }

  factsFor(fileName: string, isLocalFile: boolean): ProjectFacts | undefined {
    if (!isLocalFile) return undefined;
    const root = this.projectRoot(fileName);
    const parts: ProjectFacts[] = [];
    const pkg = this.packageFacts(root);
    if (pkg) parts.push(pkg);
    if (this.byRoot.has(root)) parts.push(...this.byRoot.files(root).values());
    return parts.length ? mergeFacts(parts) : undefined;
  }

  /**
   * Reads the TypeScript/JavaScript files of the program of `fileName` from disk, once per folder, a few at a time;
   * files already recorded (open documents) keep their recorded facts. Only a program inside `folder` (the
   * workspace folder) is read: a package.json above the workspace does not make the user's home a program. Resolves
   * true when the program's facts changed, to the call that started the scan only: its caller checks the program's
   * open documents again, and their checks, which ask again, must not start another round (they would go on for ever).
   */
  scan(fileName: string, folder: string | undefined, ts: () => TypeScriptModule): Promise<boolean> {
    const root = this.projectRoot(fileName);
    if (folder === undefined || !isAtOrInside(root, folder)) return Promise.resolve(false);
    const running = this.scans.get(root);
    if (running) return running.then(() => false);
    const scan = this.scanFolder(root, ts);
    this.scans.set(root, scan);
    return scan;
  }

  /**
   * True when `fileName` is one of the files a scan reads (a TypeScript/JavaScript source outside dependencies,
   * build output and hidden folders) and its program's folder was read from disk: a change to it on disk matters.
   */
  isScannedFile(fileName: string): boolean {
    const root = this.projectRoot(fileName);
    if (!this.scans.has(root) || !isTypeScriptOrJavaScriptFile(fileName)) return false;
    return !path.relative(root, path.dirname(path.resolve(fileName))).split(path.sep).some(dir => dir !== '' && isSkippedProgramDir(dir));
  }

  private async scanFolder(root: string, ts: () => TypeScriptModule): Promise<boolean> {
    const before = this.byRoot.merged(root);
    const found = listProgramFiles(root, { isSource: isTypeScriptOrJavaScriptFile, markers: ['package.json'], maxFiles: MAX_SCANNED_FILES, maxDirs: MAX_SCANNED_DIRS });
    await readFactsFromDisk(found, this.byRoot.files(root), (file, text) => factsOfText(ts(), file, text));
    return !sameFacts(before, this.byRoot.merged(root));
  }
}

/** A file's own facts from its text: parsed only when its words could give one. */
function factsOfText(ts: TypeScriptModule, fileName: string, text: string): ProjectFacts {
  if (!mayHaveFacts(text)) return { ...NO_FACTS };
  return fileFacts(ts, ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false));
}

function isAtOrInside(dir: string, folder: string): boolean {
  const rel = path.relative(path.resolve(folder), path.resolve(dir));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
