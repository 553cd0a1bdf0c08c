// The content the server serves: the persona, the rule pages and the playbooks.
// Playbooks are bundled data; the persona, rule pages and snippet files are read from beside the bundle.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding, ProjectFacts } from '../core/types';
import { RULES } from '../core/rules';
import { PLAYBOOKS } from '../core/playbook-data';
import { getPlaybook, playbookToMarkdown, type Playbook } from '../core/playbooks';
import { snippetCatalog, type SnippetCatalog } from '../core/snippet-files';

export interface ServerData {
  persona: string;
  /** Rule id -> its documentation page (Markdown). */
  ruleDocs: ReadonlyMap<string, string>;
  playbooks: readonly Playbook[];
  playbookMarkdown(id: string): string | undefined;
  snippets: SnippetCatalog;
  /** Python analysis, when this build has it. */
  analyzePython?: (fileName: string, text: string, project?: ProjectFacts) => Promise<Finding[]>;
  /** A Python file's own facts (for the facts of its program). */
  pythonFacts?: (fileName: string, text: string) => Promise<ProjectFacts>;
}

/** The folder that holds `media/persona.md` and `docs/rules/`: the extension or repository root above `from`. */
export function findAssetRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'media', 'persona.md'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`media/persona.md not found above ${from}`);
  }
}

export function loadServerData(assetRoot: string, extra: Partial<ServerData> = {}): ServerData {
  const persona = fs.readFileSync(path.join(assetRoot, 'media', 'persona.md'), 'utf8');
  const ruleDocs = new Map<string, string>();
  for (const { meta } of RULES) {
    const file = path.join(assetRoot, 'docs', 'rules', `${meta.id}.md`);
    if (fs.existsSync(file)) ruleDocs.set(meta.id, fs.readFileSync(file, 'utf8'));
  }
  const playbooks = PLAYBOOKS;
  const markdownCache = new Map<string, string>();
  const snippets = snippetCatalog(assetRoot, message => process.stderr.write(`[mcp-server-architect] ${message}\n`));
  return {
    persona,
    ruleDocs,
    playbooks,
    snippets,
    playbookMarkdown(id) {
      const cached = markdownCache.get(id);
      if (cached) return cached;
      const p = getPlaybook(playbooks, id);
      if (!p) return undefined;
      const md = playbookToMarkdown(p);
      markdownCache.set(id, md);
      return md;
    },
    ...extra,
  };
}
