// Which file names `lint` reads: TypeScript, JavaScript and Python sources, not declaration files. Its own module,
// with no dependency, so that the relaunch (v8-pool.ts, in the small dist/cli.js) can size a tree by the same test.
export const LINTABLE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.py'];
/** Directories no run reads, whatever the .gitignore files say. */
export const ALWAYS_SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

export function isLintableFile(fileName: string): boolean {
  const lower = fileName.toLowerCase();
  if (/\.d\.[cm]?ts$/.test(lower) || /\.d\.[^.]+\.ts$/.test(lower)) return false; // declarations, incl. foo.d.css.ts
  return LINTABLE_EXTENSIONS.some(ext => lower.endsWith(ext));
}
