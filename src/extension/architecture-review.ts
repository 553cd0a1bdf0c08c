// "MCP Architect: Export Architecture Review": the workspace's findings grouped by the playbook each rule comes
// from, with the state of every playbook checklist, as one Markdown document. No `vscode` import.
import {
  checklistItemKey,
  checklistProgress,
  resolvePlaybookRef,
  themeInfo,
  THEMES,
  type Playbook,
  type PlaybookSection,
} from '../core/playbooks';
import { ruleById } from '../core/rules';
import type { Severity } from '../core/types';

export interface ReviewFinding {
  ruleId: string;
  /** Workspace-relative path. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  message: string;
  severity: Severity;
}

export interface ReviewOptions {
  subject?: string;
  date?: string;
  checked?: Iterable<string>;
}

interface RuleGroup {
  ruleId: string;
  section?: PlaybookSection;
  findings: ReviewFinding[];
}

/** Inline Markdown text: characters that would start markup are escaped. */
export function markdownText(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/([\\`*_[\]<|])/g, '\\$1')
    .replace(/^([#>+-])/, '\\$1');
}

/** A code span that survives backticks in its content. */
export function codeSpan(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map(m => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function byPosition(a: ReviewFinding, b: ReviewFinding): number {
  return a.file.localeCompare(b.file, 'en') || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId, 'en');
}

/** The finding's playbook and section, from the rule's `meta.playbook`. */
function homeOf(playbooks: readonly Playbook[], ruleId: string): { playbook: Playbook; section?: PlaybookSection } | undefined {
  const ref = ruleById(ruleId)?.meta.playbook;
  if (!ref) return undefined;
  return resolvePlaybookRef(playbooks, ref) ?? resolvePlaybookRef(playbooks, ref.split('#')[0]);
}

export function architectureReviewWithFindings(playbooks: readonly Playbook[], findings: readonly ReviewFinding[], options: ReviewOptions = {}): string {
  const checked = new Set(options.checked ?? []);
  const groups = new Map<string, Map<string, RuleGroup>>();
  const unplaced: ReviewFinding[] = [];
  for (const f of [...findings].sort(byPosition)) {
    const home = homeOf(playbooks, f.ruleId);
    if (!home) {
      unplaced.push(f);
      continue;
    }
    let rules = groups.get(home.playbook.id);
    if (!rules) groups.set(home.playbook.id, (rules = new Map()));
    let group = rules.get(f.ruleId);
    if (!group) rules.set(f.ruleId, (group = { ruleId: f.ruleId, section: home.section, findings: [] }));
    group.findings.push(f);
  }
  const countOf = (p: Playbook) => [...(groups.get(p.id)?.values() ?? [])].reduce((n, g) => n + g.findings.length, 0);
  const themeOrder = (p: Playbook) => THEMES.findIndex(t => t.id === p.theme);
  // Playbooks with findings first (most first), then those under way, then the rest; by theme and title within.
  const ordered = [...playbooks].sort(
    (a, b) =>
      countOf(b) - countOf(a) ||
      Number(checklistProgress(b, checked).done > 0) - Number(checklistProgress(a, checked).done > 0) ||
      themeOrder(a) - themeOrder(b) ||
      a.title.localeCompare(b.title, 'en'),
  );

  let done = 0;
  let total = 0;
  for (const p of playbooks) {
    const progress = checklistProgress(p, checked);
    done += progress.done;
    total += progress.total;
  }
  const files = new Set(findings.map(f => f.file)).size;
  const rules = new Set(findings.map(f => f.ruleId)).size;

  const out: string[] = [`# Architecture review${options.subject ? `: ${markdownText(options.subject)}` : ''}`, ''];
  if (options.date) out.push(`Date: ${markdownText(options.date)}`, '');
  out.push(
    `**${plural(findings.length, 'finding')}** of ${plural(rules, 'rule')} in ${plural(files, 'file')} · **${done} of ${total}** checklist items done.`,
    '',
    'Findings are the MCP Architect diagnostics at the time of export: open files, and closed files once **MCP Architect: Analyze Workspace** has run.',
    '',
    '| Playbook | Theme | Findings | Checklist |',
    '|---|---|---|---|',
  );
  for (const p of ordered) {
    const progress = checklistProgress(p, checked);
    out.push(`| ${markdownText(p.title)} | ${markdownText(themeInfo(p.theme).title)} | ${countOf(p)} | ${progress.done} of ${progress.total} |`);
  }
  if (unplaced.length > 0) out.push(`| Other findings | | ${unplaced.length} | |`);
  out.push('');

  for (const p of ordered) {
    const progress = checklistProgress(p, checked);
    out.push(`## ${markdownText(p.title)}`, '', markdownText(p.summary.trim()), '');
    const rulesHere = [...(groups.get(p.id)?.values() ?? [])];
    if (rulesHere.length > 0) {
      out.push(`### Findings (${countOf(p)})`, '');
      for (const g of rulesHere) {
        const where = g.section ? `${markdownText(g.section.title)}: ` : '';
        const description = ruleById(g.ruleId)?.meta.description;
        out.push(`#### ${where}${codeSpan(g.ruleId)} (${g.findings.length})`, '');
        if (description) out.push(markdownText(description), '');
        for (const f of g.findings) out.push(`- ${codeSpan(`${f.file}:${f.line}:${f.column}`)} ${f.severity}: ${markdownText(f.message)}`);
        out.push('');
      }
    }
    out.push(`### Checklists (${progress.done} of ${progress.total})`, '');
    for (const c of p.checklists) {
      const cp = c.items.filter(i => checked.has(checklistItemKey(p.id, c.id, i.id))).length;
      out.push(`#### ${markdownText(c.title)} (${cp} of ${c.items.length})`, '');
      for (const item of c.items) {
        const box = checked.has(checklistItemKey(p.id, c.id, item.id)) ? '[x]' : '[ ]';
        // Findings of the rules that are evidence for this item, found anywhere in the workspace.
        const evidence = (item.rules ?? []).filter(r => findings.some(f => f.ruleId === r));
        const open = evidence.length ? ` — **${plural(findings.filter(f => evidence.includes(f.ruleId)).length, 'open finding')}** (${evidence.map(codeSpan).join(', ')})` : '';
        out.push(`- ${box} ${markdownText(item.text)}${open}`);
      }
      out.push('');
    }
  }

  if (unplaced.length > 0) {
    out.push(`## Other findings (${unplaced.length})`, '');
    for (const f of unplaced) out.push(`- ${codeSpan(`${f.file}:${f.line}:${f.column}`)} ${codeSpan(f.ruleId)} ${f.severity}: ${markdownText(f.message)}`);
    out.push('');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
