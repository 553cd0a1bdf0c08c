// Which analyzer a file goes to, by its name.
export type SourceLanguage = 'typescript' | 'javascript' | 'python';

const EXTENSIONS: Record<string, SourceLanguage> = {
  '.ts': 'typescript',
  '.tsx': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.py': 'python',
};

export function languageOf(fileName: string): SourceLanguage | undefined {
  if (/\.d\.[cm]?ts$/i.test(fileName)) return undefined;
  const dot = fileName.lastIndexOf('.');
  return dot === -1 ? undefined : EXTENSIONS[fileName.slice(dot).toLowerCase()];
}
