// Snippets read with the core's parser from the snippet files the extension contributes (snippets/*.json next to
// the bundles): the same data VS Code offers by prefix, without a second copy inside each bundle.
// The sidebar and the MCP server use it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SNIPPET_FILES, SNIPPET_LANGUAGES, snippetsFromFile, type Snippet, type SnippetLanguage } from './snippets';

export type SnippetLookup = (prefix: string, language: SnippetLanguage) => Snippet | undefined;

export interface SnippetCatalog {
  get: SnippetLookup;
  list(language: SnippetLanguage): readonly Snippet[];
}

/** The snippets under `<extensionRoot>/snippets/*.json`; a file that is missing or broken is reported and counts as empty. */
export function snippetCatalog(extensionRoot: string, onError: (message: string) => void): SnippetCatalog {
  const cache = new Map<SnippetLanguage, readonly Snippet[]>();
  const list = (language: SnippetLanguage): readonly Snippet[] => {
    let snippets = cache.get(language);
    if (!snippets) {
      const file = path.join(extensionRoot, SNIPPET_FILES[language].path);
      try {
        snippets = snippetsFromFile(language, JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>);
      } catch (error) {
        onError(`cannot read the ${language} snippets (${file}): ${error instanceof Error ? error.message : String(error)}`);
        snippets = [];
      }
      cache.set(language, snippets);
    }
    return snippets;
  };
  return { list, get: (prefix, language) => list(language).find(s => s.prefixes.includes(prefix)) };
}

/** A lookup over `<extensionRoot>/snippets/*.json`. */
export function snippetsFromExtension(extensionRoot: string, onError: (message: string) => void): SnippetLookup {
  return snippetCatalog(extensionRoot, onError).get;
}

/** Languages a snippet exists in. */
export function snippetLanguages(lookup: SnippetLookup, prefix: string): SnippetLanguage[] {
  return SNIPPET_LANGUAGES.filter(l => lookup(prefix, l) !== undefined);
}
