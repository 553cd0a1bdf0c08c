// The source files of one program under its folder, for adapters that read a program's other files to learn what
// it does (the editor, the MCP server): breadth first, nearest first, never into dependencies, virtualenvs, build
// output or another program's folder, and bounded in files and folders so that a huge tree costs a bounded time.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Folders that hold other people's code or build output, never a program's own modules. */
const SKIPPED_DIRS = new Set(['node_modules', 'venv', 'env', '__pycache__', 'site-packages', 'dist', 'build', 'out', 'coverage']);

/** True for a folder listProgramFiles does not enter (dependencies, build output, hidden folders). */
export function isSkippedProgramDir(name: string): boolean {
  return SKIPPED_DIRS.has(name) || name.startsWith('.');
}

export interface ProgramFilesOptions {
  /** True for a file name of the program's kind. */
  isSource(fileName: string): boolean;
  /** Files that make a folder another program (its files are not listed). */
  markers: readonly string[];
  maxFiles: number;
  maxDirs: number;
}

export function listProgramFiles(root: string, options: ProgramFilesOptions): string[] {
  const out: string[] = [];
  const queue = [root];
  for (let visited = 0; queue.length > 0 && out.length < options.maxFiles && visited < options.maxDirs; visited++) {
    const dir = queue.shift()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isFile() && options.isSource(e.name)) {
        out.push(full);
        if (out.length >= options.maxFiles) break;
      } else if (e.isDirectory() && !isSkippedProgramDir(e.name) && !options.markers.some(m => fs.existsSync(path.join(full, m)))) {
        queue.push(full);
      }
    }
  }
  return out;
}
