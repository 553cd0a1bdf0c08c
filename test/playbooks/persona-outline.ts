// Reads the persona document's outline: its headings, senior rules and bold sub-headings, with the text under
// each, so tests can check every part of the document against the playbooks.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/rules';

export const PERSONA_PATH = path.join(REPO_ROOT, 'media/persona.md');

export interface OutlineNode {
  /** Heading text without markup, emoji or a trailing colon. */
  heading: string;
  /** 2-4 for ##-####, 4 for "Senior Rule N:" lines, 5 for other bold lines standing alone. */
  level: number;
  parent?: OutlineNode;
  children: OutlineNode[];
  /** Lines directly under this heading (code blocks included), up to the next heading or `---`. */
  lines: string[];
}

export interface PersonaOutline {
  frontMatter: string[];
  /** Lines before the first heading of the body. */
  preamble: string[];
  nodes: OutlineNode[];
}

export function cleanHeading(text: string): string {
  return text
    .replace(/\*\*/g, '')
    .replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu, '')
    .replace(/\s*\([^)]*\)\s*:?\s*$/, '') // "CPU Performance Hierarchy (Order of magnitude impacts):"
    .replace(/:\s*$/, '')
    .trim();
}

export function readPersonaOutline(file = PERSONA_PATH): PersonaOutline {
  const all = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  let start = 0;
  const frontMatter: string[] = [];
  if (all[0] === '---') {
    const end = all.indexOf('---', 1);
    frontMatter.push(...all.slice(1, end));
    start = end + 1;
  }
  const nodes: OutlineNode[] = [];
  const preamble: string[] = [];
  const stack: OutlineNode[] = [];
  let current: OutlineNode | undefined;
  let inCode = false;

  const open = (heading: string, level: number) => {
    while (stack.length > 0 && stack[stack.length - 1].level >= level) stack.pop();
    const node: OutlineNode = { heading: cleanHeading(heading), level, parent: stack[stack.length - 1], children: [], lines: [] };
    node.parent?.children.push(node);
    nodes.push(node);
    stack.push(node);
    current = node;
  };

  for (const line of all.slice(start)) {
    if (/^\s*```/.test(line)) inCode = !inCode;
    if (!inCode) {
      const h = /^(#{2,4})\s+(.+)$/.exec(line);
      if (h) {
        open(h[2], h[1].length);
        continue;
      }
      const bold = /^\*\*([^*]+)\*\*\s*(\([^)]*\))?\s*:?\s*$/.exec(line.trimEnd());
      if (bold && current) {
        open(bold[1], /^Senior Rule \d+:/.test(bold[1]) ? 4 : 5);
        continue;
      }
      if (/^---\s*$/.test(line)) {
        // A rule ends the section: what follows (closing quote, signature) belongs to no heading.
        stack.length = 0;
        current = undefined;
        continue;
      }
    }
    (current ? current.lines : preamble).push(line);
  }
  return { frontMatter, preamble, nodes };
}

/** The persona's proactive triggers (front matter). */
export function proactiveTriggers(outline: PersonaOutline): string[] {
  const i = outline.frontMatter.findIndex(l => l.startsWith('proactive_triggers:'));
  const out: string[] = [];
  for (const line of outline.frontMatter.slice(i + 1)) {
    const m = /^\s+-\s+(\S+)\s*$/.exec(line);
    if (!m) break;
    out.push(m[1]);
  }
  return out;
}

/**
 * Things written with digits that are not quantities, removed before numbers are read. Kept small on purpose:
 * anything else the document writes as a number must appear in some playbook's thresholds.
 */
export const NOT_QUANTITIES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\s*\d+\.\s/gm, 'ordered-list markers (the CPU performance hierarchy)'],
  [/\bphase_\d+_/g, 'migration phase labels'],
  [/\bLesson \d+/g, 'numbered comments in the code samples'],
  [/\bgeneration_\d+_to_\d+/g, 'platform generation labels'],
  [/(?<![a-z])[a-z]{2}_(?:east|west|southeast)_\d+/g, 'cloud region names'],
  [/\b20\+? years\b/gi, "the author's own seniority"],
  [/\bFortune 500\b/g, 'a company list, not a quantity'],
];

/**
 * Numbers written with digits in `text`: "5_consecutive_failures" gives 5, "99.9%" 99.9, "10M+" 10.
 * Digits glued to letters are names, not quantities ("p99" is read from the latency threshold's value, "OAuth2", "UTF8").
 */
export function numbersIn(text: string, exclusions: ReadonlyArray<readonly [RegExp, string]> = NOT_QUANTITIES): number[] {
  let t = text;
  for (const [re] of exclusions) t = t.replace(re, ' ');
  return [...t.matchAll(/(?<![\p{L}\d.])\d+(?:\.\d+)?/gu)].map(m => Number(m[0]));
}
