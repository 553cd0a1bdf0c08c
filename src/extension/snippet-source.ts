// The snippets the sidebar inserts, read with the core's parser from the snippet files the extension contributes
// (snippets/*.json of the installed extension): the same data VS Code offers by prefix, without a second copy
// of it inside dist/extension.js.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SNIPPET_FILES, SNIPPET_LANGUAGES, snippetsFromFile, type Snippet, type SnippetLanguage } from '../core/snippets';

export type SnippetLookup = (prefix: string, language: SnippetLanguage) => Snippet | undefined;

/** A lookup over `<extensionRoot>/snippets/*.json`; a file that is missing or broken is reported and counts as empty. */
export function snippetsFromExtension(extensionRoot: string, onError: (message: string) => void): SnippetLookup {
  const cache = new Map<SnippetLanguage, readonly Snippet[]>();
  const load = (language: SnippetLanguage): readonly Snippet[] => {
    let list = cache.get(language);
    if (!list) {
      const file = path.join(extensionRoot, SNIPPET_FILES[language].path);
      try {
        list = snippetsFromFile(language, JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>);
      } catch (error) {
        onError(`cannot read the ${language} snippets (${file}): ${error instanceof Error ? error.message : String(error)}`);
        list = [];
      }
      cache.set(language, list);
    }
    return list;
  };
  return (prefix, language) => load(language).find(s => s.prefixes.includes(prefix));
}

/** Languages a snippet exists in. */
export function snippetLanguages(lookup: SnippetLookup, prefix: string): SnippetLanguage[] {
  return SNIPPET_LANGUAGES.filter(l => lookup(prefix, l) !== undefined);
}
