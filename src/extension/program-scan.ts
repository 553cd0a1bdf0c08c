// What the editor's two kinds of program facts share (project-facts.ts for TypeScript/JavaScript, python-program.ts
// for Python): each file's facts kept per program folder, and reading a folder's files from disk in the background.
import * as fs from 'node:fs';
import { mergeFacts } from '../core/facts';
import type { ProjectFacts } from '../core/types';

/** A folder's scan reads at most this many files (a large tree is still checked file by file as opened). */
export const MAX_SCANNED_FILES = 300;
/** Folders a scan lists at most. */
export const MAX_SCANNED_DIRS = 1_000;
const MAX_SCANNED_BYTES = 1_000_000;
/** Files read between two turns of the event loop, so that a scan never holds the extension host for long. */
const FILES_PER_TURN = 20;

/** Each file's facts, per program folder. */
export class FactsByRoot {
  private readonly byRoot = new Map<string, Map<string, ProjectFacts>>();

  files(root: string): Map<string, ProjectFacts> {
    let files = this.byRoot.get(root);
    if (!files) this.byRoot.set(root, (files = new Map()));
    return files;
  }

  /** What the recorded files of the program at `root` do together. */
  merged(root: string): ProjectFacts {
    return mergeFacts(this.byRoot.get(root)?.values() ?? []);
  }

  has(root: string): boolean {
    return this.byRoot.has(root);
  }
}

/**
 * Reads the files of `found` that `files` has no facts of yet (open documents keep theirs), a few per turn of the
 * event loop, and records their facts; files over 1 MB, gone or unreadable say nothing and are skipped.
 */
export async function readFactsFromDisk(found: readonly string[], files: Map<string, ProjectFacts>, factsOf: (fileName: string, text: string) => ProjectFacts): Promise<void> {
  for (const [i, file] of found.entries()) {
    if (i > 0 && i % FILES_PER_TURN === 0) await new Promise(resolve => setImmediate(resolve));
    if (files.has(file)) continue;
    let text: string;
    try {
      if (fs.statSync(file).size > MAX_SCANNED_BYTES) continue;
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    // The file may have been opened (and recorded from its live text) while this scan waited.
    if (!files.has(file)) files.set(file, factsOf(file, text));
  }
}

export function sameFacts(a: ProjectFacts, b: ProjectFacts): boolean {
  return a.usesMcpServerSdk === b.usesMcpServerSdk && a.servesStdio === b.servesStdio && a.servesHttp === b.servesHttp;
}
