// What the playbook sidebar is sent: the playbooks, and for the rules and snippets they link the few facts the
// page shows (description, which languages a snippet exists in, whether a rule's page ships). No `vscode` import.
import { resolvePlaybookRef, type Playbook } from '../core/playbooks';
import { ruleById } from '../core/rules';
import { snippetLanguages, type SnippetLookup } from '../core/snippet-files';
import type { InitMessage, PlaybookLocation, RuleSummary, SnippetSummary } from '../webview/protocol';

/** Rule ids linked by the playbooks (their rule lists and their checklist items), in order of first mention. */
export function linkedRuleIds(playbooks: readonly Playbook[]): string[] {
  return [...new Set(playbooks.flatMap(p => [...p.rules, ...p.checklists.flatMap(c => c.items.flatMap(i => i.rules ?? []))]))];
}

export function ruleSummaries(playbooks: readonly Playbook[], hasDoc: (ruleId: string) => boolean): RuleSummary[] {
  return linkedRuleIds(playbooks).map(id => ({ id, description: ruleById(id)?.meta.description ?? '', hasDoc: hasDoc(id) }));
}

/** Snippet descriptions end with "playbook: <ref>", which the sidebar already shows by context. */
function withoutPlaybookRef(description: string): string {
  return description.replace(/\s*\(?playbook: [a-z0-9#-]+\)?\.?\s*$/, '').trim();
}

/** `lookup`: the snippet files (`snippetsFromExtension`), or the core's bundled copy (`getSnippet`) in tools and tests. */
export function snippetSummaries(playbooks: readonly Playbook[], lookup: SnippetLookup): SnippetSummary[] {
  const prefixes = [...new Set(playbooks.flatMap(p => p.snippets))];
  return prefixes.map(prefix => {
    const languages = snippetLanguages(lookup, prefix);
    const first = languages.length > 0 ? lookup(prefix, languages[0]) : undefined;
    return { prefix, name: first?.name ?? prefix, description: first ? withoutPlaybookRef(first.description) : '', languages };
  });
}

export function initMessage(
  playbooks: readonly Playbook[],
  checked: readonly string[],
  options: { hasDoc: (ruleId: string) => boolean; snippet: SnippetLookup; reveal?: PlaybookLocation },
): InitMessage {
  return {
    type: 'init',
    playbooks,
    rules: ruleSummaries(playbooks, options.hasDoc),
    snippets: snippetSummaries(playbooks, options.snippet),
    checked: [...checked],
    ...(options.reveal ? { reveal: options.reveal } : {}),
  };
}

/** The location a command argument names: "<id>", "<id>#<section>", or `{ playbook: "<ref>" }`. */
export function locationOf(playbooks: readonly Playbook[], arg: unknown): PlaybookLocation | undefined {
  const ref = typeof arg === 'string' ? arg : arg && typeof arg === 'object' && typeof (arg as { playbook?: unknown }).playbook === 'string' ? (arg as { playbook: string }).playbook : undefined;
  if (!ref) return undefined;
  const exact = resolvePlaybookRef(playbooks, ref);
  if (exact) return { playbookId: exact.playbook.id, ...(exact.section ? { sectionId: exact.section.id } : {}) };
  // A section that no longer exists still opens its playbook.
  const playbook = resolvePlaybookRef(playbooks, ref.split('#')[0]);
  return playbook ? { playbookId: playbook.playbook.id } : undefined;
}
